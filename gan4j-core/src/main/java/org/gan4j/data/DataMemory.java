package org.gan4j.data;

import java.util.Locale;
import org.gan4j.Gan4jException;

/**
 * Checks, before a dataset's pixel array is allocated, that it fits in one Java array and in the Java heap, so that a
 * dataset too large for memory is a one-line error saying how much it needs and what to do, not an out-of-memory
 * failure part way through decoding.
 *
 * <p>Images are held as one byte per value: an image dataset needs {@code count × channels × side × side} bytes
 * (3,786 RGB emoji at 64×64: 47 MB; 60,000 Fashion-MNIST images at 28×28: 47 MB; 50,000 RGB images at 128×128:
 * 2.5 GB, over the 2 GB limit of one array).
 */
public final class DataMemory {

    /** The largest Java array, in bytes. */
    public static final long MAXIMUM_ARRAY = Integer.MAX_VALUE - 8;

    private DataMemory() {}

    /**
     * Bytes held in memory by {@code count} images of {@code channels × side × side}.
     *
     * @param count the number of images
     * @param channels 1 or 3
     * @param side the side in pixels
     * @return the bytes
     */
    public static long imageBytes(long count, int channels, int side) {
        return count * channels * side * (long) side;
    }

    /**
     * Refuses, with a one-line {@link Gan4jException}, an allocation of {@code count} images that does not fit in one
     * array or in the free Java heap (after a garbage collection).
     *
     * @param source what the images come from, for the message (a path, with its kind)
     * @param count the number of images
     * @param channels 1 or 3
     * @param side the side in pixels
     * @param otherBytes further bytes allocated at the same time (an intermediate copy), 0 if none
     */
    public static void require(String source, long count, int channels, int side, long otherBytes) {
        long bytes = imageBytes(count, channels, side);
        long perImage = imageBytes(1, channels, side);
        String what = String.format(Locale.ROOT, "%s: %d images of %d×%d×%d", source, count, channels, side, side);
        if (bytes > MAXIMUM_ARRAY) {
            throw new Gan4jException(
                    String.format(Locale.ROOT,
                            "%s are %s, more than one Java array can hold (2 GiB); set data.limit to at most %d"
                                    + " (or lower data.imageSize)",
                            what, size(bytes), MAXIMUM_ARRAY / perImage));
        }
        long needed = bytes + Math.max(0, otherBytes);
        long free = freeHeap();
        if (needed > free) {
            System.gc();
            free = freeHeap();
        }
        if (needed > free) {
            long max = Runtime.getRuntime().maxMemory();
            long fits = Math.max(0, (free - Math.max(0, otherBytes)) / perImage);
            throw new Gan4jException(
                    String.format(Locale.ROOT,
                            "%s need %s of Java heap, but only %s of the %s heap is free; raise it with"
                                    + " JAVA_OPTS=-Xmx%dg or set data.limit to at most %d (or lower data.imageSize)",
                            what, size(needed), size(free), size(max),
                            Math.max(1, (needed + max - free) / (1L << 30) + 1), fits));
        }
    }

    /**
     * The Java heap that can still be allocated: the maximum minus what is in use.
     *
     * @return bytes
     */
    static long freeHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /**
     * Formats a byte count for people: 512 B, 47.3 MB, 2.95 GB (powers of 1000).
     *
     * @param bytes the count
     * @return the text
     */
    public static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
