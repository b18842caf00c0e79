package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gan4j.io.Json;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;

/**
 * Kills a real {@code gan4j train} process (SIGKILL via {@link Process#destroyForcibly()}) at seeded random moments,
 * resumes it with {@code train --resume} each time, and compares the end result with an uninterrupted run: final
 * checkpoint files byte for byte and every metrics value except wall-clock timings.
 */
final class KillResumeHarness {

    /** What a harness run did. */
    record Outcome(int kills, int killsDuringCheckpointWrite, int killsWithTornMetrics, int launches, long steps) {}

    private static final List<String> TIMING_KEYS = List.of("secs", "dataWaitSecs", "wallSecs");

    private final Path work;
    private final long steps;
    private final Random random;

    KillResumeHarness(Path work, long steps, long seed) {
        this.work = work;
        this.steps = steps;
        this.random = new Random(seed);
    }

    /**
     * Runs the uninterrupted reference, then the killed-and-resumed run with the given number of kills, and checks
     * that both end identical.
     */
    Outcome run(int kills) throws Exception {
        Path config = writeConfig(work.resolve("tiny.yaml"));
        Path reference = work.resolve("reference");
        Process uninterrupted = launch(work.resolve("reference.log"), "train", "--config", config.toString(), "--out",
                reference.toString(), "--no-progress");
        assertThat(uninterrupted.waitFor(300, TimeUnit.SECONDS)).as("reference run finished").isTrue();
        assertThat(uninterrupted.exitValue()).as(log(work.resolve("reference.log"))).isZero();

        Path killed = work.resolve("killed");
        int done = 0;
        int duringWrite = 0;
        int tornMetrics = 0;
        int launches = 0;
        boolean finished = false;
        while (!finished) {
            List<String> arguments = launches == 0
                    ? List.of("train", "--config", config.toString(), "--out", killed.toString(), "--no-progress")
                    : List.of("train", "--resume", killed.toString(), "--no-progress");
            Path logFile = work.resolve("launch-" + launches + ".log");
            long rowsBefore = rows(killed);
            Process process = launch(logFile, arguments.toArray(String[]::new));
            launches++;
            if (done < kills) {
                // Kill after a random amount of progress, not of time, so every kill lands mid-run however fast
                // the machine is: wait for 1 .. (a fair share of the remaining steps) new metrics rows, then a
                // small random jitter (which may hit the checkpoint write that follows each step).
                long remaining = Math.max(1, steps - rowsBefore);
                long share = Math.max(1, remaining / (kills - done + 1));
                long target = rowsBefore + 1 + random.nextInt((int) Math.min(share, Integer.MAX_VALUE));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (process.isAlive() && rows(killed) < target && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                Thread.sleep(random.nextInt(15));
                if (process.isAlive()) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                    done++;
                    if (hasTempCheckpoint(killed)) {
                        duringWrite++;
                    }
                    if (hasTornLine(killed.resolve("metrics.jsonl"))) {
                        tornMetrics++;
                    }
                    continue;
                }
            }
            assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("resumed run finished").isTrue();
            assertThat(process.exitValue()).as(log(logFile)).isZero();
            finished = true;
        }
        assertSameResult(reference, killed);
        return new Outcome(done, duringWrite, tornMetrics, launches, steps);
    }

