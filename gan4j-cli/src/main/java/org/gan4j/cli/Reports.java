package org.gan4j.cli;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.gan4j.Launcher;
import org.gan4j.config.RunConfig;
import org.gan4j.data.GanDataset;
import org.gan4j.evaluation.ClassMix;
import org.gan4j.evaluation.Verdict;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.nn.GanModels;
import org.gan4j.training.TrainingRun;

/** Console text shared by the commands: the plan before training and the summary after. */
final class Reports {

    private Reports() {}

    static void printPlan(PrintWriter out, TrainingRun run) {
        RunConfig config = run.config();
        GanDataset data = run.dataset();
        GanModels models = run.trainer().models();
        out.printf("gan4j %s  run %s%n", TrainingRun.VERSION, run.runDirectory().root());
        out.printf("  data   %s, %s in memory%n", data.description(), org.gan4j.data.DataMemory.size(data.memoryBytes()));
        out.printf(
                Locale.ROOT,
                "  model  %s, z %d: G %,d parameters, D %,d parameters%s%n",
                models.architecture().name().toLowerCase(Locale.ROOT),
                models.latentSize(),
                parameterCount(models.generator()),
                parameterCount(models.discriminator()),
                models.packing() > 1 ? ", packing " + models.packing() : "");
        long batchesPerEpoch = Math.max(1, data.size() / config.training().batchSize());
        double epochs = (double) config.training().steps() * config.training().dSteps() / batchesPerEpoch;
        out.printf(
                Locale.ROOT,
                "  train  %d steps of batch %d (%.1f epochs), D:G updates %d:%d, %s loss, Adam lr %.3g/%.3g (G/D)%n",
                config.training().steps(),
                config.training().batchSize(),
                epochs,
                config.training().dSteps(),
                config.training().gSteps(),
                config.loss().generator().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                config.training().generator().learningRate(),
                config.training().discriminator().learningRate());
        if (run.resumedFrom() > 0) {
            out.printf("  resume from step %d%n", run.resumedFrom());
        }
        String convolutions = models.architecture() == org.gan4j.config.ModelConfig.Architecture.DCGAN
                        && !ai.djl.engine.Engine.getInstance().defaultDevice().isGpu()
                ? org.gan4j.nn.ConvolutionCheck.problem()
                : null;
        if (convolutions != null) {
            org.gan4j.config.ModelConfig.DcganConfig dcgan = config.model().dcgan();
            boolean few = dcgan.generatorFeatures() % 16 != 0 || dcgan.discriminatorFeatures() % 16 != 0;
            out.printf("  warning  %s: %s (docs/RELIABILITY.md)%n", convolutions, few
                    ? "this run's feature counts, not multiples of 16, make such layers; the gan4j launcher computes them"
                            + " correctly (GAN4J_ONEDNN_CACHES=auto), as does ONEDNN_MAX_CPU_ISA=SSE41, slowly"
                    : "none found among this run's layers (feature counts multiples of 16)");
        }
        out.flush();
    }

