package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir Path folder;

    /** Three 2×2 images: pixel values 0, 255, 128, 1 then 10..13 then 20..23. */
    private static final byte[] PIXELS = {0, (byte) 255, (byte) 128, 1, 10, 11, 12, 13, 20, 21, 22, 23};

    private static byte[] images() {
        return TestData.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 2, PIXELS);
    }

    @Test
    void readsRawImagesWithLabelsFoundNextToThem() {
        Path images = TestData.write(folder.resolve("train-images-idx3-ubyte"), images());
        TestData.write(folder.resolve("train-labels-idx1-ubyte"), TestData.idxLabels(3, new byte[] {4, 0, 9}));

        ImageDataset data = IdxReader.read(images);

        assertThat(data.size()).isEqualTo(3);
        assertThat(data.exampleShape()).containsExactly(1, 2, 2);
        assertThat(data.classCount()).isEqualTo(10);
        assertThat(new int[] {data.label(0), data.label(1), data.label(2)}).containsExactly(4, 0, 9);
        float[] first = new float[4];
        data.copyExample(0, first, 0);
        assertThat(first[0]).isEqualTo(-1f);
        assertThat(first[1]).isEqualTo(1f);
        assertThat(first[2]).isCloseTo(0.0039216f, within(1e-6f));
        assertThat(first[3]).isCloseTo(1 / 127.5f - 1, within(1e-6f));
        float[] third = new float[6];
        data.copyExample(2, third, 2);
        assertThat(third[2]).isCloseTo(20 / 127.5f - 1, within(1e-6f));
        assertThat(third[5]).isCloseTo(23 / 127.5f - 1, within(1e-6f));
    }

    /** EMNIST stores each image transposed; its files (emnist-*) are read upright, other names as they are. */
    @Test
    void emnistImagesAreTransposedUpright() {
        Path emnist = TestData.write(folder.resolve("emnist-letters-train-images-idx3-ubyte"), images());
        Path plain = TestData.write(folder.resolve("letters-train-images-idx3-ubyte"), images());
        ImageDataset upright = IdxReader.read(emnist, null);
        ImageDataset asStored = IdxReader.read(plain, null);
        assertThat(upright.description()).contains("EMNIST: transposed upright");
        assertThat(asStored.description()).doesNotContain("EMNIST");
        for (int n = 0; n < 3; n++) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    assertThat(upright.pixel(n, 0, r, c)).as("image %d (%d, %d)", n, r, c)
                            .isEqualTo(asStored.pixel(n, 0, c, r));
                }
            }
        }
        assertThat(asStored.pixel(0, 0, 0, 1)).isEqualTo(255);
        assertThat(upright.pixel(0, 0, 1, 0)).isEqualTo(255);
    }

    @Test
    void readsGzippedFilesByMagicNotByName() {
        // Gzipped content under a name without .gz, and labels gzipped too.
        Path images = TestData.write(folder.resolve("x-images-idx3-ubyte"), TestData.gzip(images()));
        TestData.write(
                folder.resolve("x-labels-idx1-ubyte"), TestData.gzip(TestData.idxLabels(3, new byte[] {1, 2, 1})));

        ImageDataset data = IdxReader.read(images);

        assertThat(data.size()).isEqualTo(3);
        assertThat(data.classCount()).isEqualTo(3);
        assertThat(data.pixel(1, 0, 1, 1)).isEqualTo(13);
        assertThat(data.label(1)).isEqualTo(2);
    }

    @Test
    void findsGzippedLabelsForGzippedImagesAndNoneOtherwise() {
        Path images = TestData.write(folder.resolve("t10k-images-idx3-ubyte.gz"), TestData.gzip(images()));
        Path labels =
                TestData.write(
                        folder.resolve("t10k-labels-idx1-ubyte.gz"),
                        TestData.gzip(TestData.idxLabels(3, new byte[] {0, 0, 1})));
        Path lonely = TestData.write(folder.resolve("lonely.idx"), images());

        assertThat(IdxReader.findLabels(images)).contains(labels);
        assertThat(IdxReader.findLabels(lonely)).isEmpty();
        ImageDataset unlabelled = IdxReader.read(lonely);
        assertThat(unlabelled.classCount()).isZero();
        assertThat(unlabelled.label(0)).isEqualTo(-1);
    }

    @Test
    void explicitLabelFileIsUsed() {
        Path images = TestData.write(folder.resolve("a.idx"), images());
        Path labels = TestData.write(folder.resolve("b.idx"), TestData.idxLabels(3, new byte[] {2, 2, 2}));

        assertThat(IdxReader.read(images, labels).label(2)).isEqualTo(2);
        assertThat(IdxReader.read(images, labels).classCount()).isEqualTo(3);
    }

    @Test
    void truncatedRawFileIsRejectedWithSizes() {
        byte[] whole = images();
        Path file = TestData.write(folder.resolve("cut.idx"), Arrays.copyOf(whole, whole.length - 5));

        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated: header says 3 images of 2×2 (12 bytes) but the file holds 7");
    }

    @Test
    void truncatedGzipFileIsRejected() {
        byte[] big = new byte[100 * 28 * 28];
        Arrays.fill(big, (byte) 7);
        byte[] whole = TestData.idxImages(IdxReader.IMAGES_MAGIC, 200, 28, 28, big);
        Path file = TestData.write(folder.resolve("cut.gz"), TestData.gzip(whole));

        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(
                        "truncated: header says 200 images of 28×28 (156800 bytes) but the file holds 78400");

        // A gzip stream cut off in the middle.
        byte[] gz = TestData.gzip(whole);
        Path cut = TestData.write(folder.resolve("cut2.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.read(cut))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated: header says 200 images of 28×28 (156800 bytes) but the gzip data"
                        + " end early (cut off after at least ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aCutGzipFileSaysRoughlyHowMuchItHolds() {
        byte[] noise = new byte[200 * 28 * 28];
        new java.util.Random(1).nextBytes(noise); // incompressible: half the .gz holds about half the images
        byte[] gz = TestData.gzip(TestData.idxImages(IdxReader.IMAGES_MAGIC, 200, 28, 28, noise));
        Path cut = TestData.write(folder.resolve("cut-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.read(cut))
                .isInstanceOf(Gan4jException.class)
                .hasMessageMatching(".*end early \\(cut off after at least (7[0-9]|8[0-9])[0-9]{3} of them, (9[0-9]|1[01][0-9])"
                        + " whole images\\)");
    }

    @Test
    void trailingGarbageIsRejected() {
        byte[] whole = images();
        byte[] longer = Arrays.copyOf(whole, whole.length + 3);
        Path raw = TestData.write(folder.resolve("long.idx"), longer);
        Path gz = TestData.write(folder.resolve("long.idx.gz"), TestData.gzip(longer));

        assertThatThrownBy(() -> IdxReader.read(raw))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(raw.toString())
                .hasMessageContaining("trailing garbage");
        assertThatThrownBy(() -> IdxReader.read(gz))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(gz.toString())
                .hasMessageContaining("trailing garbage");
    }

    @Test
    void wrongMagicIsRejected() {
        Path file = TestData.write(folder.resolve("labels-as-images"), TestData.idxLabels(3, new byte[] {1, 2, 3}));

        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(file + ": not an IDX image file (magic 0x00000801, expected 0x00000803)");
    }

    @Test
    void zeroImagesAndEmptyFilesAreRejected() {
        Path zero =
                TestData.write(
                        folder.resolve("zero.idx"), TestData.idxImages(IdxReader.IMAGES_MAGIC, 0, 28, 28, new byte[0]));
        Path empty = TestData.write(folder.resolve("empty.idx"), new byte[0]);

        assertThatThrownBy(() -> IdxReader.read(zero))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(zero.toString())
                .hasMessageContaining("0 images");
        assertThatThrownBy(() -> IdxReader.read(empty))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("truncated IDX header");
    }

    @Test
    void nonSquareImagesAreRejected() {
        Path file =
                TestData.write(
                        folder.resolve("wide.idx"), TestData.idxImages(IdxReader.IMAGES_MAGIC, 2, 2, 3, new byte[12]));

        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(file + ": images are 2×3; gan4j needs square images");
    }

    @Test
    void labelCountMismatchIsRejected() {
        Path images = TestData.write(folder.resolve("m-images-idx3-ubyte"), images());
        Path labels = TestData.write(folder.resolve("m-labels-idx1-ubyte"), TestData.idxLabels(2, new byte[] {1, 2}));

        assertThatThrownBy(() -> IdxReader.read(images))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(labels + " holds 2 labels but " + images + " holds 3 images");
    }

    @Test
    void hugeDeclaredDimensionsInATinyFileAllocateNothing() {
        // 2^31−1 images of 65535×65535 would overflow; 100000 images of 4000×4000 would need 1.6 TB.
        Path overflow =
                TestData.write(
                        folder.resolve("overflow.idx"),
                        TestData.idxImages(IdxReader.IMAGES_MAGIC, Integer.MAX_VALUE, 65535, 65535, new byte[10]));
        Path huge =
                TestData.write(
                        folder.resolve("huge.idx.gz"),
                        TestData.gzip(TestData.idxImages(IdxReader.IMAGES_MAGIC, 20, 8000, 8000, new byte[10])));
        Path large =
                TestData.write(
                        folder.resolve("large.idx"),
                        TestData.idxImages(IdxReader.IMAGES_MAGIC, 10, 10000, 10000, new byte[10]));

        long before = allocatedBytes();
        assertThatThrownBy(() -> IdxReader.read(overflow))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(overflow.toString())
                .hasMessageContaining("more than one array can hold");
        assertThatThrownBy(() -> IdxReader.read(huge))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(huge.toString())
                .hasMessageContaining("truncated: header says 20 images of 8000×8000 (1280000000 bytes)"
                        + " but the file holds 10");
        assertThatThrownBy(() -> IdxReader.read(large))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(large.toString())
                .hasMessageContaining("truncated: header says 10 images of 10000×10000 (1000000000 bytes)"
                        + " but the file holds 10");
        // The claims add up to gigabytes; only small buffers may have been allocated by this thread.
        assertThat(allocatedBytes() - before).isLessThan(16L << 20);
    }

    @Test
    void magicIsReadThroughGzip() {
        Path raw = TestData.write(folder.resolve("raw"), images());
        Path gz = TestData.write(folder.resolve("gz"), TestData.gzip(images()));
        Path tiny = TestData.write(folder.resolve("tiny"), new byte[] {1, 2});

        assertThat(IdxReader.magic(raw)).contains(IdxReader.IMAGES_MAGIC);
        assertThat(IdxReader.magic(gz)).contains(IdxReader.IMAGES_MAGIC);
        assertThat(IdxReader.magic(tiny)).isEmpty();
    }

    /** Bytes allocated so far by the current thread (HotSpot's exact per-thread counter). */
    static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * A named pipe as the data file (a FIFO, or the shell's {@code <(zcat …)}) is a one-line error: until 1 December
     * opening it waited for a writer for good ({@code gan4j train --data FIFO} hung), and a pipe with a writer lost the
     * bytes the kind check read first ("truncated IDX header").
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void aNamedPipeIsRefusedInsteadOfWaitingForAWriter() throws Exception {
        Path pipe = folder.resolve("train-images-idx3-ubyte");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
        // opens the pipe for writing if a reader is stuck in it, so a failing run still ends
        Thread unblock = new Thread(() -> {
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(pipe)) {
                out.flush();
            } catch (java.io.IOException e) {
                // the reader is gone
            }
        });
        unblock.setDaemon(true);
        try {
            for (org.junit.jupiter.api.function.ThrowingSupplier<Object> read : java.util.List.<
                    org.junit.jupiter.api.function.ThrowingSupplier<Object>>of(() -> IdxReader.read(pipe),
                            () -> Datasets.infer(pipe))) {
                assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                                java.time.Duration.ofSeconds(5), read))
                        .isInstanceOf(Gan4jException.class)
                        .hasMessage(pipe + " is a named pipe or device, not a regular file: gan4j reads a data file"
                                + " more than once, so save the data to a file first");
            }
        } finally {
            unblock.start();
        }
    }
}
