package org.gan4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gan4j.Gan4jException;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.Defaults;
import org.gan4j.evaluation.ClassMix;
import org.gan4j.evaluation.run.RunEvaluator;
import org.gan4j.io.IoFailures;
import org.gan4j.io.Json;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.io.RunDirectory;
import org.gan4j.io.RunInfo;
import org.gan4j.training.listener.EvaluationListener;

/**
 * Reads a run directory into the JSON model that the report page draws: summary, metric columns, warnings,
 * evaluation results, sample grids and scatter frames.
 *
 * <p>Only files written by training are read ({@code run.json, metrics.jsonl, samples/, plots/, eval/,
 * checkpoints/}), so a run that is still training can be read at any moment; a torn last metrics line is skipped.
 * Images are referred to through an {@link ImageLinker}: inline data URIs for a self-contained file, URLs for the
 * dashboard.
 */
public final class RunData {

    /** Most sample grids (or scatter frames) one run puts on a page; longer runs keep evenly spaced ones and the last. */
    public static final int MAX_FRAMES = 80;

    /** Most classes the "class mix over training" chart draws; with more, those furthest from their real share. */
    public static final int MAX_CLASSES_CHARTED = 10;

    /** Extra metrics fields whose text is shown as a warning on the time axis. */
    public static final List<String> WARNING_KEYS = List.of("warning", "alarm");

    private static final Pattern STEP_FILE = Pattern.compile("(?:scatter-)?step-(\\d+)\\.png");
    private static final Pattern DIGITS = Pattern.compile("(\\d+)");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Turns a file of the run directory into something an {@code <img src>} accepts. */
    @FunctionalInterface
    public interface ImageLinker {
        /**
         * Returns the {@code src} of an image.
         *
         * @param file the image file
         * @param relative its path relative to the run directory, with forward slashes
         * @return a data URI or a URL
         */
        String link(Path file, String relative);
    }

    private RunData() {}

    /**
     * Reads one run directory.
     *
     * @param runDirectory the run directory (must hold {@code run.json})
     * @param linker how images are referred to
     * @return the run's page model
     * @throws Gan4jException if the folder is not a run directory or a file in it cannot be read
     */
    public static ObjectNode read(Path runDirectory, ImageLinker linker) {
        RunDirectory run = RunDirectory.open(runDirectory);
        JsonNode info = readJson(run.runJson());
        List<MetricsRow> rows = Files.exists(run.metrics()) ? MetricsLog.read(run.metrics()) : List.of();

        ObjectNode node = NODES.objectNode();
        String name = info.path("config").path("name").asText(run.root().getFileName().toString());
        node.put("name", name);
        node.put("directory", run.root().toAbsolutePath().normalize().toString());
        List<MetricsRow> trainingRows = new ArrayList<>();
        List<MetricsRow> evaluationRows = new ArrayList<>();
        for (MetricsRow row : rows) {
            if (row.extras().containsKey("eval")) {
                evaluationRows.add(row);
            } else if (!row.values().isEmpty()) {
                // a warning-only row ({"step": N, "warning": …}) is listed under warnings, not as a point of the curves
                trainingRows.add(row);
            }
        }
        node.set("summary", summary(run, info, rows, trainingRows));
        node.set("metrics", metricColumns(trainingRows));
        node.set("warnings", warnings(rows));
        node.set("evaluation", evaluation(run.eval(), evaluationRows, run.root().resolve("checkpoints-best")));
        node.set("samples", frames(run.samples(), "samples/", linker));
        Path real = run.samples().resolve("real.png");
        node.put("real", Files.isRegularFile(real) ? linker.link(real, "samples/real.png") : null);
        node.set("scatter", frames(run.plots(), "plots/", linker));
        node.set("checkpoints", checkpointSteps(run.checkpoints()));
        return node;
    }

