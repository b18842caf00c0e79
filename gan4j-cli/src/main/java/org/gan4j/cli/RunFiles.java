package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.Gan4jException;
import org.gan4j.io.RunDirectory;

/**
 * Refuses an output option that names an existing file gan4j wrote in a run directory: {@code run.json},
 * {@code metrics.jsonl}, anything under {@code checkpoints*}, {@code eval/} or {@code plots/}, and the sample grids
 * training wrote ({@code samples/real.*}, {@code samples/step-NNNNNN.*}). {@code sample --csv RUN/run.json} or
 * {@code evaluate --out RUN/metrics.jsonl} replaced them, and with them the run. A file of the user's own in a run
 * directory, and what a command writes there by default (interpolate's {@code samples/interpolation-*.png},
 * report's {@code report.html}), may be replaced.
 */
final class RunFiles {

    /** How many folders above the file's own are searched for the run directory. */
    private static final int DEPTH = 4;

    private RunFiles() {}

    /**
     * Refuses to write over a file gan4j wrote in a run directory.
     *
     * @param option the option that named the file, for the message
     * @param file the file to write
     * @throws Gan4jException naming the option, the file and the run
     */
    static void check(String option, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            return;
        }
        // the folder the file is written into, with its links resolved: a linked folder (grids -> RUN/samples) hid
        // the run above it. The file's own name stays as given: a link to a run's file is replaced itself.
        try {
            absolute = absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (java.io.IOException e) {
            // as given
        }
        Path run = absolute.getParent();
        for (int level = 0; run != null && level < DEPTH; level++, run = run.getParent()) {
            if (!Files.isRegularFile(run.resolve(RunDirectory.RUN_JSON))) {
                continue;
            }
            Path relative = run.relativize(absolute);
            String first = relative.getName(0).toString();
            String name = absolute.getFileName().toString();
            boolean written = relative.getNameCount() == 1
                    ? name.equals(RunDirectory.RUN_JSON) || name.equals(RunDirectory.METRICS_JSONL)
                            || name.startsWith(".gan4j-")
                    : first.startsWith("checkpoints") || first.equals("eval") || first.equals("plots")
                            || first.equals("samples") && relative.getNameCount() == 2
                                    && (name.startsWith("real.") || name.matches("step-\\d+\\..*"));
            if (written) {
                throw new Gan4jException(option + " " + file + " would replace " + relative + ", which gan4j wrote"
                        + " in run " + run + ": name another file");
            }
            return;
        }
    }
}
