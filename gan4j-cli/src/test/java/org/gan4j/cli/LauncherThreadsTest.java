package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GAN4J_THREADS} in the {@code gan4j} launcher: a whole number from 1 to 1024 (the range of
 * {@code training.threads}) reaches java as {@code -Dai.djl.pytorch.num_threads}, anything else is a one-line error
 * with exit code 2 before java starts (0 was a stack trace from libtorch, "abc" and "1.5" were silently ignored, and
 * 99999 made libtorch start 99999 threads: {@code gan4j info} kept two cores busy for minutes).
 */
class LauncherThreadsTest {

    @TempDir Path temp;

    private static LauncherCopy.Run launch(Path folder, String threads) throws Exception {
        LauncherCopy copy = LauncherCopy.create(Files.createDirectories(folder), "echo \"$@\"\n");
        return copy.info(name -> name.startsWith("GAN4J_") || name.equals("JAVA_OPTS"),
                Map.of("GAN4J_THREADS", threads, "GAN4J_MKL", "vendor"));
    }

    @Test
    void aWholeNumberReachesJava() throws Exception {
        LauncherCopy.Run run = launch(temp, "3");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("-Dai.djl.pytorch.num_threads=3");
        LauncherCopy.Run most = launch(temp.resolve("most"), "1024");
        assertThat(most.code()).as(most.err()).isZero();
        assertThat(most.out()).contains("-Dai.djl.pytorch.num_threads=1024");
    }

    @Test
    void unsetOrEmptyPassesNothing() throws Exception {
        LauncherCopy.Run run = launch(temp, "");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("num_threads");
    }

    @Test
    void anythingElseIsAOneLineError() throws Exception {
        for (String bad : List.of("0", "-2", "abc", "1.5", "2 ", "1025", "99999", "99999999999999999999")) {
            LauncherCopy.Run run = launch(temp.resolve("case-" + Integer.toHexString(bad.hashCode())), bad);
            assertThat(run.code()).as(bad).isEqualTo(2);
            assertThat(run.err().strip()).isEqualTo("gan4j: error: GAN4J_THREADS must be a whole number between 1 and 1024, got '" + bad + "'");
            assertThat(run.out()).isEmpty();
        }
    }
}
