package org.gan4j.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gan4j.Gan4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run directory: the self-describing folder that training writes and sampling, evaluation, resume and reports
 * read.
 *
 * <pre>
 * runs/&lt;name&gt;/
 *   run.json  metrics.jsonl  samples/  plots/  checkpoints/  eval/
 * </pre>
 *
 * <p>{@link #create} never reuses an existing folder: if {@code runs/name} exists it takes {@code name-2},
 * {@code name-3}, and so on. The folder counts as a run once it holds {@code run.json}.
 */
public final class RunDirectory {

    /** Below this many usable bytes {@link #checkWritable} logs a WARN (1 GiB). */
    public static final long LOW_SPACE_BYTES = 1L << 30;

    /** The name of the run description file. */
    public static final String RUN_JSON = "run.json";

    /** The name of the metrics file. */
    public static final String METRICS_JSONL = "metrics.jsonl";

    /**
     * Present while a process trains the run: {@code {"pid": N, "host": "name"}}. {@code gan4j serve} reads it to
     * tell a run that is evaluating (and so writes no metrics for a while) from one that stopped; a marker whose
     * process is gone (killed with SIGKILL) counts as absent.
     */
    public static final String TRAINING_MARKER = ".gan4j-training";

    private static final Logger LOGGER = LoggerFactory.getLogger(RunDirectory.class);
    private static final int MAX_SUFFIX = 10_000;
    private static final List<String> SUBFOLDERS = List.of("samples", "plots", "checkpoints", "eval");

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /**
     * Creates a new run directory {@code base/name} (or {@code name-2}, {@code name-3}, ... if taken) with its
     * {@code samples/ plots/ checkpoints/ eval/} subfolders.
     *
     * @param base the folder that holds runs; created if missing
     * @param name the run name: letters, digits, '.', '_' and '-', not starting with '.' or '-'
     * @return the new run directory
     * @throws Gan4jException if the name is invalid or the base folder is not writable
     */
    public static RunDirectory create(Path base, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}")) {
            throw new Gan4jException("run name '" + name
                    + "' is invalid: use letters, digits, '.', '_' and '-' (not first), at most 200 characters");
        }
        checkWritable(base, false); // training checks the free space (TrainingRun.checkFreeSpace)
        for (int suffix = 1; suffix <= MAX_SUFFIX; suffix++) {
            Path candidate = base.resolve(suffix == 1 ? name : name + "-" + suffix);
            try {
                Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                throw IoFailures.wrap("cannot create run directory " + candidate, e);
            }
            RunDirectory run = new RunDirectory(candidate);
            try {
                for (Path sub : new Path[] {run.samples(), run.plots(), run.checkpoints(), run.eval()}) {
                    Files.createDirectory(sub);
                }
            } catch (IOException e) {
                throw IoFailures.wrap("cannot create the folders of run directory " + candidate, e);
            }
            AtomicFiles.syncDirectory(base);
            return run;
        }
        throw new Gan4jException("run directory " + base.resolve(name) + " and " + MAX_SUFFIX
                + " numbered variants already exist: choose another run name");
    }

    /**
     * Whether a folder is what {@link #create} leaves when a start stops before run.json is written (a refused
     * start, Ctrl-C or a kill while the data and networks are being prepared): no run.json and nothing but the four
     * empty subfolders. Such a folder holds nothing of value.
     *
     * @param dir the folder
     * @return true for the empty skeleton of a run that never started
     */
    public static boolean isUnstarted(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Files.exists(dir.resolve(RUN_JSON))) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!SUBFOLDERS.contains(entry.getFileName().toString())
                        || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
                try (Stream<Path> inside = Files.list(entry)) {
                    if (inside.findAny().isPresent()) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes this run directory if it is still the empty skeleton of a run that never started
     * ({@link #isUnstarted}); a folder holding anything else is left alone.
     *
     * @return true if the folder was removed
     */
    public boolean removeIfUnstarted() {
        return removeUnstarted(root);
    }

    /**
     * Removes a folder if it is the empty skeleton of a run that never started ({@link #isUnstarted}).
     *
     * @param dir the folder
     * @return true if the folder was removed
     */
    public static boolean removeUnstarted(Path dir) {
        if (!isUnstarted(dir)) {
            return false;
        }
        try {
            for (String sub : SUBFOLDERS) {
                Files.deleteIfExists(dir.resolve(sub));
            }
            Files.delete(dir);
            return true;
        } catch (IOException e) {
            LOGGER.warn("cannot remove the empty run directory {}: {}", dir, IoFailures.reason(e));
            return false;
        }
    }

    /**
     * Removes what interrupted atomic writes left in the run's own folders (temp files of run.json, metrics.jsonl,
     * sample grids and plots; {@link CheckpointStore} cleans its folder itself). For a run being resumed: nothing
     * else writes these folders then. {@code eval/} is left alone, since {@code gan4j evaluate} may write there.
     */
    public void removeWriteLeftovers() {
        for (Path folder : new Path[] {root, samples(), plots()}) {
            AtomicFiles.removeTempFiles(folder);
        }
    }

    /**
     * Opens an existing run directory (it must contain {@code run.json}); nothing is created or changed.
     *
     * @param dir the run directory
     * @return the run directory
     * @throws Gan4jException if {@code dir} has no {@code run.json}; the message says when {@code dir} is the run's
     *     run.json itself, another file, or missing
     */
    public static RunDirectory open(Path dir) {
        if (Files.isRegularFile(dir) && dir.getFileName() != null && dir.getFileName().toString().equals(RUN_JSON)) {
            Path folder = dir.getParent() != null ? dir.getParent() : Path.of(".");
            throw new Gan4jException(dir + " is not a gan4j run directory but the " + RUN_JSON
                    + " of one: name its folder, " + folder);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new Gan4jException(dir + " is not a gan4j run directory: it is a file, not a folder");
        }
        if (!Files.exists(dir)) {
            throw new Gan4jException(dir + " is not a gan4j run directory: it does not exist");
        }
        if (!Files.isRegularFile(dir.resolve(RUN_JSON))) {
            throw new Gan4jException(dir + " is not a gan4j run directory (no " + RUN_JSON + ")");
        }
        return new RunDirectory(dir);
    }

    /**
     * Makes sure a folder exists and is writable by creating and deleting a probe file; WARNs when free space is
     * below {@link #LOW_SPACE_BYTES}.
     *
     * @param dir the folder; created (with parents) if missing
     * @throws Gan4jException one line, for example "output directory /x is not writable: Permission denied"
     */
    public static void checkWritable(Path dir) {
        checkWritable(dir, true);
    }

    /**
     * As {@link #checkWritable(Path)}; without the low-space warning when {@code warnLowSpace} is false (training
     * checks the space its checkpoints need itself, and a refused start is one error line, not a warning and an error).
     *
     * @param dir the folder; created (with parents) if missing
     * @param warnLowSpace whether to WARN below {@link #LOW_SPACE_BYTES}
     */
    public static void checkWritable(Path dir, boolean warnLowSpace) {
        for (Path ancestor = dir.toAbsolutePath().normalize(); ancestor != null; ancestor = ancestor.getParent()) {
            if (Files.exists(ancestor) && !Files.isDirectory(ancestor)) {
                throw new Gan4jException("output directory " + dir + " cannot be created: " + ancestor
                        + " is a file, not a folder");
            }
        }
        Path probe = dir.resolve(".gan4j-write-probe-" + AtomicFiles.randomHex());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw cannotCreate(dir, nearestExisting(dir), e);
        }
        try {
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
        } catch (IOException e) {
            throw IoFailures.wrap("output directory " + dir + " is not writable", e);
        }
        long usable = warnLowSpace ? usableBytes(dir) : -1;
        if (usable >= 0 && usable < LOW_SPACE_BYTES) {
            LOGGER.warn("output directory {} has only {} MiB free", dir, usable >> 20);
        }
    }

    /**
     * Checks, without creating it, that a folder can be created: no ancestor is a file, and the nearest existing
     * ancestor takes new entries (a probe file is written there and removed). The error names the folder asked for
     * and, in plain words, which ancestor refuses it and why; a folder that exists passes.
     *
     * @param dir the folder, for example {@code --out}
     * @throws Gan4jException one line, for example "output directory /proc/x cannot be created: /proc does not allow
     *     new files or folders in it (its file system refuses them: No such file or directory)"
     */
    public static void checkCreatable(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        for (Path ancestor = absolute; ancestor != null; ancestor = ancestor.getParent()) {
            if (Files.exists(ancestor) && !Files.isDirectory(ancestor)) {
                throw new Gan4jException("output directory " + dir + " cannot be created: " + ancestor
                        + " is a file, not a folder");
            }
        }
        Path existing = nearestExisting(absolute);
        if (existing == null || existing.equals(absolute)) {
            return;
        }
        Path probe = existing.resolve(".gan4j-write-probe-" + AtomicFiles.randomHex());
        try {
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
        } catch (IOException e) {
            throw cannotCreate(dir, existing, e);
        }
    }

    /** The folder itself if it exists, else its nearest existing ancestor (null if none exists). */
    private static Path nearestExisting(Path dir) {
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }

    /** A folder that cannot be created, named with the ancestor that refuses new entries and why. */
    private static Gan4jException cannotCreate(Path dir, Path existing, IOException e) {
        String why;
        if (existing == null) {
            why = IoFailures.reason(e);
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            why = "no permission to create anything in " + existing;
        } else if (e instanceof java.nio.file.NoSuchFileException && Files.isDirectory(existing)) {
            // the folder exists, yet creating in it says "no such file": a file system that takes no new entries
            why = existing + " does not allow new files or folders in it (its file system refuses them: "
                    + IoFailures.reason(e) + ")";
        } else {
            why = "cannot create anything in " + existing + ": " + IoFailures.reason(e);
        }
        return new Gan4jException("output directory " + dir + " cannot be created: " + why, e);
    }

    /**
     * Returns the bytes usable by this JVM on the file system holding this run.
     *
     * @return usable bytes, or -1 if unknown
     */
    public long usableBytes() {
        return usableBytes(root);
    }

    private static long usableBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Returns the run's folder.
     *
     * @return {@code runs/<name>}
     */
    public Path root() {
        return root;
    }

    /**
     * Returns the path of the run description.
     *
     * @return {@code runs/<name>/run.json}
     */
    public Path runJson() {
        return root.resolve(RUN_JSON);
    }

    /**
     * Returns the path of the metrics log.
     *
     * @return {@code runs/<name>/metrics.jsonl}
     */
    public Path metrics() {
        return root.resolve(METRICS_JSONL);
    }

    /**
     * Returns the folder of sample grids.
     *
     * @return {@code runs/<name>/samples}
     */
    public Path samples() {
        return root.resolve("samples");
    }

    /**
     * Returns the sample grid path of a step.
     *
     * @param step the training step
     * @return {@code runs/<name>/samples/step-000500.png}
     */
    public Path sample(long step) {
        return samples().resolve(Formats.samplePng(step));
    }

    /**
     * Returns the folder of plots.
     *
     * @return {@code runs/<name>/plots}
     */
    public Path plots() {
        return root.resolve("plots");
    }

    /**
     * Returns the folder of checkpoints (see {@link CheckpointStore}).
     *
     * @return {@code runs/<name>/checkpoints}
     */
    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    /**
     * Returns the folder of evaluation results.
     *
     * @return {@code runs/<name>/eval}
     */
    public Path eval() {
        return root.resolve("eval");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
