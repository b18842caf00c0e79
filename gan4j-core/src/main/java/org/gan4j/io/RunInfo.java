package org.gan4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.gan4j.Gan4jException;

/**
 * The {@code run.json} file: everything needed to repeat a run (provenance).
 *
 * <p>Layout:
 *
 * <pre>
 * {
 *   "start": "2024-05-01T12:00:00Z",
 *   "seed": 42,
 *   "versions": {"gan4j": "0.1.0", "djl": "0.35.1", "libtorch": "2.7.1", "java": "17.0.15"},
 *   "git": {"sha": "3f2a...", "dirty": false},          (both null outside a git checkout)
 *   "host": {"name": "...", "os": "Linux 6.1.0 amd64", "cores": 2, "maxHeapBytes": 2147483648,
 *            "java": "17.0.15+6-Debian-1deb12u1", "javaVendor": "Debian"},
 *   "config": { ...the resolved configuration... }
 * }
 * </pre>
 */
public final class RunInfo {

    /**
     * The key of the training time a session had reached when it ended: {@code {"step": S, "wallSecs": W}}, written
     * when a session ends (finished, stopped by Ctrl-C/SIGTERM or by {@code --max-steps}); a resume from step S
     * continues counting from W, so the time between the last metrics row and the stop is not lost.
     */
    public static final String TRAINING_TIME_KEY = "trainingTime";

    /** How long each git command may take before it is abandoned. */
    public static final long GIT_TIMEOUT_MILLIS = 2000;

    private RunInfo() {}

    /**
     * Writes {@code run.json} atomically, adding git, host and Java facts to what the caller supplies.
     *
     * <p>Git facts come from {@code git rev-parse HEAD} and {@code git status --porcelain} run in the current
     * working directory; {@code "java"} is added to the versions unless the caller supplied it.
     *
     * @param file the file to write, normally {@link RunDirectory#runJson()}
     * @param resolvedConfig the fully resolved configuration (any Jackson-serializable values, records included)
     * @param seed the run's seed
     * @param versions component versions, for example gan4j, djl, libtorch
     * @param start when the run started
     * @throws Gan4jException if the file cannot be written
     */
    public static void write(
            Path file, Map<String, Object> resolvedConfig, long seed, Map<String, String> versions, Instant start) {
        write(file, (Object) resolvedConfig, seed, versions, start, Map.of());
    }

