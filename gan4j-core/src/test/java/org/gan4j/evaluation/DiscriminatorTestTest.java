package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiscriminatorTestTest {

    @Test
    void accuracyAndAucWithTiesByHand() {
        // Real correct if > 0.5: 0.9, 0.6 (2 of 4). Fake correct if ≤ 0.5: 0.1, 0.5 (2 of 3). Accuracy 4/7.
        // AUC pairs: 0.9 beats 3; 0.6 beats 0.1, 0.5; 0.4 beats 0.1; 0.5 beats 0.1 and ties 0.5 → 7.5 / 12.
        DiscriminatorTest result = DiscriminatorTest.evaluate(
                new double[] {0.9, 0.6, 0.4, 0.5}, new double[] {0.1, 0.5, 0.7});
        assertThat(result.realAccuracy()).isEqualTo(0.5);
        assertThat(result.fakeAccuracy()).isEqualTo(2.0 / 3);
        assertThat(result.accuracy()).isEqualTo(4.0 / 7);
        assertThat(result.rocAuc()).isEqualTo(0.625);
    }

    @Test
    void perfectSeparationAndIndistinguishableScores() {
        DiscriminatorTest perfect = DiscriminatorTest.evaluate(new double[] {0.8, 0.9}, new double[] {0.1, 0.2});
        assertThat(perfect.accuracy()).isEqualTo(1.0);
        assertThat(perfect.rocAuc()).isEqualTo(1.0);
        DiscriminatorTest fooled = DiscriminatorTest.evaluate(new double[] {0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
        assertThat(fooled.rocAuc()).isEqualTo(0.5);
        assertThat(fooled.realAccuracy()).isZero();
        assertThat(fooled.fakeAccuracy()).isEqualTo(1.0);
        DiscriminatorTest inverted = DiscriminatorTest.evaluate(new double[] {0.1}, new double[] {0.9, 0.95});
        assertThat(inverted.rocAuc()).isZero();
    }

    /** A confident D: every probability rounds to 1 in float, and only the logits keep the order. */
    @Test
    void logitsKeepTheOrderThatSaturatedProbabilitiesLose() {
        double[] realLogits = {30, 25, 22};
        double[] fakeLogits = {18, 19, 20, -3};
        DiscriminatorTest fromLogits = DiscriminatorTest.fromLogits(realLogits, fakeLogits);
        assertThat(fromLogits.rocAuc()).isEqualTo(1.0);
        assertThat(fromLogits.realAccuracy()).isEqualTo(1.0);
        assertThat(fromLogits.fakeAccuracy()).isEqualTo(0.25); // only the logit at most 0 counts as "fake"
        double[] realProbabilities = new double[3];
        double[] fakeProbabilities = new double[4];
        for (int i = 0; i < 3; i++) {
            realProbabilities[i] = (float) (1 / (1 + Math.exp(-realLogits[i])));
        }
        for (int i = 0; i < 4; i++) {
            fakeProbabilities[i] = (float) (1 / (1 + Math.exp(-fakeLogits[i])));
        }
        // float probabilities: 1.0f for every logit above about 17, so 9 of the 12 pairs tie
        assertThat(DiscriminatorTest.evaluate(realProbabilities, fakeProbabilities).rocAuc()).isEqualTo(7.5 / 12);
        // a logit of exactly 0 is a probability of 0.5: "fake", as at threshold 0.5
        assertThat(DiscriminatorTest.fromLogits(new double[] {0}, new double[] {0}).fakeAccuracy()).isEqualTo(1.0);
        assertThat(DiscriminatorTest.fromLogits(new double[] {0}, new double[] {0}).realAccuracy()).isZero();
    }
}
