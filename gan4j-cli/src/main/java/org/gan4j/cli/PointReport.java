package org.gan4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.gan4j.Gan4jException;
import org.gan4j.data.GanDataset;
import org.gan4j.data.MixtureDataset;
import org.gan4j.evaluation.FeatureStatistics;
import org.gan4j.evaluation.GaussianFit;
import org.gan4j.evaluation.MetricSuite;
import org.gan4j.evaluation.Verdict;
import org.gan4j.evaluation.run.RunEvaluator;
import org.gan4j.training.GanTrainer;

/**
 * After training on 2-D points: the generated data's mean and covariance next to the real data's, and their
 * Fréchet distance (the d2l toy's success criterion); for a mixture (ring, grid), also the modes G covers and the
 * verdict on them, as {@code gan4j evaluate RUN --metrics modes} and {@code --eval-every} measure them.
 */
final class PointReport {

    /** How many points are generated for the comparison. */
    static final int SAMPLES = 50_000;

    /** How many points the mode count uses: PacGAN's 2,500, the default of {@code --eval-samples}. */
    static final int MODE_SAMPLES = 2_500;

    private PointReport() {}

    /** The Gaussian fit of {@link #SAMPLES} generated points against the real data's statistics. */
    private static GaussianFit fit(GanTrainer trainer, FeatureStatistics real, int dimension, long seed) {
        float[] generated = trainer.generate(seed, SAMPLES);
        RunEvaluator.checkFinite(generated, dimension);
        return GaussianFit.of(RunEvaluator.toRows(generated, SAMPLES, dimension), real.mean(), real.covariance());
    }

    static void print(PrintWriter out, GanTrainer trainer, GanDataset data, long seed) {
        FeatureStatistics real = realStatistics(data);
        GaussianFit fit;
        try {
            fit = fit(trainer, real, data.exampleSize(), seed);
        } catch (Gan4jException e) {
            // a diverged generator: say so instead of failing after the run's checkpoint is written
            out.printf("2-D fit: not computed: %s%n", e.getMessage());
            out.flush();
            return;
        }
        out.printf("2-D fit: %d generated points vs the %d real points%n", SAMPLES, data.size());
        out.printf("                 real                  generated%n");
        out.printf(Locale.ROOT, "  mean        %s      %s%n", row(real.mean()), row(fit.mean()));
        double[][] covariance = real.covariance();
        for (int r = 0; r < covariance.length; r++) {
            out.printf(
                    Locale.ROOT,
                    "  %-10s  %s      %s%n",
                    r == 0 ? "covariance" : "",
                    row(covariance[r]),
                    row(fit.covariance()[r]));
        }
        out.printf(
                Locale.ROOT,
                "  max |mean error| %.3f, max |covariance error| %.3f, Fréchet distance %.4f%n",
                fit.meanMaxAbsError(),
                fit.covarianceMaxAbsError(),
                fit.frechetDistance());
        if (data instanceof MixtureDataset mixture) {
            printModes(out, trainer, mixture, seed);
        }
        out.flush();
    }

    /**
     * Prints the modes G's samples cover and the verdict on them, the measures of a mixture: its mean and covariance
     * can match the real data's while G covers half of the modes.
     */
    private static void printModes(PrintWriter out, GanTrainer trainer, MixtureDataset mixture, long seed) {
        double[][] points = RunEvaluator.toRows(trainer.generate(seed, MODE_SAMPLES), MODE_SAMPLES,
                mixture.exampleSize());
        Map<String, Double> modes = MetricSuite.mixture(points, mixture.centres(), mixture.std());
        double reverseKl = modes.get("reverseKl");
        out.printf(
                Locale.ROOT,
                "modes: %.0f of %.0f captured by %d generated points, %.1f %% of them of high quality (within 3 std of"
                        + " a mode), reverse KL %s%n",
                modes.get("modesCaptured"), modes.get("modes"), MODE_SAMPLES, 100 * modes.get("highQualityFraction"),
                Double.isFinite(reverseKl) ? String.format(Locale.ROOT, "%.3f nats", reverseKl)
                        : "undefined (no sample near a mode)");
        for (String line : Verdict.of(modes)) {
            out.println("  " + line);
        }
    }

    private static FeatureStatistics realStatistics(GanDataset data) {
        int dimension = data.exampleSize();
        double[][] real = new double[data.size()][dimension];
        float[] buffer = new float[dimension];
        for (int i = 0; i < data.size(); i++) {
            data.copyExample(i, buffer, 0);
            for (int d = 0; d < dimension; d++) {
                real[i][d] = buffer[d];
            }
        }
        return FeatureStatistics.of(real);
    }

    private static String row(double[] values) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%7.3f", values[i]));
        }
        return text.append(']').toString();
    }
}
