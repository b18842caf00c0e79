package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ParzenWindowTest {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    @Test
    void oneDimensionalByHand() {
        // Samples {0, 2}, σ = 1. At x = 1 both kernels give e^{-1/2}/√(2π): log p = −½ − ½ log 2π.
        // At x = 0: p = ½ (1 + e^{-2}) / √(2π).
        double[][] samples = {{0}, {2}};
        double atOne = -0.5 - 0.5 * LOG_2PI;
        double atZero = Math.log(0.5 * (1 + Math.exp(-2))) - 0.5 * LOG_2PI;
        ParzenWindow single = ParzenWindow.logLikelihood(new double[][] {{1}}, samples, 1.0);
        assertThat(single.meanLogLikelihood()).isCloseTo(atOne, within(1e-14));
        assertThat(single.standardError()).isNaN();
        ParzenWindow both = ParzenWindow.logLikelihood(new double[][] {{1}, {0}}, samples, 1.0);
        assertThat(both.meanLogLikelihood()).isCloseTo((atOne + atZero) / 2, within(1e-14));
        // Two values: sample std = |a − b| / √2, standard error = |a − b| / 2.
        assertThat(both.standardError()).isCloseTo(Math.abs(atOne - atZero) / 2, within(1e-14));
        assertThat(both.sigma()).isEqualTo(1.0);
    }

    @Test
    void dimensionAndWidthEnterTheNormaliser() {
        // One sample at the origin, test point at the origin, d = 3, σ = 0.5: log p = −(3/2) log(2π · 0.25).
        ParzenWindow estimate = ParzenWindow.logLikelihood(new double[][] {{0, 0, 0}}, new double[][] {{0, 0, 0}},
                0.5);
        assertThat(estimate.meanLogLikelihood()).isCloseTo(-1.5 * Math.log(2 * Math.PI * 0.25), within(1e-14));
    }

    @Test
    void farPointsDoNotUnderflow() {
        // Exponent −(1000²)/2 would underflow exp; log-sum-exp keeps it exact.
        ParzenWindow estimate = ParzenWindow.logLikelihood(new double[][] {{1000}}, new double[][] {{0}}, 1.0);
        assertThat(estimate.meanLogLikelihood()).isCloseTo(-500000 - 0.5 * LOG_2PI, within(1e-9));
    }

    @Test
    void chooseSigmaMaximisesValidationLikelihood() {
        double[][] samples = {{0}, {2}};
        ParzenWindow best = ParzenWindow.chooseSigma(new double[][] {{1}}, samples, new double[] {0.01, 1, 100});
        assertThat(best.sigma()).isEqualTo(1.0);
        assertThat(best.meanLogLikelihood()).isCloseTo(-0.5 - 0.5 * LOG_2PI, within(1e-14));
    }
}
