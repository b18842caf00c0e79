package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/run.sh} checks its options before it builds, installs or measures anything: a mistyped number or model
 * ends in one line on stderr and exit code 2, with no results folder (it used to run nothing, print an empty table
 * and exit 0).
 */
class BenchScriptTest {

    @TempDir Path temp;

    private void refused(String expected, String... options) throws IOException, InterruptedException {
        Path out = temp.resolve("results");
        List<String> command = new ArrayList<>(List.of("bash", Path.of("..", "bench", "run.sh").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("--out", out.toString()));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(err).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("bench/run.sh: " + expected);
        assertThat(out).doesNotExist();
    }

    @Test
    void badOptionsStopBeforeAnythingRuns() throws IOException, InterruptedException {
        refused("--rounds takes a whole number >= 1, got 'x'", "--rounds", "x");
        refused("--steps takes a whole number >= 1, got '0'", "--steps", "0");
        refused("--toy-warmup takes a whole number >= 0, got '-5'", "--toy-warmup", "-5");
        refused("--models: unknown model 'dcgan99'; expected some of: matmul toy dcgan28 dcgan64 dcgan64-b128 "
                + "generate", "--models", "toy dcgan99");
        refused("--torch-malloc takes default or tuned, got 'fast'", "--torch-malloc", "fast");
        refused("unknown option --frobnicate (see --help)", "--frobnicate");
    }
}
