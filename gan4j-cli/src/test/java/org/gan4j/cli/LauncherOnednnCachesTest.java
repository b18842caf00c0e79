package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library the {@code gan4j} launcher compiles and preloads so that oneDNN, libtorch's convolutions, does not size
 * its kernels for the 1-byte caches it reads on AMD processors whose cache leaf is empty
 * (gan4j-cli/src/main/native/onednn_cache_sizes.c; docs/PERFORMANCE.md, "Machines that hide their cache sizes"): when
 * the launcher preloads it, what it does in a real JVM, and that it leaves other libraries alone.
 */
class LauncherOnednnCachesTest {

    private static final Path SOURCE = Path.of("src", "main", "native", "onednn_cache_sizes.c");

    @TempDir Path temp;

    @Test
    void onPreloadsTheCompiledLibraryAfterMklsAndKeepsTheUsersPreload() throws Exception {
        assumeTrue(LauncherCopy.isX86(), "x86-64 only");
        assumeTrue(LauncherCopy.compiler() != null, "needs a C compiler (cc or gcc)");
        LauncherCopy.Run launch = launch(Map.of(
                "GAN4J_ONEDNN_CACHES", "on", "GAN4J_MKL", "isa", "LD_PRELOAD", "/users/own.so"));
        assertThat(launch.code()).as(launch.err()).isZero();
        Path natives = temp.resolve("gan4j-home/gan4j-cli/target/native");
        assertThat(launch.out().strip()).isEqualTo("LD_PRELOAD=" + natives.resolve("libgan4j-mkl-cpu.so") + ":"
                + natives.resolve("libgan4j-onednn-caches.so") + ":/users/own.so");
        assertThat(natives.resolve("libgan4j-onednn-caches.so")).isRegularFile();
        assertThat(launch.err()).doesNotContain("could not compile");
    }

    @Test
    void offPreloadsNothing() throws Exception {
        LauncherCopy.Run launch = launch(Map.of("GAN4J_ONEDNN_CACHES", "off"));
        assertThat(launch.code()).as(launch.err()).isZero();
        assertThat(launch.out().strip()).isEqualTo("LD_PRELOAD=");
        assertThat(temp.resolve("gan4j-home/gan4j-cli/target/native")).doesNotExist();
    }

    @Test
    void autoPreloadsOnlyOnAmdProcessorsWhoseCachesLinuxDoesNotList() throws Exception {
        assumeTrue(LauncherCopy.compiler() != null, "needs a C compiler (cc or gcc)");
        LauncherCopy.Run launch = launch(Map.of());
        assertThat(launch.code()).as(launch.err()).isZero();
        if (hidesCaches()) {
            assertThat(launch.out()).contains("libgan4j-onednn-caches.so");
        } else {
            assertThat(launch.out().strip()).isEqualTo("LD_PRELOAD=");
        }
    }

    @Test
    void withoutACompilerTheLauncherSaysSoAndRunsWithoutTheLibrary() throws Exception {
        assumeTrue(LauncherCopy.isX86(), "x86-64 only");
        LauncherCopy.Run launch = launch(Map.of(
                "GAN4J_ONEDNN_CACHES", "on", "CC", temp.resolve("no-compiler").toString()));
        assertThat(launch.code()).as(launch.err()).isZero();
        assertThat(launch.out().strip()).isEqualTo("LD_PRELOAD=");
        assertThat(launch.err()).contains(
                "could not compile", "onednn_cache_sizes.c", "no-compiler", "GAN4J_ONEDNN_CACHES=off");
    }

    @Test
    void anUnknownModeIsAOneLineError() throws Exception {
        LauncherCopy.Run launch = launch(Map.of("GAN4J_ONEDNN_CACHES", "fix"));
        assertThat(launch.code()).isEqualTo(2);
        assertThat(launch.err().strip())
                .isEqualTo("gan4j: error: GAN4J_ONEDNN_CACHES must be auto, on or off, got 'fix'");
        assertThat(launch.out()).isEmpty();
    }

    /**
     * {@code gan4j info} in a real child JVM with the library preloaded: it finds libtorch when DJL loads it and reports
     * oneDNN's cache sizes; where they are impossible it makes them unknown, and libtorch then computes the
     * convolution input gradients that {@code ConvolutionCheck} compares with nested loops correctly. Where the
     * processor reports its caches it changes nothing.
     */
    @Test
    void inARealJvmTheLibraryFindsLibtorchAndCorrectsOnlyImpossibleSizes() throws Exception {
        assumeTrue(LauncherCopy.isX86(), "x86-64 only");
        Path library = compile();
        Path log = temp.resolve("info.log");
        Process process = KillResumeHarness.launch(log, List.of(), environment -> {
            environment.put("LD_PRELOAD", library.toString());
            environment.put("GAN4J_ONEDNN_CACHES_DEBUG", "1");
        }, "info");
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = KillResumeHarness.log(log);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsOnlyOnce("gan4j: oneDNN's data caches from CPUID: ");
        assertThat(output).doesNotContain("warning");
        assertThat(output).containsPattern("onednn caches +CPUID's, corrected where impossible");
        if (hidesCaches()) {
            // this kind of VM fills AMD's older cache leaves (Zen 5: 48 KiB and 1 MiB); without them, oneDNN's defaults
            assertThat(output).containsPattern("L1 1, L2 1, L3 1 bytes: impossible, now (L1 \\d+ and L2 \\d+ KiB \\(AMD's"
                    + " older cache leaves\\), L3 \\d+ KiB per core|unknown to oneDNN)");
            assertThat(output).contains("convolutions       input gradients checked on this CPU: correct");
        } else {
            assertThat(output).contains("left as they are");
        }
    }

