package org.gan4j.evaluation;

import java.util.Arrays;

/**
 * How well a discriminator (or any real-versus-fake classifier) separates held-out real samples from generated
 * ones, given its outputs as probabilities of "real".
 *
 * <ul>
 *   <li>A sample is classified real iff its probability is strictly greater than 0.5 (an output of exactly 0.5
 *       counts as "fake"). {@code realAccuracy} and {@code fakeAccuracy} are the fractions of each set classified
 *       correctly; {@code accuracy} is the fraction over both sets together.
 *   <li>{@code rocAuc} is the area under the ROC curve, computed exactly as the Mann–Whitney statistic
 *       {@code AUC = (1/(N M)) Σ_i Σ_j (1[r_i > f_j] + ½ 1[r_i = f_j])}: the probability that a random real
 *       sample scores above a random fake one, ties counted one half. It depends only on the ordering of the
 *       scores, so logits work as well as probabilities.
 * </ul>
 *
 * <p>For a generator that fools the classifier both approach 0.5; 1.0 means perfect separation. (An AUC well
 * below 0.5 means the classifier ranks fakes as more real, which is also a detectable difference.)
 *
 * @param accuracy the fraction of all samples classified correctly at threshold 0.5
 * @param realAccuracy the fraction of real samples with probability above 0.5
 * @param fakeAccuracy the fraction of fake samples with probability at most 0.5
 * @param rocAuc the exact area under the ROC curve
 */
public record DiscriminatorTest(double accuracy, double realAccuracy, double fakeAccuracy, double rocAuc) {

    /** The decision threshold on the probability of "real". */
    public static final double THRESHOLD = 0.5;

    /**
     * Evaluates the classifier outputs.
     *
     * @param realScores probabilities of "real" for real samples, at least one, finite
     * @param fakeScores probabilities of "real" for generated samples, at least one, finite
     * @return accuracy and ROC AUC
     */
    public static DiscriminatorTest evaluate(double[] realScores, double[] fakeScores) {
        return evaluate(realScores, fakeScores, THRESHOLD);
    }

    /**
     * Evaluates the classifier's logits: a sample is classified real iff its logit is above 0 (its probability above
     * 0.5). Prefer this to probabilities: a float probability rounds to exactly 1 for every logit above about 17, so
     * the samples a confident D separates would tie and the ROC AUC would fall towards 0.5.
     *
     * @param realLogits logits of real samples, at least one, finite
     * @param fakeLogits logits of generated samples, at least one, finite
     * @return accuracy and ROC AUC
     */
    public static DiscriminatorTest fromLogits(double[] realLogits, double[] fakeLogits) {
        return evaluate(realLogits, fakeLogits, 0);
    }

    private static DiscriminatorTest evaluate(double[] realScores, double[] fakeScores, double threshold) {
        int n = Checks.vector("realScores", realScores);
        int m = Checks.vector("fakeScores", fakeScores);
        long realCorrect = Arrays.stream(realScores).filter(score -> score > threshold).count();
        long fakeCorrect = Arrays.stream(fakeScores).filter(score -> score <= threshold).count();
        double[] sortedFake = fakeScores.clone();
        Arrays.sort(sortedFake);
        // Twice the Mann–Whitney U, kept in integers: each fake below counts 2, each tie counts 1.
        long twiceU = 0;
        for (double score : realScores) {
            int below = lowerBound(sortedFake, score);
            int notAbove = upperBound(sortedFake, score);
            twiceU += 2L * below + (notAbove - below);
        }
        return new DiscriminatorTest((double) (realCorrect + fakeCorrect) / (n + m), (double) realCorrect / n,
                (double) fakeCorrect / m, twiceU / (2.0 * n * m));
    }

    /** First index whose value is not less than {@code key}. */
    private static int lowerBound(double[] sorted, double key) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** First index whose value is greater than {@code key}. */
    private static int upperBound(double[] sorted, double key) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
