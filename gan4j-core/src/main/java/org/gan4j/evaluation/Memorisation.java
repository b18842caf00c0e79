package org.gan4j.evaluation;

import java.util.Arrays;

/**
 * Nearest-neighbour check for training-set memorisation: are generated samples closer to the training data than
 * unseen real data is?
 *
 * <p>For each generated sample and each held-out test sample, the Euclidean distance to its nearest training
 * sample is computed. A generator that copies training examples produces distances near 0, well below those of
 * genuine new samples from the same distribution (the test set). The summary is
 *
 * <pre>
 *   ratio = median_g d(g, train) / median_t d(t, train)
 * </pre>
 *
 * <p>The median is used because a few far-off samples would dominate a mean. A ratio around 1 (or above, for an
 * imperfect generator) is healthy; a ratio ≪ 1 suggests the generator reproduces training examples, and the
 * generated samples with the smallest distances are the ones to inspect. The ratio is NaN when both medians are 0
 * and infinite when only the test median is. This is a screening heuristic in the spirit of the nearest-neighbour
 * figures of GAN papers and of Meehan et al., "A Non-Parametric Test to Detect Data-Copying in Generative Models"
 * (AISTATS 2020), not that paper's statistical test. Time {@code O((G + T) N d)}, memory {@code O(G + T)}.
 *
 * @param generatedMeanDistance mean nearest-train distance of the generated samples
 * @param generatedMedianDistance median nearest-train distance of the generated samples
 * @param testMeanDistance mean nearest-train distance of the test samples
 * @param testMedianDistance median nearest-train distance of the test samples
 * @param ratio {@code generatedMedianDistance / testMedianDistance}
 */
public record Memorisation(double generatedMeanDistance, double generatedMedianDistance, double testMeanDistance,
        double testMedianDistance, double ratio) {

    /**
     * Computes nearest-train distances of generated and test samples.
     *
     * @param generated generated features, one sample per row, at least one
     * @param train training features, same dimension, at least one
     * @param test held-out real features never used for training, same dimension, at least one
     * @return the distance summaries and their ratio
     */
    public static Memorisation distances(double[][] generated, double[][] train, double[][] test) {
        int dimension = Checks.matrix("train", train, 1);
        Checks.sameDimension("train", dimension, "generated", Checks.matrix("generated", generated, 1));
        Checks.sameDimension("train", dimension, "test", Checks.matrix("test", test, 1));
        return of(NearestNeighbours.nearestSquaredDistances(generated, train),
                NearestNeighbours.nearestSquaredDistances(test, train));
    }

    /**
     * Summarises nearest-train squared distances found elsewhere (the whole training set, searched with libtorch's
     * matrix product: {@code RealFeatures#nearestSquaredDistances}).
     *
     * @param generatedSquared squared nearest-train distance of each generated sample, at least one
     * @param testSquared squared nearest-train distance of each held-out test sample, at least one
     * @return the distance summaries and their ratio
     */
    public static Memorisation of(double[] generatedSquared, double[] testSquared) {
        if (generatedSquared.length == 0 || testSquared.length == 0) {
            throw new IllegalArgumentException("need at least one generated and one test distance");
        }
        double[] generatedDistances = sqrt(generatedSquared);
        double[] testDistances = sqrt(testSquared);
        double generatedMedian = median(generatedDistances);
        double testMedian = median(testDistances);
        return new Memorisation(mean(generatedDistances), generatedMedian, mean(testDistances), testMedian,
                generatedMedian / testMedian);
    }

    private static double[] sqrt(double[] squared) {
        double[] result = new double[squared.length];
        for (int i = 0; i < squared.length; i++) {
            result[i] = Math.sqrt(squared[i]);
        }
        return result;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).sum() / values.length;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }
}
