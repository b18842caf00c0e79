package org.gan4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.Launcher;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.data.GanDataset;
import org.gan4j.data.MixtureDataset;
import org.gan4j.evaluation.reference.ReferenceClassifier;
import org.gan4j.evaluation.reference.ReferenceInfo;
import org.gan4j.evaluation.run.RunEvaluator;
import org.gan4j.io.Json;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.io.RunDirectory;
import org.gan4j.io.RunInfo;
import org.gan4j.nn.GanModels;
import org.gan4j.report.ReportServer;
import org.gan4j.training.GanTrainer;
import org.gan4j.training.TrainingRun;
import org.gan4j.training.listener.AlarmListener;
import org.gan4j.training.listener.EvaluationListener;
import org.gan4j.training.listener.FailureAlarms;
import org.gan4j.training.listener.GanListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gan4j train}: trains a GAN into a run directory, or resumes one. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a GAN. Writes a run directory (run.json, metrics.jsonl, samples/, plots/, checkpoints/).",
            "Ctrl-C stops after the current step, writes a checkpoint and prints how to resume."
        },
        footer = {
            "",
            "Examples:",
            "  gan4j train --config configs/d2l-gaussian.yaml",
            "  gan4j train --config configs/dcgan-fashion-mnist.yaml --set training.steps=500",
            "  gan4j train --data /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz --max-steps 100",
            "  gan4j train --resume runs/dcgan-fashion-mnist"
        })
