package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MatricesTest {

    @Test
    void multiplyMatchesHandComputation() {
        double[][] product = Matrices.multiply(new double[][] {{1, 2}, {3, 4}}, new double[][] {{5, 6, 7}, {8, 9, 10}});
        assertThat(product).isDeepEqualTo(new double[][] {{21, 24, 27}, {47, 54, 61}});
    }

    @Test
    void traceSumsTheDiagonal() {
        assertThat(Matrices.trace(new double[][] {{1, 9}, {9, 2.5}})).isEqualTo(3.5);
    }

    @Test
    void sqrtOfKnownMatrix() {
        // [[5, 4], [4, 5]] = S² with S = [[2, 1], [1, 2]].
        double[][] root = Matrices.sqrtPsd(new double[][] {{5, 4}, {4, 5}});
        assertThat(TestData.maxAbsDifference(root, new double[][] {{2, 1}, {1, 2}})).isLessThan(1e-14);
    }

    @Test
    void sqrtSquaresBackForRandomAndSingularMatrices() {
        double[][] spd = TestData.randomSpd(25, 0.01, 11);
        double[][] root = Matrices.sqrtPsd(spd);
        assertThat(TestData.maxAbsDifference(Matrices.multiply(root, root), spd)).isLessThan(1e-12);
        // Rank one: v vᵀ with v = (1, 2, 2); its root is v vᵀ / ||v|| = v vᵀ / 3.
        double[] v = {1, 2, 2};
        double[][] rankOne = new double[3][3];
        double[][] expected = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                rankOne[i][j] = v[i] * v[j];
                expected[i][j] = v[i] * v[j] / 3;
            }
        }
        assertThat(TestData.maxAbsDifference(Matrices.sqrtPsd(rankOne), expected)).isLessThan(1e-6);
        assertThat(Matrices.sqrtPsd(new double[][] {{0, 0}, {0, 0}})[0][0]).isCloseTo(0.0, within(0.0));
    }
}