    /**
     * Returns true if the folder holds a {@code run.json}.
     *
     * @param folder any folder
     * @return whether it looks like a run directory
     */
    public static boolean isRunDirectory(Path folder) {
        return Files.isRegularFile(folder.resolve(RunDirectory.RUN_JSON));
    }

    private static ObjectNode summary(
            RunDirectory run, JsonNode info, List<MetricsRow> rows, List<MetricsRow> trainingRows) {
        ObjectNode summary = NODES.objectNode();
        summary.set("seed", info.path("seed"));
        summary.set("start", info.path("start"));
        summary.set("versions", info.path("versions"));
        summary.set("git", info.path("git"));
        summary.put("host", info.path("host").path("name").asText("") + " (" + info.path("host").path("cores").asInt()
                + " cores, " + info.path("host").path("os").asText("") + ")");
        summary.put("data", info.path("data").path("description").asText(info.path("data").path("kind").asText("")));
        summary.put("architecture", info.path("model").path("architecture").asText(""));
        JsonNode config = info.path("config");
        long targetSteps = config.path("training").path("steps").asLong(0);
        summary.put("targetSteps", targetSteps);
        long maxSteps = info.path(org.gan4j.training.TrainingRun.MAX_STEPS_KEY).asLong(0);
        if (maxSteps > 0 && maxSteps < targetSteps) {
            summary.put("maxSteps", maxSteps); // the latest session's --max-steps cap
        }
        // the step the run reached: its last row, or later its latest checkpoint (a Ctrl-C off the logging grid
        // checkpoints its stop step, after the last row; the stop run.json records is never beyond it, see below)
        long latestCheckpoint = latestCheckpointStep(run.checkpoints());
        long lastStep = Math.max(rows.isEmpty() ? 0 : rows.get(rows.size() - 1).step(), latestCheckpoint);
        summary.put("lastStep", lastStep);
        summary.set("configDiff", configDiff(config));

        double[] seconds = trainingRows.stream()
                .map(row -> row.values().get("secs"))
                .filter(value -> value != null && Double.isFinite(value) && value > 0)
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        if (seconds.length > 0) {
            int middle = seconds.length / 2;
            double median = seconds.length % 2 == 1 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2;
            summary.put("medianStepSeconds", median);
        }
        Instant start = parseInstant(info.path("start").asText(null));
        Instant end = lastModified(run.metrics());
        // the last training row's wallSecs (evaluation and warning rows after it carry none)
        MetricsRow timed = null;
        for (int i = trainingRows.size() - 1; i >= 0 && timed == null; i--) {
            Double wall = trainingRows.get(i).values().get("wallSecs");
            if (wall != null && Double.isFinite(wall) && wall > 0) {
                timed = trainingRows.get(i);
            }
        }
        // a session that stopped after its last row (Ctrl-C off the logging grid) recorded the time it reached
        JsonNode stopped = info.path(RunInfo.TRAINING_TIME_KEY);
        long stoppedStep = stopped.path("step").asLong(0);
        java.util.OptionalDouble stoppedSeconds = RunInfo.trainingTimeAt(info, stoppedStep);
        // a session's stop is checkpointed: a record beyond the latest checkpoint is of a continuation a resume from
        // an earlier checkpoint abandoned (its checkpoints removed or set aside)
        if (stoppedSeconds.isPresent() && stoppedSeconds.getAsDouble() > 0 && stoppedStep <= latestCheckpoint
                && (timed == null || stoppedStep > timed.step())) {
            summary.put("durationSeconds", stoppedSeconds.getAsDouble());
            summary.put("stepsPerSecond", stoppedStep / stoppedSeconds.getAsDouble());
        } else if (timed != null) {
            // the training sessions' own time: a pause between a stop and its resume, or a copied run's newer file
            // dates, do not count
            double trained = timed.values().get("wallSecs");
            summary.put("durationSeconds", trained);
            summary.put("stepsPerSecond", timed.step() / trained);
        } else if (start != null && end != null && end.isAfter(start)) {
            // runs written before metrics rows carried wallSecs: from the start to the last write
            double wall = Duration.between(start, end).toMillis() / 1000.0;
            summary.put("durationSeconds", wall);
            if (lastStep > 0) {
                summary.put("stepsPerSecond", lastStep / wall);
            }
        }
        if (end != null) {
            summary.put("lastWrite", end.toString());
        }
        return summary;
    }

