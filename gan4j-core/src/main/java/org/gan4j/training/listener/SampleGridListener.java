package org.gan4j.training.listener;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.data.GanDataset;
import org.gan4j.io.ImageGrid;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;

/**
 * Saves a grid of generated images from the fixed noise every {@code output.sampleEvery} steps and at the end
 * ({@code samples/step-000500.png}), plus a grid of real images at the start ({@code samples/real.png}) of the same
 * shape: a dataset with fewer images than {@code output.sampleCount} shows each once and leaves the other cells empty.
 * For 2-D point data the {@link PlotListener} draws scatter plots instead.
 */
public final class SampleGridListener implements GanListener {

    /** {@inheritDoc} */
    @Override
    public void onTrainingStart(TrainingContext context) {
        GanDataset data = context.data();
        if (data.isPoints()) {
            return;
        }
        Path real = context.runDirectory().samples().resolve("real.png");
        if (!Files.exists(real)) {
            int count = Math.min(context.fixedCount(), data.size());
            int size = data.exampleSize();
            float[] images = new float[count * size];
            for (int i = 0; i < count; i++) {
                // spread over the dataset rather than its first rows, which are often one class
                int index = (int) ((long) i * data.size() / count);
                data.copyExample(index, images, i * size);
            }
            long[] shape = data.exampleShape();
            ImageGrid.writePngWithCells(images, count, context.fixedCount(), (int) shape[0], (int) shape[1],
                    (int) shape[2], real);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingContext context, StepResult result) {
        int every = context.config().output().sampleEvery();
        if (every > 0 && result.step() % every == 0) {
            save(context, result.step());
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(TrainingContext context, boolean completed) {
        save(context, context.trainer().step());
    }

    private static void save(TrainingContext context, long step) {
        if (context.data().isPoints()) {
            return;
        }
        Path file = context.runDirectory().samples().resolve(String.format("step-%06d.png", step));
        write(context, context.fixedSamples(), context.fixedCount(), file);
    }

    private static void write(TrainingContext context, float[] images, int count, Path file) {
        long[] shape = context.data().exampleShape();
        ImageGrid.writePng(images, count, (int) shape[0], (int) shape[1], (int) shape[2], file);
    }
}
