package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KernelInceptionDistanceTest {

    @Test
    void threeOneDimensionalPointsByHand() {
        // d = 1, k(x, y) = (xy + 1)³. Real {0, 1, 2}: pairs give 1, 1, 27 → 2·29/6 = 29/3.
        // Fake {1, 2, 3}: pairs give 27, 64, 343 → 2·434/6 = 434/3. Cross sum 3 + 99 + 495 = 597 → 2·597/9.
        // MMD² = 29/3 + 434/3 − 1194/9 = 65/3.
        double[][] real = {{0}, {1}, {2}};
        double[][] fake = {{1}, {2}, {3}};
        KernelInceptionDistance kid = KernelInceptionDistance.compute(real, fake, 4, 3, 42);
        assertThat(kid.mean()).isCloseTo(65.0 / 3, within(1e-12));
        // subsets of 3 out of 3 and 3 are the whole sets: one subset, and no subset error to report
        assertThat(kid.subsetValues()).containsExactly(new double[] {65.0 / 3}, within(1e-12));
        assertThat(kid.standardError()).isNaN();
        // with a fourth real point the subsets differ, and they have an error
        KernelInceptionDistance four = KernelInceptionDistance.compute(new double[][] {{0}, {1}, {2}, {5}}, fake, 4, 3, 42);
        assertThat(four.subsetValues()).hasSize(4);
        assertThat(four.standardError()).isPositive();
    }

    @Test
    void kernelUsesTheFeatureDimension() {
        // xᵀy = 4, d = 2: (4/2 + 1)³ = 27.
        assertThat(KernelInceptionDistance.kernel(new double[] {1, 1}, new double[] {2, 2})).isEqualTo(27.0);
    }

    @Test
    void sameDistributionIsNearZeroAndShiftedIsNot() {
        double[][] real = TestData.gaussian(300, 4, 0, 1);
        double[][] same = TestData.gaussian(300, 4, 0, 2);
        double[][] shifted = TestData.gaussian(300, 4, 1.0, 3);
        KernelInceptionDistance matching = KernelInceptionDistance.compute(real, same, 20, 100, 7);
        KernelInceptionDistance different = KernelInceptionDistance.compute(real, shifted, 20, 100, 7);
        assertThat(Math.abs(matching.mean())).isLessThan(0.05);
        assertThat(Math.abs(matching.mean())).isLessThan(4 * matching.standardError() + 1e-3);
        assertThat(different.mean()).isGreaterThan(0.5);
        assertThat(different.mean()).isGreaterThan(10 * different.standardError());
    }

    @Test
    void sameSeedSameResultDifferentSeedDifferentSubsets() {
        double[][] real = TestData.gaussian(50, 3, 0, 1);
        double[][] fake = TestData.gaussian(50, 3, 0.2, 2);
        assertThat(KernelInceptionDistance.compute(real, fake, 5, 10, 9))
                .isEqualTo(KernelInceptionDistance.compute(real, fake, 5, 10, 9));
        assertThat(KernelInceptionDistance.compute(real, fake, 5, 10, 9).subsetValues())
                .isNotEqualTo(KernelInceptionDistance.compute(real, fake, 5, 10, 10).subsetValues());
        assertThat(KernelInceptionDistance.compute(real, fake, 1, 10, 9).standardError()).isNaN();
    }

    @Test
    void defaultsCapTheSubsetSize() {
        double[][] real = TestData.gaussian(30, 2, 0, 1);
        double[][] fake = TestData.gaussian(20, 2, 0, 2);
        assertThat(KernelInceptionDistance.compute(real, fake, 3).subsetValues()).hasSize(100);
        // 20 and 20 rows: every subset of 20 would be both whole sets
        assertThat(KernelInceptionDistance.compute(java.util.Arrays.copyOf(real, 20), fake, 3).subsetValues())
                .hasSize(1);
    }

    @Test
    void rejectsSubsetLargerThanData() {
        assertThatThrownBy(() -> KernelInceptionDistance.compute(new double[][] {{0}, {1}}, new double[][] {{0}, {1}},
                1, 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subsetSize is 3");
    }
}
