package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gan4j.cli.PythonScript.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two analysis scripts of docs/PERFORMANCE.md and docs/PERFORMANCE-HISTORY.md ("The last 5 %") on logs with
 * known answers: {@code bench/onednn_summary.py} sums oneDNN's verbose lines (3.x and 2.x formats) per primitive and step, and
 * {@code bench/perf_threads.py} finds the share of time in which the OpenMP worker waits in libgomp.
 */
class BenchAnalysisScriptsTest {

    @TempDir Path temp;

    private static Result python(String script, String... args) throws IOException, InterruptedException {
        return PythonScript.run("bench", script, args);
    }

    @Test
    void onednnSummaryAddsUpPrimitivesPerStepInBothLogFormats() throws IOException, InterruptedException {
        Path gan4j = temp.resolve("gan4j.log");
        Files.writeString(
                gan4j,
                String.join(
                        "\n",
                        "onednn_verbose,v1,primitive,info,template:operation,engine,primitive,implementation",
                        "onednn_verbose,v1,primitive,exec,cpu,convolution,brg_conv_fwd:avx512_core,forward_training,"
                                + "src:f32::blocked:acdb::f0,attr-scratchpad:user,alg:convolution_direct,"
                                + "mb64_ic64oc128_ih14oh7,3.0",
                        "onednn_verbose,v1,primitive,exec,cpu,convolution,brg_conv_fwd:avx512_core,forward_training,"
                                + "src:f32::blocked:acdb::f0,attr-scratchpad:user,alg:convolution_direct,"
                                + "mb64_ic64oc128_ih14oh7,5.0",
                        "onednn_verbose,v1,primitive,exec,cpu,reorder,jit:uni,undef,src:f32 dst:f32,"
                                + "attr-scratchpad:user,,128x64x4x4,2.0",
                        "{\"side\":\"gan4j\",\"medianSeconds\":0.007}",
                        ""));
        Path torch = temp.resolve("torch.log");
        Files.writeString(
                torch,
                String.join(
                        "\n",
                        "onednn_verbose,exec,cpu,convolution,jit:avx512_core,backward_data,src_f32::blocked:acdb:f0,"
                                + "attr-scratchpad:user ,alg:convolution_direct,mb64_ic64oc128_ih14oh7,6.0",
                        ""));

        Result result = python("onednn_summary.py", gan4j.toString(), torch.toString(), "--steps", "2");

        assertThat(result.exit()).as(result.err()).isZero();
        // gan4j: (3 + 5 + 2) / 2 steps = 5 ms per step; the median step 7 ms leaves 2 ms outside oneDNN
        assertThat(result.out()).contains("oneDNN 5.00 ms per step, median step 7.00 ms, outside oneDNN 2.00 ms");
        assertThat(result.out())
                .containsPattern("4\\.00 ms +1\\.0 calls  convolution forward_training brg_conv_fwd:avx512_core");
        assertThat(result.out()).containsPattern("convolution backward_data +0\\.00 ms +3\\.00 ms");
        assertThat(result.out()).containsPattern("all +5\\.00 ms +3\\.00 ms");
    }

    @Test
    void onednnSummaryCanCountEachPrimitiveAtItsMedianCall() throws IOException, InterruptedException {
        // three calls of one convolution, the first slow (a warm-up call): 1 + 2 + 9 = 12 ms by sum, 3 × 2 = 6 by median
        Path log = temp.resolve("gan4j.log");
        String line = "onednn_verbose,v1,primitive,exec,cpu,convolution,brgconv_strided:avx512_core,backward_data,"
                + "src:f32::blocked:acdb::f0,attr-scratchpad:user,alg:convolution_direct,mb64_ic256oc512_ih8oh4,";
        Files.writeString(log, line + "9.0\n" + line + "1.0\n" + line + "2.0\n");

        Result sum = python("onednn_summary.py", log.toString(), "--steps", "3");
        Result median = python("onednn_summary.py", log.toString(), "--steps", "3", "--per-call", "median");

        assertThat(sum.exit()).as(sum.err()).isZero();
        assertThat(sum.out()).contains("oneDNN 4.00 ms per step");
        assertThat(median.exit()).as(median.err()).isZero();
        assertThat(median.out()).contains("oneDNN 2.00 ms per step");
        assertThat(median.out()).containsPattern("2\\.00 ms +1\\.0 calls  convolution backward_data brgconv_strided");
        assertThat(median.out()).containsPattern("all +2\\.00 ms");
    }