    /** Writes the tiny 2-D config used by the process tests: checkpoint and metrics row every step. */
    Path writeConfig(Path file) throws IOException {
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "name: kill-resume",
                        "seed: 7",
                        "model:",
                        "  architecture: mlp",
                        "  latentSize: 2",
                        "loss:",
                        "  reduction: sum",
                        "training:",
                        "  batchSize: 8",
                        "  steps: " + steps,
                        "  threads: 1",
                        "  generator:",
                        "    learningRate: 0.005",
                        "    beta1: 0.9",
                        "  discriminator:",
                        "    learningRate: 0.05",
                        "    beta1: 0.9",
                        "output:",
                        "  logEvery: 1",
                        "  sampleEvery: 0",
                        "  plotEvery: 0",
                        "  checkpointEvery: 1",
                        "  keepCheckpoints: 2",
                        ""));
        return file;
    }

    /**
     * The prefix that starts a command with SIGINT's default action. A process started in the background by a shell
     * without job control ({@code mvn test &} in a script) ignores SIGINT, its children inherit that, and neither a JVM
     * nor a bash trap can take an ignored signal back: the tests that send SIGINT failed there (2 December), or passed
     * without testing anything.
     */
    static final List<String> DEFAULT_SIGINT = List.of("env", "--default-signal=INT");

    /** Starts {@code gan4j} in a child JVM with the test classpath, output appended to the log file. */
    static Process launch(Path logFile, String... arguments) throws IOException {
        return launch(logFile, List.of(), arguments);
    }

    /** Starts {@code gan4j} in a child JVM with extra JVM options (such as {@code -Dai.djl.pytorch.num_threads=2}). */
    static Process launch(Path logFile, List<String> jvmOptions, String... arguments) throws IOException {
        return launch(logFile, jvmOptions, environment -> {}, arguments);
    }

    /** Starts {@code gan4j} in a child JVM with extra JVM options and its environment changed by {@code environment}. */
    static Process launch(
            Path logFile,
            List<String> jvmOptions,
            java.util.function.Consumer<java.util.Map<String, String>> environment,
            String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>(DEFAULT_SIGINT);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dai.djl.offline=true");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-Dorg.slf4j.simpleLogger.log.ai.djl=error");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.gan4j.cli.Main");
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("TORCH_CPP_LOG_LEVEL", "ERROR");
        environment.accept(builder.environment());
        return builder.start();
    }

    /** Counts complete metrics rows of a run (0 when there is no metrics file yet). */
    static long rows(Path run) {
        Path metrics = run.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) {
            return 0;
        }
        try {
            byte[] bytes = Files.readAllBytes(metrics);
            long count = 0;
            for (byte b : bytes) {
                if (b == '\n') {
                    count++;
                }
            }
            return count;
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean hasTempCheckpoint(Path run) throws IOException {
        Path checkpoints = run.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.anyMatch(entry -> entry.getFileName().toString().startsWith(".tmp-"));
        }
    }

    private static boolean hasTornLine(Path metrics) throws IOException {
        if (!Files.isRegularFile(metrics) || Files.size(metrics) == 0) {
            return false;
        }
        byte[] bytes = Files.readAllBytes(metrics);
        return bytes[bytes.length - 1] != '\n';
    }

    private void assertSameResult(Path reference, Path resumed) throws IOException {
        Path last = Path.of("checkpoints", String.format("step-%06d", steps));
        for (String name : List.of("generator.params", "discriminator.params", "optimizers.bin", "state.json")) {
            byte[] expected = Files.readAllBytes(reference.resolve(last).resolve(name));
            byte[] actual = Files.readAllBytes(resumed.resolve(last).resolve(name));
            assertThat(Arrays.equals(actual, expected)).as("final checkpoint file " + name + " identical").isTrue();
        }
        // the manifest lists the same sizes and SHA-256 sums; only its creation time differs
        ObjectNode expectedManifest = (ObjectNode) Json.MAPPER.readTree(reference.resolve(last).resolve("manifest.json").toFile());
        ObjectNode actualManifest = (ObjectNode) Json.MAPPER.readTree(resumed.resolve(last).resolve("manifest.json").toFile());
        expectedManifest.remove("created");
        actualManifest.remove("created");
        assertThat(actualManifest).isEqualTo(expectedManifest);
        Map<Long, Map<String, Double>> expectedRows = values(reference.resolve("metrics.jsonl"));
        Map<Long, Map<String, Double>> actualRows = values(resumed.resolve("metrics.jsonl"));
        assertThat(expectedRows).hasSize((int) steps);
        assertThat(actualRows).isEqualTo(expectedRows);
    }

    private static Map<Long, Map<String, Double>> values(Path metrics) {
        Map<Long, Map<String, Double>> result = new LinkedHashMap<>();
        for (MetricsRow row : MetricsLog.read(metrics)) {
            Map<String, Double> values = new LinkedHashMap<>(row.values());
            TIMING_KEYS.forEach(values::remove);
            assertThat(result.put(row.step(), values)).as("duplicate metrics row for step " + row.step()).isNull();
        }
        return result;
    }

    /** Reads a child's log. */
    static String log(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
