package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.Gan4jException;
import org.gan4j.io.ImageGrid;

/**
 * Checks an image file option before any work is done: the file's extension names the format written
 * ({@link ImageGrid#EXTENSIONS}: PNG, JPEG, BMP or GIF), so a name without one of them is refused rather than
 * receiving bytes of another format.
 */
final class ImageOutput {

    private ImageOutput() {}

    /**
     * Refuses an image file whose extension names no format gan4j writes, or that is an existing folder.
     *
     * @param option the option that named the file, for the message
     * @param file the file to write
     * @throws Gan4jException naming the option, the file and the extensions allowed
     */
    static void check(String option, Path file) {
        if (ImageGrid.formatOf(file).isEmpty()) {
            throw new Gan4jException(option + " " + file + ": the file name must end in "
                    + ImageGrid.EXTENSION_LIST + " (the extension names the image format written)");
        }
        if (Files.isDirectory(file)) {
            throw new Gan4jException(option + " " + file + " is a folder: name an image file");
        }
        RunFiles.check(option, file);
    }
}
