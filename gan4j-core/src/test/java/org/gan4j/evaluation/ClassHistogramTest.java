package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassHistogramTest {

    @Test
    void histogramAgainstUniformByHand() {
        // q = (½, ¼, 0, ¼): KL(q ‖ uniform) = ½ log 2, entropy = 1.5 log 2.
        ClassHistogram histogram = ClassHistogram.of(new int[] {0, 0, 1, 3}, 4, null);
        assertThat(histogram.counts()).containsExactly(2, 1, 0, 1);
        assertThat(histogram.classesCovered()).isEqualTo(3);
        assertThat(histogram.klToReal()).isCloseTo(0.5 * Math.log(2), within(1e-9));
        assertThat(histogram.entropy()).isCloseTo(1.5 * Math.log(2), within(1e-15));
        assertThat(ClassHistogram.of(new int[] {0, 0, 1, 3}, 4, new double[] {0.25, 0.25, 0.25, 0.25}))
                .isEqualTo(histogram);
    }

    @Test
    void matchingHistogramHasZeroKl() {
        ClassHistogram histogram = ClassHistogram.of(new int[] {0, 1, 1, 1}, 2, new double[] {0.25, 0.75});
        assertThat(histogram.klToReal()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void classAbsentFromRealDataCostsLogOfSmoothing() {
        // q = (0, 0, 1); p' = (0 + ε) / (1 + 3ε) for class 2: KL = log((1 + 3ε) / ε).
        ClassHistogram histogram = ClassHistogram.of(new int[] {2}, 3, new double[] {0.5, 0.5, 0});
        double epsilon = ClassHistogram.SMOOTHING;
        assertThat(histogram.klToReal()).isCloseTo(Math.log((1 + 3 * epsilon) / epsilon), within(1e-12));
        assertThat(histogram.entropy()).isZero();
    }

    @Test
    void rejectsClassOutOfRange() {
        assertThatThrownBy(() -> ClassHistogram.of(new int[] {0, 4}, 4, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predictedClasses[1] is 4");
    }
}
