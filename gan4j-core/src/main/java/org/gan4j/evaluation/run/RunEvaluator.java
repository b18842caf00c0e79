package org.gan4j.evaluation.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.Gan4jException;
import org.gan4j.data.GanDataset;
import org.gan4j.data.MixtureDataset;
import org.gan4j.evaluation.ClassMix;
import org.gan4j.evaluation.DensityCoverage;
import org.gan4j.evaluation.DiscriminatorTest;
import org.gan4j.evaluation.FeatureStatistics;
import org.gan4j.evaluation.MetricSuite;
import org.gan4j.evaluation.PixelDiversity;
import org.gan4j.evaluation.PrecisionRecall;
import org.gan4j.evaluation.reference.RealFeatures;
import org.gan4j.evaluation.reference.ReferenceClassifier;
import org.gan4j.evaluation.reference.ReferenceInfo;
import org.gan4j.training.GanTrainer;
import org.gan4j.training.Noise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a generator (or a set of images from anywhere) against real data: the 2-D mixture metrics of VEEGAN and
 * PacGAN for ring/grid data, the Gaussian fit for the textbook Gaussian, and for images the feature metrics of
 * {@link MetricSuite} in the feature space of a {@link ReferenceClassifier}, plus the discriminator test (D's accuracy
 * and ROC AUC on held-out real versus fresh generated samples: with D fixed, how well it tells real from fake).
 *
 * <p>Real-data features are extracted once per evaluator (and cached on disk across evaluations, see
 * {@link RealFeatures#cached}); samples come from the generator's {@link Noise#SAMPLING} stream, so the same seed
 * gives the same numbers.
 */
public final class RunEvaluator implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(RunEvaluator.class);

    /** Metric name of the discriminator test. */
    public static final String DISCRIMINATOR = "d";

    /** Metric name of the classifier-free image diversity ({@link PixelDiversity}). */
    public static final String DIVERSITY = "diversity";

    /** Metric names for point data. */
    public static final List<String> POINT_METRICS = List.of("modes", "gaussian", DISCRIMINATOR);

    /**
     * Every value an evaluation can write, for points and images (which of them a given evaluation writes depends on
     * the data, the metrics asked for and the reference classifier). {@code --best-by} is checked against it before a
     * run starts; the CLI tests check that the evaluations they run write no other key.
     */
    public static final List<String> RESULT_KEYS = List.of(
            "modesCaptured", "modes", "highQualityFraction", "reverseKl", "meanMaxAbsError", "covarianceMaxAbsError",
            "fd", "kid", "kidStandardError", "classifierScore", "classifierScoreStd", "precision", "recall", "density",
            "coverage", "classesCovered", "classKl", "classEntropy", "memorisationRatio", "nearestTrainMedian",
            "parzenLogLikelihood", "parzenStandardError", "parzenSigma", "dAccuracy", "dRealAccuracy",
            "dFakeAccuracy", "dRocAuc", "pixelDiversity");

    /** Values an evaluation writes that cannot rank generators (see {@link #checkResultKey} for why). */
    private static final List<String> NOT_RANKING = List.of(
            "pixelDiversity", "density", "memorisationRatio", "nearestTrainMedian", "dRealAccuracy", "dFakeAccuracy",
            "kidStandardError", "classifierScoreStd", "parzenStandardError", "parzenSigma", "modes");

    /**
     * The {@code --best-by} metrics: {@link #RESULT_KEYS} without those that cannot rank generators, which the error
     * for an unknown name lists (before, it listed all of them, and a listed name could then be refused).
     */
    public static final List<String> RANKING_KEYS =
            RESULT_KEYS.stream().filter(key -> !NOT_RANKING.contains(key)).toList();

    /**
     * Checks a {@code --best-by} metric name against {@link #RESULT_KEYS}, and that it ranks generators: one whose
     * healthy value is about 1 (pixel diversity, density, the memorisation ratio) or that describes the measurement
     * (a standard error, the Parzen width, the mode count) cannot.
     *
     * @param metric the name
     * @throws Gan4jException naming the known metrics when it is none of them, or saying why it cannot rank
     */
    public static void checkResultKey(String metric) {
        if (!RESULT_KEYS.contains(metric)) {
            String meant = RANKING_KEYS.stream()
                    .filter(key -> key.equalsIgnoreCase(metric)
                            || key.equalsIgnoreCase(metric.replaceFirst("(?i)^fid$", "fd")))
                    .findFirst()
                    .map(key -> " (did you mean " + key + "?)")
                    .orElse("");
            throw new Gan4jException("--best-by " + metric + " is not a metric gan4j computes" + meant
                    + "; expected one of " + String.join(", ", RANKING_KEYS));
        }
        if (metric.equals("pixelDiversity")) {
            // neither direction ranks it: about 1 is healthy, collapse is far below, and untrained noise is above 1
            throw new Gan4jException("--best-by pixelDiversity cannot rank generators: about 1 is healthy (as varied as"
                    + " the real images), collapse scores far below and pure noise above 1; it is logged with every"
                    + " evaluation, and the mode-collapse alarm watches it");
        }
        // about 1 is healthy for these too, and "higher is better" kept the worst generators: density rises as samples
        // crowd the densest real regions (partial collapse), the memorisation ratio as samples stray from all real data
        if (metric.equals("density")) {
            throw new Gan4jException("--best-by density cannot rank generators: about 1 is healthy (samples spread like"
                    + " the real data), crowding the densest real regions scores above 1 and straying below; coverage"
                    + " ranks variety, precision fidelity");
        }
        if (metric.equals("memorisationRatio") || metric.equals("nearestTrainMedian")) {
            throw new Gan4jException("--best-by " + metric + " cannot rank generators: a memorisation ratio of about 1"
                    + " is healthy, far below 1 suggests copying and above 1 samples far from any real image; it is"
                    + " logged with every evaluation");
        }
        if (metric.equals("dRealAccuracy") || metric.equals("dFakeAccuracy")) {
            throw new Gan4jException("--best-by " + metric + " cannot rank generators: one side of D's accuracy alone"
                    + " moves with D's threshold as much as with G (a D that calls everything real scores 1 on real"
                    + " samples and 0 on generated ones); dRocAuc or dAccuracy rank by how close D is to chance");
        }
        if (List.of("kidStandardError", "classifierScoreStd", "parzenStandardError", "parzenSigma", "modes")
                .contains(metric)) {
            throw new Gan4jException("--best-by " + metric + " describes the measurement (a standard error, the Parzen"
                    + " width chosen, the number of modes of the data), not the generator");
        }
    }

    /**
     * Whether a metric ranks generators, that is whether {@link #checkResultKey} accepts it as a {@code --best-by}
     * metric: not pixel diversity, density or the memorisation ratio (about 1 is healthy for each), not one side of
     * D's accuracy, and not a value that describes the measurement.
     *
     * @param metric one of {@link #RESULT_KEYS}
     * @return whether {@code --best-by metric} is accepted
     */
    public static boolean ranksGenerators(String metric) {
        try {
            checkResultKey(metric);
            return true;
        } catch (Gan4jException e) {
            return false;
        }
    }

    /** The fewest generated samples an evaluation scores. */
    public static final int MIN_SAMPLES = 2;

    /**
     * The version of the metrics' definitions, raised whenever a change gives a metric other numbers for the same
     * inputs, so that {@code gan4j evaluate} never adds new numbers to a file of old ones. 2 (1 December 2026):
     * precision/recall and density/coverage on equal numbers of real and generated samples, the discriminator test on
     * a random draw of real samples and on D's logits.
     */
    public static final int METRICS_VERSION = 2;

    /** The fewest generated samples the image metrics need. */
    public static final int MIN_IMAGE_SAMPLES = 10;

    /** The most generated samples an evaluation scores. */
    public static final int MAX_SAMPLES = 1_000_000;

    /**
     * Checks a count of generated samples ({@code gan4j evaluate -n}).
     *
     * @param samples the count
     * @throws Gan4jException unless it is between {@link #MIN_SAMPLES} and {@link #MAX_SAMPLES}
     */
    public static void checkSamples(int samples) {
        if (samples < MIN_SAMPLES || samples > MAX_SAMPLES) {
            throw new Gan4jException(
                    "-n must be between " + MIN_SAMPLES + " and " + MAX_SAMPLES + ", got " + samples);
        }
    }

    /**
     * What an evaluation has to work with, for {@link #checkRequested}: known before any data are decoded, features
     * extracted or samples drawn.
     *
     * @param data the real data, as named in messages (a description or a path)
     * @param mixture whether the real data are a 2-D mixture with known modes (ring, grid)
     * @param heldOut whether held-out real data are available (a test split; for 2-D data a fresh draw, always)
     * @param packing how many samples the run's discriminator scores together, or 0 when there is no run (images
     *     from elsewhere: no generator, no discriminator)
     * @param samples the number of generated samples, or 0 when not known yet
     */
    public record Inputs(String data, boolean mixture, boolean heldOut, int packing, int samples) {}

    /**
     * Checks that every metric asked for by name can be computed from what the evaluation has. The default metric
     * set ({@code metrics} null) skips what does not apply; a metric named with {@code --metrics} that cannot be
     * computed would be skipped as well, leaving the user with a missing row, so it is an error instead.
     *
     * @param metrics names from {@link #parseMetrics}, or null for the defaults (nothing is checked)
     * @param inputs what the evaluation has
     * @throws Gan4jException one line naming the first metric that cannot be computed and what it needs
     */
    public static void checkRequested(List<String> metrics, Inputs inputs) {
        checkRequested(metrics, inputs, "--metrics");
    }

    /**
     * Checks requested metrics as {@link #checkRequested(List, Inputs)} does, naming the option they came from
     * ({@code gan4j train --eval-metrics}).
     *
     * @param metrics names from {@link #parseMetrics}, or null for the defaults (only the sample count of the
     *     discriminator test, which a run's default set holds, is checked)
     * @param inputs what the evaluation has
     * @param option the option that named the metrics, for the message
     * @throws Gan4jException one line naming the option, the first metric that cannot be computed and what it needs
     */
    public static void checkRequested(List<String> metrics, Inputs inputs, String option) {
        if (metrics == null) {
            // a run's default set holds the discriminator test: fewer samples than one group of a packed D failed
            // after sampling, blaming the real data ("needs at least 4 real samples …, ring … has 100000")
            int least = Math.max(MIN_SAMPLES, inputs.packing());
            if (inputs.packing() > 0 && inputs.samples() > 0 && inputs.samples() < least) {
                throw new Gan4jException("-n " + inputs.samples() + " is too few for the discriminator test (d, one of"
                        + " the default metrics): the discriminator scores groups of " + inputs.packing() + ", so it"
                        + " needs at least " + least + " generated samples (-n " + least + " or more, or --metrics"
                        + " without d)");
            }
            return;
        }
        for (String metric : metrics) {
            String problem =
                    switch (metric) {
                        case "modes" -> inputs.mixture() ? null
                                : "needs data with known modes (a ring or grid mixture); " + inputs.data() + " has none"
                                        + " (its metric is gaussian)";
                        case "gaussian" -> !inputs.mixture() ? null
                                : "needs the textbook Gaussian data (data.kind gaussian); " + inputs.data()
                                        + " is a mixture with known modes (its metric is modes)";
                        case "memorisation", "parzen" -> inputs.heldOut() ? null
                                : "needs held-out real images: --real-test PATH (default: the t10k-* file next to a"
                                        + " train-* file); there is none for " + inputs.data();
                        case DISCRIMINATOR -> {
                            if (inputs.packing() == 0) {
                                yield "needs a run (--run DIR): the discriminator test scores the run's"
                                        + " discriminator; images from elsewhere have none";
                            }
                            int least = Math.max(MIN_SAMPLES, inputs.packing());
                            yield inputs.samples() == 0 || inputs.samples() >= least ? null
                                    : "needs at least " + least + " generated samples (the discriminator scores groups of "
                                            + inputs.packing() + "), got -n " + inputs.samples();
                        }
                        default -> null;
                    };
            if (problem != null) {
                throw new Gan4jException(option + " " + metric + " " + problem);
            }
        }
    }

    /**
     * Checks that there are enough real images for each image metric: two for a covariance (FD), a KID subset and a
     * pair (pixel diversity), and k + 1 for the k-nearest-neighbour radii of precision/recall (k = 3) and
     * density/coverage (k = 5). Fewer would otherwise end in a stack trace once the samples are drawn.
     *
     * @param metrics the metrics to compute
     * @param realCount the number of real images
     * @param description the real data, for the message
     * @throws Gan4jException one line naming the first metric with too few real images
     */
    public static void checkRealCount(List<String> metrics, int realCount, String description) {
        for (String metric : metrics) {
            int least = switch (metric) {
                case "fd", "kid", DIVERSITY -> 2;
                case "pr" -> PrecisionRecall.DEFAULT_K + 1;
                case "dc" -> DensityCoverage.DEFAULT_K + 1;
                default -> 0;
            };
            if (realCount < least) {
                throw new Gan4jException("metric " + metric + " needs at least " + least + " real images, "
                        + description + " has " + realCount + " (more real images, or the metrics without "
                        + metric + ")");
            }
        }
    }

    /**
     * Checks that there are enough held-out real images for Parzen's log-likelihood: σ is chosen on one half of them
     * and the likelihood measured on the other, so at least two (with fewer the metric was left out without a word).
     *
     * @param metrics the metrics to compute
     * @param heldOutCount the number of held-out real images
     * @param description the held-out data, for the message
     * @throws Gan4jException one line when {@code parzen} is asked for with fewer than two
     */
    public static void checkHeldOutCount(List<String> metrics, int heldOutCount, String description) {
        for (String metric : List.of("parzen", DISCRIMINATOR)) {
            if (metrics.contains(metric) && heldOutCount < 2) {
                throw new Gan4jException("metric " + metric + " needs at least 2 held-out real images, " + description
                        + " has " + heldOutCount + " (more held-out images, or the metrics without " + metric + ")");
            }
        }
    }

    private static final int BATCH = 500;

    private final GanDataset real;
    private final GanDataset heldOut;
    private final List<String> metrics;
    private final int samples;
    private final long seed;
    private final int batchNormBatches;
    private final ReferenceClassifier classifier;
    private final RealFeatures realFeatures;
    private final double[][] testFeatures;

    private RunEvaluator(Builder builder) {
        this.real = builder.real;
        this.heldOut = builder.heldOut;
        this.samples = builder.samples;
        this.seed = builder.seed;
        this.batchNormBatches = builder.batchNormBatches;
        boolean points = real.isPoints();
        List<String> requested = builder.metrics;
        ReferenceClassifier fitting = null;
        if (requested == null) {
            requested = new ArrayList<>(points ? POINT_METRICS : MetricSuite.IMAGE_METRICS);
            if (!points) {
                requested.add(DIVERSITY);
                requested.add(DISCRIMINATOR);
            }
            // the defaults keep only what applies to these data, so metrics() (an evaluation's metricsRequested)
            // names what the result holds
            if (points) {
                requested.remove(real instanceof MixtureDataset ? "gaussian" : "modes");
            } else if (heldOut == null) {
                requested.removeAll(List.of("memorisation", "parzen"));
            }
            if (!points) {
                // images the reference classifier cannot score (a colour run against the shipped 1×28×28 one): the
                // defaults are the metrics that need no classifier, as in gan4j evaluate (named metrics stay an error)
                fitting = ReferenceClassifier.open(builder.reference);
                long[] scores = fitting.info().imageShape();
                if (!java.util.Arrays.equals(scores, real.exampleShape())) {
                    fitting.close();
                    fitting = null;
                    requested.removeAll(MetricSuite.IMAGE_METRICS);
                    LOGGER.info("these images have shape {}, the reference classifier {} scores {}: evaluations"
                                    + " measure only what needs no classifier ({})",
                            java.util.Arrays.toString(real.exampleShape()), builder.reference,
                            java.util.Arrays.toString(scores), String.join(", ", requested));
                }
            }
        }
        this.metrics = List.copyOf(requested);
        if (!points) {
            checkRealCount(metrics, real.size(), real.description());
            if (heldOut != null) {
                checkHeldOutCount(metrics, heldOut.size(), heldOut.description());
            }
        }
        // the discriminator test and the pixel diversity need no classifier features: images of any shape (a colour
        // folder) can have them
        if (points || metrics.stream().noneMatch(MetricSuite.IMAGE_METRICS::contains)) {
            if (fitting != null) {
                fitting.close();
            }
            classifier = null;
            realFeatures = null;
            testFeatures = null;
        } else {
            classifier = fitting != null ? fitting : ReferenceClassifier.open(builder.reference);
            try {
                int rows = Math.max(samples, builder.realRows);
                realFeatures =
                        builder.realFile == null
                                ? RealFeatures.extract(real, classifier, rows, 0)
                                : RealFeatures.cached(builder.realFile, real, classifier, rows, builder.cacheDirectory);
                // held-out features serve memorisation and Parzen only (the discriminator test reads the images)
                testFeatures =
                        heldOut == null || !(metrics.contains("memorisation") || metrics.contains("parzen"))
                                ? null
                                : (builder.heldOutFile == null
                                                ? RealFeatures.extract(heldOut, classifier, samples, 0)
                                                : RealFeatures.cached(
                                                        builder.heldOutFile, heldOut, classifier, samples,
                                                        builder.cacheDirectory))
                                        .sample();
            } catch (RuntimeException e) {
                classifier.close();
                throw e;
            }
        }
    }

    /**
     * Returns a new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a metric list for point or image data ({@code all} or empty = the defaults).
     *
     * @param text comma-separated names
     * @param points whether the data are 2-D points
     * @return the names, or null for the defaults
     */
    public static List<String> parseMetrics(String text, boolean points) {
        if (text == null || text.isBlank() || text.trim().equals("all")) {
            return null;
        }
        List<String> allowed = new ArrayList<>(points ? POINT_METRICS : MetricSuite.IMAGE_METRICS);
        if (!points) {
            allowed.add(DIVERSITY);
            allowed.add(DISCRIMINATOR);
        }
        List<String> result = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (name.isEmpty()) {
                continue; // "fd,,kid" or a trailing comma: nothing named there
            }
            if (!allowed.contains(name)) {
                throw new Gan4jException(
                        "unknown metric '" + part.trim() + "' for " + (points ? "2-D points" : "images")
                                + "; expected some of " + String.join(",", allowed) + " or all");
            }
            if (!result.contains(name)) {
                result.add(name);
            }
        }
        if (result.isEmpty()) {
            // only commas (and blanks): Java's split drops the empty names, and an evaluation of nothing is no answer
            throw new Gan4jException("metric list '" + text + "' names no metric; expected some of "
                    + String.join(",", allowed) + " or all");
        }
        return result;
    }

    /**
     * Returns the reference classifier's description, or null for point data and for the discriminator test alone.
     *
     * @return the reference
     */
    public ReferenceInfo reference() {
        return classifier == null ? null : classifier.info();
    }

    /**
     * Returns the metrics this evaluator computes.
     *
     * @return metric names
     */
    public List<String> metrics() {
        return metrics;
    }

    /**
     * Evaluates a generator: {@code samples} generated samples, and the discriminator test when requested.
     *
     * @param trainer holds G (and D)
     * @return flat name → value map
     */
    public Map<String, Double> evaluate(GanTrainer trainer) {
        return evaluateInDetail(trainer).metrics();
    }

    /**
     * Evaluates a generator as {@link #evaluate(GanTrainer)} does, and keeps the per-class mix of the {@code classes}
     * metric.
     *
     * @param trainer holds G (and D)
     * @return the metrics and the class mix
     */
    public Evaluation evaluateInDetail(GanTrainer trainer) {
        // precise batch norm for the measurement only: the trainer's statistics are put back afterwards
        Runnable restore = trainer.recalibrateBatchNorm(seed, batchNormBatches);
        try {
            float[] generated = trainer.generate(seed, samples);
            Evaluation evaluation = evaluateSamplesInDetail(generated, samples);
            Map<String, Double> out = new LinkedHashMap<>(evaluation.metrics());
            if (metrics.contains(DISCRIMINATOR)) {
                out.putAll(discriminatorTest(trainer));
            }
            return new Evaluation(out, evaluation.classMix());
        } finally {
            restore.run();
        }
    }

    /**
     * An evaluation's results: the flat metrics (the values of {@code metrics.jsonl} and of an evaluation file's
     * {@code metrics}), and the per-class mix behind the {@code classes} metric, which is not a flat number.
     *
     * @param metrics flat name → value map
     * @param classMix each class's share of the samples and of the real images, named by the reference classifier's
     *     sidecar; null unless the {@code classes} metric was computed
     */
    public record Evaluation(Map<String, Double> metrics, ClassMix classMix) {}

    /**
     * Evaluates samples from anywhere (the discriminator test needs a run and is skipped).
     *
     * @param values samples of the real data's shape, row-major, images in [-1, 1]
     * @param count number of samples
     * @return flat name → value map
     */
    public Map<String, Double> evaluateSamples(float[] values, int count) {
        return evaluateSamplesInDetail(values, count).metrics();
    }

    /**
     * Evaluates samples from anywhere as {@link #evaluateSamples} does, and keeps the per-class mix of the
     * {@code classes} metric.
     *
     * @param values samples of the real data's shape, row-major, images in [-1, 1]
     * @param count number of samples
     * @return the metrics and the class mix
     */
    public Evaluation evaluateSamplesInDetail(float[] values, int count) {
        int size = real.exampleSize();
        if (values.length != (long) count * size) {
            throw new IllegalArgumentException("expected " + count + " samples of " + size + " values");
        }
        checkFinite(values, size);
        Map<String, Double> out = new LinkedHashMap<>();
        if (real.isPoints()) {
            double[][] points = toRows(values, count, size);
            if (metrics.contains("modes") && real instanceof MixtureDataset mixture) {
                out.putAll(MetricSuite.mixture(points, mixture.centres(), mixture.std()));
            }
            if (metrics.contains("gaussian") && !(real instanceof MixtureDataset)) {
                out.putAll(MetricSuite.gaussian(points, FeatureStatistics.of(toRows(all(real), real.size(), size))));
            }
            return new Evaluation(out, null);
        }
        if (metrics.contains(DIVERSITY) && count >= 2 && real.size() >= 2) {
            PixelDiversity diversity = PixelDiversity.of(
                    (index, target, offset) -> System.arraycopy(values, index * size, target, offset, size), count,
                    real::copyExample, real.size(), size, seed);
            out.put("pixelDiversity", diversity.ratio());
        }
        if (classifier == null) {
            return new Evaluation(out, null);
        }
        ReferenceClassifier.Outputs outputs = classifier.run(values, count);
        MetricSuite.Features features =
                new MetricSuite.Features(
                        realFeatures.statistics(), realFeatures.sample(), testFeatures, outputs.features(),
                        outputs.probabilities(), outputs.predictedClasses(), realFeatures.classDistribution(),
                        realFeatures::nearestSquaredDistances);
        List<String> imageMetrics = metrics.stream().filter(MetricSuite.IMAGE_METRICS::contains).toList();
        out.putAll(MetricSuite.compute(features, imageMetrics, seed));
        ClassMix classMix = imageMetrics.contains("classes")
                ? MetricSuite.classMix(features, classifier.info().classNamesOrDefault()) : null;
        return new Evaluation(out, classMix);
    }

    /**
     * Refuses generated samples that hold NaN or infinite values: the generator's weights may still be finite while its
     * output overflows, and no metric means anything then.
     *
     * @param values generated samples, row-major
     * @param size values per sample
     * @throws Gan4jException one line naming the first such sample and what to do
     */
    public static void checkFinite(float[] values, int size) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new Gan4jException(String.format(java.util.Locale.ROOT,
                        "the generator's output is not finite (sample %d holds %s): it has diverged; evaluate or"
                                + " sample an earlier checkpoint (--checkpoint STEP), or resume from one with lower"
                                + " learning rates", i / size, values[i]));
            }
        }
    }

    /**
     * Copies {@code count} distinct examples chosen at random (seeded) from {@code source}, in the order drawn. Not the
     * first or last ones: an image folder is sorted by path, so with class subfolders those are one or two classes (and
     * the classifier score's consecutive splits would each hold one class).
     *
     * @param source the examples
     * @param count how many, at most {@code source.size()}
     * @param seed chooses them
     * @return the examples, row-major
     */
    public static float[] randomExamples(GanDataset source, int count, long seed) {
        int n = source.size();
        int size = source.exampleSize();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[count * size];
        // a partial Fisher–Yates shuffle: only the first count positions are needed
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            source.copyExample(order[i], values, i * size);
        }
        return values;
    }

    private Map<String, Double> discriminatorTest(GanTrainer trainer) {
        GanDataset realSource = heldOut != null ? heldOut : real;
        int packing = trainer.models().packing();
        int count = Math.min(samples, realSource.size());
        count -= count % packing;
        Map<String, Double> out = new LinkedHashMap<>();
        if (count < 2) {
            // asked for, it is never left out without a word
            throw new Gan4jException("metric d needs at least " + Math.max(2, packing) + " real samples (whole groups"
                    + " of " + packing + " for a packed D), " + realSource.description() + " has "
                    + realSource.size());
        }
        // held-out real data when available; otherwise the training data
        float[] realValues = randomExamples(realSource, count, seed + 1);
        float[] fake = trainer.generate(seed + 1, count);
        DiscriminatorTest test =
                DiscriminatorTest.fromLogits(
                        toDoubles(trainer.discriminatorLogitsAsTrained(realValues, count)),
                        toDoubles(trainer.discriminatorLogitsAsTrained(fake, count)));
        out.put("dAccuracy", test.accuracy());
        out.put("dRealAccuracy", test.realAccuracy());
        out.put("dFakeAccuracy", test.fakeAccuracy());
        out.put("dRocAuc", test.rocAuc());
        return out;
    }

    private static float[] all(GanDataset data) {
        float[] values = new float[data.size() * data.exampleSize()];
        for (int i = 0; i < data.size(); i++) {
            data.copyExample(i, values, i * data.exampleSize());
        }
        return values;
    }

    /**
     * The held-out real data of a 2-D run's discriminator test: a fresh draw of the same distribution (seed + 1), the
     * same in {@code gan4j evaluate} and in training's evaluations (the training points are what D was trained on).
     *
     * @param config the run's config, of 2-D point data
     * @return the fresh draw
     */
    public static GanDataset heldOutPoints(org.gan4j.config.RunConfig config) {
        return org.gan4j.data.Datasets.open(config.data(), config.seed() + 1).dataset();
    }

    /**
     * Splits row-major samples into rows of doubles.
     *
     * @param values {@code count} samples of {@code size} values, row-major
     * @param count number of samples
     * @param size values per sample
     * @return one row per sample
     */
    public static double[][] toRows(float[] values, int count, int size) {
        double[][] rows = new double[count][size];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < size; d++) {
                rows[i][d] = values[i * size + d];
            }
        }
        return rows;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Releases the reference classifier. */
    @Override
    public void close() {
        if (classifier != null) {
            classifier.close();
        }
    }

    /** Builds a {@link RunEvaluator}. */
    public static final class Builder {

        private GanDataset real;
        private Path realFile;
        private GanDataset heldOut;
        private Path heldOutFile;
        private List<String> metrics;
        private int samples = 2500;
        private int realRows = 5000;
        private long seed;
        private int batchNormBatches;
        private String reference = ReferenceClassifier.FASHION_MNIST;
        private Path cacheDirectory;

        private Builder() {}

        /**
         * Sets the real (training) data.
         *
         * @param real the dataset
         * @return this builder
         */
        public Builder setReal(GanDataset real) {
            this.real = real;
            return this;
        }

        /**
         * Sets the real data's file, so its features are cached under its identity.
         *
         * @param realFile the dataset file or folder, or null for no caching
         * @return this builder
         */
        public Builder optRealFile(Path realFile) {
            this.realFile = realFile;
            return this;
        }

        /**
         * Sets held-out real data (a test split), used by memorisation, Parzen and the discriminator test.
         *
         * @param heldOut the dataset, or null
         * @param file its file for caching, or null
         * @return this builder
         */
        public Builder optHeldOut(GanDataset heldOut, Path file) {
            this.heldOut = heldOut;
            this.heldOutFile = file;
            return this;
        }

        /**
         * Sets the metrics (default: all for the data type).
         *
         * @param metrics names, see {@link #parseMetrics}, or null for the defaults
         * @return this builder
         */
        public Builder optMetrics(List<String> metrics) {
            this.metrics = metrics;
            return this;
        }

        /**
         * Sets the number of generated samples (default 2500, PacGAN's count).
         *
         * @param samples at least 2
         * @return this builder
         */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /**
         * Sets how many real feature rows KID, precision/recall and coverage compare with (default 5000).
         *
         * @param realRows at least 2
         * @return this builder
         */
        public Builder optRealRows(int realRows) {
            this.realRows = realRows;
            return this;
        }

        /**
         * Sets the noise seed of the generated samples (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the reference classifier for images: a shipped name or a {@code .params} file.
         *
         * @param reference name or path
         * @return this builder
         */
        public Builder optReference(String reference) {
            this.reference = reference;
            return this;
        }

        /**
         * Sets how many batches of {@value GanTrainer#GENERATION_BATCH} re-estimate G's batch-norm statistics at its
         * current weights before each evaluation (default 0: the running averages from training). See
         * {@link GanTrainer#recalibrateBatchNorm}.
         *
         * @param batches 0 to 10000
         * @return this builder
         */
        public Builder optBatchNormBatches(int batches) {
            this.batchNormBatches = batches;
            return this;
        }

        /**
         * Sets the real-feature cache folder (default: none).
         *
         * @param cacheDirectory the folder, or null
         * @return this builder
         */
        public Builder optCacheDirectory(Path cacheDirectory) {
            this.cacheDirectory = cacheDirectory;
            return this;
        }

        /**
         * Validates and builds (loads the classifier and extracts real features for images).
         *
         * @return the evaluator
         */
        public RunEvaluator build() {
            if (real == null) {
                throw new IllegalArgumentException("setReal is required");
            }
            checkSamples(samples);
            GanTrainer.checkBatchNormBatches(batchNormBatches);
            if (realRows < 2) {
                throw new IllegalArgumentException("realRows must be at least 2");
            }
            if (!real.isPoints() && samples < MIN_IMAGE_SAMPLES) {
                throw new Gan4jException("image metrics need at least 10 samples, got -n " + samples);
            }
            return new RunEvaluator(this);
        }
    }
}