    /**
     * Writes {@code run.json} atomically with extra top-level sections (for example what the data and the model
     * resolved to), which later readers such as {@code gan4j sample} rely on.
     *
     * @param file the file to write, normally {@link RunDirectory#runJson()}
     * @param resolvedConfig the fully resolved configuration: a map, a record or a Jackson tree
     * @param seed the run's seed
     * @param versions component versions, for example gan4j, djl, libtorch
     * @param start when the run started
     * @param extra further top-level sections, written after {@code config}
     * @throws Gan4jException if the file cannot be written
     */
    public static void write(
            Path file,
            Object resolvedConfig,
            long seed,
            Map<String, String> versions,
            Instant start,
            Map<String, Object> extra) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("start", start.toString());
        root.put("seed", seed);
        Map<String, String> allVersions = new LinkedHashMap<>(versions);
        allVersions.putIfAbsent("java", Runtime.version().feature() + "." + Runtime.version().interim() + "."
                + Runtime.version().update());
        root.set("versions", Json.MAPPER.valueToTree(allVersions));
        GitState git = gitState(Path.of("").toAbsolutePath());
        ObjectNode gitNode = root.putObject("git");
        gitNode.put("sha", git.sha().orElse(null));
        if (git.dirty().isPresent()) {
            gitNode.put("dirty", git.dirty().get());
        } else {
            gitNode.putNull("dirty");
        }
        ObjectNode host = root.putObject("host");
        host.put("name", hostName());
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        host.put("cores", Runtime.getRuntime().availableProcessors());
        host.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        host.put("java", System.getProperty("java.runtime.version", Runtime.version().toString()));
        host.put("javaVendor", System.getProperty("java.vendor"));
        root.set("config", Json.MAPPER.valueToTree(resolvedConfig));
        for (Map.Entry<String, Object> section : extra.entrySet()) {
            root.set(section.getKey(), Json.MAPPER.valueToTree(section.getValue()));
        }
        try {
            AtomicFiles.write(file, out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, root));
        } catch (IOException e) {
            throw IoFailures.wrap("cannot write " + file, e);
        }
    }

    /**
     * Records in {@code run.json} the training wall time a session reached at a step (see {@link #TRAINING_TIME_KEY}).
     *
     * @param file the run's {@code run.json}; nothing is written if it does not exist
     * @param step the step the session ended at
     * @param wallSeconds the run's training wall time at that moment, summed over its sessions
     * @throws Gan4jException if the file cannot be rewritten
     */
    public static void recordTrainingTime(Path file, long step, double wallSeconds) {
        if (!Files.exists(file) || !(read(file) instanceof ObjectNode root)) {
            return;
        }
        ObjectNode time = root.putObject(TRAINING_TIME_KEY);
        time.put("step", step);
        time.put("wallSecs", wallSeconds);
        rewrite(file, root);
    }

    /**
     * Removes the training wall time {@code run.json} records (see {@link #TRAINING_TIME_KEY}), for a run that starts
     * again from step 0: the time is an abandoned session's, not the new run's.
     *
     * @param file the run's {@code run.json}; nothing is written if it does not exist or records no time
     * @throws Gan4jException if the file cannot be rewritten
     */
    public static void forgetTrainingTime(Path file) {
        if (!Files.exists(file) || !(read(file) instanceof ObjectNode root) || root.remove(TRAINING_TIME_KEY) == null) {
            return;
        }
        rewrite(file, root);
    }

    /**
     * Rewrites {@code run.json} atomically from an edited tree (as {@link #read} gave it), in the format
     * {@link #write} uses: the one way its sections change after the run starts.
     *
     * @param file the run's {@code run.json}
     * @param root the whole edited tree
     * @throws Gan4jException if the file cannot be rewritten
     */
    public static void rewrite(Path file, ObjectNode root) {
        try {
            AtomicFiles.write(file, out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, root));
        } catch (IOException e) {
            throw IoFailures.wrap("cannot rewrite " + file, e);
        }
    }

    /**
     * Returns the training wall time {@code run.json} records for a session that ended at a step.
     *
     * @param info the run.json tree
     * @param step the step
     * @return the seconds, or empty when no session is recorded as ending at that step
     */
    public static java.util.OptionalDouble trainingTimeAt(JsonNode info, long step) {
        JsonNode time = info.path(TRAINING_TIME_KEY);
        JsonNode seconds = time.path("wallSecs");
        if (time.path("step").asLong(-1) != step || !seconds.isNumber() || !Double.isFinite(seconds.asDouble())
                || seconds.asDouble() < 0) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of(seconds.asDouble());
    }

    /**
     * Reads a {@code run.json} file.
     *
     * @param file the file
     * @return its JSON tree
     * @throws Gan4jException if the file is missing, unreadable or not a JSON object
     */
    public static JsonNode read(Path file) {
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new Gan4jException(file + " is not a JSON object: expected a gan4j run.json");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Gan4jException(file + " is not valid JSON (" + Json.problem(e) + ")", e);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw new Gan4jException(file + " does not exist", new NoSuchFileException(file.toString()));
            }
            throw IoFailures.wrap("cannot read " + file, e);
        }
    }

    /**
     * The git state of a working directory.
     *
     * @param sha the commit checked out, or empty outside a git checkout (or without git)
     * @param dirty whether tracked or untracked files differ from that commit, or empty if unknown
     */
    public record GitState(Optional<String> sha, Optional<Boolean> dirty) {

        /**
         * Checks the parts are present.
         *
         * @param sha the commit
         * @param dirty the dirty flag
         */
        public GitState {
            Objects.requireNonNull(sha, "sha");
            Objects.requireNonNull(dirty, "dirty");
        }
    }

    /**
     * Asks git for the commit and dirty flag of a working directory, each command limited to
     * {@link #GIT_TIMEOUT_MILLIS}.
     *
     * @param workingDirectory where to run git
     * @return the state; empty parts where git is missing, fails, times out, or this is no checkout
     */
    public static GitState gitState(Path workingDirectory) {
        Optional<String> sha = runGit(workingDirectory, "rev-parse", "HEAD")
                .map(String::trim)
                .filter(text -> text.matches("[0-9a-f]{40,64}"));
        if (sha.isEmpty()) {
            return new GitState(Optional.empty(), Optional.empty());
        }
        Optional<Boolean> dirty = runGit(workingDirectory, "status", "--porcelain").map(text -> !text.isBlank());
        return new GitState(sha, dirty);
    }

    private static Optional<String> runGit(Path workingDirectory, String... arguments) {
        File output = null;
        Process process = null;
        try {
            // Output goes to a file, not a pipe: a long "status" listing cannot block git on a full pipe.
            output = File.createTempFile("gan4j-git", ".txt");
            List<String> command = new java.util.ArrayList<>();
            command.add("git");
            command.addAll(List.of(arguments));
            process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(output)
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(GIT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(output.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            if (output != null) {
                try {
                    Files.deleteIfExists(output.toPath());
                } catch (IOException ignored) {
                    // A leftover temp file is harmless.
                }
            }
        }
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        try {
            Path etcHostname = Path.of("/etc/hostname");
            if (Files.isReadable(etcHostname)) {
                String name = Files.readString(etcHostname, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
