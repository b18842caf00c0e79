package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sanity checks of the metrics on synthetic "features": a mixture of five well-separated Gaussian clusters
 * ("classes") in 8 dimensions. They check directions, not values: matching sets score well, noise and a missing
 * cluster score worse.
 */
class SyntheticSanityTest {

    private static final int DIMENSION = 8;
    private static final int CLUSTERS = 5;
    private static final double[][] CENTRES = centres();

    @Test
    void splitsOfRealDataAreCloseAndNoiseIsFar() {
        double[][] real = clusters(1000, CLUSTERS, 1);
        double[][] train = Arrays.copyOfRange(real, 0, 500);
        double[][] test = Arrays.copyOfRange(real, 500, 1000);
        double[][] noise = TestData.gaussian(500, DIMENSION, 0, 2);
        for (double[] row : noise) {
            for (int j = 0; j < DIMENSION; j++) {
                row[j] *= 4;
            }
        }
        double splitDistance = FrechetDistance.between(FeatureStatistics.of(train), FeatureStatistics.of(test));
        double noiseDistance = FrechetDistance.between(FeatureStatistics.of(train), FeatureStatistics.of(noise));
        assertThat(splitDistance).isLessThan(2.0);
        assertThat(noiseDistance).isGreaterThan(50.0).isGreaterThan(20 * splitDistance);

        PrecisionRecall splitPr = PrecisionRecall.compute(train, test);
        PrecisionRecall noisePr = PrecisionRecall.compute(train, noise);
        // With k = 3 and about 100 points per cluster in 8-D the balls miss some mass: about 0.85 is expected.
        assertThat(splitPr.precision()).isGreaterThan(0.75);
        assertThat(splitPr.recall()).isGreaterThan(0.75);
        assertThat(noisePr.precision()).isLessThan(0.1);

        KernelInceptionDistance splitKid = KernelInceptionDistance.compute(train, test, 10, 200, 1);
        KernelInceptionDistance noiseKid = KernelInceptionDistance.compute(train, noise, 10, 200, 1);
        // Unbiased: the matching split is within a few standard errors of 0, the noise far from it.
        assertThat(Math.abs(splitKid.mean())).isLessThan(4 * splitKid.standardError());
        assertThat(noiseKid.mean()).isGreaterThan(10 * noiseKid.standardError())
                .isGreaterThan(20 * Math.abs(splitKid.mean()));
    }

    @Test
    void droppingOneClusterRaisesFrechetDistanceAndLowersRecallAndCoverage() {
        double[][] real = clusters(500, CLUSTERS, 3);
        double[][] complete = clusters(500, CLUSTERS, 4);
        double[][] missingOne = clusters(500, CLUSTERS - 1, 5);
        FeatureStatistics realStatistics = FeatureStatistics.of(real);

        double completeDistance = FrechetDistance.between(realStatistics, FeatureStatistics.of(complete));
        double missingDistance = FrechetDistance.between(realStatistics, FeatureStatistics.of(missingOne));
        assertThat(missingDistance).isGreaterThan(5 * completeDistance);

        PrecisionRecall completePr = PrecisionRecall.compute(real, complete);
        PrecisionRecall missingPr = PrecisionRecall.compute(real, missingOne);
        assertThat(completePr.recall()).isGreaterThan(0.75);
        assertThat(missingPr.recall()).isLessThan(completePr.recall() - 0.1);
        // The remaining clusters are still realistic: precision stays high.
        assertThat(missingPr.precision()).isGreaterThan(0.75);

        DensityCoverage completeDc = DensityCoverage.compute(real, complete);
        DensityCoverage missingDc = DensityCoverage.compute(real, missingOne);
        assertThat(completeDc.coverage()).isGreaterThan(0.9);
        assertThat(missingDc.coverage()).isLessThan(completeDc.coverage() - 0.1);

        ClassHistogram histogram = ClassHistogram.of(nearestCentres(missingOne), CLUSTERS, null);
        assertThat(histogram.classesCovered()).isEqualTo(CLUSTERS - 1);
        assertThat(histogram.klToReal()).isGreaterThan(0.1);
    }

    private static double[][] centres() {
        Random random = new Random(2024);
        double[][] centres = new double[CLUSTERS][DIMENSION];
        for (double[] centre : centres) {
            for (int j = 0; j < DIMENSION; j++) {
                centre[j] = 4 * random.nextGaussian();
            }
        }
        return centres;
    }

    /** {@code n} i.i.d. samples from an equal mixture of the first {@code clusters} clusters, unit variance. */
    private static double[][] clusters(int n, int clusters, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[n][DIMENSION];
        for (int i = 0; i < n; i++) {
            double[] centre = CENTRES[random.nextInt(clusters)];
            for (int j = 0; j < DIMENSION; j++) {
                rows[i][j] = centre[j] + random.nextGaussian();
            }
        }
        return rows;
    }

    private static int[] nearestCentres(double[][] rows) {
        int[] classes = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < CLUSTERS; k++) {
                double distance = Checks.squaredDistance(rows[i], CENTRES[k]);
                if (distance < best) {
                    best = distance;
                    classes[i] = k;
                }
            }
        }
        return classes;
    }
}