    @Test
    void onednnSummaryRefusesALogWithoutVerboseLines() throws IOException, InterruptedException {
        Path log = temp.resolve("plain.log");
        Files.writeString(log, "{\"side\":\"gan4j\",\"medianSeconds\":0.03}\n");

        Result result = python("onednn_summary.py", log.toString(), "--steps", "10");

        assertThat(result.exit()).isNotZero();
        assertThat(result.err().strip()).isEqualTo(
                "onednn_summary.py: " + log + " has no oneDNN verbose 'exec' lines (run with ONEDNN_VERBOSE=1 for "
                        + "gan4j, DNNL_VERBOSE=1 for PyTorch 1.13)");
    }

    @Test
    void perfThreadsFindsTheTimeTheWorkerWaits() throws IOException, InterruptedException {
        // 10 instants 1 ms apart; the worker (thread 12345) waits in libgomp at 3 of them, while the training thread
        // (thread 1) runs malloc twice and a libtorch loop once; elsewhere both run a oneDNN kernel
        StringBuilder samples = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            boolean serial = i == 2 || i == 5 || i == 7;
            String mainFrame = !serial ? "7f00 jit_kernel (/tmp/perf-1.map)"
                    : i == 7 ? "1a30 at::native::loop (/lib/libtorch_cpu.so)" : "9c10 _int_malloc (/lib/libc.so.6)";
            String workerFrame = serial ? "1d212 [unknown] (/lib/libgomp-98b21ff3.so.1)" : "7f10 jit_kernel (/tmp/perf-1.map)";
            // as perf script writes them: thread ids right-aligned (leading spaces), frames indented by a tab
            samples.append(String.format("    1 100.%03d: \n\t    %s\n\t       0 [unknown] ([unknown])\n\n", i, mainFrame));
            samples.append(String.format("12345 100.%03d: \n\t    %s\n\n", i, workerFrame));
        }
        Path file = temp.resolve("samples.txt");
        Files.writeString(file, samples.toString());

