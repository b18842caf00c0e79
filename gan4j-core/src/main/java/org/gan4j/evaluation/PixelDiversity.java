package org.gan4j.evaluation;

import java.util.Random;

/**
 * How different generated images are from one another, relative to real images: a mode-collapse measure that needs
 * no classifier, so it applies to images of any shape and colour (CIFAR-10, an emoji or photo folder), in the spirit of
 * the sample-diversity measure of Odena et al., "Conditional Image Synthesis with Auxiliary Classifier GANs" (ICML
 * 2017), with plain pixel distances instead of MS-SSIM.
 *
 * <p>Each side's <b>pair distance</b> is the mean, over disjoint random pairs (i, j) of its samples, of the
 * root-mean-square pixel difference {@code sqrt(mean_d (a_d − b_d)²)} (pixels in [−1, 1]); at most {@value #MAX_PAIRS}
 * pairs, chosen by the seed. The <b>ratio</b> generated / real is about 1 when G's samples vary as much as the real
 * images, far below 1 when they look alike (mode collapse: a collapsed generator gives nearly the same image for every
 * z), and may exceed 1 for noise.
 *
 * @param generated the generated samples' mean pair distance
 * @param real the real samples' mean pair distance
 * @param ratio {@code generated / real}; NaN when the real images are all identical
 */
public record PixelDiversity(double generated, double real, double ratio) {

    /** At most this many pairs are compared per side. */
    public static final int MAX_PAIRS = 1000;

    /** Copies example {@code index} into {@code target} at {@code offset}. */
    @FunctionalInterface
    public interface Examples {
        /**
         * Copies one example.
         *
         * @param index the example
         * @param target where to write its values
         * @param offset the first index written
         */
        void copy(int index, float[] target, int offset);
    }

    /**
     * Compares generated and real images.
     *
     * @param generated the generated samples
     * @param generatedCount how many there are, at least 2
     * @param real the real images
     * @param realCount how many there are, at least 2
     * @param size values per image
     * @param seed chooses the pairs
     * @return the two pair distances and their ratio
     */
    public static PixelDiversity of(
            Examples generated, int generatedCount, Examples real, int realCount, int size, long seed) {
        double fake = meanPairDistance(generated, generatedCount, size, seed);
        double truth = meanPairDistance(real, realCount, size, seed + 1);
        return new PixelDiversity(fake, truth, truth > 0 ? fake / truth : Double.NaN);
    }

    /**
     * Returns the mean RMS distance over disjoint random pairs of examples.
     *
     * @param examples the examples
     * @param count how many there are, at least 2
     * @param size values per example, at least 1
     * @param seed chooses the pairs
     * @return the mean pair distance
     */
    public static double meanPairDistance(Examples examples, int count, int size, long seed) {
        if (count < 2 || size < 1) {
            throw new IllegalArgumentException("need at least 2 examples of at least 1 value, got " + count + " of "
                    + size);
        }
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        int pairs = Math.min(MAX_PAIRS, count / 2);
        // a partial Fisher-Yates shuffle: only the first 2·pairs positions are needed
        for (int i = 0; i < 2 * pairs; i++) {
            int j = i + random.nextInt(count - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        float[] a = new float[size];
        float[] b = new float[size];
        double total = 0;
        for (int p = 0; p < pairs; p++) {
            examples.copy(order[2 * p], a, 0);
            examples.copy(order[2 * p + 1], b, 0);
            double sum = 0;
            for (int d = 0; d < size; d++) {
                double diff = (double) a[d] - b[d];
                sum += diff * diff;
            }
            total += Math.sqrt(sum / size);
        }
        return total / pairs;
    }
}