    /**
     * A libtorch_cpu.so that is not the build the library knows (here a stand-in compiled on the spot) gets a one-line
     * warning and is not touched, and every dlopen still returns what the real one returns.
     */
    @Test
    void anUnknownLibtorchBuildIsLeftAloneWithAWarning() throws Exception {
        assumeTrue(LauncherCopy.isX86(), "x86-64 only");
        Path library = compile();
        String cc = LauncherCopy.compiler();
        Path standIn = Files.createDirectories(temp.resolve("other")).resolve("libtorch_cpu.so");
        Files.writeString(temp.resolve("stand_in.c"), "int stand_in(void) { return 42; }\n");
        run(List.of(cc, "-shared", "-fPIC", "-o", standIn.toString(), temp.resolve("stand_in.c").toString()), Map.of());
        Files.writeString(temp.resolve("driver.c"), String.join("\n",
                "#include <dlfcn.h>",
                "#include <stdio.h>",
                "int main(int argc, char **argv) {",
                "    void *missing = dlopen(\"/no/such/library.so\", RTLD_NOW);",
                "    void *torch = dlopen(argv[1], RTLD_NOW);",
                "    int (*f)(void) = torch ? (int (*)(void)) dlsym(torch, \"stand_in\") : 0;",
                "    printf(\"missing %s, stand-in %d\\n\", missing ? \"found\" : \"null\", f ? f() : -1);",
                "    return argc > 2;",
                "}",
                ""));
        Path driver = temp.resolve("driver");
        run(List.of(cc, "-o", driver.toString(), temp.resolve("driver.c").toString(), "-ldl"), Map.of());
        String output = run(List.of(driver.toString(), standIn.toString()),
                Map.of("LD_PRELOAD", library.toString(), "GAN4J_ONEDNN_CACHES_DEBUG", "1"));
        assertThat(output.lines()).containsExactly(
                "gan4j: warning: libtorch_cpu.so is not the build gan4j knows, so oneDNN's cache sizes are left as CPUID"
                        + " gives them (docs/PERFORMANCE.md, \"Machines that hide their cache sizes\")",
                "missing null, stand-in 42");
    }

    @Test
    void infoSaysWhichCacheSizesOnednnSizesItsKernelsBy() throws Exception {
        Path amd = Files.writeString(temp.resolve("amd"), "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu\n");
        Path intel = Files.writeString(temp.resolve("intel"), "processor\t: 0\nvendor_id\t: GenuineIntel\n");
        Path listed = Files.createDirectories(temp.resolve("cache"));
        Path unlisted = temp.resolve("no-cache");
        String library = "/x/gan4j-cli/target/native/" + InfoCommand.ONEDNN_LIBRARY;

        assertThat(InfoCommand.onednnCaches("/a.so:" + library, amd, unlisted))
                .startsWith("CPUID's, corrected where impossible (the launcher's libgan4j-onednn-caches.so: L1 and L2")
                .endsWith("GAN4J_ONEDNN_CACHES=off keeps CPUID's)");
        assertThat(InfoCommand.onednnCaches(null, amd, unlisted))
                .isEqualTo("CPUID's, which this processor leaves empty and oneDNN takes for 1-byte caches: slower"
                        + " convolutions, wrong input gradients (the gan4j launcher corrects it: GAN4J_ONEDNN_CACHES=auto)");
        assertThat(InfoCommand.onednnCaches("/a.so", amd, listed)).isEqualTo("CPUID's");
        assertThat(InfoCommand.onednnCaches(null, intel, unlisted)).isEqualTo("CPUID's");
        assertThat(InfoCommand.onednnCaches(null, temp.resolve("no-cpuinfo"), unlisted)).isEqualTo("CPUID's");
    }

    private Path compile() throws Exception {
        String cc = LauncherCopy.compiler();
        assumeTrue(cc != null, "needs a C compiler (cc or gcc)");
        Path library = temp.resolve("libgan4j-onednn-caches.so");
        run(List.of(cc, "-O2", "-Wall", "-Werror", "-shared", "-fPIC", "-o", library.toString(), SOURCE.toString(),
                "-ldl"), Map.of());
        return library;
    }

    /** Runs a command to its end within a minute and returns its output (stderr first, then stdout, unbuffered). */
    private static String run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("LD_PRELOAD");
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    /** Runs {@code gan4j info} through a launcher copy whose stand-in java prints the LD_PRELOAD it was given. */
    private LauncherCopy.Run launch(Map<String, String> env) throws Exception {
        return LauncherCopy.preloadOf(temp, withMklOff(env));
    }

    /** MKL's library, which the launcher also preloads on some processors, is LauncherMklTest's. */
    private static Map<String, String> withMklOff(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("GAN4J_MKL", "vendor");
        return all;
    }



    /** The launcher's own test: an AMD or Hygon x86-64 processor whose caches Linux does not list. */
    private static boolean hidesCaches() {
        return LauncherCopy.isX86() && InfoCommand.cachesHidden(
                Path.of("/proc/cpuinfo"), Path.of("/sys/devices/system/cpu/cpu0/cache"));
    }
}