public final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config; lists only what differs from the defaults (see configs/).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one config key, e.g. --set training.steps=500 (repeatable; applied after --config and --data).")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--data",
            paramLabel = "PATH",
            description = "Dataset file or folder; its kind (IDX, CIFAR binary, image folder) is inferred from its contents.")
    String data;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop once the step counter reaches N (a checkpoint is written; --resume continues).")
    Long maxSteps;

    @Option(names = "--dry-run", description = "Check config, data, output directory and networks, run one step, print the plan; writes no run.")
    boolean dryRun;

    @Option(names = "--out", paramLabel = "DIR", description = "Exact run directory (default: output.dir/name, with -2, -3… if taken).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a run from its newest valid checkpoint with the run's own config (a changed config needs --force).")
    Path resume;

    @Option(
            names = "--force",
            description = "With --resume: continue although --config/--set or an edited run.json change the run's config, or start again from step 0 when every checkpoint is damaged (the abandoned checkpoints, sample grids, plots, evaluation files and copies of metrics.jsonl and run.json are moved into RUN/abandoned-<UTC time>/, nothing is deleted; docs/RELIABILITY.md).")
    boolean force;

    @Option(names = "--no-progress", description = "Print periodic progress lines instead of a live progress bar.")
    boolean noProgress;

    @Option(names = "--eval-every", paramLabel = "N", description = "Evaluate the generator every N steps into metrics.jsonl (see gan4j evaluate; 0 = never, the default).")
    int evalEvery;

    @Option(names = "--eval-metrics", paramLabel = "LIST", description = "Metrics of --eval-every (default: all for the data type).")
    String evalMetrics;

    @Option(names = "--eval-samples", paramLabel = "N", description = "Generated samples per evaluation (default: ${DEFAULT-VALUE}).")
    int evalSamples = 2500;

    @Option(names = "--eval-bn-batches", paramLabel = "N", description = "Re-estimate G's batch-norm statistics from N batches of 500 before each evaluation (precise batch norm, see gan4j evaluate --bn-batches; training itself is unaffected; default ${DEFAULT-VALUE}).")
    int evalBnBatches;

    @Option(names = "--eval-reference", paramLabel = "NAME|FILE.params", description = "Reference classifier of --eval-every's image metrics (FD, KID, precision/recall …), as gan4j evaluate --reference: a shipped name or a NAME.params file made by gan4j classifier train for images of the run's shape, e.g. a CIFAR-10 one for a CIFAR run (default: the shipped " + ReferenceClassifier.FASHION_MNIST + ", grey 1×28×28). Recorded in run.json: a --resume keeps it, and refuses another one.")
    String evalReference;

    /** The reference classifier this session's evaluations use (given or recorded in run.json), or null: the shipped. */
    private String resolvedReference;

    /** The sidecar of {@link #resolvedReference}. */
    private ReferenceInfo resolvedInfo;

    @Option(names = "--best-by", paramLabel = "METRIC", description = "Keep the best generator by this evaluation metric in checkpoints-best/ (e.g. fd, coverage, modesCaptured).")
    String bestBy;

    @Option(names = "--alarms", paramLabel = "LIST", description = "Failure alarms that watch the run: all (the default), none, or names from dominance, vanishing, divergence, d-stopped, collapse, constant-data; or -NAME,... to leave those out (docs/EVALUATION.md).")
    String alarms = "all";

    @Option(names = "--alarm-patience", paramLabel = "N", description = "Measured steps in a row a condition must hold before its alarm warns (default: ${DEFAULT-VALUE}).")
    int alarmPatience = FailureAlarms.Settings.DEFAULT.patience();

    @Option(names = "--alarm-loss-limit", paramLabel = "X", description = "A loss above X per D output counts towards divergence (default: ${DEFAULT-VALUE}).")
    double alarmLossLimit = FailureAlarms.Settings.DEFAULT.lossLimit();

    @Option(names = "--alarm-drop", paramLabel = "F", description = "A diversity metric below (1 - F) times its best value so far counts as mode collapse (default: ${DEFAULT-VALUE}).")
    double alarmDrop = FailureAlarms.Settings.DEFAULT.dropFraction();

    @Mixin DashboardOptions dashboard = new DashboardOptions();

    /**
     * Refuses a tuning option of alarms that {@code --alarms} leaves out: the run would accept it and change nothing
     * (and the resume hint would repeat it).
     */
    private void checkAlarmTuning(java.util.Set<FailureAlarms.Alarm> enabled) {
        for (Map.Entry<String, java.util.Set<FailureAlarms.Alarm>> entry
                : FailureAlarms.Settings.TUNED_BY_OPTION.entrySet()) {
            if (spec.commandLine().getParseResult().hasMatchedOption(entry.getKey())
                    && entry.getValue().stream().noneMatch(enabled::contains)) {
                List<String> names = entry.getValue().stream().map(FailureAlarms.Alarm::label).toList();
                boolean one = names.size() == 1;
                throw new Gan4jException(entry.getKey() + " tunes the " + String.join(", ", names) + " alarm"
                        + (one ? "" : "s") + ", which --alarms " + alarms + " leaves out: drop " + entry.getKey()
                        + " or name " + (one ? "that alarm" : "one of them") + " in --alarms");
            }
        }
    }

    /** The alarm options as settings; one line naming the option for a bad value. */
    private FailureAlarms.Settings alarmSettings() {
        return new FailureAlarms.Settings(FailureAlarms.Settings.parse(alarms), alarmPatience, alarmLossLimit, alarmDrop);
    }

    @Override
    public Integer call() {
        if (resume != null && (out != null || dryRun)) {
            throw new Gan4jException("--resume continues a run in its own directory: do not combine it with --out or --dry-run");
        }
        if (force && resume == null) {
            throw new Gan4jException("--force only applies to --resume");
        }
        if (maxSteps != null && maxSteps < 1) {
            throw new Gan4jException("--max-steps must be a positive number of steps, got " + maxSteps);
        }
        if (!dashboard.enabled) {
            for (String name : List.of("--port", "--bind")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                    // without --dashboard nothing listens: the run would train with no page at the address
                    throw new Gan4jException(name + " only applies to --dashboard (add --dashboard to watch the run"
                            + " live; gan4j serve DIR --port P serves runs without training)");
                }
            }
        }
        // checked before a run directory is created or reopened: a taken --port must not leave a half-made run
        dashboard.check();
        checkAlarmTuning(alarmSettings().enabled());
        List<String> all = new ArrayList<>();
        if (data != null) {
            all.add("data.kind=auto");
            all.add(setString("data.path", data.toString()));
        }
        all.addAll(overrides);
        if (resume != null) {
            RunDirectory runDirectory = RunDirectory.open(resume);
            RunConfig recorded = TrainingRun.readConfig(runDirectory);
            RunConfig requested = null;
            if (config != null) {
                requested = ConfigLoader.load(config, all);
            } else if (!all.isEmpty()) {
                // --set on top of the run's own config
                requested = ConfigLoader.loadRunJsonText(
                        ConfigLoader.toYaml(recorded), runDirectory.runJson().toString(), all);
            }
            String recordedData = recorded.data().path();
            if (requested == null && recordedData != null && !recorded.data().kind().isPoints()
                    && !Files.exists(Path.of(recordedData))) {
                // "data path X does not exist" alone left the user to find out that --force may point the run there
                throw new Gan4jException("data path " + recordedData + " of run " + resume + " does not exist; if"
                        + " the data moved, continue with: " + Main.command() + " train --resume "
                        + Launcher.shellWord(resume)
                        + " --set data.path=NEW_PATH --force");
            }
            if (maxSteps != null) {
                // before the resume, which records a forced config in run.json
                checkMaxStepsAhead(standingStep(runDirectory),
                        (requested != null ? requested : recorded).training().steps(), resume);
            }
            // what can be checked from the config alone is checked before the resume, which records a forced
            // config in run.json (the data's own requirements need the data, after it)
            checkEvaluationOptions((requested != null ? requested : recorded));
            EngineSetup.configure((requested != null ? requested : recorded).training().threads());
            try (TrainingRun run = TrainingRun.resume(resume, requested, force)) {
                checkEvaluationOptions(run.config());
                checkRequestedMetrics(run.dataset(), run.config());
                resolveReference(run.dataset(), run.runDirectory());
                checkClassifierMetrics(run.dataset());
                checkMaxStepsAhead(run.trainer().step(), run.config().training().steps(), resume);
                return train(run);
            }
        }
        RunConfig resolved = ConfigLoader.load(config, all);
        checkDataExists(resolved, all);
        int threads = EngineSetup.configure(resolved.training().threads());
        if (dryRun) {
            // what the real run would refuse, the dry run refuses too
            checkEvaluationOptions(resolved);
            return DryRun.run(resolved, out, threads, spec.commandLine().getOut(),
                    dataset -> {
                        checkRequestedMetrics(dataset, resolved);
                        resolveReference(dataset, null);
                        checkClassifierMetrics(dataset);
                    });
        }
        try (TrainingRun run = TrainingRun.create(resolved, out, dataset -> {
            checkEvaluationOptions(resolved);
            checkRequestedMetrics(dataset, resolved);
            resolveReference(dataset, null);
            checkClassifierMetrics(dataset);
        })) {
            return train(run);
        }
    }

    /**
     * A {@code --set} override that sets {@code key} to exactly {@code text}: the value is a double-quoted YAML string,
     * so that a path given to an option ({@code --data}, demo's {@code --out}) is taken as written. Unquoted, YAML
     * read "photos #1" as "photos" (the rest a comment), "2024" and "yes" as a number and a boolean, and "a: b" as a
     * mapping. Control characters are escaped, and so stay in the value for the config's checks to name.
     */
    static String setString(String key, String text) {
        StringBuilder value = new StringBuilder(key).append("=\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                value.append('\\').append(c);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                value.append(String.format("\\u%04x", (int) c));
            } else {
                value.append(c);
            }
        }
        return value.append('"').toString();
    }

    /**
     * A data path that does not exist said only "data path X does not exist": a new user running a shipped preset
     * (configs/dcgan-cifar10.yaml) learned neither that the path came from the preset nor how to get the data. The
     * message now names the config file the path came from and, for the presets' datasets, where the download is
     * described.
     */
    private void checkDataExists(RunConfig resolved, List<String> all) {
        String path = resolved.data().path();
        if (resolved.data().kind().isPoints() || path == null || path.isBlank() || Files.exists(Path.of(path))) {
            return;
        }
        boolean fromConfig = config != null && all.stream().noneMatch(set -> set.startsWith("data.path="));
        String hint = "";
        String normalized = Path.of(path).toAbsolutePath().normalize().toString().replace('\\', '/');
        for (String[] preset : InfoCommand.PRESET_DATA) {
            if (normalized.endsWith("/" + preset[1])) {
                hint = "; " + preset[0] + " is not there yet: docs/configuration.md ('Getting the image data') says"
                        + " how to get it";
            }
        }
        if (normalized.startsWith("/usr/share/datasets/fashion-mnist/")
                && !Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) {
            hint = "; install it with apt-get install dataset-fashion-mnist";
        }
        throw new Gan4jException("data path " + path + " does not exist"
                + (fromConfig ? " (data.path in " + config + ")" : "") + hint);
    }

    /**
     * A {@code --resume --max-steps N} with N below the step the unfinished run stands at would train nothing, record
     * the smaller cap in run.json and report "stopped at step S by --max-steps N": refused before anything is written.
     * (N equal to S stays allowed: such a resume does the evaluation a stop interrupted at step S.) Checked before the
     * resume, from the newest valid checkpoint, so that a refused {@code --force} leaves run.json as it was, and again
     * after it (a resume first puts back a checkpoint a kill left under a temporary name).
     */
    private void checkMaxStepsAhead(long at, long planned, Path runDirectory) {
        if (maxSteps != null && maxSteps < at && at < planned) {
            throw new Gan4jException("--max-steps " + maxSteps + " is below step " + at + ", where " + runDirectory
                    + " stands: nothing to train (give a larger N, or leave --max-steps out to train on to the "
                    + planned + " steps the config plans)");
        }
    }

    /** The step of a run's newest valid checkpoint, found without a warning (the resume warns), or 0. */
    private static long standingStep(RunDirectory runDirectory) {
        for (org.gan4j.io.CheckpointStore.Checkpoint checkpoint
                : new org.gan4j.io.CheckpointStore(runDirectory.checkpoints(), 1).list()) {
            try {
                org.gan4j.io.CheckpointStore.verify(checkpoint.dir());
                return checkpoint.step();
            } catch (Gan4jException damaged) {
                // the resume skips it too, with a warning
            }
        }
        return 0;
    }

    /**
     * Checks the evaluation options against the data before a run is created or resumed, so that a mistyped metric
     * or count leaves no half-made run directory behind. ({@code --best-by} is checked against every metric gan4j
     * computes; whether this run's evaluation computes it, which depends on the data's modes and the reference
     * classifier, is known at the first evaluation.)
     */
    private void checkEvaluationOptions(RunConfig config) {
        boolean points = config.data().kind().isPoints();
        if (evalEvery < 0) {
            throw new Gan4jException("--eval-every must be >= 0 (0 = never), got " + evalEvery);
        }
        if (evalEvery == 0) {
            // options of the evaluations a run without --eval-every does not have (--eval-metrics and --eval-samples
            // were ignored without a word until 1 December)
            // (an explicit --eval-bn-batches 0 too: it was accepted, while an explicit --eval-samples was refused)
            var parsed = spec.commandLine().getParseResult();
            String given = bestBy != null ? "--best-by"
                    : parsed.hasMatchedOption("--eval-bn-batches") ? "--eval-bn-batches"
                    : evalReference != null ? "--eval-reference" : evalMetrics != null ? "--eval-metrics"
                    : parsed.hasMatchedOption("--eval-samples") ? "--eval-samples" : null;
            if (given != null) {
                throw new Gan4jException(given + " needs --eval-every N (without it the run is not evaluated while it"
                        + " trains" + (given.equals("--eval-reference") ? "; gan4j evaluate --run RUN --reference "
                                + evalReference + " scores it afterwards)" : ")"));
            }
            return;
        }
        if (points && evalReference != null) {
            throw new Gan4jException("--eval-reference applies to image runs: the metrics of a 2-D run ("
                    + config.data().kind().name().toLowerCase(java.util.Locale.ROOT) + ") need no classifier");
        }
        if (evalReference != null && !evalReference.endsWith(".params") && evalReference.contains("/")) {
            throw new Gan4jException("--eval-reference takes a shipped name or a NAME.params file (its NAME.json next"
                    + " to it), got " + evalReference);
        }
        int least = points ? RunEvaluator.MIN_SAMPLES : RunEvaluator.MIN_IMAGE_SAMPLES;
        if (evalSamples < least || evalSamples > RunEvaluator.MAX_SAMPLES) {
            throw new Gan4jException("--eval-samples must be between " + least + " and " + RunEvaluator.MAX_SAMPLES
                    + (points ? "" : " for images") + ", got " + evalSamples);
        }
        GanTrainer.checkBatchNormBatches(evalBnBatches, "--eval-bn-batches");
        GanModels.checkBatchNormOption("--eval-bn-batches", evalBnBatches, config.model(), points);
        RunEvaluator.parseMetrics(evalMetrics, points);
        if (bestBy != null) {
            RunEvaluator.checkResultKey(bestBy);
        }
    }

    /**
     * Metrics named with {@code --eval-metrics} that this run's evaluation could never compute (modes on data without
     * known modes, memorisation without held-out images, ...) are an error before training, as in {@code gan4j
     * evaluate}; the default set still skips what does not apply.
     */
    private void checkRequestedMetrics(GanDataset dataset, RunConfig config) {
        if (evalEvery <= 0) {
            return;
        }
        List<String> requested = RunEvaluator.parseMetrics(evalMetrics, dataset.isPoints());
        if (requested == null) {
            // the default set holds the discriminator test: fewer samples than one group of a packed D stopped the
            // run at its first evaluation, blaming the real data ("needs at least 4 real samples …, ring … has 100000")
            int packing = Math.max(1, config.model().packing());
            int least = Math.max(RunEvaluator.MIN_SAMPLES, packing);
            if (evalSamples < least) {
                throw new Gan4jException("--eval-samples " + evalSamples + " is too few for the discriminator test (d,"
                        + " one of the default metrics): the discriminator scores groups of " + packing + ", so it"
                        + " needs --eval-samples >= " + least + " (or --eval-metrics without d)");
            }
            return;
        }
        boolean heldOut = dataset.isPoints();
        if (!dataset.isPoints() && config.data().path() != null) {
            Path dataPath = Path.of(config.data().path());
            heldOut = EvaluationListener.heldOutFile(dataPath).isPresent()
                    || Files.exists(dataPath) && org.gan4j.data.Datasets.isCifar(dataPath)
                            && org.gan4j.data.CifarReader.testSplitFor(dataPath).isPresent();
        }
        int packing = Math.max(1, config.model().packing());
        for (String metric : requested) {
            if ((metric.equals("memorisation") || metric.equals("parzen")) && !heldOut) {
                throw new Gan4jException("--eval-metrics " + metric + " needs held-out real images, the t10k-* IDX file"
                        + " next to a train-* data file (or CIFAR's test_batch.bin next to its data_batch_*.bin); there"
                        + " is none for " + dataset.description());
            }
            int least = Math.max(RunEvaluator.MIN_SAMPLES, packing);
            if (metric.equals(RunEvaluator.DISCRIMINATOR) && evalSamples < least) {
                throw new Gan4jException("--eval-metrics d needs --eval-samples >= " + least + " (the discriminator"
                        + " scores groups of " + packing + "), got " + evalSamples);
            }
        }
        // the data's own requirements (modes needs a mixture, gaussian the textbook Gaussian), as gan4j evaluate says
        RunEvaluator.checkRequested(requested, new RunEvaluator.Inputs(dataset.description(),
                dataset instanceof MixtureDataset, true, packing, 0), "--eval-metrics");
    }

    /**
     * Resolves the reference classifier of this session's evaluations and checks it before training: the one
     * {@code --eval-reference} names, else the one run.json records ({@link #EVAL_REFERENCE_KEY}), else none (the
     * shipped default, as before). A given or recorded classifier must load (SHA-256 verified) and score images of the
     * run's shape; a resume may not switch to another classifier than the recorded one, nor give one to a run whose
     * evaluations so far used the shipped one: metrics.jsonl would hold numbers of two yardsticks, and --best-by would
     * compare them.
     *
     * @param dataset the run's data
     * @param runDirectory the resumed run, or null for a new one
     */
    private void resolveReference(GanDataset dataset, RunDirectory runDirectory) {
        resolvedReference = null;
        resolvedInfo = null;
        if (evalEvery <= 0 || dataset.isPoints()) {
            return;
        }
        JsonNode recorded = runDirectory == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : RunInfo.read(runDirectory.runJson()).path(EVAL_REFERENCE_KEY);
        String given = evalReference == null ? null : absolute(evalReference);
        if (recorded.isObject()) {
            String reference = recorded.path("reference").asText();
            String sha256 = recorded.path("sha256").asText();
            String described = reference + " (" + recorded.path("name").asText() + ", sha256 " + abbreviated(sha256)
                    + ")";
            if (given == null) {
                ReferenceInfo info;
                try {
                    info = infoOf(reference);
                } catch (Gan4jException e) {
                    throw new Gan4jException("run.json of " + runDirectory.root() + " records the reference classifier "
                            + reference + " for its evaluations, which cannot be used now: " + e.getMessage(), e);
                }
                if (!info.sha256().equals(sha256)) {
                    throw new Gan4jException("run.json of " + runDirectory.root() + " records the reference classifier "
                            + described + " for its evaluations, but that file now holds other weights (sha256 "
                            + abbreviated(info.sha256()) + "): put the recorded classifier back (metrics.jsonl would"
                            + " mix two yardsticks)");
                }
                use(reference, info, dataset, "the reference classifier " + reference + " recorded in run.json");
                return;
            }
            ReferenceInfo info = infoOf(given);
            if (!info.sha256().equals(sha256)) {
                throw new Gan4jException("--eval-reference " + evalReference + " (" + info.name() + ", sha256 "
                        + abbreviated(info.sha256()) + ") is not the classifier of this run's evaluations, " + described
                        + ", recorded in run.json: metrics.jsonl would mix two yardsticks; leave --eval-reference out to"
                        + " go on with the recorded one (gan4j evaluate --run RUN --reference FILE scores a checkpoint"
                        + " with another)");
            }
            use(given, info, dataset, "--eval-reference " + evalReference);
            return;
        }
        if (given == null) {
            return;
        }
        ReferenceInfo info = infoOf(given);
        if (runDirectory != null) {
            String shipped = null;
            for (MetricsRow row : MetricsLog.read(runDirectory.metrics())) {
                if (!row.extras().containsKey("eval")
                        || CLASSIFIER_VALUES.stream().noneMatch(row.values()::containsKey)) {
                    continue;
                }
                JsonNode usedSha = row.extras().get("referenceSha256");
                if (usedSha == null && shipped == null) {
                    // a row from before evaluation rows named their classifier: the shipped one was the only one
                    shipped = infoOf(ReferenceClassifier.FASHION_MNIST).sha256();
                }
                if (!(usedSha != null ? usedSha.asText() : shipped).equals(info.sha256())) {
                    JsonNode usedName = row.extras().get("reference");
                    throw new Gan4jException("--eval-reference " + evalReference + ": the evaluations of "
                            + runDirectory.root() + " so far (metrics.jsonl, step " + row.step() + ") used "
                            + (usedName == null ? "the shipped " + ReferenceClassifier.FASHION_MNIST
                                    : "the reference classifier " + usedName.asText())
                            + ", and metrics.jsonl would mix two yardsticks: leave --eval-reference out, or train a"
                            + " new run with it");
                }
            }
        }
        use(given, info, dataset, "--eval-reference " + evalReference);
    }

    /**
     * Image metrics named with {@code --eval-metrics} (fd, classes, …) need a reference classifier of the run's image
     * shape. Without one (a colour run and the shipped grey classifier) the run directory was created and the first
     * evaluation's start stopped the run, its error naming evaluate's --reference: a retry with the same --out was then
     * refused as a run to resume.
     */
    private void checkClassifierMetrics(GanDataset dataset) {
        if (evalEvery <= 0 || dataset.isPoints() || resolvedInfo != null) {
            return; // a given or recorded classifier had its shape checked (use)
        }
        List<String> requested = RunEvaluator.parseMetrics(evalMetrics, false);
        List<String> needing = requested == null ? List.of()
                : requested.stream().filter(org.gan4j.evaluation.MetricSuite.IMAGE_METRICS::contains).toList();
        if (needing.isEmpty()) {
            return;
        }
        ReferenceInfo info = infoOf(ReferenceClassifier.FASHION_MNIST);
        if (!java.util.Arrays.equals(info.imageShape(), dataset.exampleShape())) {
            throw new Gan4jException("--eval-metrics " + String.join(",", needing) + " need" + (needing.size() == 1
                    ? "s" : "") + " a reference classifier for images of shape "
                    + java.util.Arrays.toString(dataset.exampleShape()) + " (" + dataset.description() + "), and the"
                    + " shipped " + info.name() + " scores " + java.util.Arrays.toString(info.imageShape())
                    + ": give one with --eval-reference FILE.params (gan4j classifier train makes it from labelled"
                    + " images), or name only diversity,d, which need no classifier");
        }
    }

    /** The values only the reference classifier gives (one per image metric): a row that has one used a classifier. */
    private static final List<String> CLASSIFIER_VALUES = List.of("fd", "kid", "classifierScore", "precision",
            "density", "classesCovered", "memorisationRatio", "parzenLogLikelihood");

    /** The run.json key of the reference classifier of a run's evaluations. */
    static final String EVAL_REFERENCE_KEY = "evalReference";

    private void use(String reference, ReferenceInfo info, GanDataset dataset, String what) {
        if (!java.util.Arrays.equals(info.imageShape(), dataset.exampleShape())) {
            throw new Gan4jException(what + " (" + info.name() + ") scores images of shape "
                    + java.util.Arrays.toString(info.imageShape()) + ", this run's images have shape "
                    + java.util.Arrays.toString(dataset.exampleShape()) + " (" + dataset.description() + "): gan4j"
                    + " classifier train makes one of that shape from labelled images (docs/EVALUATION.md)");
        }
        resolvedReference = reference;
        resolvedInfo = info;
    }

    /** A weights file as an absolute path (a resume may run elsewhere); a shipped name as it is. */
    private static String absolute(String reference) {
        return reference.endsWith(".params") ? Path.of(reference).toAbsolutePath().normalize().toString() : reference;
    }

    private static String abbreviated(String sha256) {
        return sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
    }

    /** Loads a classifier's sidecar, its weights verified; errors name --eval-reference. */
    private ReferenceInfo infoOf(String reference) {
        try (ReferenceClassifier classifier = ReferenceClassifier.open(reference)) {
            return classifier.info();
        } catch (Gan4jException e) {
            throw new Gan4jException((evalReference != null ? "--eval-reference " + evalReference + ": " : "")
                    + e.getMessage(), e);
        }
    }

    /** Records this session's reference classifier in run.json, where a resume finds it. */
    private void recordReference(RunDirectory runDirectory) {
        if (resolvedReference == null) {
            return;
        }
        JsonNode info = RunInfo.read(runDirectory.runJson());
        if (!(info instanceof ObjectNode object)) {
            return;
        }
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("reference", resolvedReference);
        entry.put("name", resolvedInfo.name());
        entry.put("sha256", resolvedInfo.sha256());
        ArrayNode shape = entry.putArray("imageShape");
        for (long d : resolvedInfo.imageShape()) {
            shape.add(d);
        }
        if (entry.equals(object.get(EVAL_REFERENCE_KEY))) {
            return;
        }
        object.set(EVAL_REFERENCE_KEY, entry);
        RunInfo.rewrite(runDirectory.runJson(), object);
    }

    private int train(TrainingRun run) {
        recordReference(run.runDirectory());
        var console = spec.commandLine().getOut();
        Reports.printPlan(console, run);
        List<GanListener> listeners = new ArrayList<>(GanListener.Defaults.forRunDirectory());
        ProgressListener progress = new ProgressListener(!noProgress && System.console() != null, console);
        listeners.add(progress);
        AlarmListener alarms = new AlarmListener(FailureAlarms.forRun(run.config(), alarmSettings()))
                .showWarningsWith(progress::warning);
        listeners.add(alarms);
        if (evalEvery > 0) {
            listeners.add(new EvaluationListener(
                    evalEvery, RunEvaluator.parseMetrics(evalMetrics, run.dataset().isPoints()), evalSamples, bestBy,
                    alarms, evalBnBatches)
                    .optReference(resolvedReference != null ? resolvedReference : ReferenceClassifier.FASHION_MNIST)
                    .addObserver((step, metrics, classMix, newBest) ->
                            progress.evaluated(step, metrics, classMix, bestBy, newBest))
                    .showWarningsWith(warning -> progress.warning(EvaluationListener.class, warning)));
        }
        TrainingRun.Summary summary;
        try (StopOnSignal stop = StopOnSignal.install(run, progress::notice);
                ReportServer server = dashboard.start(run, console)) {
            summary = run.train(maxSteps == null ? 0 : maxSteps, listeners);
            if (server != null) {
                // an open page polls every 2 s: let it fetch the final state before the server goes away
                server.lingerForViewers(5_000);
            }
        }
        Reports.printSummary(console, run, summary, evaluationOptions());
        return summary.stopReason() != null ? 130 : 0;
    }

    /**
     * The evaluation and alarm options of this session, for the resume hint (the run does not record them), or
     * empty.
     */
    private String evaluationOptions() {
        String alarmOptions = alarmSettings().options();
        if (evalEvery <= 0) {
            return alarmOptions;
        }
        StringBuilder options = new StringBuilder(alarmOptions + " --eval-every " + evalEvery);
        if (evalMetrics != null) {
            options.append(" --eval-metrics ").append(evalMetrics);
        }
        options.append(" --eval-samples ").append(evalSamples);
        if (evalBnBatches > 0) {
            options.append(" --eval-bn-batches ").append(evalBnBatches);
        }
        if (bestBy != null) {
            options.append(" --best-by ").append(bestBy);
        }
        return options.toString();
    }
}
