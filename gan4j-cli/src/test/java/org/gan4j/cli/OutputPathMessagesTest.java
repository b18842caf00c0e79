package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output locations that cannot be used are named with what is wrong with them: a file where a folder is needed, an
 * empty name; never Java's bare path messages, and never the name of a temp file the user did not ask for.
 */
class OutputPathMessagesTest {

    @TempDir Path temp;

    private static final String CONFIG = Path.of("..", "configs", "d2l-gaussian.yaml").toString();

    private static String error(String... args) {
        CliTest.Result result = CliTest.run(args);
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).doesNotContain(".tmp-");
        return result.err().strip();
    }

    @Test
    void unusableOutputLocationsSayWhatIsWrong() throws Exception {
        Path file = Files.writeString(temp.resolve("existing.txt"), "mine");
        assertThat(error("train", "--config", CONFIG, "--out", file.toString()))
                .isEqualTo("gan4j: error: output directory " + file + " is a file; expected a folder (or a new name)");
        assertThat(error("train", "--config", CONFIG, "--out", file.resolve("sub").toString()))
                .isEqualTo("gan4j: error: output directory " + file.resolve("sub") + " cannot be created: " + file
                        + " is a file, not a folder");
        assertThat(error("train", "--config", CONFIG, "--out", ""))
                .isEqualTo("gan4j: error: --out is empty; expected the folder to write the run to");
        assertThat(error("train", "--config", ""))
                .isEqualTo("gan4j: error: --config is empty; expected a YAML file such as"
                        + " configs/dcgan-fashion-mnist.yaml");
        assertThat(Files.readString(file)).isEqualTo("mine");
    }

    /**
     * An --out under a folder that takes no new entries (/proc) names the folder asked for and why it cannot be made,
     * not "/proc is not writable: No such file or directory" (the parent named as the output directory).
     */
    @Test
    void anOutputDirectoryThatCannotBeCreatedIsNamedWithTheReason() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        String refused = " cannot be created: /proc does not allow new files or folders in it (its file system"
                + " refuses them: No such file or directory)";
        for (String out : new String[] {"/proc/x", "/proc/x/y"}) {
            assertThat(error("train", "--config", CONFIG, "--out", out, "--no-progress"))
                    .isEqualTo("gan4j: error: output directory " + out + refused);
            assertThat(error("train", "--config", CONFIG, "--out", out, "--dry-run"))
                    .isEqualTo("gan4j: error: output directory " + out + refused);
        }
        // output.dir (no --out) names its own folder the same way
        assertThat(error("train", "--config", CONFIG, "--set", "output.dir=/proc/x", "--no-progress"))
                .isEqualTo("gan4j: error: output directory /proc/x" + refused);
    }

    @Test
    void aReportThatCannotBeWrittenNamesTheReportNotATempFile() {
        Path run = temp.resolve("run");
        CliTest.Result trained = CliTest.run("train", "--config", CONFIG, "--out", run.toString(), "--max-steps", "2",
                "--no-progress");
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(error("report", run.toString(), "--out", "/proc/report.html"))
                .isEqualTo("gan4j: error: cannot write report /proc/report.html: No such file or directory");
    }
}
