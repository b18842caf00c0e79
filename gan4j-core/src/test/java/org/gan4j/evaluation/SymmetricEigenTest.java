package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void twoByTwoHasKnownEigenpairs() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, -1)/√2 and (1, 1)/√2.
        SymmetricEigen eigen = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
        assertThat(eigen.eigenvalues()[0]).isCloseTo(1.0, within(1e-14));
        assertThat(eigen.eigenvalues()[1]).isCloseTo(3.0, within(1e-14));
        double[][] vectors = eigen.eigenvectors();
        assertThat(Math.abs(vectors[0][0] + vectors[0][1])).isLessThan(1e-14);
        assertThat(Math.abs(vectors[1][0] - vectors[1][1])).isLessThan(1e-14);
        assertThat(Math.abs(vectors[1][0])).isCloseTo(Math.sqrt(0.5), within(1e-14));
    }

    @Test
    void oneByOneIsItsOwnEigenvalue() {
        SymmetricEigen eigen = SymmetricEigen.of(new double[][] {{-4.5}});
        assertThat(eigen.eigenvalues()).containsExactly(-4.5);
        assertThat(eigen.eigenvectors()[0][0]).isCloseTo(1.0, within(0.0));
    }

    @Test
    void diagonalMatrixIsSortedAscending() {
        double[] values = SymmetricEigen.eigenvaluesOf(new double[][] {{3, 0, 0}, {0, -1, 0}, {0, 0, 2}});
        assertThat(values).containsExactly(new double[] {-1, 2, 3}, within(1e-15));
    }

    @Test
    void reconstructsRandomMatrixAndVectorsAreOrthonormal() {
        int n = 40;
        double[][] q = TestData.randomOrthogonal(n, 7);
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = i - 10.5;
        }
        double[][] matrix = TestData.withEigenvalues(q, expected);
        SymmetricEigen eigen = SymmetricEigen.of(matrix);
        assertThat(eigen.eigenvalues()).containsExactly(expected, within(1e-11));
        double[][] vectors = eigen.eigenvectors();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += vectors[a][k] * vectors[b][k];
                }
                assertThat(dot).isCloseTo(a == b ? 1.0 : 0.0, within(1e-12));
            }
        }
        assertThat(TestData.maxAbsDifference(TestData.withEigenvalues(vectors, eigen.eigenvalues()), matrix))
                .isLessThan(1e-11);
    }

    @Test
    void eigenvaluesOnlyAgreesWithFullDecomposition() {
        double[][] matrix = TestData.randomSpd(30, 0.1, 3);
        assertThat(SymmetricEigen.eigenvaluesOf(matrix))
                .containsExactly(SymmetricEigen.of(matrix).eigenvalues(), within(1e-12));
    }

    @Test
    void repeatedEigenvaluesAndZeroBlocksWork() {
        double[][] matrix = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        assertThat(SymmetricEigen.of(matrix).eigenvalues()).containsExactly(new double[] {0, 0, 1, 1}, within(0.0));
    }

    @Test
    void rejectsNonSquare() {
        assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1x2");
    }
}
