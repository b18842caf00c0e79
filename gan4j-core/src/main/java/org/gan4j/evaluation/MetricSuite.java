package org.gan4j.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gan4j.Cancellation;

/**
 * Computes a chosen set of image metrics from features that were extracted once (real train features, optional real
 * test features, generated features and class probabilities) and returns them as an ordered map of named numbers,
 * ready to be written as JSON or printed as a table.
 *
 * <p>Metric names: {@code fd}, {@code kid}, {@code score}, {@code pr}, {@code dc}, {@code classes},
 * {@code memorisation}, {@code parzen}. Each produces one or more flat keys (for example {@code kid} gives
 * {@code kid} and {@code kidStandardError}); definitions are in {@code docs/metrics.md}.
 */
public final class MetricSuite {

    /** Every image metric, in report order. */
    public static final List<String> IMAGE_METRICS =
            List.of("fd", "kid", "score", "pr", "dc", "classes", "memorisation", "parzen");

    /** Candidate Parzen widths; the best on the validation half of the test features is used. */
    private static final double[] PARZEN_SIGMAS = {0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20};

    private MetricSuite() {}

    /**
     * Computes the requested metrics.
     *
     * @param features the extracted features
     * @param metrics names from {@link #IMAGE_METRICS}
     * @param seed seed of KID's subset sampling
     * @return flat name → value map in report order; metrics needing test features are skipped without them
     */
    public static Map<String, Double> compute(Features features, List<String> metrics, long seed) {
        Map<String, Double> out = new LinkedHashMap<>();
        double[][] real = features.realFeatures();
        double[][] fake = features.fakeFeatures();
        for (String metric : metrics) {
            Cancellation.check();
            switch (metric) {
                case "fd" -> out.put("fd", FrechetDistance.between(features.realStatistics(), FeatureStatistics.of(fake)));
                case "kid" -> {
                    KernelInceptionDistance kid =
                            KernelInceptionDistance.compute(
                                    real, fake, KernelInceptionDistance.DEFAULT_SUBSETS,
                                    Math.min(KernelInceptionDistance.DEFAULT_SUBSET_SIZE, Math.min(real.length, fake.length)),
                                    seed);
                    out.put("kid", kid.mean());
                    out.put("kidStandardError", kid.standardError());
                }
                case "score" -> {
                    if (features.fakeProbabilities() != null) {
                        int splits = Math.min(ClassifierScore.DEFAULT_SPLITS, features.fakeProbabilities().length);
                        ClassifierScore score = ClassifierScore.compute(features.fakeProbabilities(), splits);
                        out.put("classifierScore", score.mean());
                        out.put("classifierScoreStd", score.standardDeviation());
                    }
                }
                case "pr" -> {
                    PrecisionRecall pr =
                            PrecisionRecall.compute(firstRows(real, fake.length), firstRows(fake, real.length));
                    out.put("precision", pr.precision());
                    out.put("recall", pr.recall());
                }
                case "dc" -> {
                    DensityCoverage dc =
                            DensityCoverage.compute(firstRows(real, fake.length), firstRows(fake, real.length));
                    out.put("density", dc.density());
                    out.put("coverage", dc.coverage());
                }
                case "classes" -> {
                    if (features.fakeClasses() != null && features.realClassDistribution() != null) {
                        double[] distribution = features.realClassDistribution();
                        ClassHistogram histogram =
                                ClassHistogram.of(features.fakeClasses(), distribution.length, distribution);
                        out.put("classesCovered", (double) histogram.classesCovered());
                        out.put("classKl", histogram.klToReal());
                        out.put("classEntropy", histogram.entropy());
                    }
                }
                case "memorisation" -> {
                    if (features.testFeatures() != null) {
                        // the whole training set when the caller can search it (one search for both sets); else
                        // the real sample given
                        Memorisation m;
                        if (features.nearestTrain() != null) {
                            double[][] test = features.testFeatures();
                            double[][] queries = java.util.Arrays.copyOf(fake, fake.length + test.length);
                            System.arraycopy(test, 0, queries, fake.length, test.length);
                            double[] squared = features.nearestTrain().nearestSquaredDistances(queries);
                            m = Memorisation.of(java.util.Arrays.copyOf(squared, fake.length),
                                    java.util.Arrays.copyOfRange(squared, fake.length, squared.length));
                        } else {
                            m = Memorisation.distances(fake, real, features.testFeatures());
                        }
                        out.put("memorisationRatio", m.ratio());
                        out.put("nearestTrainMedian", m.generatedMedianDistance());
                    }
                }
                case "parzen" -> {
                    double[][] test = features.testFeatures();
                    if (test != null && test.length >= 2) {
                        int half = test.length / 2;
                        double[][] validation = java.util.Arrays.copyOfRange(test, 0, half);
                        double[][] evaluation = java.util.Arrays.copyOfRange(test, half, test.length);
                        ParzenWindow chosen = ParzenWindow.chooseSigma(validation, fake, PARZEN_SIGMAS);
                        ParzenWindow result = ParzenWindow.logLikelihood(evaluation, fake, chosen.sigma());
                        out.put("parzenLogLikelihood", result.meanLogLikelihood());
                        out.put("parzenStandardError", result.standardError());
                        out.put("parzenSigma", result.sigma());
                    }
                }
                default -> throw new IllegalArgumentException("unknown metric " + metric);
            }
        }
        return out;
    }

