package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gan4j} launcher's garbage collector (docs/PERFORMANCE.md, "The JVM's garbage collector"): the parallel
 * collector by default, whatever other flags {@code JAVA_OPTS} holds; a collector named in {@code JAVA_OPTS} instead
 * of it (the JVM refuses two: "Multiple garbage collectors selected"). The launcher runs for real, in a copy whose
 * build looks current, with a stand-in {@code java} that prints its arguments; {@link #theRealJvmRunsWithTheLaunchersCollector}
 * starts the real one.
 */
class LauncherCollectorTest {

    @TempDir Path temp;

    private LauncherCopy.Run launch(String folder, String javaOpts) throws Exception {
        LauncherCopy.Run run = launch(folder, javaOpts, "echo \"$@\"\n");
        assertThat(run.code()).as(run.err()).isZero();
        return run;
    }

    /** Runs {@code gan4j info} through a launcher copy with the given stand-in {@code java} and JAVA_OPTS (null: unset). */
    private LauncherCopy.Run launch(String folder, String javaOpts, String javaScript) throws Exception {
        LauncherCopy copy = LauncherCopy.create(Files.createDirectories(temp.resolve(folder)), javaScript);
        return copy.info(name -> name.startsWith("GAN4J_") || name.equals("JAVA_OPTS"),
                javaOpts == null ? Map.of("GAN4J_MKL", "vendor") : Map.of("GAN4J_MKL", "vendor", "JAVA_OPTS", javaOpts));
    }

    @Test
    void parallelByDefaultAndWithOtherFlags() throws Exception {
        String fixedYoung = roomForAFixedYoungGeneration() ? " -XX:NewSize=128m" : "";
        assertThat(launch("default", null).out())
                .contains("-XX:MaxNewSize=128m -XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy" + fixedYoung + " -D");
        assertThat(launch("other", "-Xmx8g -XX:+UseTransparentHugePages -XX:+PrintGC").out())
                .contains("-XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy" + fixedYoung
                        + " -Xmx8g -XX:+UseTransparentHugePages -XX:+PrintGC");
    }

    /**
     * The young generation is fixed at 128 MiB only where the JVM's initial heap has room for it (the JVM warns
     * otherwise), and not where JAVA_OPTS sizes the heap's start or its generations itself.
     */
    @Test
    void theYoungGenerationIsFixedOnlyWhereTheHeapHasRoom() throws Exception {
        for (String opts : new String[] {"-Xmx200m", "-Xmx131072k", "-Xms1g", "-Xmn64m", "-XX:NewSize=32m",
                "-XX:MaxNewSize=64m -Xmx4g"}) {
            String out = launch("y" + Integer.toHexString(opts.hashCode()), opts).out();
            assertThat(out).as(opts).contains("-XX:+UseParallelGC").doesNotContain("-XX:NewSize=128m");
        }
    }

    /** Whether this machine (or its container) has the 16 GiB whose 1/64 the launcher requires for a fixed young generation. */
    private static boolean roomForAFixedYoungGeneration() throws Exception {
        long kib = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElse(0);
        for (String limitFile : new String[] {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
            Path file = Path.of(limitFile);
            if (Files.isReadable(file)) {
                String limit = Files.readString(file).strip();
                if (limit.matches("[0-9]{1,18}")) {
                    kib = Math.min(kib, Long.parseLong(limit) / 1024);
                }
            }
        }
        return kib / 64 / 1024 >= 256;
    }

    /**
     * JAVA_OPTS is split at white space but never glob-expanded: a {@code *} in it reached the JVM as the names of the
     * files in the current folder (here the module's pom.xml, src, target).
     */
    @Test
    void javaOptsAreSplitButNotGlobExpanded() throws Exception {
        LauncherCopy.Run run = launch("glob", "-Xmx1g  -Dgan4j.example=*  *", "printf '%s\\n' \"$@\"\n");
        assertThat(run.code()).as(run.err()).isZero();
        List<String> args = run.out().lines().toList();
        assertThat(args).contains("-Xmx1g", "-Dgan4j.example=*", "*").doesNotContain("pom.xml", "src", "");
        assertThat(args.indexOf("*")).isEqualTo(args.indexOf("-Dgan4j.example=*") + 1);
    }

    @Test
    void aCollectorInJavaOptsReplacesIt() throws Exception {
        for (String collector : new String[] {"-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseZGC"}) {
            String out = launch("c" + collector.length() + collector.charAt(7), "-Xmx1g " + collector).out();
            assertThat(out).as(collector).contains(collector).doesNotContain("UseParallelGC");
        }
    }

    /**
     * A real JVM accepts what the launcher passes and runs with that collector: the stand-in hands the launcher's
     * {@code -XX} flags to this JVM's {@code java}, which prints the flags it chose ({@code -XX:+PrintCommandLineFlags}).
     */
    @Test
    void theRealJvmRunsWithTheLaunchersCollector() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "flags=()\nfor a in \"$@\"; do case \"$a\" in -XX:*|-Xmx*) flags+=(\"$a\") ;; esac; done\n"
                + "exec '" + java + "' \"${flags[@]}\" -XX:+PrintCommandLineFlags -version\n";
        String[][] cases = {{null, "-XX:+UseParallelGC"}, {"-XX:+UseG1GC", "-XX:+UseG1GC"}, {"-Xmx200m", "-XX:+UseParallelGC"},
            {"-Xmx8g", "-XX:+UseParallelGC"}};
        for (String[] c : cases) {
            LauncherCopy.Run run = launch("real" + c.hashCode(), c[0], script);
            assertThat(run.code()).as(run.out() + run.err()).isZero();
            assertThat(run.out() + run.err()).as(String.valueOf(c[0])).contains(c[1])
                    .doesNotContain(c[1].equals("-XX:+UseG1GC") ? "UseParallelGC" : "UseG1GC")
                    // no "NewSize was set larger than initial heap size" or other complaint of the JVM's
                    .doesNotContainIgnoringCase("warning");
        }
    }
}
