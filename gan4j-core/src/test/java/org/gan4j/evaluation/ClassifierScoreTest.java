package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassifierScoreTest {

    private static final double[][] DISTINCT_ONE_HOT = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};

    @Test
    void confidentAndDiversePredictionsScoreTheClassCount() {
        ClassifierScore score = ClassifierScore.compute(DISTINCT_ONE_HOT, 1);
        assertThat(score.mean()).isCloseTo(4.0, within(1e-12));
        assertThat(score.standardDeviation()).isZero();
    }

    @Test
    void splitsAreConsecutiveChunks() {
        // Each half holds two distinct one-hots: p(y) = (½, ½, 0, 0), KL = log 2 per sample, score 2.
        ClassifierScore score = ClassifierScore.compute(DISTINCT_ONE_HOT, 2);
        assertThat(score.splitScores()).containsExactly(new double[] {2, 2}, within(1e-12));
        assertThat(score.mean()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void identicalPredictionsScoreOneAndStdIsPopulationStd() {
        double[][] rows = {{1, 0}, {0, 1}, {0.3, 0.7}, {0.3, 0.7}};
        ClassifierScore score = ClassifierScore.compute(rows, 2);
        // Split 1 scores 2 (distinct one-hots), split 2 scores 1 (identical rows): mean 1.5, std 0.5.
        assertThat(score.splitScores()).containsExactly(new double[] {2, 1}, within(1e-12));
        assertThat(score.mean()).isCloseTo(1.5, within(1e-12));
        assertThat(score.standardDeviation()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void softPredictionsByHand() {
        // Rows (0.5, 0.5) and (1, 0): p(y) = (0.75, 0.25).
        // KL1 = 0.5 log(0.5/0.75) + 0.5 log(0.5/0.25); KL2 = log(1/0.75).
        double kl1 = 0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(2);
        double kl2 = Math.log(1 / 0.75);
        ClassifierScore score = ClassifierScore.compute(new double[][] {{0.5, 0.5}, {1, 0}}, 1);
        assertThat(score.mean()).isCloseTo(Math.exp((kl1 + kl2) / 2), within(1e-12));
    }

    @Test
    void rejectsRowsThatAreNotDistributions() {
        assertThatThrownBy(() -> ClassifierScore.compute(new double[][] {{0.5, 0.6}}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 0 sums to");
        assertThatThrownBy(() -> ClassifierScore.compute(DISTINCT_ONE_HOT, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("splits is 5");
    }
}
