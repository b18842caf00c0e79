package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.BadFilePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A good image too large for the Java heap to decode is an error that says so, never skipped as "unreadable": the PNG
 * reader wraps the OutOfMemoryError in an IIOException ("Caught exception during read"), which was taken for a corrupt
 * file. Runs the folder load in a child JVM with a 48 MB heap and a 4000×4000 PNG (a 48 MB raster).
 */
class DecodeMemoryTest {

    @TempDir Path root;

    @Test
    void anImageTooLargeForTheHeapIsAnErrorNotASkippedFile() throws Exception {
        TestData.solid(root.resolve("big.png"), "png", 4000, 4000, 0x20C040);
        TestData.solid(root.resolve("small.png"), "png", 8, 8, 0x20C040);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process =
                new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                                Child.class.getName(), root.toString())
                        .redirectErrorStream(true)
                        .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(out)
                .contains("ERROR: image " + root.resolve("big.png") + " is 4000×4000: decoding it needs up to 128 MB")
                .contains("raise it with JAVA_OPTS=-Xmx")
                .doesNotContain("LOADED");
    }

    /** Loads a folder under skip and prints what happened. */
    public static final class Child {
        private Child() {}

        /**
         * Entry point.
         *
         * @param args the folder
         */
        public static void main(String[] args) {
            try {
                ImageFolder folder =
                        ImageFolder.builder()
                                .setRoot(new File(args[0]).toPath())
                                .setImageSize(8)
                                .setChannels(3)
                                .optBadFilePolicy(BadFilePolicy.SKIP)
                                .build();
                System.out.println("LOADED " + folder.size() + " skipped " + folder.skippedFiles());
            } catch (Gan4jException e) {
                System.out.println("ERROR: " + e.getMessage());
            }
        }
    }
}
