package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void diagonalCovariancesMatchClosedForm() {
        double[] mu1 = {0, 1, -2};
        double[] mu2 = {1, 1, 0};
        double[] a = {1, 4, 9};
        double[] b = {4, 1, 0.25};
        double expected = 1 + 4; // ||Δμ||²
        for (int i = 0; i < 3; i++) {
            expected += Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        // (1-2)² + (2-1)² + (3-0.5)² = 1 + 1 + 6.25, plus 5.
        assertThat(expected).isEqualTo(13.25);
        assertThat(FrechetDistance.betweenGaussians(mu1, diagonal(a), mu2, diagonal(b)))
                .isCloseTo(13.25, within(1e-12));
    }

    @Test
    void nonCommutingTwoDimensionalCase() {
        // S = diag(1, 2), S Σb S = [[2, 2], [2, 8]]: eigenvalues 5 ± √13, so Tr((Σa Σb)^½) = √(10 + 4√3).
        double[][] covA = {{1, 0}, {0, 4}};
        double[][] covB = {{2, 1}, {1, 2}};
        double expected = 5 + 5 + 4 - 2 * Math.sqrt(10 + 4 * Math.sqrt(3));
        assertThat(FrechetDistance.betweenGaussians(new double[] {0, 0}, covA, new double[] {1, 2}, covB))
                .isCloseTo(expected, within(1e-12))
                .isCloseTo(5.7712204, within(1e-7));
        assertThat(FrechetDistance.betweenGaussians(new double[] {1, 2}, covB, new double[] {0, 0}, covA))
                .isCloseTo(expected, within(1e-12));
    }

    @Test
    void commutingNonDiagonalCase() {
        // Same eigenvectors (1, ±1)/√2: eigenvalues (1, 3) and (1, 9), FD = (√3 − 3)² = 12 − 6√3.
        double fd = FrechetDistance.betweenGaussians(
                new double[] {0, 0}, new double[][] {{2, 1}, {1, 2}},
                new double[] {0, 0}, new double[][] {{5, 4}, {4, 5}});
        assertThat(fd).isCloseTo(12 - 6 * Math.sqrt(3), within(1e-12));
    }

    @Test
    void identicalStatisticsGiveZeroAndOrderDoesNotMatter() {
        double[][] rows = TestData.gaussian(200, 8, 0.5, 1);
        FeatureStatistics a = FeatureStatistics.of(rows);
        assertThat(FrechetDistance.between(a, a)).isBetween(0.0, 1e-9);
        FeatureStatistics b = FeatureStatistics.of(TestData.gaussian(150, 8, 0.0, 2));
        double ab = FrechetDistance.between(a, b);
        assertThat(ab).isGreaterThan(0.1);
        assertThat(FrechetDistance.between(b, a)).isCloseTo(ab, within(1e-10 * ab));
    }

    @Test
    void singularCovarianceIsHandled() {
        // Σa has rank one; with Σb = I, Tr(Σa^{1/2}) = √2 for Σa = [[1, 1], [1, 1]].
        double fd = FrechetDistance.betweenGaussians(
                new double[] {0, 0}, new double[][] {{1, 1}, {1, 1}},
                new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}});
        assertThat(fd).isCloseTo(2 + 2 - 2 * Math.sqrt(2), within(1e-7));
    }

    @Test
    void dimension512MatchesClosedFormQuickly() {
        int n = 512;
        double[][] q = TestData.randomOrthogonal(n, 5);
        double[] a = new double[n];
        double[] b = new double[n];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            a[i] = 0.01 + i / 100.0;
            b[i] = 0.02 + (n - i) / 200.0;
            expected += Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        double[][] covA = TestData.withEigenvalues(q, a);
        double[][] covB = TestData.withEigenvalues(q, b);
        double[] mu = new double[n];
        long start = System.nanoTime();
        double fd = FrechetDistance.betweenGaussians(mu, covA, mu, covB);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(fd).isCloseTo(expected, within(1e-8 * expected));
        // Well under a second on an idle core; the bound leaves room for a loaded build machine.
        assertThat(seconds).isLessThan(5.0);
    }

    @Test
    void rejectsMismatchedDimensions() {
        assertThatThrownBy(() -> FrechetDistance.betweenGaussians(
                new double[] {0}, new double[][] {{1}}, new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension");
    }

    private static double[][] diagonal(double[] values) {
        double[][] matrix = new double[values.length][values.length];
        for (int i = 0; i < values.length; i++) {
            matrix[i][i] = values[i];
        }
        return matrix;
    }
}
