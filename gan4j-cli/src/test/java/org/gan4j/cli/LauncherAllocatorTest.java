package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gan4j} launcher's glibc allocator settings (docs/PERFORMANCE.md, "The glibc allocator"): one arena and
 * the two thresholds by default, none with {@code GAN4J_MALLOC=system}, and a value the user set wins. The launcher
 * runs for real, in a copy whose build looks current, with a stand-in {@code java} that prints its environment.
 */
class LauncherAllocatorTest {

    @TempDir Path temp;

    @Test
    void setsOneArenaAndTheThresholdsByDefault() throws Exception {
        assertThat(launch(Map.of()))
                .contains("MALLOC_ARENA_MAX=1", "MALLOC_MMAP_THRESHOLD_=268435456", "MALLOC_TRIM_THRESHOLD_=1073741824");
    }

    @Test
    void systemKeepsGlibcDefaults() throws Exception {
        assertThat(launch(Map.of("GAN4J_MALLOC", "system"))).doesNotContain("MALLOC_");
    }

    @Test
    void explicitValuesWin() throws Exception {
        assertThat(launch(Map.of("MALLOC_ARENA_MAX", "4", "MALLOC_TRIM_THRESHOLD_", "0")))
                .contains("MALLOC_ARENA_MAX=4", "MALLOC_TRIM_THRESHOLD_=0", "MALLOC_MMAP_THRESHOLD_=268435456");
    }

    /** Runs {@code gan4j info} through the launcher and returns the MALLOC variables java was started with. */
    private String launch(Map<String, String> env) throws Exception {
        LauncherCopy copy = LauncherCopy.create(temp, "env | grep '^MALLOC_' | sort\n");
        Path out = temp.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder("bash", copy.launcher().toString(), "info")
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("MALLOC_") || name.equals("GAN4J_MALLOC"));
        builder.environment().putAll(env);
        builder.environment().put("PATH", copy.bin() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