    private static ObjectNode configDiff(JsonNode config) {
        ObjectNode diff = NODES.objectNode();
        if (!config.isObject()) {
            return diff;
        }
        Map<String, JsonNode> actual = new TreeMap<>();
        Map<String, JsonNode> defaults = new TreeMap<>();
        flatten("", config, actual);
        flatten("", ConfigLoader.toTree(Defaults.config()), defaults);
        for (Map.Entry<String, JsonNode> entry : actual.entrySet()) {
            JsonNode defaultValue = defaults.get(entry.getKey());
            // compared as JSON text: run.json reads 42 back as an int where the defaults tree holds a long
            if (defaultValue == null || !entry.getValue().toString().equals(defaultValue.toString())) {
                diff.set(entry.getKey(), entry.getValue());
            }
        }
        return diff;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> leaves) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), leaves);
            }
        } else {
            leaves.put(prefix, node);
        }
    }

    private static ObjectNode metricColumns(List<MetricsRow> rows) {
        Set<String> keys = new LinkedHashSet<>();
        for (MetricsRow row : rows) {
            keys.addAll(row.values().keySet());
        }
        ObjectNode columns = NODES.objectNode();
        ArrayNode steps = columns.putArray("step");
        Map<String, ArrayNode> arrays = new LinkedHashMap<>();
        for (String key : keys) {
            arrays.put(key, columns.putArray(key));
        }
        for (MetricsRow row : rows) {
            steps.add(row.step());
            for (Map.Entry<String, ArrayNode> column : arrays.entrySet()) {
                Double value = row.values().get(column.getKey());
                if (value == null || !Double.isFinite(value)) {
                    column.getValue().addNull();
                } else {
                    column.getValue().add(value);
                }
            }
        }
        return columns;
    }

    private static ArrayNode warnings(List<MetricsRow> rows) {
        ArrayNode warnings = NODES.arrayNode();
        for (MetricsRow row : rows) {
            for (String key : WARNING_KEYS) {
                JsonNode text = row.extras().get(key);
                if (text != null && !text.isNull()) {
                    ObjectNode warning = warnings.addObject();
                    warning.put("step", row.step());
                    warning.put("kind", key);
                    warning.put("text", text.isTextual() ? text.asText() : text.toString());
                }
            }
            if (row.extras().containsKey("eval")) {
                // an evaluation's NaN is a metric without a value there (reverse KL with no mode captured, KID's
                // standard error from one subset), not a failure of training
                continue;
            }
            for (Map.Entry<String, Double> value : row.values().entrySet()) {
                if (!Double.isFinite(value.getValue())) {
                    ObjectNode warning = warnings.addObject();
                    warning.put("step", row.step());
                    warning.put("kind", "warning");
                    warning.put("text", value.getKey() + " is " + value.getValue());
                }
            }
        }
        return warnings;
    }

    /**
     * Collects evaluation results: the {@code eval} rows that {@code --eval-every} appends to metrics.jsonl, and every
     * {@code eval/*.json} file holding an object (or an array of objects) with a step ({@code "step"} field, else the
     * digits of the file name) and numeric metrics (top level, or inside {@code "metrics"}). The best checkpoint is
     * the one training kept in {@code checkpoints-best/} when there is one, else the best value of the primary metric.
     */
    private static ObjectNode evaluation(Path folder, List<MetricsRow> evaluationRows, Path bestFolder) {
        TreeMap<Long, Map<String, Double>> byStep = new TreeMap<>();
        // the per-class mix of an evaluation (an extra of its row, a "classMix" beside an eval file's "metrics"): it
        // names the classes in the verdict and has a chart of its own, not a series of the metrics chart
        TreeMap<Long, ClassMix> classMixes = new TreeMap<>();
        // the mix measured with the class KL a step shows, for the verdict: a later file's class KL without a mix of
        // its own (written before evaluations kept the mix) leaves the step none, so the verdict does not name classes
        // of another evaluation than the one its KL comes from
        TreeMap<Long, ClassMix> mixOfClassKl = new TreeMap<>();
        for (MetricsRow row : evaluationRows) {
            byStep.computeIfAbsent(row.step(), key -> new LinkedHashMap<>()).putAll(row.values());
            ClassMix mix = ClassMix.fromJson(row.extras().get(ClassMix.KEY));
            if (mix != null) {
                classMixes.put(row.step(), mix);
            }
            if (mix != null || row.values().containsKey("classKl")) {
                keepOrDrop(mixOfClassKl, row.step(), mix);
            }
        }
        // newest written last, so it wins a step and metric that several files hold: in name order the first file,
        // eval-step-N.json, came after its -2, -3 (a '-' sorts before '.'), and the oldest evaluation was shown
        List<Path> files = new ArrayList<>(list(folder, ".json"));
        files.sort(java.util.Comparator.comparing(RunData::lastModified,
                java.util.Comparator.nullsFirst(java.util.Comparator.<Instant>naturalOrder()))
                .thenComparing(java.util.Comparator.naturalOrder()));
        for (Path file : files) {
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(file.toFile());
            } catch (IOException e) {
                continue; // an evaluation being written right now, or not one of ours
            }
            List<JsonNode> entries = new ArrayList<>();
            if (root.isArray()) {
                root.forEach(entries::add);
            } else {
                entries.add(root);
            }
            for (JsonNode entry : entries) {
                long step = entry.path("step").asLong(-1);
                if (step < 0) {
                    Matcher digits = DIGITS.matcher(file.getFileName().toString());
                    step = digits.find() ? step(digits.group(1)) : -1;
                }
                if (step < 0) {
                    continue;
                }
                Map<String, Double> values = byStep.computeIfAbsent(step, key -> new LinkedHashMap<>());
                JsonNode metrics = entry.has("metrics") ? entry.get("metrics") : entry;
                collectNumbers("", metrics, values, 0);
                ClassMix mix = entry.has("metrics") ? ClassMix.fromJson(entry.get(ClassMix.KEY)) : null;
                if (mix != null) {
                    classMixes.put(step, mix);
                }
                if (mix != null || metrics.has("classKl")) {
                    keepOrDrop(mixOfClassKl, step, mix);
                }
            }
        }
        ObjectNode evaluation = NODES.objectNode();
        if (!classMixes.isEmpty()) {
            evaluation.set("classMix", classMixChart(classMixes));
        }
        ArrayNode steps = evaluation.putArray("step");
        ObjectNode series = evaluation.putObject("series");
        Set<String> names = new LinkedHashSet<>();
        byStep.values().forEach(values -> names.addAll(values.keySet()));
        for (String name : names) {
            series.putArray(name);
        }
        for (Map.Entry<Long, Map<String, Double>> entry : byStep.entrySet()) {
            steps.add(entry.getKey());
            for (String name : names) {
                Double value = entry.getValue().get(name);
                if (value == null || !Double.isFinite(value)) {
                    ((ArrayNode) series.get(name)).addNull();
                } else {
                    ((ArrayNode) series.get(name)).add(value);
                }
            }
        }
        if (!names.isEmpty()) {
            String primary = primaryMetric(names);
            String better = primary == null ? null : better(primary);
            long bestStep = -1;
            double bestValue = Double.NaN;
            // no metric that ranks generators (say, pixel diversity alone): no best, unless training kept one
            for (Map.Entry<Long, Map<String, Double>> entry : primary == null ? Set.<Map.Entry<Long,
                    Map<String, Double>>>of() : byStep.entrySet()) {
                Double value = entry.getValue().get(primary);
                if (value != null && Double.isFinite(value) && (RunEvaluator.RESULT_KEYS.contains(primary)
                        ? EvaluationListener.isBetter(primary, value, bestValue)
                        : Double.isNaN(bestValue) || (LOWER.equals(better) ? value < bestValue : value > bestValue))) {
                    bestValue = value;
                    bestStep = entry.getKey();
                }
            }
            JsonNode kept = keptBest(bestFolder);
            if (kept != null && kept.hasNonNull("bestMetric") && kept.path("bestValue").isNumber()) {
                primary = kept.get("bestMetric").asText();
                better = better(primary);
                bestStep = kept.path("step").asLong(-1);
                bestValue = kept.get("bestValue").asDouble();
            }
            if (bestStep >= 0) {
                ObjectNode best = evaluation.putObject("best");
                best.put("metric", primary);
                best.put("step", bestStep);
                best.put("value", bestValue);
                // which values are better: "lower", "higher", or "closer" to "target" (D's accuracy and ROC AUC)
                best.put("better", better);
                if (CLOSER.equals(better)) {
                    best.put("target", 0.5);
                }
            }
            // the plain-language reading of the latest evaluation, as gan4j evaluate prints it
            Map.Entry<Long, Map<String, Double>> latest = byStep.lastEntry();
            ClassMix latestMix = mixOfClassKl.get(latest.getKey());
            List<String> lines = org.gan4j.evaluation.Verdict.of(latest.getValue(), latestMix);
            if (!lines.isEmpty()) {
                ObjectNode verdict = evaluation.putObject("verdict");
                verdict.put("step", latest.getKey());
                ArrayNode sentences = verdict.putArray("lines");
                lines.forEach(sentences::add);
                if (latestMix != null) {
                    // the line gan4j evaluate prints: the classes furthest from their real share
                    verdict.put("classMix", latestMix.summary());
                }
            }
        }
        return evaluation;
    }

    /** The step's mix becomes {@code mix}, or it has none when {@code mix} is null. */
    private static void keepOrDrop(Map<Long, ClassMix> mixes, long step, ClassMix mix) {
        if (mix == null) {
            mixes.remove(step);
        } else {
            mixes.put(step, mix);
        }
    }

    /**
     * The data of the "class mix over training" chart: for each class drawn its name, its real share and its share of
     * the samples at each evaluation step. Every class is drawn up to {@value #MAX_CLASSES_CHARTED}; with more, the
     * {@value #MAX_CLASSES_CHARTED} that stray furthest from their real share at any evaluation (a class that vanished
     * and came back is among them), and the chart says how many it leaves out and how close they stay. The classes
     * are the latest evaluation's; an evaluation with other classes (another reference classifier) is left out.
     *
     * <pre>{"step": [50, 100], "classes": 10, "drawn": [{"label": 0, "name": "T-shirt/top", "real": 0.1,
     *  "samples": [0.02, 0.11]}, …], "omitted": 0}</pre>
     * (with {@code "omittedWithin"}, the largest distance of a class left out, as a share, when some are)
     *
     * @param mixes the evaluations' class mixes by step (at least one)
     * @return the chart's data; shares are fractions, not percentages
     */
    static ObjectNode classMixChart(TreeMap<Long, ClassMix> mixes) {
        ClassMix latest = mixes.lastEntry().getValue();
        List<Map.Entry<Long, ClassMix>> kept = mixes.entrySet().stream()
                .filter(entry -> entry.getValue().names().equals(latest.names()))
                .toList();
        int classes = latest.classes();
        double[] real = latest.realShares();
        double[] furthest = new double[classes];
        for (Map.Entry<Long, ClassMix> entry : kept) {
            double[] shares = entry.getValue().sampleShares();
            for (int k = 0; k < classes; k++) {
                furthest[k] = Math.max(furthest[k], Math.abs(shares[k] - real[k]));
            }
        }
        List<Integer> drawn = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            drawn.add(k);
        }
        double omittedWithin = 0;
        if (classes > MAX_CLASSES_CHARTED) {
            drawn.sort(java.util.Comparator.comparingDouble((Integer k) -> -furthest[k]).thenComparing(k -> k));
            for (int k : drawn.subList(MAX_CLASSES_CHARTED, classes)) {
                omittedWithin = Math.max(omittedWithin, furthest[k]);
            }
            drawn = new ArrayList<>(drawn.subList(0, MAX_CLASSES_CHARTED));
            drawn.sort(null); // label order, as the legend lists them
        }
        ObjectNode chart = NODES.objectNode();
        ArrayNode steps = chart.putArray("step");
        kept.forEach(entry -> steps.add(entry.getKey()));
        chart.put("classes", classes);
        ArrayNode series = chart.putArray("drawn");
        for (int k : drawn) {
            ObjectNode line = series.addObject();
            line.put("label", k);
            line.put("name", latest.names().get(k));
            line.put("real", real[k]);
            ArrayNode shares = line.putArray("samples");
            for (Map.Entry<Long, ClassMix> entry : kept) {
                shares.add(entry.getValue().sampleShares()[k]);
            }
        }
        chart.put("omitted", classes - drawn.size());
        if (classes > drawn.size()) {
            chart.put("omittedWithin", omittedWithin);
        }
        return chart;
    }

    /** The state.json of the checkpoint training kept as the best one, or null. */
    private static JsonNode keptBest(Path bestFolder) {
        if (!Files.isDirectory(bestFolder)) {
            return null;
        }
        List<Path> dirs;
        try (Stream<Path> entries = Files.list(bestFolder)) {
            dirs = entries.filter(Files::isDirectory).filter(d -> d.getFileName().toString().startsWith("step-"))
                    .toList();
        } catch (IOException e) {
            return null;
        }
        JsonNode newest = null;
        for (Path dir : dirs) {
            Path state = dir.resolve("state.json");
            if (Files.isRegularFile(state)) {
                try {
                    JsonNode node = Json.MAPPER.readTree(state.toFile());
                    if (newest == null || node.path("step").asLong() > newest.path("step").asLong()) {
                        newest = node;
                    }
                } catch (IOException e) {
                    // being replaced right now: fall back to the metric's best value
                }
            }
        }
        return newest;
    }

    private static void collectNumbers(String prefix, JsonNode node, Map<String, Double> values, int depth) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getKey().equals("step") && prefix.isEmpty()) {
                continue;
            }
            if (field.getValue().isNumber()) {
                values.put(key, field.getValue().asDouble());
            } else if (field.getValue().isObject() && depth < 2) {
                collectNumbers(key, field.getValue(), values, depth + 1);
            }
        }
    }

    /**
     * Picks the metric that decides the best checkpoint: gan4j's {@code fd} or {@code kid} when present (or a FID,
     * KID or Fréchet value by name, from other tools), else the first one that ranks generators: of gan4j's own keys
     * only those {@code --best-by} accepts ({@link RunEvaluator#ranksGenerators}), so a colour run's evaluation
     * (pixel diversity, then the discriminator test) is ranked by {@code dAccuracy}, not by pixel diversity, where
     * "higher is better" would pick pure noise.
     *
     * @param names the metric names in file order
     * @return the deciding metric, or null when none ranks generators
     */
    static String primaryMetric(Set<String> names) {
        for (String exact : new String[] {"fd", "kid"}) {
            if (names.contains(exact)) {
                return exact;
            }
        }
        for (String preferred : new String[] {"fid", "kid", "frechet"}) {
            for (String name : names) {
                if (name.toLowerCase(Locale.ROOT).contains(preferred)) {
                    return name;
                }
            }
        }
        for (String name : names) {
            if (!RunEvaluator.RESULT_KEYS.contains(name) || RunEvaluator.ranksGenerators(name)) {
                return name;
            }
        }
        return null;
    }

    /** {@link #better}: smaller values are better. */
    static final String LOWER = "lower";
    /** {@link #better}: larger values are better. */
    static final String HIGHER = "higher";
    /** {@link #better}: values closer to the target 0.5 are better (D's accuracy and ROC AUC). */
    static final String CLOSER = "closer";

    /**
     * Says which values of a metric are better, for gan4j's own keys as {@code --best-by} ranks them
     * ({@link EvaluationListener#isBetter}: lower for fd, kid, the KL divergences and the Gaussian-fit errors, closer
     * to 0.5 for the discriminator test's accuracy and ROC AUC, higher for the rest), for other names from the name
     * (lower for distances, losses and errors).
     *
     * @param name the metric name
     * @return {@value #LOWER}, {@value #HIGHER} or {@value #CLOSER}
     */
    static String better(String name) {
        if (RunEvaluator.RESULT_KEYS.contains(name)) {
            return EvaluationListener.isCloserToHalfBetter(name) ? CLOSER
                    : EvaluationListener.isLowerBetter(name) ? LOWER : HIGHER;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return Stream.of("fid", "kid", "frechet", "distance", "loss", "error", "nll").anyMatch(lower::contains)
                ? LOWER : HIGHER;
    }

    private static ArrayNode frames(Path folder, String relativePrefix, ImageLinker linker) {
        TreeMap<Long, Path> byStep = new TreeMap<>();
        for (Path file : list(folder, ".png")) {
            Matcher matcher = STEP_FILE.matcher(file.getFileName().toString());
            if (matcher.matches() && step(matcher.group(1)) >= 0) {
                byStep.put(step(matcher.group(1)), file);
            }
        }
        List<Map.Entry<Long, Path>> kept = thin(new ArrayList<>(byStep.entrySet()), MAX_FRAMES);
        ArrayNode frames = NODES.arrayNode();
        for (Map.Entry<Long, Path> entry : kept) {
            ObjectNode frame = frames.addObject();
            frame.put("step", entry.getKey());
            frame.put("src", linker.link(entry.getValue(), relativePrefix + entry.getValue().getFileName()));
        }
        return frames;
    }

    /**
     * Keeps at most {@code max} evenly spaced items, always the first and the last.
     *
     * @param items the items in order
     * @param max the most to keep (at least 2)
     * @param <T> the item type
     * @return the kept items in order
     */
    static <T> List<T> thin(List<T> items, int max) {
        if (items.size() <= max) {
            return items;
        }
        List<T> kept = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            kept.add(items.get((int) Math.round(i * (items.size() - 1) / (double) (max - 1))));
        }
        return kept;
    }

    /**
     * The step a file or folder name's digits give, or -1 when they are more than a step can be: a name such as
     * {@code step-99999999999999999999} (not one gan4j wrote) is left out instead of ending the report with a
     * NumberFormatException.
     */
    private static long step(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long latestCheckpointStep(Path folder) {
        ArrayNode steps = checkpointSteps(folder);
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).asLong();
    }

    private static ArrayNode checkpointSteps(Path folder) {
        ArrayNode steps = NODES.arrayNode();
        if (!Files.isDirectory(folder)) {
            return steps;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("step-\\d+"))
                    .map(name -> step(name.substring(5)))
                    .filter(step -> step >= 0)
                    .sorted()
                    .forEach(steps::add);
        } catch (IOException e) {
            return steps;
        }
        return steps;
    }

    private static List<Path> list(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            Path[] files = entries.filter(path -> path.getFileName().toString().endsWith(suffix))
                    .filter(Files::isRegularFile)
                    .toArray(Path[]::new);
            Arrays.sort(files);
            return List.of(files);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot list " + folder, e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Gan4jException(file + " is not valid JSON (" + Json.problem(e) + "); expected a run.json written by"
                    + " gan4j train", e);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot read " + file, e);
        }
    }

    private static Instant parseInstant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file).toInstant() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