    static long parameterCount(Block block) {
        long count = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getValue().requiresGradient()) {
                count += pair.getValue().getArray().size();
            }
        }
        return count;
    }

    static void printSummary(PrintWriter out, TrainingRun run, TrainingRun.Summary summary) {
        printSummary(out, run, summary, "");
    }

    /**
     * Prints the end of a training session; a stopped run gets the command that continues it.
     *
     * @param out the console
     * @param run the run
     * @param summary what the session did
     * @param resumeOptions options the continuation should repeat (the evaluation options, which the run does not
     *     record), with a leading space, or empty
     */
    static void printSummary(PrintWriter out, TrainingRun run, TrainingRun.Summary summary, String resumeOptions) {
        double seconds = summary.elapsed().toNanos() / 1e9;
        out.printf(
                Locale.ROOT,
                "%s: steps %d → %d in %s (%.2f steps/s, %.1f %% of the time waiting for data)%n",
                summary.completed() ? "done" : "stopped",
                summary.firstStep(),
                summary.lastStep(),
                duration(seconds),
                summary.stepsPerSecond(),
                seconds > 0 ? 100 * summary.dataWaitSeconds() / seconds : 0.0);
        Path root = summary.runDirectory();
        out.printf("results in %s%n", root);
        for (String line : listing(root)) {
            out.println("  " + line);
        }
        if (run.dataset().isPoints()) {
            PointReport.print(out, run.trainer(), run.dataset(), run.config().seed());
        } else {
            printLastVerdict(out, root, summary.lastStep());
        }
        List<String> warnings = warnings(root);
        if (!warnings.isEmpty()) {
            out.printf(
                    "%d warning%s during training (the full text in metrics.jsonl and in gan4j report %s):%n",
                    warnings.size(), warnings.size() == 1 ? "" : "s", Launcher.shellWord(root));
            for (String line : warnings.subList(0, Math.min(warnings.size(), MAX_WARNINGS_LISTED))) {
                out.println("  " + line);
            }
            if (warnings.size() > MAX_WARNINGS_LISTED) {
                out.printf("  … and %d more%n", warnings.size() - MAX_WARNINGS_LISTED);
            }
        }
        if (!summary.completed()) {
            // (a --max-steps below the step an unfinished run stands at is refused before training: TrainCommand)
            if (summary.stopReason() == null && summary.maxSteps() > 0) {
                out.printf(
                        "stopped at step %d by --max-steps %d (the config plans %d steps); continue with: %s train"
                                + " --resume %s%s%n",
                        summary.lastStep(), summary.maxSteps(), summary.configuredSteps(), Main.command(),
                        Launcher.shellWord(root), resumeOptions);
            } else {
                String why = summary.stopReason() != null ? summary.stopReason() : "stopped early";
                out.printf(
                        "stopped at step %d of %d (%s); continue with: %s train --resume %s%s%n",
                        summary.lastStep(), summary.configuredSteps(), why, Main.command(),
                        Launcher.shellWord(root), resumeOptions);
            }
        } else {
            out.println(nextSteps(root, run.dataset().isPoints()));
        }
        out.flush();
    }

    /** What a finished run is for next: the commands that measure, sample and show it. */
    static String nextSteps(Path root, boolean points) {
        String gan4j = Main.command();
        String run = Launcher.shellWord(root);
        String sample = points ? gan4j + " sample --run " + run + " -n 1000 --csv points.csv"
                : gan4j + " sample --run " + run + " -n 64 --grid grid.png";
        return "next: " + gan4j + " evaluate --run " + run + "  ·  " + sample + "  ·  " + gan4j + " report " + run;
    }

    /** Warnings listed at the end of a session; the rest are counted. */
    static final int MAX_WARNINGS_LISTED = 10;

    /** An evaluation's headline metrics, in this order, with their labels; the rest are in metrics.jsonl. */
    private static final String[][] HEADLINE = {
        {"fd", "FD"}, {"kid", "KID"}, {"precision", "precision"}, {"recall", "recall"}, {"coverage", "coverage"},
        {"classesCovered", "classes"}, {"classKl", "class KL"}, {"pixelDiversity", "pixel diversity"},
        {"memorisationRatio", "memorisation ratio"}, {"highQualityFraction", "high quality"},
        {"reverseKl", "reverse KL"}, {"meanMaxAbsError", "mean error"}, {"covarianceMaxAbsError", "covariance error"},
        {"dRocAuc", "D's ROC AUC"}
    };

    /**
     * An evaluation's headline metrics on one line, e.g. "modes 7 of 8, high quality 0.537, reverse KL 0.623" or "FD
     * 209.2, KID 14.2, precision 0.610, …"; metrics it does not hold are left out.
     *
     * @param metrics the evaluation's metrics
     * @return the line
     */
    static String headline(java.util.Map<String, Double> metrics) {
        return headline(metrics, null);
    }

    /**
     * An evaluation's headline metrics on one line, as {@link #headline(java.util.Map)}; when the class KL is above
     * the verdict's {@link Verdict#UNEVEN_CLASS_KL} (partial mode collapse) and the evaluation has a class mix, the
     * classes it concerns too: "classes 7 of 10, class KL 0.963 (missing: Sandal, Bag, Trouser; most
     * over-represented: Shirt 44 %, real 10 %)". Below the threshold the line is the same as without the mix.
     *
     * @param metrics the evaluation's metrics
     * @param classMix the evaluation's per-class mix, or null
     * @return the line
     */
    static String headline(java.util.Map<String, Double> metrics, ClassMix classMix) {
        String classes = classHint(metrics, classMix);
        List<String> parts = new ArrayList<>();
        Double captured = metrics.get("modesCaptured");
        Double modes = metrics.get("modes");
        if (captured != null && modes != null) {
            parts.add(String.format(Locale.ROOT, "modes %.0f of %.0f", captured, modes));
        }
        for (String[] entry : HEADLINE) {
            Double value = metrics.get(entry[0]);
            if (value != null && entry[0].equals("reverseKl") && !Double.isFinite(value)) {
                // no sample near a mode, as the modes line says it
                parts.add("reverse KL undefined");
            } else if (value != null) {
                boolean count = entry[0].equals("classesCovered") && value == Math.rint(value);
                String part = entry[1] + " " + (count ? String.format(Locale.ROOT, "%.0f", value) : number(value));
                if (classes != null && count) {
                    part += " of " + classMix.classes();
                } else if (classes != null && entry[0].equals("classKl")) {
                    part += " (" + classes + ")";
                }
                parts.add(part);
            }
        }
        return parts.isEmpty() ? "(no headline metric; see metrics.jsonl)" : String.join(", ", parts);
    }

    /**
     * The classes behind a class KL above {@link Verdict#UNEVEN_CLASS_KL}, short: the missing ones as the verdict names
     * them ({@link ClassMix#missingNames}) and the most over-represented one with its real share.
     *
     * @return e.g. "missing: Sandal, Bag; most over-represented: Shirt 44 %, real 10 %", or null when the KL is
     *     absent or at most the threshold, or there is no mix
     */
    static String classHint(java.util.Map<String, Double> metrics, ClassMix classMix) {
        Double kl = metrics.get("classKl");
        if (classMix == null || kl == null || !(kl > Verdict.UNEVEN_CLASS_KL)) {
            return null; // NaN is no sign of collapse either
        }
        List<String> said = new ArrayList<>();
        String missing = classMix.missingNames();
        if (!missing.isEmpty()) {
            said.add("missing: " + missing);
        }
        int over = classMix.mostOverRepresented();
        if (over >= 0) {
            said.add("most over-represented: " + classMix.names().get(over) + " "
                    + ClassMix.percent(classMix.sampleShares()[over]) + " %, real "
                    + ClassMix.percent(classMix.realShares()[over]) + " %");
        }
        return said.isEmpty() ? null : String.join("; ", said);
    }

    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.3g", value);
    }

    /**
     * Prints the verdict of the run's last evaluation (from {@code --eval-every}, any session), as {@code gan4j
     * evaluate} prints it; nothing when the run has none or its metrics give no verdict.
     */
    private static void printLastVerdict(PrintWriter out, Path root, long lastStep) {
        Path metrics = root.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) {
            return;
        }
        MetricsRow last = null;
        try {
            for (MetricsRow row : MetricsLog.read(metrics)) {
                if (row.extras().containsKey("eval")) {
                    last = row;
                }
            }
        } catch (RuntimeException e) {
            // the summary never fails a finished run: the evaluations are in metrics.jsonl
            return;
        }
        if (last == null) {
            return;
        }
        List<String> verdict = org.gan4j.evaluation.Verdict.of(last.values(),
                org.gan4j.evaluation.ClassMix.fromJson(last.extras().get(org.gan4j.evaluation.ClassMix.KEY)));
        if (verdict.isEmpty()) {
            return;
        }
        // an evaluation older than the final generator (a stop off the --eval-every grid, a session without it) says so
        String stale = last.step() < lastStep ? String.format(Locale.ROOT,
                ", not of the final generator at step %d: %s evaluate --run %s evaluates it", lastStep, Main.command(),
                Launcher.shellWord(root)) : "";
        out.printf("verdict of the last evaluation (step %d%s; rules of thumb, docs/EVALUATION.md):%n", last.step(),
                stale);
        for (String line : verdict) {
            out.println("  " + line);
        }
    }

    /**
     * The run's warnings (the alarms' rows of metrics.jsonl, all sessions), one short line each: "step N: name", the
     * name being the warning's text up to its step or first colon, e.g. "step 80: G's minimax loss saturates".
     */
    private static List<String> warnings(Path root) {
        List<String> lines = new ArrayList<>();
        Path metrics = root.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) {
            return lines;
        }
        try {
            for (MetricsRow row : MetricsLog.read(metrics)) {
                var warning = row.extras().get("warning");
                if (warning == null) {
                    continue;
                }
                String text = warning.asText();
                int end = text.indexOf(" at step");
                if (end < 0) {
                    end = text.indexOf(':');
                }
                lines.add("step " + row.step() + ": " + (end > 0 ? text.substring(0, end) : text));
            }
        } catch (RuntimeException e) {
            // the summary never fails a finished run: the warnings are in metrics.jsonl and the console log anyway
            lines.clear();
        }
        return lines;
    }

    private static List<String> listing(Path root) {
        List<String> lines = new ArrayList<>();
        lines.add("run.json  metrics.jsonl");
        lines.add(joined(root, "samples"));
        lines.add(joined(root, "plots"));
        lines.add(joined(root, "checkpoints"));
        lines.add(joined(root, "checkpoints-best"));
        lines.add(joined(root, "eval"));
        lines.removeIf(String::isEmpty);
        return lines;
    }

    private static String joined(Path root, String folder) {
        Path dir = root.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names =
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
            if (names.isEmpty()) {
                return "";
            }
            if (names.size() > 6) {
                List<String> shown = new ArrayList<>(names.subList(0, 2));
                shown.add("… (" + (names.size() - 4) + " more)");
                shown.addAll(names.subList(names.size() - 2, names.size()));
                names = shown;
            }
            return folder + "/  " + String.join("  ", names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