        Result result = python("perf_threads.py", file.toString(), "--step-ms", "20");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("training thread 1, OpenMP worker 12345: 10 paired samples");
        assertThat(result.out()).contains("30.0 % of the time (6.00 ms of a 20 ms step)");
        assertThat(result.out()).containsPattern("20\\.00 %  libc\\.so\\.6");
        assertThat(result.out()).containsPattern("10\\.00 %  libtorch_cpu\\.so +at::native::loop");
    }

    /**
     * {@code bench/summarize.py} on bad input: a one-line error naming the file (and line) with exit code 2 instead of
     * a Python traceback; and a table whose sides ran with different intra-op thread counts says so.
     */
    @Test
    void summarizeRefusesBadInputInOneLineAndFlagsMixedThreadCounts() throws IOException, InterruptedException {
        Result none = python("summarize.py");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("usage: /usr/bin/python3 bench/summarize.py RESULTS.jsonl [machine.txt]");

        Path missing = temp.resolve("missing.jsonl");
        Result absent = python("summarize.py", missing.toString());
        assertThat(absent.exit()).isEqualTo(2);
        assertThat(absent.err().strip()).isEqualTo("summarize.py: cannot read " + missing + ": No such file or directory");

        Path machine = temp.resolve("machine.txt");
        Files.writeString(machine, "date: today\ncpu: two cores\n");
        Result swapped = python("summarize.py", machine.toString());
        assertThat(swapped.exit()).isEqualTo(2);
        assertThat(swapped.err().strip()).startsWith("summarize.py: " + machine + ":1 is not a line of bench/run.sh's "
                + "results.jsonl").doesNotContain("Traceback");

        Path results = temp.resolve("results.jsonl");
        String gan4j = "{\"round\":1,\"load1\":0.5,\"result\":{\"side\":\"gan4j\",\"model\":\"toy\",\"threads\":1,"
                + "\"batch\":8,\"steps\":5,\"medianSeconds\":0.001,\"gflopsPerSecond\":0.1,\"peakRssMiB\":100}}";
        Files.writeString(results, gan4j + "\n" + gan4j.replace("\"gan4j\"", "\"pytorch-best\"").replace("\"threads\":1",
                "\"threads\":2") + "\n");
        Result mixed = python("summarize.py", results.toString(), temp.resolve("no-machine.txt").toString());
        assertThat(mixed.exit()).isEqualTo(2);
        assertThat(mixed.err()).contains("cannot read").contains("no-machine.txt");
        Result table = python("summarize.py", results.toString());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("**Warning: the sides did not all run with the same number of intra-op "
                + "threads**: toy: gan4j 1, pytorch-best 2.").contains("| toy | 8 | 5×1 | 1.00 | 1.00 |")
                .contains("No `matmul` in this run: the GFLOP/s below have no share of the machine's GEMM rate");
        Files.writeString(results, gan4j + "\n");
        assertThat(python("summarize.py", results.toString()).out()).doesNotContain("Warning");
        // a line from gan4j bench run alone (no bench/run.sh wrapper) has no peak RSS: a dash, not a KeyError
        Files.writeString(results, gan4j.replace(",\"peakRssMiB\":100", "") + "\n");
        Result noRss = python("summarize.py", results.toString());
        assertThat(noRss.exit()).as(noRss.err()).isZero();
        assertThat(noRss.out()).contains("| toy | 8 | 5×1 | 1.00 |").contains("| – / – / – |");
    }

    /**
     * A machine whose processor reports no cache sizes (bench/run.sh's machine.txt says so) gets a caution above the
     * table: gan4j's oneDNN picks other kernels there, so its ratios are not those of other machines; it says whether
     * the launcher corrected the 1-byte caches oneDNN reads there. A machine that reports its caches gets none. The
     * summary also says which PyTorch processes ran with gan4j's allocator settings.
     */
    @Test
    void summarizeCautionsWhenTheMachineHidesItsCacheSizes() throws IOException, InterruptedException {
        Path results = temp.resolve("results.jsonl");
        Files.writeString(results, "{\"round\":1,\"load1\":0.5,\"result\":{\"side\":\"gan4j\",\"model\":\"toy\","
                + "\"threads\":1,\"batch\":8,\"steps\":5,\"medianSeconds\":0.001,\"gflopsPerSecond\":0.1,\"peakRssMiB\":100}}\n");
        Path hidden = temp.resolve("hidden.txt");
        Files.writeString(hidden, "cpu: AMD EPYC × 2 cores (virtualised (the hypervisor does not name itself))\n"
                + "cpu caches: not reported by CPUID (no /sys/devices/system/cpu/cpu0/cache)\n");
        Result caution = python("summarize.py", results.toString(), hidden.toString());
        assertThat(caution.exit()).as(caution.err()).isZero();
        assertThat(caution.out()).contains("**This machine's processor reports no cache sizes**")
                .contains("\"Machines that hide their cache sizes\"")
                .contains("the launcher's correction was off");
        Path corrected = temp.resolve("corrected.txt");
        Files.writeString(corrected, Files.readString(hidden) + "onednn caches (gan4j): CPUID's, corrected where"
                + " impossible (the launcher's libgan4j-onednn-caches.so: L1 and L2 from AMD's older cache leaves, L3 1 MiB"
                + " per core; GAN4J_ONEDNN_CACHES=off keeps CPUID's)\n");
        Result launcher = python("summarize.py", results.toString(), corrected.toString());
        assertThat(launcher.exit()).as(launcher.err()).isZero();
        assertThat(launcher.out()).contains("**This machine's processor reports no cache sizes**")
                .contains("gan4j's launcher gave oneDNN 3.7 the sizes of AMD's older cache leaves")
                .doesNotContain("correction was off");
        Path reported = temp.resolve("reported.txt");
        Files.writeString(reported, "cpu caches: L1 data 48K, L1 instruction 32K, L2 unified 1024K, L3 unified 32768K\n");
        Result none = python("summarize.py", results.toString(), reported.toString());
        assertThat(none.exit()).as(none.err()).isZero();
        assertThat(none.out()).contains("L2 unified 1024K").doesNotContain("reports no cache sizes");
        // which PyTorch processes had gan4j's allocator settings: from the command line, none before the option existed
        assertThat(none.out()).contains("Both PyTorch versions ran with glibc's default allocator settings")
                .contains("flatter gan4j");
        Path tuned = temp.resolve("tuned.txt");
        Files.writeString(tuned, "command: bench/run.sh --rounds 3 --torch-malloc tuned --out x\n");
        assertThat(python("summarize.py", results.toString(), tuned.toString()).out())
                .contains("Both PyTorch versions ran with gan4j's glibc allocator settings (--torch-malloc tuned).");
    }

    /**
     * The analysis scripts name a missing file in one line instead of a traceback, and profile_summary.py reads the
     * gzipped traces bench/gpu/run.sh writes (it failed on them with a UnicodeDecodeError).
     */
    @Test
    void analysisScriptsNameAMissingFileAndProfileSummaryReadsGzippedTraces() throws IOException, InterruptedException {
        Path missing = temp.resolve("missing.log");
        for (List<String> call : List.of(List.of("profile_summary.py", missing.toString()),
                List.of("perf_threads.py", missing.toString()),
                List.of("onednn_summary.py", missing.toString(), "--steps", "2"))) {
            Result result = python(call.get(0), call.subList(1, call.size()).toArray(String[]::new));
            assertThat(result.exit()).as(call.get(0)).isEqualTo(2);
            assertThat(result.err().strip()).isEqualTo(call.get(0) + ": cannot read " + missing + ": No such file or directory");
        }
        Path trace = temp.resolve("profile.json.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(trace))) {
            out.write(("{\"traceEvents\": [{\"ph\": \"X\", \"name\": \"aten::mm\", \"tid\": 1, \"ts\": 0, "
                    + "\"dur\": 2000}]}").getBytes(StandardCharsets.UTF_8));
        }
        Result gz = python("profile_summary.py", trace.toString());
        assertThat(gz.exit()).as(gz.err()).isZero();
        assertThat(gz.out()).containsPattern("aten::mm +2\\.00 \\( +1\\)");
        Path text = temp.resolve("notes.txt");
        Files.writeString(text, "not a trace");
        Result notTrace = python("profile_summary.py", text.toString());
        assertThat(notTrace.exit()).isNotZero();
        assertThat(notTrace.err().strip()).isEqualTo("profile_summary.py: " + text + " is not a Chrome trace (JSON, or "
                + "JSON.gz as bench/gpu/run.sh writes)");

        Process help = new ProcessBuilder("bash", Path.of("..", "bench", "gpu", "prepare.sh").toString(), "--help").start();
        String helpText = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(helpText).startsWith("Prepares, on this machine, the bundle");

        // prepare.sh empties BUNDLE: a folder it did not make is refused before anything is built or deleted
        Path djl = Files.createDirectories(temp.resolve("djl-native"));
        Files.writeString(djl.resolve("ai_djl_pytorch_jni_PyTorchLibrary_tensor.cc"), "// a stand-in");
        Path foreign = Files.createDirectories(temp.resolve("photos"));
        Files.writeString(foreign.resolve("holiday.jpg"), "keep me");
        Process refused = new ProcessBuilder("bash", Path.of("..", "bench", "gpu", "prepare.sh").toString(),
                djl.toString(), foreign.toString()).start();
        String refusal = new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).as(refusal).isEqualTo(2);
        assertThat(refusal.strip()).isEqualTo("prepare.sh: " + foreign + " exists and is not a bundle this script made "
                + "(no .gan4j-gpu-bundle in it); name a new or empty folder");
        assertThat(foreign.resolve("holiday.jpg")).hasContent("keep me");
    }
}
