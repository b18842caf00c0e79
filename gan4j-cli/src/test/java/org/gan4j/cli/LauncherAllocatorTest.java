package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
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
        LauncherCopy.Run run = LauncherCopy.create(temp, "env | grep '^MALLOC_' | sort\n")
                .info(name -> name.startsWith("MALLOC_") || name.equals("GAN4J_MALLOC"), env);
        assertThat(run.code()).isZero();
        return run.out();
    }
}