    /**
     * The per-class mix behind the {@code classes} metric's aggregates: each class's share of the generated samples
     * next to its real share.
     *
     * @param features the extracted features
     * @param names the class names, one per class of the real class distribution
     * @return the mix, or null when the features hold no predicted classes or no real class distribution (the
     *     {@code classes} metric is skipped then too)
     */
    public static ClassMix classMix(Features features, List<String> names) {
        if (features.fakeClasses() == null || features.realClassDistribution() == null) {
            return null;
        }
        double[] distribution = features.realClassDistribution();
        ClassHistogram histogram = ClassHistogram.of(features.fakeClasses(), distribution.length, distribution);
        return ClassMix.of(histogram.counts(), distribution, names);
    }

    /**
     * The first {@code count} rows (all of them when there are fewer). Precision/recall and density/coverage are
     * defined on equal numbers of real and generated samples (Kynkäänniemi et al. 2019, Naeem et al. 2020): the radii
     * of k-nearest-neighbour balls shrink as a set grows, so a real set larger than the generated one lowers precision
     * and coverage and raises recall (coverage of matching sets: 0.97 for equal sizes, 0.22 for 5000 real rows against
     * 250). The real rows are a random sample and the generated ones come from random noise, so the first rows are a
     * random subset of either.
     */
    private static double[][] firstRows(double[][] rows, int count) {
        return rows.length <= count ? rows : java.util.Arrays.copyOf(rows, count);
    }

    /**
     * Computes the VEEGAN/PacGAN mixture metrics (modes captured, high-quality fraction, reverse KL) of 2-D samples.
     *
     * @param samples generated points
     * @param centres the mixture's centres
     * @param std the mixture's component standard deviation
     * @return flat name → value map
     */
    public static Map<String, Double> mixture(double[][] samples, double[][] centres, double std) {
        MixtureModes modes = MixtureModes.evaluate(samples, centres, std);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("modesCaptured", (double) modes.modesCaptured());
        out.put("modes", (double) centres.length);
        out.put("highQualityFraction", modes.highQualityFraction());
        out.put("reverseKl", modes.reverseKl());
        return out;
    }

    /**
     * Computes mean/covariance errors and the Fréchet distance of points against the real data's moments.
     *
     * @param samples generated points
     * @param real the real data's statistics
     * @return flat name → value map
     */
    public static Map<String, Double> gaussian(double[][] samples, FeatureStatistics real) {
        GaussianFit fit = GaussianFit.of(samples, real.mean(), real.covariance());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("meanMaxAbsError", fit.meanMaxAbsError());
        out.put("covarianceMaxAbsError", fit.covarianceMaxAbsError());
        out.put("fd", fit.frechetDistance());
        return out;
    }

    /**
     * The inputs of {@link #compute}: features extracted once.
     *
     * @param realStatistics statistics of all real (train) features, for FD
     * @param realFeatures a random sample of real train features, in random order (KID; its first rows, as many as
     *     there are generated samples, for precision/recall and density/coverage)
     * @param testFeatures held-out real features, or null (memorisation and Parzen need them)
     * @param fakeFeatures generated features
     * @param fakeProbabilities class probabilities of the generated samples, or null
     * @param fakeClasses predicted classes of the generated samples, or null
     * @param realClassDistribution class frequencies of the real data, or null
     * @param nearestTrain nearest-neighbour search over every real (train) feature, for memorisation; null to search
     *     {@code realFeatures} only
     */
    public record Features(
            FeatureStatistics realStatistics,
            double[][] realFeatures,
            double[][] testFeatures,
            double[][] fakeFeatures,
            double[][] fakeProbabilities,
            int[] fakeClasses,
            double[] realClassDistribution,
            NearestTrain nearestTrain) {

        /**
         * The inputs without a whole-training-set search (memorisation then uses {@code realFeatures}).
         *
         * @param realStatistics statistics of all real (train) features, for FD
         * @param realFeatures a sample of real train features
         * @param testFeatures held-out real features, or null
         * @param fakeFeatures generated features
         * @param fakeProbabilities class probabilities of the generated samples, or null
         * @param fakeClasses predicted classes of the generated samples, or null
         * @param realClassDistribution class frequencies of the real data, or null
         */
        public Features(FeatureStatistics realStatistics, double[][] realFeatures, double[][] testFeatures,
                double[][] fakeFeatures, double[][] fakeProbabilities, int[] fakeClasses,
                double[] realClassDistribution) {
            this(realStatistics, realFeatures, testFeatures, fakeFeatures, fakeProbabilities, fakeClasses,
                    realClassDistribution, null);
        }
    }

    /** Finds, for each query row, the squared Euclidean distance to its nearest training feature. */
    @FunctionalInterface
    public interface NearestTrain {

        /**
         * Returns the squared distance from each query to its nearest training feature.
         *
         * @param queries one feature vector per row
         * @return one squared distance per query
         */
        double[] nearestSquaredDistances(double[][] queries);
    }
}
