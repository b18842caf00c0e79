package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gan4j} launcher filters one libtorch line out of stderr through a pipe. Ctrl-C in a terminal signals the
 * whole process group, filter included: the filter must outlive it, or gan4j's clean-stop notice (and any error while
 * it writes the last checkpoint) is lost. The launcher runs here for real, in a copy whose build looks current and
 * with a stand-in {@code java} on the PATH that answers SIGINT the way gan4j does: a notice, a pause, a last line.
 */
class LauncherSignalTest {

    @TempDir Path temp;

    @Test
    void ctrlCToTheProcessGroupKeepsStderrFlowing() throws Exception {
        LauncherCopy copy = LauncherCopy.create(temp, String.join("\n",
                "trap 'echo \"gan4j: SIGINT received: finishing the step\" >&2; sleep 0.5;"
                        + " echo \"gan4j: error: disk full while writing the checkpoint\" >&2; exit 130' INT",
                "echo started",
                "while :; do sleep 0.05; done",
                ""));
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(KillResumeHarness.DEFAULT_SIGINT);
        command.addAll(List.of("bash", copy.launcher().toString(), "train"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("PATH", copy.bin() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(out).contains("started") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(out)).contains("started");
        // the terminal's Ctrl-C: SIGINT to every process of the group (setsid made the launcher its leader)
        String group = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")).split("\\) ")[1]
                .split(" ")[2];
        // once the filter runs grep, its signal settings (set just before) are in place
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!filterRunning(group) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(filterRunning(group)).as("the launcher's stderr filter is running").isTrue();
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + group).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(130);
        // the filter may still be writing after the launcher's process ends: wait for its last line
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(err, StandardCharsets.UTF_8).contains("disk full") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(err, StandardCharsets.UTF_8))
                .contains("gan4j: SIGINT received: finishing the step")
                .contains("gan4j: error: disk full while writing the checkpoint");
    }

    /** Whether a grep process runs in the given process group. */
    private static boolean filterRunning(String group) throws java.io.IOException {
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) processes::iterator) {
                if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
                    if (comm.equals("grep") && fields[2].equals(group)) {
                        return true;
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        }
        return false;
    }
}
