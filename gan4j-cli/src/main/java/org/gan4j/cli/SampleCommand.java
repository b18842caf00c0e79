package org.gan4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.ImageGrid;
import org.gan4j.io.IoFailures;
import org.gan4j.training.GanTrainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gan4j sample}: draws samples from a trained generator. */
@Command(
        name = "sample",
        mixinStandardHelpOptions = true,
        description = {
            "Draw samples from a run's generator (inference mode) as one grid image, one PNG per sample, or CSV (2-D data).",
            // one string per paragraph: picocli wraps each element on its own, so a sentence split over elements
            // printed as ragged half-lines
            "The same run, checkpoint, seed and -n always give the same samples. The grid's extension names its format"
                + " (.png, .jpg, .jpeg, .bmp or .gif); a file training wrote in a run (samples/real.png,"
                + " samples/step-NNNNNN.png, plots/) is never replaced. --out-dir takes a new or empty folder, or one holding only an earlier"
                + " draw's sample-NNNNNN.png files, which --replace replaces as a whole (never a mix of two draws); a run"
                + " directory or a folder holding other files is refused."
        },
        footer = {
            "",
            "Examples:",
            "  gan4j sample --run runs/dcgan-fashion-mnist -n 64 --grid grid.png",
            "  gan4j sample --run runs/dcgan-fashion-mnist -n 64 --grid grid.jpg",
            "  gan4j sample --run runs/dcgan-fashion-mnist --checkpoint 1000 -n 500 --out-dir samples/",
            "  gan4j sample --run runs/dcgan-fashion-mnist --checkpoint 2000 -n 500 --out-dir samples/ --replace",
            "  gan4j sample --run runs/d2l-gaussian -n 1000 --csv points.csv"
        })
public final class SampleCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin GeneratorOptions generator;

    @Option(names = "-n", paramLabel = "N", description = "Number of samples (default: ${DEFAULT-VALUE}).")
    int count = 64;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--grid", paramLabel = "FILE", description = "Write one grid image of all samples; the extension names the format: .png, .jpg, .jpeg, .bmp or .gif.")
        Path grid;

        @Option(names = "--out-dir", paramLabel = "DIR", description = "Write one PNG per sample (sample-000000.png …) into a new or empty folder, or one holding only an earlier draw (see --replace).")
        Path outDir;

        @Option(names = "--csv", paramLabel = "FILE.csv", description = "Write 2-D samples as CSV, one point per line (x,y).")
        Path csv;
    }

    @Option(names = "--replace", description = "With --out-dir: replace the earlier draw's sample-NNNNNN.png files there (all of them, only once the new draw is written).")
    boolean replace;

    @Override
    public Integer call() throws IOException {
        if (count < 1 || count > 1_000_000) {
            throw new Gan4jException("-n must be between 1 and 1000000, got " + count);
        }
        if (replace && target.outDir == null) {
            throw new Gan4jException("--replace applies to --out-dir only");
        }
        if (target.grid != null) {
            ImageOutput.check("--grid", target.grid);
        }
        if (target.csv != null) {
            RunFiles.check("--csv", target.csv);
        }
        SampleFolder folder = target.outDir != null ? SampleFolder.prepare(target.outDir, replace) : null;
        try (GanTrainer trainer = generator.open()) {
            long[] shape = trainer.models().exampleShape();
            boolean points = shape.length == 1;
            if (points && target.csv == null) {
                throw new Gan4jException(generator.run + " generates " + shape[0] + "-D points: use --csv FILE.csv");
            }
            if (!points && target.csv != null) {
                throw new Gan4jException(generator.run + " generates images: use --grid FILE.png or --out-dir DIR");
            }
            float[] samples = trainer.generate(generator.seed, count);
            var out = spec.commandLine().getOut();
            if (target.csv != null) {
                writeCsv(samples, (int) shape[0], target.csv);
                out.printf("wrote %d points to %s (step %d)%n", count, target.csv, trainer.step());
            } else if (target.grid != null) {
                ImageGrid.write(
                        ImageGrid.grid(samples, count, (int) shape[0], (int) shape[1], (int) shape[2],
                                ImageGrid.squareColumns(count), ImageGrid.DEFAULT_PADDING),
                        target.grid);
                out.printf("wrote a grid of %d samples to %s (step %d)%n", count, target.grid, trainer.step());
            } else {
                int replaced = folder.write(samples, shape);
                out.printf("wrote %d PNG files to %s (step %d)%s%n", count, target.outDir, trainer.step(),
                        replaced > 0 ? ", replacing the " + replaced + " of the earlier draw" : "");
            }
            out.flush();
        }
        return 0;
    }

    private static void writeCsv(float[] samples, int dimension, Path file) {
        try {
            writeCsvAtomically(samples, dimension, file);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot write " + file, e);
        }
    }

    private static void writeCsvAtomically(float[] samples, int dimension, Path file) throws IOException {
        AtomicFiles.write(
                file,
                stream -> {
                    Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                    StringBuilder header = new StringBuilder();
                    for (int d = 0; d < dimension; d++) {
                        header.append(d == 0 ? "" : ",").append(dimension == 2 ? (d == 0 ? "x" : "y") : "x" + d);
                    }
                    writer.write(header.append('\n').toString());
                    for (int i = 0; i < samples.length; i += dimension) {
                        StringBuilder line = new StringBuilder();
                        for (int d = 0; d < dimension; d++) {
                            line.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", samples[i + d]));
                        }
                        writer.write(line.append('\n').toString());
                    }
                    writer.flush();
                });
    }
}
