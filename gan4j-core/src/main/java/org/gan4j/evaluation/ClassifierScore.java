package org.gan4j.evaluation;

import java.util.Arrays;

/**
 * Classifier score: the Inception Score of Salimans et al., "Improved Techniques for Training GANs" (NeurIPS
 * 2016), computed from any classifier's predicted class probabilities.
 *
 * <pre>
 *   score = exp( E_x KL( p(y|x) ‖ p(y) ) ),   p(y) = E_x p(y|x)
 * </pre>
 *
 * <p>As in the authors' code, the samples are cut into {@code splits} consecutive chunks (chunk {@code s} holds
 * rows {@code ⌊s N / splits⌋} to {@code ⌊(s+1) N / splits⌋ − 1}, no shuffling), the marginal {@code p(y)} and the
 * score are computed per chunk, and the result is the mean and the population standard deviation (denominator
 * {@code splits}) of the chunk scores. Terms with {@code p(y|x) = 0} contribute 0. The score lies in
 * {@code [1, C]} for {@code C} classes; higher is better (confident predictions spread over many classes). The
 * usual protocol is 50 000 samples in 10 splits.
 *
 * @param mean the mean score over the splits
 * @param standardDeviation the population standard deviation of the split scores
 * @param splitScores the score of each split, in order
 */
public record ClassifierScore(double mean, double standardDeviation, double[] splitScores) {

    /** Default number of splits, as in the authors' code. */
    public static final int DEFAULT_SPLITS = 10;

    /** How far a row of probabilities may sum from 1 (float softmax outputs are not exact). */
    private static final double SUM_TOLERANCE = 1e-3;

    /**
     * Copies the split scores so that the record is immutable.
     *
     * @param mean the mean score
     * @param standardDeviation the standard deviation
     * @param splitScores the per-split scores
     */
    public ClassifierScore {
        splitScores = splitScores.clone();
    }

    /**
     * Computes the score.
     *
     * @param classProbabilities one row per sample: non-negative class probabilities summing to 1 (within
     *     {@code 1e-3}; each row is renormalised to sum exactly to 1)
     * @param splits the number of chunks, from 1 to the number of samples
     * @return the mean and standard deviation of the split scores
     */
    public static ClassifierScore compute(double[][] classProbabilities, int splits) {
        int classes = Checks.matrix("classProbabilities", classProbabilities, 1);
        int n = classProbabilities.length;
        if (splits < 1 || splits > n) {
            throw new IllegalArgumentException("splits is " + splits + "; expected 1 to " + n + " (the samples)");
        }
        double[][] probabilities = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] row = classProbabilities[i];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                if (row[c] < 0) {
                    throw new IllegalArgumentException("classProbabilities[" + i + "][" + c + "] is " + row[c]
                            + "; expected a probability");
                }
                sum += row[c];
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException("classProbabilities row " + i + " sums to " + sum
                        + "; expected 1");
            }
            probabilities[i] = new double[classes];
            for (int c = 0; c < classes; c++) {
                probabilities[i][c] = row[c] / sum;
            }
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            int start = (int) ((long) s * n / splits);
            int end = (int) ((long) (s + 1) * n / splits);
            double[] marginal = new double[classes];
            for (int i = start; i < end; i++) {
                for (int c = 0; c < classes; c++) {
                    marginal[c] += probabilities[i][c];
                }
            }
            for (int c = 0; c < classes; c++) {
                marginal[c] /= end - start;
            }
            double klSum = 0;
            for (int i = start; i < end; i++) {
                for (int c = 0; c < classes; c++) {
                    double p = probabilities[i][c];
                    if (p > 0) {
                        klSum += p * Math.log(p / marginal[c]);
                    }
                }
            }
            scores[s] = Math.exp(klSum / (end - start));
        }
        double mean = Arrays.stream(scores).sum() / splits;
        double squares = 0;
        for (double score : scores) {
            squares += (score - mean) * (score - mean);
        }
        return new ClassifierScore(mean, Math.sqrt(squares / splits), scores);
    }

    /**
     * Returns the score of each split.
     *
     * @return a copy of the split scores
     */
    @Override
    public double[] splitScores() {
        return splitScores.clone();
    }

    /**
     * Compares all components, the split scores element by element.
     *
     * @param other the object to compare with
     * @return whether both hold the same numbers
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClassifierScore that
                && Double.compare(mean, that.mean) == 0
                && Double.compare(standardDeviation, that.standardDeviation) == 0
                && Arrays.equals(splitScores, that.splitScores);
    }

    /**
     * Hashes all components.
     *
     * @return a hash consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        return (Double.hashCode(mean) * 31 + Double.hashCode(standardDeviation)) * 31
                + Arrays.hashCode(splitScores);
    }

    /**
     * Describes the result.
     *
     * @return all components
     */
    @Override
    public String toString() {
        return "ClassifierScore[mean=" + mean + ", standardDeviation=" + standardDeviation + ", splitScores="
                + Arrays.toString(splitScores) + "]";
    }
}
