package org.gan4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Writes small IDX, CIFAR and image files for the data tests. */
final class TestData {

    private TestData() {}

    /** Returns the bytes of an IDX image file with the given header and pixels. */
    static byte[] idxImages(int magic, int count, int rows, int columns, byte[] pixels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(columns);
            out.write(pixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Returns the bytes of an IDX label file. */
    static byte[] idxLabels(int count, byte[] labels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(count);
            out.write(labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Gzips bytes. */
    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes bytes to a file and returns it. */
    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns CIFAR records: record r has label {@code (r * 3) % classes} (fine label; coarse is 7 for CIFAR-100) and
     * pixel p of it is {@code (r + p) % 256}.
     */
    static byte[] cifar(int records, int labelBytes, int classes) {
        byte[] out = new byte[records * (labelBytes + 3072)];
        int at = 0;
        for (int r = 0; r < records; r++) {
            if (labelBytes == 2) {
                out[at++] = 7;
            }
            out[at++] = (byte) ((r * 3) % classes);
            for (int p = 0; p < 3072; p++) {
                out[at++] = (byte) ((r + p) % 256);
            }
        }
        return out;
    }

    /** Writes an image of one solid colour. */
    static Path solid(Path file, String format, int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image(file, format, image);
    }

    /** Writes an image with ImageIO. */
    static Path image(Path file, String format, BufferedImage image) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
