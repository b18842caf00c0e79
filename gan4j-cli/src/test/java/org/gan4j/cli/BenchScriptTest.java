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
        refused("--models names 'toy' twice; name each model once (--rounds repeats them)", "--models", "toy dcgan28 toy");
        refused("--torch-malloc takes best, tuned or default, got 'fast'", "--torch-malloc", "fast");
        refused("unknown option --frobnicate (see --help)", "--frobnicate");
    }

    /**
     * {@code bench/gpu/run.sh} took no options: {@code --help} (or anything) started the GPU benchmark, which created a
     * results folder, emptied /tmp/jni and /tmp/src and, without a GPU or bundle, ran on through every failure. Now
     * --help prints its header, an argument is refused, and a missing bundle stops it before it writes anything.
     */
    @Test
    void theGpuScriptHasHelpAndChecksItsBundleFirst() throws IOException, InterruptedException {
        Path script = Path.of("..", "bench", "gpu", "run.sh");
        Path out = temp.resolve("gpu-out");
        Process help = new ProcessBuilder("bash", script.toString(), "--help").start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(text).startsWith("gan4j and PyTorch side by side on a GPU machine").contains("ONLY_CPU=1")
                .doesNotContain("# ");

        ProcessBuilder bogus = new ProcessBuilder("bash", script.toString(), "--bogus");
        bogus.environment().put("OUT", out.toString());
        Process refused = bogus.start();
        String err = new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("bench/gpu/run.sh: takes no arguments (its settings are environment "
                + "variables, see --help), got '--bogus'");

        ProcessBuilder noBundle = new ProcessBuilder("bash", script.toString());
        noBundle.environment().putAll(java.util.Map.of("OUT", out.toString(), "BUNDLE", temp.resolve("none").toString()));
        Process stopped = noBundle.start();
        err = new String(stopped.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stopped.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(stopped.exitValue()).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("bench/gpu/run.sh: no bundle in " + temp.resolve("none") + " (jre.tgz, "
                + "djl-native/): run bench/gpu/prepare.sh DJL_NATIVE_DIR first, or set BUNDLE=DIR");
        assertThat(out).doesNotExist();
    }

    /** A second run with the same {@code --out} is refused instead of emptying the first run's results.jsonl. */
    @Test
    void anEarlierRunsResultsAreNeverOverwritten() throws IOException, InterruptedException {
        Path out = java.nio.file.Files.createDirectories(temp.resolve("earlier"));
        java.nio.file.Files.writeString(out.resolve("results.jsonl"), "{\"round\":1}\n");
        Process process = new ProcessBuilder("bash", Path.of("..", "bench", "run.sh").toString(), "--models", "toy",
                "--out", out.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("bench/run.sh: --out " + out + " already holds an earlier run's results.jsonl; "
                + "name a new folder");
        assertThat(out.resolve("results.jsonl")).hasContent("{\"round\":1}");
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
        assertThat(help).contains("GAN4J_THREADS", "GAN4J_BENCH_PYTHON", "OUT/logs/").doesNotContain("#");
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
     * A side that fails (here gan4j: a stand-in that exits 1) is no longer dropped in silence (its stderr went to
     * /dev/null, the table lost the row and the script exited 0): the script names it with the end of its log, keeps
     * the log in OUT/logs/, still writes the table of the sides that ran, and exits 1.
     */
    @Test
    void aFailingSideIsNamedAndTheScriptExitsOne() throws IOException, InterruptedException {
        Path root = temp.resolve("root");
        Path bench = java.nio.file.Files.createDirectories(root.resolve("bench"));
        java.nio.file.Files.copy(Path.of("..", "bench", "run.sh"), bench.resolve("run.sh"));
        java.nio.file.Files.copy(Path.of("..", "bench", "summarize.py"), bench.resolve("summarize.py"));
        java.nio.file.Files.writeString(bench.resolve("torch_bench.py"), "");
        Path gan4j = root.resolve("gan4j");
        java.nio.file.Files.writeString(gan4j, String.join("\n", "#!/usr/bin/env bash",
                "case \"$1\" in",
                "  bench) echo 'gan4j: error: something broke' >&2; exit 1 ;;",
                "  *) echo 'gan4j 0.1.0' ;;",
                "esac", ""));
        // a Python "with torch" whose torch_bench.py prints one result line, and which runs summarize.py for real
        Path python = root.resolve("python");
        java.nio.file.Files.writeString(python, String.join("\n", "#!/usr/bin/env bash",
                "case \"$1\" in",
                "  -c) echo '1.13.0' ;;",
                "  *summarize.py) shift; exec python3 " + bench.resolve("summarize.py") + " \"$@\" ;;",
                "  *torch_bench.py) variant=plain; [[ \" $* \" == *' --variant best '* ]] && variant=best",
                "    echo \"$variant ${MALLOC_ARENA_MAX:-glibc}\" >> " + root.resolve("allocators.txt"),
                "    echo \"{\\\"side\\\": \\\"pytorch-$variant\\\", \\\"model\\\": \\\"toy\\\", \\\"threads\\\": 1, "
                        + "\\\"batch\\\": 8, \\\"steps\\\": 5, \\\"medianSeconds\\\": 0.001, \\\"gflopsPerSecond\\\": 0.1, "
                        + "\\\"peakRssMiB\\\": 100}\" ;;",
                "esac", ""));
        for (Path script : List.of(gan4j, python)) {
            java.nio.file.Files.setPosixFilePermissions(script,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path out = temp.resolve("results");
        ProcessBuilder builder = new ProcessBuilder("bash", bench.resolve("run.sh").toString(), "--rounds", "1",
                "--models", "toy", "--threads", "1", "--out", out.toString());
        builder.environment().put("GAN4J_BENCH_PYTHON", python.toString());
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isEqualTo(1);
        Path log = out.resolve("logs/round1-toy-gan4j.log");
        assertThat(err).contains("bench: toy-gan4j failed in round 1 (exit 1, no result); " + log + " ends:",
                "  gan4j: error: something broke",
                "bench: 1 process(es) failed and are missing from the table; their logs are in " + out.resolve("logs"));
        assertThat(log).content().contains("something broke");
        assertThat(java.nio.file.Files.readAllLines(out.resolve("results.jsonl"))).hasSize(2);
        assertThat(out.resolve("summary.md")).exists();
        assertThat(stdout).contains("Load average");
        // PyTorch at its best runs with gan4j's allocator settings, PyTorch as users write it with glibc's defaults
        assertThat(root.resolve("allocators.txt")).content().contains("best 1", "plain glibc");
        assertThat(stdout).contains("PyTorch's best ran with gan4j's glibc allocator settings");
        // the machine description says whether the processor reports its caches (oneDNN's kernels depend on them)
        assertThat(out.resolve("machine.txt")).content().containsPattern("(?m)^cpu caches: (L1 .+|not reported by "
                + "CPUID .+)$").containsPattern("(?m)^cpu: .+ cores \\((not virtualised|virtualised \\(.+\\))\\)$");
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
