package org.gan4j.training.listener;

import java.nio.file.Path;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.data.GanDataset;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.io.Plots;
import org.gan4j.io.DecisionMap;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redraws {@code plots/losses.png} and {@code plots/d-outputs.png} from metrics.jsonl every {@code output.plotEvery}
 * steps and at the end; for 2-D data it also draws {@code plots/scatter-step-N.png} (real vs generated points over
 * D's probability map and its 0.5 decision contour) every {@code output.sampleEvery} steps and at the end.
 *
 * <p>Plots are a view of metrics.jsonl, not the run's record: when one cannot be drawn or written (a headless machine
 * without fonts, a full disk), the listener logs one warning naming the cause, draws no more plots in this run, and
 * training goes on ({@code gan4j report} draws the same curves from metrics.jsonl as an HTML page).
 */
public final class PlotListener implements GanListener {

    private static final Logger LOG = LoggerFactory.getLogger(PlotListener.class);
    private static final int MAP_RESOLUTION = 80;

    private boolean disabled;

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingContext context, StepResult result) {
        int plotEvery = context.config().output().plotEvery();
        if (plotEvery > 0 && result.step() % plotEvery == 0) {
            guarded(() -> drawCurves(context));
        }
        int sampleEvery = context.config().output().sampleEvery();
        if (sampleEvery > 0 && result.step() % sampleEvery == 0) {
            guarded(() -> drawScatter(context, result.step()));
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(TrainingContext context, boolean completed) {
        guarded(() -> drawCurves(context));
        guarded(() -> drawScatter(context, context.trainer().step()));
    }

    /**
     * Returns whether a failed plot has turned plotting off for this run.
     *
     * @return true after the first plot that could not be drawn or written
     */
    public boolean disabled() {
        return disabled;
    }

    /** Runs a drawing unless plotting is off; a failure turns it off with one warning. */
    void guarded(Runnable drawing) {
        if (disabled) {
            return;
        }
        try {
            drawing.run();
        } catch (Gan4jException e) {
            disabled = true;
            LOG.warn("plots are off for the rest of this run, training goes on: {}", e.getMessage());
        }
    }

    private static void drawCurves(TrainingContext context) {
        List<MetricsRow> rows = MetricsLog.read(context.runDirectory().metrics());
        if (rows.isEmpty()) {
            return;
        }
        Path plots = context.runDirectory().plots();
        Plots.lossCurves(rows, plots.resolve("losses.png"));
        Plots.discriminatorOutputs(rows, plots.resolve("d-outputs.png"));
    }

    private static void drawScatter(TrainingContext context, long step) {
        GanDataset data = context.data();
        if (!data.isPoints() || data.exampleSize() != 2) {
            return;
        }
        int count = context.fixedCount();
        float[] fake = context.fixedSamples();
        int realCount = Math.min(Math.max(count, 500), data.size());
        float[] real = new float[realCount * 2];
        for (int i = 0; i < realCount; i++) {
            data.copyExample((int) ((long) i * data.size() / realCount), real, i * 2);
        }
        double[] bounds = bounds(real);
        DecisionMap map = decisionMap(context, bounds);
        Path file = context.runDirectory().plots().resolve(String.format("scatter-step-%06d.png", step));
        Plots.scatter(real, fake, map, "real vs generated, step " + step, file);
    }

    /** Bounds of the real points with a 25 % margin: {xMin, xMax, yMin, yMax}. */
    private static double[] bounds(float[] points) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < points.length; i += 2) {
            xMin = Math.min(xMin, points[i]);
            xMax = Math.max(xMax, points[i]);
            yMin = Math.min(yMin, points[i + 1]);
            yMax = Math.max(yMax, points[i + 1]);
        }
        double marginX = Math.max((xMax - xMin) * 0.25, 0.1);
        double marginY = Math.max((yMax - yMin) * 0.25, 0.1);
        return new double[] {xMin - marginX, xMax + marginX, yMin - marginY, yMax + marginY};
    }

    private static DecisionMap decisionMap(TrainingContext context, double[] bounds) {
        int resolution = MAP_RESOLUTION;
        int packing = context.trainer().models().packing();
        int cells = resolution * resolution;
        // With packing m, D judges m samples at once: each grid point is judged as m copies of itself.
        float[] grid = new float[cells * 2 * packing];
        for (int iy = 0; iy < resolution; iy++) {
            for (int ix = 0; ix < resolution; ix++) {
                float x = (float) (bounds[0] + (bounds[1] - bounds[0]) * (ix + 0.5) / resolution);
                float y = (float) (bounds[2] + (bounds[3] - bounds[2]) * (iy + 0.5) / resolution);
                int cell = iy * resolution + ix;
                for (int copy = 0; copy < packing; copy++) {
                    grid[(cell * packing + copy) * 2] = x;
                    grid[(cell * packing + copy) * 2 + 1] = y;
                }
            }
        }
        float[] probabilities = context.trainer().discriminatorProbability(grid, cells * packing);
        float[] perCell = new float[cells];
        for (int cell = 0; cell < cells; cell++) {
            perCell[cell] = probabilities[cell * packing];
        }
        return new DecisionMap(bounds[0], bounds[1], bounds[2], bounds[3], resolution, perCell);
    }
}
