package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library the {@code gan4j} launcher compiles and preloads so that MKL, libtorch's BLAS, chooses its code by the
 * processor's instruction sets instead of its vendor (gan4j-cli/src/main/native/mkl_cpu_check.c; docs/PERFORMANCE.md):
 * when the launcher preloads it, and that with it MKL really runs its AVX-512 code, computes what it computed before
 * to float rounding, and gives the same numbers run after run.
 */
class LauncherMklTest {

    private static final Path SOURCE = Path.of("src", "main", "native", "mkl_cpu_check.c");

    @TempDir Path temp;

    @Test
    void isaPreloadsTheCompiledLibraryAndKeepsTheUsersPreload() throws Exception {
        assumeTrue(LauncherCopy.isX86(), "x86-64 only");
        assumeTrue(LauncherCopy.compiler() != null, "needs a C compiler (cc or gcc)");
        LauncherCopy.Run launch = launch(Map.of("GAN4J_MKL", "isa", "LD_PRELOAD", "/users/own.so"));
        assertThat(launch.code()).as(launch.err()).isZero();
        Path library = temp.resolve("gan4j-home/gan4j-cli/target/native/libgan4j-mkl-cpu.so");
        assertThat(launch.out().strip()).isEqualTo("LD_PRELOAD=" + library + ":/users/own.so");
        assertThat(library).isRegularFile();
        assertThat(launch.err()).doesNotContain("could not compile");
    }

    @Test
    void vendorPreloadsNothing() throws Exception {
        LauncherCopy.Run launch = launch(Map.of("GAN4J_MKL", "vendor"));
        assertThat(launch.code()).as(launch.err()).isZero();
        assertThat(launch.out().strip()).isEqualTo("LD_PRELOAD=");
        assertThat(temp.resolve("gan4j-home/gan4j-cli/target/native")).doesNotExist();
    }

    @Test
    void autoPreloadsOnlyOnProcessorsNotIntelsThatHaveAvx512() throws Exception {
        assumeTrue(LauncherCopy.compiler() != null, "needs a C compiler (cc or gcc)");
        LauncherCopy.Run launch = launch(Map.of());
        assertThat(launch.code()).as(launch.err()).isZero();
        if (LauncherCopy.isX86() && !isIntel() && hasAvx512()) {
            assertThat(launch.out()).contains("libgan4j-mkl-cpu.so");
        } else {
            assertThat(launch.out().strip()).isEqualTo("LD_PRELOAD=");
        }
    }

    @Test
    void withoutACompilerTheLauncherSaysSoAndRunsWithoutTheLibrary() throws Exception {
        assumeTrue(LauncherCopy.isX86(), "x86-64 only");
        LauncherCopy.Run launch = launch(Map.of("GAN4J_MKL", "isa", "CC", temp.resolve("no-compiler").toString()));
        assertThat(launch.code()).as(launch.err()).isZero();
        assertThat(launch.out().strip()).isEqualTo("LD_PRELOAD=");
        assertThat(launch.err()).contains("could not compile", "mkl_cpu_check.c", "no-compiler", "apt-get install gcc");
    }

    @Test
    void anUnknownModeIsAOneLineError() throws Exception {
        LauncherCopy.Run launch = launch(Map.of("GAN4J_MKL", "fast"));
        assertThat(launch.code()).isEqualTo(2);
        assertThat(launch.err().strip()).isEqualTo("gan4j: error: GAN4J_MKL must be auto, isa or vendor, got 'fast'");
        assertThat(launch.out()).isEmpty();
    }

