package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MemorisationTest {

    @Test
    void copiedSamplesHaveSmallRatioByHand() {
        // Train {0, 10}. Generated {0, 10, 1}: distances 0, 0, 1 (mean 1/3, median 0).
        // Test {2, 7, 5}: distances 2, 3, 5 (mean 10/3, median 3). Ratio 0 / 3.
        Memorisation result = Memorisation.distances(
                new double[][] {{0}, {10}, {1}}, new double[][] {{0}, {10}}, new double[][] {{2}, {7}, {5}});
        assertThat(result.generatedMeanDistance()).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(result.generatedMedianDistance()).isZero();
        assertThat(result.testMeanDistance()).isCloseTo(10.0 / 3, within(1e-15));
        assertThat(result.testMedianDistance()).isEqualTo(3.0);
        assertThat(result.ratio()).isZero();
    }

    @Test
    void freshSamplesFromTheSameDistributionHaveRatioNearOne() {
        double[][] train = TestData.gaussian(400, 2, 0, 1);
        Memorisation result = Memorisation.distances(TestData.gaussian(200, 2, 0, 2), train,
                TestData.gaussian(200, 2, 0, 3));
        assertThat(result.ratio()).isBetween(0.75, 1.33);
    }

    @Test
    void evenCountMedianAveragesTheMiddlePair() {
        // Generated distances 3, 4 (via 3-4-5 geometry: (3, 0) and (0, 4) from the origin) → median 3.5.
        Memorisation result = Memorisation.distances(new double[][] {{3, 0}, {0, 4}}, new double[][] {{0, 0}},
                new double[][] {{0, 7}});
        assertThat(result.generatedMedianDistance()).isEqualTo(3.5);
        assertThat(result.ratio()).isEqualTo(0.5);
    }
}
