package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gan4j.io.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real processes under signals and a full disk (a size-limited tmpfs). */
class ProcessReliabilityTest {

    @TempDir Path temp;

    private static void waitForRows(Process process, Path run, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (process.isAlive() && KillResumeHarness.rows(run) < rows && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void signalFinishesTheStepWritesACheckpointAndSaysHowToResume(String signal) throws Exception {
        KillResumeHarness harness = new KillResumeHarness(temp, 1_000_000, 1);
        Path config = harness.writeConfig(temp.resolve("long.yaml"));
        Path run = temp.resolve("run");
        Path log = temp.resolve("train.log");
        Process process = KillResumeHarness.launch(log, "train", "--config", config.toString(), "--set",
                "output.checkpointEvery=0", "--out", run.toString(), "--no-progress");
        waitForRows(process, run, 5);
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = KillResumeHarness.log(log);
        assertThat(process.exitValue()).as(output).isEqualTo(130);
        assertThat(output).contains("SIG" + signal + " received").contains("continue with: gan4j train --resume " + run);
        CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 3);
        CheckpointStore.Checkpoint checkpoint = store.latestValid().orElseThrow();
        CheckpointStore.verify(checkpoint.dir());
        // the checkpoint is of the step the signal interrupted: the last metrics row's
        assertThat(checkpoint.step()).isEqualTo(KillResumeHarness.rows(run)).isGreaterThanOrEqualTo(5);
    }

    /**
     * Sends SIGTERM 300 ms into the evaluation of step 2 and checks the process exits with 130 within 20 s.
     *
     * @return the process's output
     */
    private static String terminateDuringEvaluation(Process process, Path log) throws Exception {
        Thread.sleep(300); // inside the evaluation of step 2 (10,000 batch-norm batches first take seconds)
        long signalled = System.nanoTime();
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor(30, TimeUnit.SECONDS);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = KillResumeHarness.log(log);
        assertThat(process.exitValue()).as(output).isEqualTo(130);
        assertThat(System.nanoTime() - signalled).isLessThan(TimeUnit.SECONDS.toNanos(20));
        return output;
    }

    /** Resumes to step 2 with the same evaluation options: the one evaluation row is step 2's. */
    private static void assertTheResumeEvaluatesStep2(Path run) {
        CliTest.Result resumed = CliTest.run("train", "--resume", run.toString(), "--eval-every", "2",
                "--eval-samples", "50", "--eval-metrics", "classes", "--max-steps", "2", "--no-progress");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(org.gan4j.io.MetricsLog.read(run.resolve("metrics.jsonl")).stream()
                .filter(row -> row.extras().containsKey("eval")).map(org.gan4j.io.MetricsRow::step).toList())
                .containsExactly(2L);
    }

    /**
     * Starts a tiny DCGAN run evaluated every 2 steps, each evaluation first taking seconds (10,000 batch-norm batches),
     * with checkpoints every {@code checkpointEvery} steps (0 = only when it stops).
     */
    private Process launchSlowlyEvaluatedRun(Path run, Path log, int checkpointEvery) throws IOException {
        Path data = CliTest.writeIdx(temp.resolve("images-idx3-ubyte"), 64, 64);
        return KillResumeHarness.launch(log, "train", "--data", data.toString(), "--set",
                "training.batchSize=8", "--set", "model.dcgan.generatorFeatures=4", "--set",
                "model.dcgan.discriminatorFeatures=4", "--set", "output.checkpointEvery=" + checkpointEvery, "--set",
                "output.logEvery=1", "--set", "training.threads=1", "--eval-every", "2", "--eval-samples", "100",
                "--eval-bn-batches", "10000", "--eval-metrics", "classes", "--out", run.toString(), "--no-progress");
    }

    /**
     * SIGTERM during a long evaluation of a step whose checkpoint is written exits at once (an evaluation can outlast
     * a service manager's grace period), and the resumed run evaluates that step again.
     */
    @Test
    void signalDuringTheEvaluationOfACheckpointedStepExitsAtOnceAndTheResumeEvaluatesIt() throws Exception {
        Path run = temp.resolve("run");
        Path log = temp.resolve("train.log");
        Process process = launchSlowlyEvaluatedRun(run, log, 2);
        Path checkpoint = run.resolve("checkpoints/step-000002/manifest.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (process.isAlive() && !Files.exists(checkpoint) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String output = terminateDuringEvaluation(process, log);
        assertThat(output).contains("SIGTERM during the evaluation of step 2, whose checkpoint is written: exiting now");
        assertThat(Files.readString(run.resolve("metrics.jsonl"))).doesNotContain("\"eval\"");

        assertTheResumeEvaluatesStep2(run);
    }

    /**
     * A signal during the evaluation of a step without a checkpoint stops the evaluation within moments (it waited for
     * the whole evaluation, minutes at 20,000 samples), writes that step's checkpoint, and the resume evaluates it.
     */
    @Test
    void signalDuringTheEvaluationOfAnUncheckpointedStepStopsItAndTheResumeEvaluatesIt() throws Exception {
        Path run = temp.resolve("run");
        Path log = temp.resolve("train.log");
        Process process = launchSlowlyEvaluatedRun(run, log, 0);
        waitForRows(process, run, 2);
        String output = terminateDuringEvaluation(process, log);
        assertThat(output).contains("the evaluation of step 2 stopped with the run (interrupted by SIGTERM)")
                .contains("continue with: gan4j train --resume " + run);
        assertThat(Files.readString(run.resolve("metrics.jsonl"))).doesNotContain("\"eval\"");
        CheckpointStore.Checkpoint checkpoint =
                new CheckpointStore(run.resolve("checkpoints"), 3).latestValid().orElseThrow();
        assertThat(checkpoint.step()).isEqualTo(2);

        assertTheResumeEvaluatesStep2(run);
    }

    /** Mounts a tmpfs of the given size, or skips the test where mounting is not allowed. */
    private static Path tmpfs(Path mountPoint, String size) throws Exception {
        Files.createDirectories(mountPoint);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
        return mountPoint;
    }

    private static void unmount(Path mountPoint) throws Exception {
        new ProcessBuilder("umount", "-l", mountPoint.toString()).redirectErrorStream(true).start().waitFor(30,
                TimeUnit.SECONDS);
    }

    /** Fills a file system until a write fails. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the file system is full now
        }
    }

    @Test
    void fullDiskDuringTrainingStopsWithOneLineAndKeepsTheLastGoodCheckpoint() throws Exception {
        KillResumeHarness harness = new KillResumeHarness(temp, 1_000_000, 1);
        Path config = harness.writeConfig(temp.resolve("long.yaml"));
        Path disk = tmpfs(temp.resolve("disk"), "2m");
        try {
            Path run = disk.resolve("run");
            Path log = temp.resolve("full.log");
            Process process = KillResumeHarness.launch(log, "train", "--config", config.toString(), "--set",
                    "output.checkpointEvery=3", "--out", run.toString(), "--no-progress");
            waitForRows(process, run, 6);
            fill(disk.resolve("filler"));
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("stopped after the disk filled").isTrue();
            String output = KillResumeHarness.log(log);
            assertThat(process.exitValue()).as(output).isEqualTo(2);
            assertThat(lastLine(output)).startsWith("gan4j: error: ").containsIgnoringCase("space");
            assertThat(output).doesNotContain("\tat ");
            CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 3);
            CheckpointStore.Checkpoint good = store.latestValid().orElseThrow();
            CheckpointStore.verify(good.dir());
            assertThat(good.step()).isGreaterThanOrEqualTo(3);
            // the pre-flight check refuses a new run on the full disk before training starts
            CliTest.Result refused = CliTest.run("train", "--config", config.toString(), "--out",
                    disk.resolve("second").toString());
            assertThat(refused.code()).as(refused.err()).isEqualTo(2);
            assertThat(refused.errLines()).hasSize(1);
            assertThat(refused.err()).startsWith("gan4j: error: ");
            // and leaves no empty run directory that would block the same --out once space is freed
            assertThat(disk.resolve("second")).doesNotExist();
        } finally {
            unmount(disk);
        }
    }

    @Test
    void tooLittleSpaceForCheckpointsIsRefusedWithNoRunDirectoryLeft() throws Exception {
        Path data = CliTest.writeIdx(temp.resolve("images-idx3-ubyte"), 64, 64);
        Path disk = tmpfs(temp.resolve("small"), "1m");
        try {
            // writable, but a 28×28 DCGAN's checkpoint (about 15 MB with its optimizer state) does not fit
            for (String out : List.of("run", "run")) {
                CliTest.Result refused = CliTest.run("train", "--data", data.toString(), "--set", "training.steps=2",
                        "--out", disk.resolve(out).toString());
                assertThat(refused.code()).as(refused.err()).isEqualTo(2);
                assertThat(refused.err()).startsWith("gan4j: error: ").contains("checkpoints need about");
                // no empty run directory: the same command says the same thing once more, not "exists"
                assertThat(disk.resolve(out)).doesNotExist();
            }
            // a real process says it in one line: no "has only 1 MiB free" warning before the error
            Path log = temp.resolve("refused.log");
            Process process = KillResumeHarness.launch(log, "train", "--data", data.toString(), "--set",
                    "training.steps=2", "--out", disk.resolve("process").toString());
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = KillResumeHarness.log(log);
            assertThat(process.exitValue()).as(output).isEqualTo(2);
            // (libtorch's deprecation line, which the launcher filters, is not gan4j's)
            assertThat(output.strip().lines().filter(line -> !line.contains("AutoNonVariableTypeMode")))
                    .as(output).singleElement().asString()
                    .startsWith("gan4j: error: only ").contains("checkpoints need about");
        } finally {
            unmount(disk);
        }
    }

    @Test
    void unwritableOutputDirectoryIsRefusedBeforeTraining() throws Exception {
        Path readOnly = Files.createDirectories(temp.resolve("read-only"));
        Process remount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", readOnly.toString())
                .redirectErrorStream(true).start();
        assumeTrue(remount.waitFor(30, TimeUnit.SECONDS) && remount.exitValue() == 0, "cannot mount here");
        try {
            KillResumeHarness harness = new KillResumeHarness(temp, 10, 1);
            Path config = harness.writeConfig(temp.resolve("tiny.yaml"));
            CliTest.Result result = CliTest.run("train", "--config", config.toString(), "--out",
                    readOnly.resolve("run").toString());
            assertThat(result.code()).as(result.err()).isEqualTo(2);
            assertThat(result.errLines()).hasSize(1);
            assertThat(result.err()).startsWith("gan4j: error: ").contains(readOnly.toString());
        } finally {
            unmount(readOnly);
        }
    }
}
