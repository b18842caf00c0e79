package org.gan4j.evaluation;

import java.util.Arrays;

/**
 * How well generated samples match a known Gaussian, for the textbook toy GAN whose real data is
 * {@code x = A z + b} with {@code z ~ N(0, I)}, so that the real mean is {@code b} and the real covariance
 * {@code A Aᵀ} (d2l.ai, "Generative Adversarial Networks").
 *
 * <p>The samples' mean and unbiased covariance are compared with the real ones by their largest absolute
 * element-wise error and by the Fréchet distance between the two Gaussians
 * ({@link FrechetDistance#betweenGaussians}). All three are 0 for a perfect fit.
 *
 * @param mean the sample mean
 * @param covariance the unbiased sample covariance
 * @param meanMaxAbsError {@code max_i |mean_i − realMean_i|}
 * @param covarianceMaxAbsError {@code max_ij |covariance_ij − realCovariance_ij|}
 * @param frechetDistance the Fréchet distance between {@code N(mean, covariance)} and the real Gaussian
 */
public record GaussianFit(double[] mean, double[][] covariance, double meanMaxAbsError,
        double covarianceMaxAbsError, double frechetDistance) {

    /**
     * Copies the arrays so that the record is immutable.
     *
     * @param mean the sample mean
     * @param covariance the sample covariance
     * @param meanMaxAbsError the largest mean error
     * @param covarianceMaxAbsError the largest covariance error
     * @param frechetDistance the Fréchet distance
     */
    public GaussianFit {
        mean = mean.clone();
        covariance = Checks.copy(covariance);
    }

    /**
     * Fits a Gaussian to the samples and compares it with the real one.
     *
     * @param samples generated points, one per row, at least two
     * @param realMean the real mean, same dimension
     * @param realCovariance the real covariance, symmetric PSD
     * @return the fit and its errors
     */
    public static GaussianFit of(double[][] samples, double[] realMean, double[][] realCovariance) {
        int dimension = Checks.matrix("samples", samples, 2);
        Checks.sameDimension("samples", dimension, "realMean", Checks.vector("realMean", realMean));
        Checks.square("realCovariance", realCovariance, dimension);
        FeatureStatistics statistics = FeatureStatistics.of(samples);
        double[] mean = statistics.mean();
        double[][] covariance = statistics.covariance();
        double meanError = 0;
        double covarianceError = 0;
        for (int i = 0; i < dimension; i++) {
            meanError = Math.max(meanError, Math.abs(mean[i] - realMean[i]));
            for (int j = 0; j < dimension; j++) {
                covarianceError = Math.max(covarianceError, Math.abs(covariance[i][j] - realCovariance[i][j]));
            }
        }
        double distance = FrechetDistance.betweenGaussians(mean, covariance, realMean, realCovariance);
        return new GaussianFit(mean, covariance, meanError, covarianceError, distance);
    }

    /**
     * Returns the sample mean.
     *
     * @return a copy of the mean
     */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /**
     * Returns the unbiased sample covariance.
     *
     * @return a copy of the covariance
     */
    @Override
    public double[][] covariance() {
        return Checks.copy(covariance);
    }

    /**
     * Compares all components, arrays element by element.
     *
     * @param other the object to compare with
     * @return whether both hold the same numbers
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof GaussianFit that
                && Arrays.equals(mean, that.mean)
                && Arrays.deepEquals(covariance, that.covariance)
                && Double.compare(meanMaxAbsError, that.meanMaxAbsError) == 0
                && Double.compare(covarianceMaxAbsError, that.covarianceMaxAbsError) == 0
                && Double.compare(frechetDistance, that.frechetDistance) == 0;
    }

    /**
     * Hashes all components.
     *
     * @return a hash consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        int hash = Arrays.hashCode(mean);
        hash = hash * 31 + Arrays.deepHashCode(covariance);
        hash = hash * 31 + Double.hashCode(meanMaxAbsError);
        hash = hash * 31 + Double.hashCode(covarianceMaxAbsError);
        return hash * 31 + Double.hashCode(frechetDistance);
    }

    /**
     * Describes the fit.
     *
     * @return all components
     */
    @Override
    public String toString() {
        return "GaussianFit[mean=" + Arrays.toString(mean) + ", covariance=" + Arrays.deepToString(covariance)
                + ", meanMaxAbsError=" + meanMaxAbsError + ", covarianceMaxAbsError=" + covarianceMaxAbsError
                + ", frechetDistance=" + frechetDistance + "]";
    }
}
