package org.gan4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.io.ImageGrid;
import org.gan4j.training.GanTrainer;
import org.gan4j.training.Noise;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gan4j interpolate}: images along a line between latent points (Radford et al. 2015, section 6.1). */
@Command(
        name = "interpolate",
        mixinStandardHelpOptions = true,
        description = {
            "Walk the latent space: each row shows G(z) for z moving from one random latent point to another.",
            "Smooth transitions suggest the generator has learned structure rather than memorised images."
        })
public final class InterpolateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin GeneratorOptions generator;

    @Option(names = "--steps", paramLabel = "N", description = "Images per row, end points included (default: ${DEFAULT-VALUE}).")
    int steps = 10;

    @Option(names = "--rows", paramLabel = "R", description = "Rows, each between its own pair of points (default: ${DEFAULT-VALUE}).")
    int rows = 1;

    @Option(names = "--slerp", description = "Interpolate along the great circle (spherical) instead of a straight line.")
    boolean slerp;

    @Option(names = "--out", paramLabel = "FILE", description = "Output image; its extension names the format: .png, .jpg, .jpeg, .bmp or .gif (default: RUN/samples/interpolation-seed-S.png).")
    Path out;

    @Override
    public Integer call() {
        if (steps < 2 || steps > 64) {
            throw new Gan4jException("--steps must be between 2 and 64, got " + steps);
        }
        if (rows < 1 || rows > 64) {
            throw new Gan4jException("--rows must be between 1 and 64, got " + rows);
        }
        if (out != null) {
            ImageOutput.check("--out", out);
        }
        try (GanTrainer trainer = generator.open()) {
            long[] shape = trainer.models().exampleShape();
            if (shape.length != 3) {
                throw new Gan4jException(generator.run + " generates points, not images: interpolate needs an image run");
            }
            int latent = trainer.models().latentSize();
            float[] ends = Noise.gaussian(generator.seed, Noise.SAMPLING, Long.MAX_VALUE - 1, 2 * rows * latent);
            float[] z = new float[rows * steps * latent];
            for (int r = 0; r < rows; r++) {
                for (int s = 0; s < steps; s++) {
                    double t = (double) s / (steps - 1);
                    Interpolation.point(ends, (2 * r) * latent, (2 * r + 1) * latent, latent, t, slerp, z, (r * steps + s) * latent);
                }
            }
            float[] images = trainer.sample(z, rows * steps);
            Path file = out != null ? out : generator.run.resolve("samples").resolve("interpolation-seed-" + generator.seed + ".png");
            ImageGrid.write(
                    ImageGrid.grid(images, rows * steps, (int) shape[0], (int) shape[1], (int) shape[2], steps,
                            ImageGrid.DEFAULT_PADDING),
                    file);
            spec.commandLine().getOut().printf("wrote %d×%d interpolation to %s (step %d)%n", rows, steps, file, trainer.step());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
