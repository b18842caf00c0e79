package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrecisionRecallTest {

    @Test
    void oneDimensionalCaseWithKOneByHand() {
        // Real {0, 1, 2, 3}: every 1-NN radius is 1. Fakes 0.25 and 0.5 are inside, 10 and 10.5 are not.
        // Fake radii (1-NN among fakes): 0.25, 0.25, 0.5, 0.5. Real 0 lies exactly on the ball of 0.25
        // (distance 0.25 = radius, counted inside); reals 1, 2, 3 are outside every fake ball.
        double[][] real = {{0}, {1}, {2}, {3}};
        double[][] fake = {{0.25}, {0.5}, {10}, {10.5}};
        PrecisionRecall result = PrecisionRecall.compute(real, fake, 1);
        assertThat(result.precision()).isEqualTo(0.5);
        assertThat(result.recall()).isEqualTo(0.25);
        assertThat(result.k()).isEqualTo(1);
    }

    @Test
    void defaultKIsThreeByHand() {
        // Real {0..4}: 3-NN radii 3, 2, 2, 2, 3. Fakes: -3.5 (3.5 from 0 > 3: out), 6.5 (2.5 from 4 ≤ 3: in),
        // 9 (out), 2 (in) → precision 1/2. Fake 3-NN radii 12.5, 10, 12.5, 7 cover every real → recall 1.
        double[][] real = {{0}, {1}, {2}, {3}, {4}};
        double[][] fake = {{-3.5}, {6.5}, {9}, {2}};
        PrecisionRecall result = PrecisionRecall.compute(real, fake);
        assertThat(result.k()).isEqualTo(3);
        assertThat(result.precision()).isEqualTo(0.5);
        assertThat(result.recall()).isEqualTo(1.0);
    }

    @Test
    void identicalSetsArePerfect() {
        double[][] points = TestData.gaussian(40, 3, 0, 5);
        PrecisionRecall result = PrecisionRecall.compute(points, points);
        assertThat(result.precision()).isEqualTo(1.0);
        assertThat(result.recall()).isEqualTo(1.0);
    }

    @Test
    void needsMorePointsThanK() {
        assertThatThrownBy(() -> PrecisionRecall.compute(new double[][] {{0}, {1}, {2}}, new double[][] {{0}, {1},
                {2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("real has 3 rows");
    }
}
