package org.gan4j.evaluation;

/**
 * Gaussian Parzen-window estimate of the log-likelihood of test data under a generator, as in Goodfellow et al.,
 * "Generative Adversarial Nets" (NeurIPS 2014), following Breuleux et al. (2011).
 *
 * <p>A Gaussian kernel of width {@code σ} is placed on each of the {@code N} generated samples {@code s_j}; for a
 * test point {@code x} in {@code d} dimensions:
 *
 * <pre>
 *   log p(x) = logsumexp_j( −||x − s_j||² / (2σ²) ) − log N − (d/2) log(2π σ²)
 * </pre>
 *
 * <p>The log-sum-exp subtracts the largest exponent first, so no term under- or overflows. The result is the mean
 * over the test points and its standard error (sample standard deviation, denominator {@code n − 1}, divided by
 * {@code √n}; NaN for one point). {@code σ} is chosen by maximising the mean log-likelihood on a validation set
 * ({@link #chooseSigma}). Test points are processed one at a time with one buffer of {@code N} exponents, so
 * memory stays {@code O(N)} per thread. Higher is better; the estimate is known to be high-variance and
 * unreliable in high dimensions (Theis et al., "A note on the evaluation of generative models", ICLR 2016), so
 * use it for low-dimensional data or comparison with old papers only.
 *
 * @param sigma the kernel width used
 * @param meanLogLikelihood the mean log-likelihood of the test points, in nats
 * @param standardError the standard error of that mean
 */
public record ParzenWindow(double sigma, double meanLogLikelihood, double standardError) {

    /**
     * Estimates the mean log-likelihood of test points under the Parzen window of the samples.
     *
     * @param test the test points, one per row, at least one
     * @param samples the generated samples, same dimension, at least one
     * @param sigma the kernel width, positive
     * @return the mean log-likelihood and its standard error
     */
    public static ParzenWindow logLikelihood(double[][] test, double[][] samples, double sigma) {
        int dimension = Checks.matrix("test", test, 1);
        Checks.sameDimension("test", dimension, "samples", Checks.matrix("samples", samples, 1));
        return estimate(test, samples, checkedSigma(sigma), dimension);
    }

    /**
     * Chooses the kernel width that maximises the mean log-likelihood of a validation set (the first on ties)
     * and returns that estimate on the validation set.
     *
     * @param validation validation points, one per row
     * @param samples the generated samples, same dimension
     * @param candidates the widths to try, each positive, at least one
     * @return the best width with its validation log-likelihood
     */
    public static ParzenWindow chooseSigma(double[][] validation, double[][] samples, double[] candidates) {
        int dimension = Checks.matrix("validation", validation, 1);
        Checks.sameDimension("validation", dimension, "samples", Checks.matrix("samples", samples, 1));
        Checks.vector("candidates", candidates);
        ParzenWindow best = null;
        for (double candidate : candidates) {
            ParzenWindow estimate = estimate(validation, samples, checkedSigma(candidate), dimension);
            if (best == null || estimate.meanLogLikelihood > best.meanLogLikelihood) {
                best = estimate;
            }
        }
        return best;
    }

    private static double checkedSigma(double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma is " + sigma + "; expected a positive finite value");
        }
        return sigma;
    }

    private static ParzenWindow estimate(double[][] test, double[][] samples, double sigma, int dimension) {
        double scale = 1.0 / (2 * sigma * sigma);
        double normaliser = Math.log(samples.length) + 0.5 * dimension * Math.log(2 * Math.PI * sigma * sigma);
        double[] values = new double[test.length];
        NearestNeighbours.rows(test.length, (long) test.length * samples.length).forEach(i -> {
            double[] exponents = new double[samples.length];
            double largest = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < samples.length; j++) {
                exponents[j] = -Checks.squaredDistance(test[i], samples[j]) * scale;
                largest = Math.max(largest, exponents[j]);
            }
            double sum = 0;
            for (double exponent : exponents) {
                sum += Math.exp(exponent - largest);
            }
            values[i] = largest + Math.log(sum) - normaliser;
        });
        double mean = 0;
        for (double value : values) {
            mean += value;
        }
        mean /= values.length;
        double standardError = Double.NaN;
        if (values.length > 1) {
            double squares = 0;
            for (double value : values) {
                squares += (value - mean) * (value - mean);
            }
            standardError = Math.sqrt(squares / (values.length - 1)) / Math.sqrt(values.length);
        }
        return new ParzenWindow(sigma, mean, standardError);
    }
}
