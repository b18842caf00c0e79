package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A copy of the {@code gan4j} launcher (with the C sources it compiles for MKL and oneDNN) whose build looks current, and a folder
 * holding a stand-in {@code java}, for tests that run the launcher for real: put {@link #bin} first on the PATH and
 * run {@code bash} on {@link #launcher}.
 *
 * @param launcher the copied launcher script
 * @param bin the folder with the stand-in {@code java}
 */
record LauncherCopy(Path launcher, Path bin) {

    /**
     * Copies the launcher into {@code temp} and writes the stand-in {@code java}.
     *
     * @param temp an empty folder
     * @param javaScript the stand-in's bash script (without the #! line)
     * @return the copy
     * @throws IOException if a file cannot be written
     */
    static LauncherCopy create(Path temp, String javaScript) throws IOException {
        Path home = temp.resolve("gan4j-home");
        Path target = Files.createDirectories(home.resolve("gan4j-cli/target/lib"));
        Files.copy(Path.of("..", "gan4j"), home.resolve("gan4j"));
        // the sources of the libraries the launcher compiles and preloads for MKL and oneDNN (LauncherMklTest,
        // LauncherOnednnCachesTest)
        Path nativeFolder = Path.of("src", "main", "native");
        Path nativeCopy = Files.createDirectories(home.resolve("gan4j-cli").resolve(nativeFolder));
        for (String source : new String[] {"mkl_cpu_check.c", "onednn_cache_sizes.c"}) {
            Files.copy(nativeFolder.resolve(source), nativeCopy.resolve(source));
        }
        Files.writeString(target.resolveSibling("gan4j-cli-0.1.0-SNAPSHOT.jar"), "");
        Files.writeString(target.resolveSibling(".gan4j-built"), "");
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n" + javaScript);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new LauncherCopy(home.resolve("gan4j"), bin);
    }

    /** What a launcher run printed, and its exit code. */
    record Run(int code, String out, String err) {}

    /**
     * Runs {@code gan4j info} through the copy, with the stand-in {@code java} first on the PATH.
     *
     * @param cleared names of the test JVM's environment variables to leave out
     * @param env variables to set
     * @return the exit code and both outputs
     * @throws Exception if the launcher cannot be started or does not end within a minute
     */
    Run info(Predicate<String> cleared, Map<String, String> env) throws Exception {
        Path folder = bin.getParent();
        Path out = folder.resolve("out.txt");
        Path err = folder.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder("bash", launcher.toString(), "info")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(cleared);
        builder.environment().putAll(env);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // the launcher's stderr filter may still be writing when java (the stand-in) has exited
        Thread.sleep(100);
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The machine's C compiler ({@code cc} or {@code gcc} on the PATH), which the launcher compiles its libraries with. */
    static String compiler() {
        for (String name : java.util.List.of("cc", "gcc")) {
            for (String dir : System.getenv("PATH").split(":")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    /** Whether this JVM runs on an x86-64 processor, where the launcher's native libraries apply. */
    static boolean isX86() {
        return java.util.List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    }

    /**
     * Runs {@code gan4j info} through a copy whose stand-in java prints the LD_PRELOAD it was given, with the
     * launcher's own variables and the user's LD_PRELOAD and CC cleared before {@code env} is applied.
     */
    static Run preloadOf(Path temp, Map<String, String> env) throws Exception {
        return create(temp, "echo \"LD_PRELOAD=${LD_PRELOAD:-}\"\n")
                .info(name -> name.equals("LD_PRELOAD") || name.startsWith("GAN4J_") || name.equals("CC"), env);
    }
}
