package org.gan4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.gan4j.Gan4jException;

/**
 * Reads MNIST-format IDX files (MNIST, Fashion-MNIST, KMNIST), raw or gzipped.
 *
 * <p>Gzip is recognised by its magic bytes {@code 1f 8b}, not by the file name. An image file has magic
 * {@code 0x00000803} and dimensions (n, rows, cols); a label file has magic {@code 0x00000801} and dimension n. Pixel
 * bytes b become b / 127.5 − 1; examples have shape [1, rows, cols], and rows must equal cols (all MNIST-style sets
 * are 28×28).
 *
 * <p>Headers are checked before anything they claim is allocated: a raw file's size must match the header exactly;
 * a gzipped file is decompressed into a buffer that grows only with data actually read, and must end exactly where
 * the header says. Every problem is a {@link Gan4jException} with one line naming the file.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;

    private static final String TRAIN_PREFIX = "train-";

    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int MAXIMUM_BYTES = Integer.MAX_VALUE - 8;

    /** Bytes asked of a gzip stream at a time. */
    private static final int GZIP_READ = 1 << 12;

    /**
     * Returns the name of the test split that goes with a training file, by the MNIST naming convention: the
     * {@code t10k-*} file next to a {@code train-*} one ({@code train-images-idx3-ubyte.gz} →
     * {@code t10k-images-idx3-ubyte.gz}). Whether it exists is for the caller to check.
     *
     * @param trainFile a training file
     * @return the test file's path, or empty when the name does not start with {@code train-}
     */
    public static Optional<Path> testFileFor(Path trainFile) {
        Path name = trainFile.getFileName();
        if (name == null || !name.toString().startsWith(TRAIN_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(trainFile.resolveSibling("t10k-" + name.toString().substring(TRAIN_PREFIX.length())));
    }

    private IdxReader() {}

    /**
     * Reads an image file and, when one is found next to it, its label file (see {@link #findLabels}).
     *
     * @param images the images file
     * @return the dataset, labelled when a label file was found
     */
    public static ImageDataset read(Path images) {
        return read(images, findLabels(images).orElse(null));
    }

    /**
     * Whether a file is one of EMNIST's ({@code emnist-<split>-{train,test}-images-idx3-ubyte[.gz]}, as NIST's
     * release names them). EMNIST stores every image transposed relative to MNIST (row-major reading gives the glyph
     * mirrored along its diagonal), so {@link #read} transposes those images to show them upright.
     *
     * @param images the images file
     * @return whether its name is an EMNIST image file's
     */
    public static boolean isEmnist(Path images) {
        Path name = images.getFileName();
        return name != null && name.toString().toLowerCase(java.util.Locale.ROOT).startsWith("emnist-");
    }

    /** Transposes each square image in place (row-major, {@code side × side} bytes per image). */
    private static void transposeEach(byte[] pixels, int count, int side) {
        int area = side * side;
        for (int n = 0; n < count; n++) {
            int base = n * area;
            for (int r = 0; r < side; r++) {
                for (int c = r + 1; c < side; c++) {
                    byte swap = pixels[base + r * side + c];
                    pixels[base + r * side + c] = pixels[base + c * side + r];
                    pixels[base + c * side + r] = swap;
                }
            }
        }
    }

    /**
     * Reads an image file and an explicit label file.
     *
     * @param images the images file
     * @param labels the labels file, or null for an unlabelled dataset
     * @return the dataset
     */
    public static ImageDataset read(Path images, Path labels) {
        try (Source source = Source.open(images)) {
            DataInputStream in = source.data;
            int magic = readHeaderInt(in, images, "the magic number");
            if (magic != IMAGES_MAGIC) {
                throw new Gan4jException(
                        String.format(
                                "%s: not an IDX image file (magic 0x%08x, expected 0x%08x)",
                                images, magic, IMAGES_MAGIC));
            }
            int count = readHeaderInt(in, images, "the image count");
            int rows = readHeaderInt(in, images, "the row count");
            int columns = readHeaderInt(in, images, "the column count");
            if (count == 0) {
                throw new Gan4jException(images + ": the IDX header says the file holds 0 images");
            }
            if (count < 0 || rows <= 0 || columns <= 0) {
                throw new Gan4jException(
                        String.format(
                                "%s: invalid IDX image dimensions %d images of %d×%d (corrupt header?)",
                                images, Integer.toUnsignedLong(count), Integer.toUnsignedLong(rows),
                                Integer.toUnsignedLong(columns)));
            }
            long claimed = (long) count * rows;
            claimed = claimed > MAXIMUM_BYTES ? Long.MAX_VALUE : claimed * columns;
            String claim =
                    String.format("header says %d images of %d×%d (%s bytes)", count, rows, columns,
                            claimed == Long.MAX_VALUE || claimed < 0 ? "over 2^31" : Long.toString(claimed));
            if (claimed < 0 || claimed > MAXIMUM_BYTES) {
                throw new Gan4jException(images + ": " + claim + ", more than one array can hold (corrupt header?)");
            }
            if (rows != columns) {
                throw new Gan4jException(
                        String.format("%s: images are %d×%d; gan4j needs square images", images, rows, columns));
            }
            byte[] pixels = source.readPayload((int) claimed, 16, claim, rows * columns, "images");
            int[] labelValues = null;
            int classCount = 0;
            if (labels != null) {
                labelValues = readLabels(labels);
                if (labelValues.length != count) {
                    throw new Gan4jException(
                            String.format("%s holds %d labels but %s holds %d images",
                                    labels, labelValues.length, images, count));
                }
                classCount = Arrays.stream(labelValues).max().orElse(-1) + 1;
            }
            boolean emnist = isEmnist(images);
            if (emnist) {
                transposeEach(pixels, count, rows);
            }
            String description =
                    String.format("idx %s (%d × 1×%d×%d%s%s)", images, count, rows, columns,
                            labels == null ? ", unlabelled" : ", " + classCount + " classes",
                            emnist ? ", EMNIST: transposed upright" : "");
            return new ImageDataset(pixels, count, 1, rows, labelValues, classCount, description);
        } catch (IOException e) {
            throw new Gan4jException(images + ": cannot read IDX file: " + oneLine(e), e);
        }
    }

    /**
     * Reads an IDX label file.
     *
     * @param labels the labels file, raw or gzipped
     * @return one label per example, each in [0, 255]
     */
    public static int[] readLabels(Path labels) {
        try (Source source = Source.open(labels)) {
            DataInputStream in = source.data;
            int magic = readHeaderInt(in, labels, "the magic number");
            if (magic != LABELS_MAGIC) {
                throw new Gan4jException(
                        String.format(
                                "%s: not an IDX label file (magic 0x%08x, expected 0x%08x)",
                                labels, magic, LABELS_MAGIC));
            }
            int count = readHeaderInt(in, labels, "the label count");
            if (count <= 0) {
                throw new Gan4jException(
                        labels + ": invalid IDX label count " + Integer.toUnsignedLong(count)
                                + " (expected at least 1)");
            }
            String claim = String.format("header says %d labels (%d bytes)", count, count);
            byte[] bytes = source.readPayload(count, 8, claim, 1, "labels");
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = bytes[i] & 0xFF;
            }
            return out;
        } catch (IOException e) {
            throw new Gan4jException(labels + ": cannot read IDX file: " + oneLine(e), e);
        }
    }

    /**
     * Finds the label file that belongs to an image file: the same name with {@code images-idx3} replaced by
     * {@code labels-idx1} (or {@code images.idx3} by {@code labels.idx1}), in the same folder.
     *
     * @param images the images file
     * @return the label file when it exists
     */
    public static Optional<Path> findLabels(Path images) {
        Path name = images.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String text = name.toString();
        for (String[] pair : new String[][] {{"images-idx3", "labels-idx1"}, {"images.idx3", "labels.idx1"}}) {
            if (text.contains(pair[0])) {
                Path candidate = images.resolveSibling(text.replace(pair[0], pair[1]));
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the IDX magic number of a file, after gunzipping it when it starts with the gzip magic.
     *
     * @param file the file
     * @return the first four (decompressed) bytes as a big-endian int, or empty when the file is shorter or unreadable
     */
    public static Optional<Integer> magic(Path file) {
        try (Source source = Source.open(file)) {
            return Optional.of(source.data.readInt());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new Gan4jException(file + ": truncated IDX header (file ends before " + what + ")", e);
        }
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    /** An open IDX file: the (possibly decompressed) stream plus what is needed to check its length. */
    private static final class Source implements AutoCloseable {
        private final Path file;
        private final boolean gzipped;
        private final long fileSize;
        private final DataInputStream data;

        private Source(Path file, boolean gzipped, long fileSize, InputStream stream) {
            this.file = file;
            this.gzipped = gzipped;
            this.fileSize = fileSize;
            this.data = new DataInputStream(stream);
        }

        static Source open(Path file) throws IOException {
            if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
                // opening a named pipe waits for a writer: --data on a FIFO hung for good until 1 December, and
                // <(zcat …) lost the bytes the first read took
                throw new Gan4jException(file + " is a named pipe or device, not a regular file: gan4j reads a data"
                        + " file more than once, so save the data to a file first");
            }
            long size = Files.size(file);
            BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            try {
                raw.mark(2);
                int first = raw.read();
                int second = raw.read();
                raw.reset();
                boolean gzipped = first == 0x1f && second == 0x8b;
                InputStream stream =
                        gzipped ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
                return new Source(file, gzipped, size, stream);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        /**
         * Reads exactly {@code length} payload bytes after a header of {@code headerBytes}, checking that the file
         * holds neither less nor more.
         */
        byte[] readPayload(int length, int headerBytes, String claim, int claimUnit, String claimUnitName)
                throws IOException {
            if (!gzipped) {
                long held = fileSize - headerBytes;
                if (held < length) {
                    throw new Gan4jException(file + ": truncated: " + claim + " but the file holds " + held);
                }
                if (held > length) {
                    throw new Gan4jException(
                            file + ": " + claim + " but the file holds " + held + " (trailing garbage)");
                }
                byte[] out = new byte[length];
                data.readFully(out);
                return out;
            }
            // Grow only with data actually read, never beyond the claimed size.
            byte[] buffer = new byte[Math.min(length, 1 << 20)];
            int filled = 0;
            while (filled < length) {
                if (filled == buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(length, 2L * buffer.length));
                }
                int read;
                boolean cut = false;
                try {
                    // small reads: a cut-off stream loses the bytes of the read that hits its end (BufferedInputStream
                    // drops what one call gathered), so one read of the whole payload reported "at least 0 of them"
                    read = data.read(buffer, filled, Math.min(GZIP_READ, buffer.length - filled));
                } catch (EOFException e) {
                    read = -1; // GZIPInputStream reports a cut-off member this way
                    cut = true;
                }
                if (read < 0) {
                    // a cut-off gzip stream loses the bytes of the read that hit its end: only a lower bound is known
                    throw new Gan4jException(file + ": truncated: " + claim + (cut
                            ? " but the gzip data end early (cut off after at least " + filled + " of them, "
                                    + filled / Math.max(1, claimUnit) + " whole " + claimUnitName + ")"
                            : " but the file holds " + filled + " after decompression"));
                }
                filled += read;
            }
            int extra;
            try {
                extra = data.read();
            } catch (EOFException e) {
                extra = 0; // a cut-off second member after the payload is trailing garbage too
            }
            if (extra >= 0) {
                throw new Gan4jException(
                        file + ": " + claim + " but the decompressed file holds more (trailing garbage)");
            }
            return buffer;
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }
}