    /**
     * A short DCGAN run in real child JVMs: with the library MKL announces its AVX-512 code (and without it, on a
     * processor that is not Intel's, its other code), two runs with it give the same metrics bit for bit, and a run
     * without it the same values to float rounding.
     */
    @Test
    void mklRunsItsAvx512CodeWithTheLibraryAndTheNumbersStayReproducible() throws Exception {
        assumeTrue(LauncherCopy.isX86() && hasAvx512(), "needs an x86-64 processor with AVX-512");
        String cc = LauncherCopy.compiler();
        assumeTrue(cc != null, "needs a C compiler (cc or gcc)");
        Path library = temp.resolve("libgan4j-mkl-cpu.so");
        Process compile = new ProcessBuilder(cc, "-O2", "-shared", "-fPIC", "-o", library.toString(), SOURCE.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(compile.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(compile.exitValue()).as(new String(compile.getInputStream().readAllBytes())).isZero();
        Path data = CliTest.writeIdx(temp.resolve("images-idx3-ubyte"), 64, 64);

        List<JsonNode> first = train(data, "first", library);
        List<JsonNode> second = train(data, "second", library);
        List<JsonNode> vendor = train(data, "vendor", null);

        String firstLog = Files.readString(temp.resolve("first.log"));
        assertThat(firstLog).as("MKL's banner").containsPattern("MKL_VERBOSE .*AVX-512");
        if (!isIntel()) {
            assertThat(Files.readString(temp.resolve("vendor.log"))).contains("MKL_VERBOSE").doesNotContain("AVX-512");
        }
        assertThat(first).hasSize(4).isEqualTo(second);
        for (int row = 0; row < first.size(); row++) {
            for (String key : List.of("lossD", "lossG", "dReal", "dFake")) {
                assertThat(first.get(row).path(key).isNumber()).as(key).isTrue();
                assertThat(first.get(row).path(key).asDouble())
                        .as("row %d %s", row, key)
                        .isCloseTo(vendor.get(row).path(key).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    /** Four DCGAN steps in a child JVM, MKL's calls logged; returns the metrics rows without their timings. */
    private List<JsonNode> train(Path data, String name, Path library) throws Exception {
        Path out = temp.resolve(name);
        Path log = temp.resolve(name + ".log");
        Process process = KillResumeHarness.launch(log, List.of("-Dai.djl.pytorch.num_threads=2"), environment -> {
                    environment.remove("LD_PRELOAD");
                    if (library != null) {
                        environment.put("LD_PRELOAD", library.toString());
                    }
                    if (!name.equals("second")) {
                        environment.put("MKL_VERBOSE", "1");
                    }
                },
                // feature counts that are multiples of 16: with 8, a machine whose libtorch miscomputes convolutions
                // with few channels (ConvolutionCheck) gave other numbers from run to run (1 December)
                "train", "--data", data.toString(), "--set", "training.steps=4", "--set", "training.batchSize=16",
                "--set", "model.dcgan.generatorFeatures=16", "--set", "model.dcgan.discriminatorFeatures=16",
                "--set", "output.logEvery=1", "--out", out.toString(), "--no-progress");
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(KillResumeHarness.log(log)).isZero();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            ObjectNode row = (ObjectNode) Json.MAPPER.readTree(line);
            row.remove(List.of("secs", "dataWaitSecs", "wallSecs"));
            rows.add(row);
        }
        return rows;
    }

    /** Runs {@code gan4j info} through a launcher copy whose stand-in java prints the LD_PRELOAD it was given. */
    private LauncherCopy.Run launch(Map<String, String> env) throws Exception {
        // the oneDNN library, which the launcher also preloads on some processors, is LauncherOnednnCachesTest's
        Map<String, String> withoutOnednn = new java.util.HashMap<>(env);
        withoutOnednn.put("GAN4J_ONEDNN_CACHES", "off");
        return LauncherCopy.preloadOf(temp, withoutOnednn);
    }



    private static String cpuinfoLine(String prefix) throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return "";
        }
        return Files.readAllLines(cpuinfo).stream().filter(line -> line.startsWith(prefix)).findFirst().orElse("");
    }

    private static boolean isIntel() throws IOException {
        return cpuinfoLine("vendor_id").contains("GenuineIntel");
    }

    private static boolean hasAvx512() throws IOException {
        return Arrays.asList(cpuinfoLine("flags").split("\\s+")).contains("avx512f");
    }
}
