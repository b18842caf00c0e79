package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussiansTest {

    @Test
    void affineHasMeanBAndCovarianceATransposeA() {
        double[][] a = {{1, 2}, {-0.1, 0.5}};
        double[] b = {1, 2};

        PointDataset points = Gaussians.affine(20000, a, b, 42);

        assertThat(points.size()).isEqualTo(20000);
        assertThat(points.exampleShape()).containsExactly(2);
        assertThat(points.isPoints()).isTrue();
        assertThat(points.classCount()).isZero();
        double[] mean = new double[2];
        for (int i = 0; i < points.size(); i++) {
            mean[0] += points.x(i);
            mean[1] += points.y(i);
        }
        mean[0] /= points.size();
        mean[1] /= points.size();
        double[][] covariance = new double[2][2];
        for (int i = 0; i < points.size(); i++) {
            double dx = points.x(i) - mean[0];
            double dy = points.y(i) - mean[1];
            covariance[0][0] += dx * dx;
            covariance[0][1] += dx * dy;
            covariance[1][1] += dy * dy;
        }
        int n = points.size() - 1;
        // AᵀA = [[1.01, 1.95], [1.95, 4.25]]; standard errors are about 0.015 (mean) and 0.04 (covariance).
        assertThat(mean[0]).isCloseTo(1.0, within(0.06));
        assertThat(mean[1]).isCloseTo(2.0, within(0.06));
        assertThat(covariance[0][0] / n).isCloseTo(1.01, within(0.06));
        assertThat(covariance[0][1] / n).isCloseTo(1.95, within(0.12));
        assertThat(covariance[1][1] / n).isCloseTo(4.25, within(0.2));
    }

    @Test
    void sameSeedSamePointsOtherSeedOtherPoints() {
        double[][] a = {{1, 0}, {0, 1}};
        double[] b = {0, 0};
        PointDataset one = Gaussians.affine(50, a, b, 7);
        PointDataset two = Gaussians.affine(50, a, b, 7);
        PointDataset other = Gaussians.affine(50, a, b, 8);

        float[] first = new float[2];
        float[] second = new float[2];
        boolean differs = false;
        for (int i = 0; i < 50; i++) {
            one.copyExample(i, first, 0);
            two.copyExample(i, second, 0);
            assertThat(second).containsExactly(first);
            differs |= other.x(i) != one.x(i);
        }
        assertThat(differs).isTrue();
    }

    @Test
    void ringCentresAreEvenlySpacedAndLabelsAreNearestCentres() {
        MixtureDataset ring = Gaussians.ring(4000, 8, 2.0, 0.02, 3);

        double[][] centres = ring.centres();
        assertThat(centres).hasNumberOfRows(8);
        assertThat(centres[0]).containsExactly(new double[] {2, 0}, within(1e-12));
        assertThat(centres[1]).containsExactly(new double[] {Math.sqrt(2), Math.sqrt(2)}, within(1e-12));
        assertThat(centres[2]).containsExactly(new double[] {0, 2}, within(1e-12));
        assertThat(centres[5]).containsExactly(new double[] {-Math.sqrt(2), -Math.sqrt(2)}, within(1e-12));
        assertThat(ring.std()).isEqualTo(0.02);
        assertThat(ring.classCount()).isEqualTo(8);
        assertLabelsAreNearestCentres(ring, 0.02);
        int[] counts = new int[8];
        for (int i = 0; i < ring.size(); i++) {
            counts[ring.label(i)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(400, 600); // 500 expected, sd ≈ 21
        }
    }

    @Test
    void gridCentresAreMinusFourToFourSquared() {
        MixtureDataset grid = Gaussians.grid(5000, 5, 2.0, 0.05, 11);

        double[][] centres = grid.centres();
        assertThat(centres).hasNumberOfRows(25);
        assertThat(centres[0]).containsExactly(-4, -4);
        assertThat(centres[1]).containsExactly(-4, -2);
        assertThat(centres[12]).containsExactly(0, 0);
        assertThat(centres[24]).containsExactly(4, 4);
        assertThat(grid.classCount()).isEqualTo(25);
        assertLabelsAreNearestCentres(grid, 0.05);
        // The returned centres are a copy.
        centres[0][0] = 99;
        assertThat(grid.centres()[0][0]).isEqualTo(-4);
    }

    private static void assertLabelsAreNearestCentres(MixtureDataset data, double std) {
        double[][] centres = data.centres();
        for (int i = 0; i < data.size(); i++) {
            int nearest = 0;
            double best = Double.MAX_VALUE;
            for (int k = 0; k < centres.length; k++) {
                double dx = data.x(i) - centres[k][0];
                double dy = data.y(i) - centres[k][1];
                double distance = dx * dx + dy * dy;
                if (distance < best) {
                    best = distance;
                    nearest = k;
                }
            }
            assertThat(data.label(i)).isEqualTo(nearest);
            assertThat(Math.sqrt(best)).isLessThan(6 * std);
        }
    }
}
