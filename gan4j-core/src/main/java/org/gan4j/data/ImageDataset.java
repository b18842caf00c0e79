package org.gan4j.data;

import java.util.Arrays;

/**
 * Square images held in memory as unsigned bytes in CHW order, normalised to [-1, 1] on read.
 *
 * <p>A stored byte {@code b} becomes {@code b / 127.5 − 1}: 0 → −1, 255 → 1, 128 → 0.0039. Instances are immutable;
 * {@link #resized}, {@link #withChannels} and {@link #limited} return new datasets. The bytes sit in one array or, for
 * a dataset filled as it is read (an image folder, whose unreadable files are only known once decoded), in blocks of
 * a fixed number of images, so that no array larger than the data is ever made and then trimmed.
 */
public final class ImageDataset implements GanDataset {

    private static final float[] NORMALISED = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            NORMALISED[b] = b / 127.5f - 1f;
        }
    }

    private final byte[][] blocks;
    private final int perBlock;
    private final int count;
    private final int channels;
    private final int side;
    private final int[] labels;
    private final int classCount;
    private final String description;

    /**
     * Creates a dataset over {@code count} images of {@code channels × side × side} bytes, stored one after another.
     *
     * @param pixels the pixel bytes, CHW per image, images consecutive; kept, not copied
     * @param count the number of images, at least 1
     * @param channels 1 (grey) or 3 (RGB)
     * @param side the height and width of every image
     * @param labels one label per image in [0, classCount), or null when there are none
     * @param classCount the number of classes, 0 when {@code labels} is null
     * @param description one line for logs: kind, source, count, shape
     */
    public ImageDataset(
            byte[] pixels, int count, int channels, int side, int[] labels, int classCount, String description) {
        this(new byte[][] {pixels}, count, count, channels, side, labels, classCount, description);
    }

    /**
     * Creates a dataset over {@code count} images held in blocks of {@code perBlock} images each (the last one holding
     * the rest).
     *
     * @param blocks the pixel bytes, CHW per image, images consecutive within and across blocks; kept, not copied
     * @param perBlock the number of images in every block but the last, at least 1
     * @param count the number of images, at least 1
     * @param channels 1 (grey) or 3 (RGB)
     * @param side the height and width of every image
     * @param labels one label per image in [0, classCount), or null when there are none
     * @param classCount the number of classes, 0 when {@code labels} is null
     * @param description one line for logs: kind, source, count, shape
     */
    ImageDataset(
            byte[][] blocks, int perBlock, int count, int channels, int side, int[] labels, int classCount,
            String description) {
        if (count < 1 || channels < 1 || side < 1 || perBlock < 1) {
            throw new IllegalArgumentException("count, perBlock, channels and side must be positive");
        }
        long exampleBytes = (long) channels * side * side;
        int blockCount = (int) ((count + (long) perBlock - 1) / perBlock);
        if (blocks.length != blockCount) {
            throw new IllegalArgumentException(blocks.length + " blocks, expected " + blockCount);
        }
        for (int b = 0; b < blockCount; b++) {
            long images = b < blockCount - 1 ? perBlock : count - (long) perBlock * (blockCount - 1);
            if (images * exampleBytes != blocks[b].length) {
                throw new IllegalArgumentException(
                        (blockCount == 1 ? "pixels" : "block " + b) + " holds " + blocks[b].length + " bytes, expected "
                                + images + "×" + channels + "×" + side + "²");
            }
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, expected " + count);
        }
        if ((labels == null) != (classCount == 0)) {
            throw new IllegalArgumentException("classCount must be 0 exactly when there are no labels");
        }
        this.blocks = blocks;
        this.perBlock = perBlock;
        this.count = count;
        this.channels = channels;
        this.side = side;
        this.labels = labels;
        this.classCount = classCount;
        this.description = description;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public long[] exampleShape() {
        return new long[] {channels, side, side};
    }

    @Override
    public int exampleSize() {
        return channels * side * side;
    }

    @Override
    public void copyExample(int index, float[] destination, int offset) {
        int length = exampleSize();
        byte[] pixels = blocks[index / perBlock];
        int start = Math.multiplyExact(index % perBlock, length);
        for (int i = 0; i < length; i++) {
            destination[offset + i] = NORMALISED[pixels[start + i] & 0xFF];
        }
    }

    @Override
    public int label(int index) {
        return labels == null ? -1 : labels[index];
    }

    @Override
    public int classCount() {
        return classCount;
    }

    @Override
    public long memoryBytes() {
        long bytes = 0;
        for (byte[] block : blocks) {
            bytes += block.length;
        }
        return bytes;
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * Returns the number of channels, 1 for grey and 3 for RGB.
     *
     * @return the channel count
     */
    public int channels() {
        return channels;
    }

    /**
     * Returns the height (and width) of every image.
     *
     * @return the side in pixels
     */
    public int side() {
        return side;
    }

    /**
     * Returns the raw byte of one pixel, before normalisation.
     *
     * @param index the image
     * @param channel the channel
     * @param row the row
     * @param column the column
     * @return the unsigned byte value in [0, 255]
     */
    public int pixel(int index, int channel, int row, int column) {
        int offset = (((index % perBlock) * channels + channel) * side + row) * side + column;
        return blocks[index / perBlock][offset] & 0xFF;
    }

    /**
     * Returns the first {@code limit} images, or this dataset when it has no more than that.
     *
     * @param limit the number of images to keep; 0 keeps all
     * @return the limited dataset
     */
    public ImageDataset limited(int limit) {
        if (limit <= 0 || limit >= count) {
            return this;
        }
        byte[] kept = new byte[limit * exampleSize()];
        for (int n = 0; n < limit; n++) {
            System.arraycopy(blocks[n / perBlock], (n % perBlock) * exampleSize(), kept, n * exampleSize(),
                    exampleSize());
        }
        int[] keptLabels = labels == null ? null : Arrays.copyOf(labels, limit);
        return new ImageDataset(kept, limit, channels, side, keptLabels, classCount, description + ", first " + limit);
    }

    /**
     * Returns the images resized to {@code newSide × newSide}: area averaging when shrinking, bilinear when growing.
     *
     * @param newSide the new side in pixels; the same side returns this dataset
     * @return the resized dataset
     */
    public ImageDataset resized(int newSide) {
        if (newSide == side) {
            return this;
        }
        if (newSide < 1) {
            throw new IllegalArgumentException("newSide must be positive: " + newSide);
        }
        long total = (long) count * channels * newSide * newSide;
        byte[] out = new byte[checkedArraySize(total)];
        int sourcePlane = side * side;
        int targetPlane = newSide * newSide;
        float[] plane = new float[sourcePlane];
        for (int p = 0; p < count * channels; p++) {
            int n = p / channels;
            byte[] pixels = blocks[n / perBlock];
            int base = ((n % perBlock) * channels + p % channels) * sourcePlane;
            for (int i = 0; i < sourcePlane; i++) {
                plane[i] = pixels[base + i] & 0xFF;
            }
            float[] resizedPlane = Resampler.resize(plane, side, newSide);
            int targetBase = p * targetPlane;
            for (int i = 0; i < targetPlane; i++) {
                out[targetBase + i] = Resampler.toByte(resizedPlane[i]);
            }
        }
        return new ImageDataset(
                out, count, channels, newSide, labels, classCount, description + ", resized to " + newSide);
    }

    /**
     * Returns the images with {@code newChannels} channels: grey is copied to R, G and B; RGB becomes grey by ITU-R
     * BT.601 luma (0.299 R + 0.587 G + 0.114 B, as PIL's "L" mode).
     *
     * @param newChannels 1 or 3; the current count returns this dataset
     * @return the converted dataset
     */
    public ImageDataset withChannels(int newChannels) {
        if (newChannels == channels) {
            return this;
        }
        int plane = side * side;
        if (channels == 1 && newChannels == 3) {
            byte[] out = new byte[checkedArraySize(3L * memoryBytes())];
            for (int n = 0; n < count; n++) {
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(blocks[n / perBlock], (n % perBlock) * plane, out, (n * 3 + c) * plane, plane);
                }
            }
            return new ImageDataset(out, count, 3, side, labels, classCount, description + ", as RGB");
        }
        if (channels == 3 && newChannels == 1) {
            byte[] out = new byte[count * plane];
            for (int n = 0; n < count; n++) {
                byte[] pixels = blocks[n / perBlock];
                int base = (n % perBlock) * 3 * plane;
                for (int i = 0; i < plane; i++) {
                    out[n * plane + i] =
                            Resampler.toByte(
                                    Resampler.luma(
                                            pixels[base + i] & 0xFF,
                                            pixels[base + plane + i] & 0xFF,
                                            pixels[base + 2 * plane + i] & 0xFF));
                }
            }
            return new ImageDataset(out, count, 1, side, labels, classCount, description + ", as grey");
        }
        throw new IllegalArgumentException("cannot convert " + channels + " channels to " + newChannels);
    }

    /**
     * Checks that {@code size} bytes fit in one Java array.
     *
     * @param size the wanted size
     * @return the size as an int
     */
    static int checkedArraySize(long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pixels for one array: " + size);
        }
        return (int) size;
    }
}
