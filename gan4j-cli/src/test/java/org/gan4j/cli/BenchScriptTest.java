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

    /**
     * {@code --help} lists every option the script parses with its default (it printed 15 lines of the header, which
     * did not name --threads, --out or --warmup, and stopped mid-sentence).
     */
    @Test
    void helpListsEveryOption() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", Path.of("..", "bench", "run.sh").toString(), "--help")
                .redirectErrorStream(true).start();
        String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        String script = java.nio.file.Files.readString(Path.of("..", "bench", "run.sh"));
        java.util.regex.Matcher parsed = java.util.regex.Pattern.compile("\\n    (--[a-z-]+)\\) ").matcher(script);
        List<String> options = new ArrayList<>();
        while (parsed.find()) {
            options.add(parsed.group(1));
        }
        assertThat(options).contains("--rounds", "--threads", "--out", "--warmup", "--torch-malloc");
        for (String option : options) {
            assertThat(help).as(option).containsPattern("(?m)^  " + option + " ");
        }
        assertThat(help).contains("GAN4J_THREADS").doesNotContain("#");
        // the default thread count comes from GAN4J_THREADS: a bad one is named as such, not as --threads
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of("..", "bench", "run.sh").toString(), "--out",
                temp.resolve("never").toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GAN4J_THREADS", "abc");
        Process threads = builder.start();
        String err = new String(threads.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(threads.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.exitValue()).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("bench/run.sh: GAN4J_THREADS takes a whole number >= 1, got 'abc'");
        assertThat(temp.resolve("never")).doesNotExist();
    }

    /**
     * {@code bench/mixtures/run.sh --report} reads a seed whose reverse KL is NaN (no high-quality sample; the JSON
     * writes it as a string) as NaN in that column only: the columns no longer shift (modes then read the
     * high-quality fraction and the high-quality column read the reverse KL × 100, "103.97 %").
     */
    @Test
    void theMixturesReportKeepsItsColumnsWhenASeedHasNoHighQualitySample() throws IOException, InterruptedException {
        Path out = temp.resolve("mixtures");
        java.nio.file.Files.createDirectories(out.resolve("ring8-pack4-s2/eval"));
        java.nio.file.Files.createDirectories(out.resolve("ring8-pack4-s1/eval"));
        java.nio.file.Files.writeString(out.resolve("ring8-pack4-s2/eval/eval-step-000200.json"), String.join("\n",
                "{", "  \"metrics\" : {", "    \"modesCaptured\" : 0.0,", "    \"highQualityFraction\" : 0.0,",
                "    \"reverseKl\" : \"NaN\",", "    \"dAccuracy\" : 0.5", "  }", "}"));
        java.nio.file.Files.writeString(out.resolve("ring8-pack4-s1/eval/eval-step-000200.json"), String.join("\n",
                "{", "  \"metrics\" : {", "    \"modesCaptured\" : 1.0,", "    \"highQualityFraction\" : 8.0E-4,",
                "    \"reverseKl\" : 2.0794415416798357,", "    \"dAccuracy\" : 0.5", "  }", "}"));
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of("..", "bench", "mixtures", "run.sh").toString(),
                "--report");
        builder.environment().putAll(java.util.Map.of("STEPS", "200", "CONFIGS", "ring8", "PACKINGS", "4", "SEEDS",
                "2 1", "OUT", out.toString()));
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("ring8 +PacGAN4 +2 +0\\.50 ± 0\\.50 +0\\.04 ± 0\\.04 +2\\.079 ± 0\\.000 \\(1 of 2\\)");

        Process bogus = new ProcessBuilder("bash", Path.of("..", "bench", "mixtures", "run.sh").toString(), "--bogus")
                .redirectErrorStream(true).start();
        String refusal = new String(bogus.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bogus.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bogus.exitValue()).isEqualTo(2);
        assertThat(refusal).contains("unknown argument '--bogus'");
    }
}
