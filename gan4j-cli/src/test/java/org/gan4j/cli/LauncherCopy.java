package org.gan4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A copy of the {@code gan4j} launcher (with the C source it compiles for MKL) whose build looks current, and a folder
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
        // the source of the library the launcher compiles and preloads for MKL (LauncherMklTest)
        Path nativeSource = Path.of("src", "main", "native", "mkl_cpu_check.c");
        Files.copy(nativeSource, Files.createDirectories(home.resolve("gan4j-cli").resolve(nativeSource).getParent())
                .resolve(nativeSource.getFileName()));
        Files.writeString(target.resolveSibling("gan4j-cli-0.1.0-SNAPSHOT.jar"), "");
        Files.writeString(target.resolveSibling(".gan4j-built"), "");
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n" + javaScript);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new LauncherCopy(home.resolve("gan4j"), bin);
    }
}
