package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianFitTest {

    @Test
    void smallSampleErrorsByHand() {
        // Samples (1, 2), (3, 2), (5, 8): mean (3, 4), covariance [[4, 6], [6, 12]].
        double[][] samples = {{1, 2}, {3, 2}, {5, 8}};
        double[] realMean = {3, 5};
        double[][] realCovariance = {{4, 6}, {6, 13}};
        GaussianFit fit = GaussianFit.of(samples, realMean, realCovariance);
        assertThat(fit.mean()).containsExactly(3, 4);
        assertThat(fit.covariance()).isDeepEqualTo(new double[][] {{4, 6}, {6, 12}});
        assertThat(fit.meanMaxAbsError()).isEqualTo(1.0);
        assertThat(fit.covarianceMaxAbsError()).isEqualTo(1.0);
        assertThat(fit.frechetDistance()).isCloseTo(FrechetDistance.betweenGaussians(
                new double[] {3, 4}, new double[][] {{4, 6}, {6, 12}}, realMean, realCovariance), within(1e-15))
                .isGreaterThan(1.0);
    }

    @Test
    void textbookToyDataFitsItsGaussian() {
        // d2l toy: x = z A + b with A = [[1, 2], [-0.1, 0.5]], b = (1, 2): mean b, covariance Aᵀ A.
        double[][] a = {{1, 2}, {-0.1, 0.5}};
        double[] b = {1, 2};
        Random random = new Random(3);
        double[][] samples = new double[20000][2];
        for (double[] sample : samples) {
            double z0 = random.nextGaussian();
            double z1 = random.nextGaussian();
            sample[0] = z0 * a[0][0] + z1 * a[1][0] + b[0];
            sample[1] = z0 * a[0][1] + z1 * a[1][1] + b[1];
        }
        double[][] covariance = {{1.01, 1.95}, {1.95, 4.25}};
        GaussianFit fit = GaussianFit.of(samples, b, covariance);
        assertThat(fit.meanMaxAbsError()).isLessThan(0.05);
        assertThat(fit.covarianceMaxAbsError()).isLessThan(0.15);
        assertThat(fit.frechetDistance()).isBetween(0.0, 0.01);
        GaussianFit shifted = GaussianFit.of(samples, new double[] {2, 2}, covariance);
        assertThat(shifted.frechetDistance()).isCloseTo(1.0, within(0.05));
    }
}
