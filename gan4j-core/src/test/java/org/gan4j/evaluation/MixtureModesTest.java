package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MixtureModesTest {

    private static final double[][] CENTRES = {{0, 0}, {10, 0}, {0, 10}};

    @Test
    void countsHighQualitySamplesPerModeByHand() {
        // std 1 → threshold 3 (strict). (0.5, 0) and (1, 1) are high-quality in mode 0, (9, 0) in mode 1;
        // (3, 0) is exactly 3 from mode 0 (not high-quality), (5, 5) and (0, 20) are too far.
        double[][] samples = {{0.5, 0}, {1, 1}, {9, 0}, {3, 0}, {5, 5}, {0, 20}};
        MixtureModes result = MixtureModes.evaluate(samples, CENTRES, 1.0);
        assertThat(result.countsPerMode()).containsExactly(2, 1, 0);
        assertThat(result.modesCaptured()).isEqualTo(2);
        assertThat(result.highQualityFraction()).isEqualTo(0.5);
        // p̂ = (2/3, 1/3, 0): KL = 2/3 log(2) + 1/3 log(1).
        assertThat(result.reverseKl()).isCloseTo(2.0 / 3 * Math.log(2), within(1e-15));
    }

    @Test
    void uniformHighQualitySamplesHaveZeroReverseKl() {
        double[][] samples = {{0.1, 0}, {10, 0.2}, {0, 9.5}};
        MixtureModes result = MixtureModes.evaluate(samples, CENTRES, 0.5);
        assertThat(result.modesCaptured()).isEqualTo(3);
        assertThat(result.highQualityFraction()).isEqualTo(1.0);
        assertThat(result.reverseKl()).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void fullCollapseHasLogKReverseKl() {
        double[][] samples = {{10, 0}, {10.5, 0}};
        MixtureModes result = MixtureModes.evaluate(samples, CENTRES, 1.0);
        assertThat(result.modesCaptured()).isEqualTo(1);
        assertThat(result.reverseKl()).isCloseTo(Math.log(3), within(1e-15));
    }

    @Test
    void noHighQualitySampleGivesNaNReverseKl() {
        MixtureModes result = MixtureModes.evaluate(new double[][] {{50, 50}}, CENTRES, 1.0);
        assertThat(result.modesCaptured()).isZero();
        assertThat(result.highQualityFraction()).isZero();
        assertThat(result.reverseKl()).isNaN();
    }

    @Test
    void rejectsNonPositiveStd() {
        assertThatThrownBy(() -> MixtureModes.evaluate(new double[][] {{0, 0}}, CENTRES, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("std");
    }
}
