package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DensityCoverageTest {

    @Test
    void oneDimensionalCaseWithKOneByHand() {
        // Real {0, 1, 2, 3}: every 1-NN radius is 1, and boundaries are strict.
        // Fake 0.5 is inside the balls of 0 and 1 (2), fake 1 only inside its own (1; 0 and 2 are at distance 1),
        // fake 10 in none, fake 3.5 inside the ball of 3 (1): density = 4 / (1 · 4) = 1.
        // Real 2 has its nearest fake at distance exactly 1 = radius, so it is not covered: coverage 3/4.
        double[][] real = {{0}, {1}, {2}, {3}};
        double[][] fake = {{0.5}, {1}, {10}, {3.5}};
        DensityCoverage result = DensityCoverage.compute(real, fake, 1);
        assertThat(result.density()).isEqualTo(1.0);
        assertThat(result.coverage()).isEqualTo(0.75);
    }

    @Test
    void identicalIntegerSetWithDefaultKHasDensityOneAndFullCoverage() {
        // Points 0..9, k = 5: every ball (radius 5, 4, 3, 3, 3, ...) strictly contains exactly 5 points.
        double[][] points = new double[10][];
        for (int i = 0; i < 10; i++) {
            points[i] = new double[] {i};
        }
        DensityCoverage result = DensityCoverage.compute(points, points);
        assertThat(result.k()).isEqualTo(5);
        assertThat(result.density()).isCloseTo(1.0, within(1e-15));
        assertThat(result.coverage()).isEqualTo(1.0);
    }

    @Test
    void fakesCrowdingOneRealBallRaiseDensityButNotCoverage() {
        double[][] real = {{0}, {1}, {2}, {3}};
        double[][] fake = {{0.1}, {0.1}, {0.1}, {0.1}};
        DensityCoverage result = DensityCoverage.compute(real, fake, 1);
        // Each fake lies in the balls of 0 (0.1 < 1) and 1 (0.9 < 1): density = 8 / 4 = 2; coverage 2/4.
        assertThat(result.density()).isCloseTo(2.0, within(1e-15));
        assertThat(result.coverage()).isEqualTo(0.5);
    }
}
