package org.gan4j.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files at the repository root (configs/, docs/) from a test running in a module directory. */
final class RepositoryFiles {

    private RepositoryFiles() {}

    /**
     * Returns a path under the repository root, the nearest ancestor of the working directory with configs/.
     *
     * @param relative the path relative to the root
     * @return the resolved path
     */
    static Path resolve(String relative) {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null) {
            if (Files.isDirectory(directory.resolve("configs")) && Files.isRegularFile(directory.resolve("pom.xml"))) {
                return directory.resolve(relative);
            }
            directory = directory.getParent();
        }
        throw new IllegalStateException("no repository root with configs/ above " + Path.of("").toAbsolutePath());
    }
}
