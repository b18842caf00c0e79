package org.gan4j.training;

import java.util.SplittableRandom;

/**
 * Latent noise z ~ N(0, I) drawn on the Java side as a pure function of (seed, stream, index).
 *
 * <p>Because every batch of noise depends only on the run's seed and the step, a run resumed from a checkpoint
 * draws exactly the noise the uninterrupted run would have drawn: the "RNG state" of a checkpoint is its step.
 */
public final class Noise {

    /** Stream of the noise fed to D and G updates. */
    public static final long TRAINING = 1;

    /** Stream of the fixed noise behind sample grids. */
    public static final long FIXED = 2;

    /** Stream of the noise used by {@code gan4j sample} and evaluation. */
    public static final long SAMPLING = 3;

    /** Stream of the noise that re-estimates G's batch-norm statistics before evaluation or sampling. */
    public static final long CALIBRATION = 4;

    private Noise() {}

    /**
     * Draws {@code count} standard normal floats.
     *
     * @param seed the run's seed
     * @param stream what the noise is for (a constant of this class)
     * @param index which draw within the stream (for training: a function of the step)
     * @param count how many floats
     * @return the noise
     */
    public static float[] gaussian(long seed, long stream, long index, int count) {
        SplittableRandom random = new SplittableRandom(mix(mix(seed, stream), index));
        float[] z = new float[count];
        for (int i = 0; i < count; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return z;
    }

    /**
     * Mixes two longs into a well-distributed seed (SplitMix64 finaliser).
     *
     * @param a first value
     * @param b second value
     * @return the mixed value
     */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
