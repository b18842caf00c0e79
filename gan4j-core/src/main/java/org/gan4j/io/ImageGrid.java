package org.gan4j.io;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.gan4j.Gan4jException;

/**
 * Lays out a batch of images as one grid picture and converts between float pixels and PNG.
 *
 * <p>Pixels are NCHW floats in [-1, 1] (the range a tanh generator produces). A value {@code v} is clamped to
 * [-1, 1] and becomes the byte {@code round((v + 1) * 127.5)}; NaN becomes 0. One channel gives a grey picture
 * ({@link BufferedImage#TYPE_BYTE_GRAY}), three give RGB ({@link BufferedImage#TYPE_INT_RGB}).
 *
 * <p>Small images are enlarged by an integer factor (nearest neighbour) so each cell is at least
 * {@value #MIN_CELL_PIXELS} pixels on its shorter side: a 28×28 MNIST digit becomes 56×56, a 32×32 CIFAR image
 * 64×64, a 64×64 image stays as it is. Padding is in output pixels, between cells and around the border, in
 * white ({@value #PADDING_VALUE}).
 *
 * <p>{@link #write(BufferedImage, Path)} writes the format a file's extension names ({@link #EXTENSIONS}); the
 * {@code writePng} methods always write PNG.
 */
public final class ImageGrid {

    /** The smallest side, in pixels, of one enlarged cell. */
    public static final int MIN_CELL_PIXELS = 56;

    /** The padding (in output pixels) used by {@link #writePng(float[], int, int, int, int, Path)}. */
    public static final int DEFAULT_PADDING = 2;

    /** The grey level (0..255) of padding pixels. */
    public static final int PADDING_VALUE = 255;

    /**
     * The file extensions (lower case, without the dot) {@link #write(BufferedImage, Path)} understands; each names
     * the format written: PNG (lossless), JPEG (quality {@value #JPEG_QUALITY}), BMP or GIF (at most 256 colours).
     */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    /** {@link #EXTENSIONS} for messages: {@code .png, .jpg, .jpeg, .bmp or .gif}. */
    public static final String EXTENSION_LIST =
            "." + String.join(", .", EXTENSIONS.subList(0, EXTENSIONS.size() - 1)) + " or ."
                    + EXTENSIONS.get(EXTENSIONS.size() - 1);

    /** The JPEG quality (0..1) {@link #write(BufferedImage, Path)} uses for {@code .jpg} and {@code .jpeg} files. */
    public static final float JPEG_QUALITY = 0.95f;

    private ImageGrid() {}

    /**
     * Returns the number of columns of a near-square grid.
     *
     * @param count how many images the grid shows, at least 1
     * @return {@code ceil(sqrt(count))}
     */
    public static int squareColumns(int count) {
        return (int) Math.ceil(Math.sqrt(count));
    }

    /**
     * Returns the image format a file's extension names (case-insensitive), as ImageIO calls it.
     *
     * @param file the image file
     * @return {@code png}, {@code jpeg}, {@code bmp} or {@code gif}; empty when the name has no extension or one not
     *     in {@link #EXTENSIONS}
     */
    public static Optional<String> formatOf(Path file) {
        Path name = file.getFileName();
        String text = name == null ? "" : name.toString();
        int dot = text.lastIndexOf('.');
        String extension = dot < 0 ? "" : text.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!EXTENSIONS.contains(extension)) {
            return Optional.empty();
        }
        return Optional.of(extension.equals("jpg") ? "jpeg" : extension);
    }

    /**
     * Returns the integer enlargement factor for images of the given size.
     *
     * @param height image height in pixels
     * @param width image width in pixels
     * @return {@code max(1, ceil(MIN_CELL_PIXELS / min(height, width)))}
     */
    public static int scaleFactor(int height, int width) {
        int shorter = Math.min(height, width);
        return Math.max(1, (MIN_CELL_PIXELS + shorter - 1) / shorter);
    }

    /**
     * Arranges the first {@code count} images of an NCHW batch row by row into a grid picture.
     *
     * @param images NCHW floats in [-1, 1]; at least {@code count * channels * height * width} of them
     * @param count how many images to show, at least 1
     * @param channels 1 (grey) or 3 (RGB)
     * @param height image height in pixels
     * @param width image width in pixels
     * @param columns images per grid row, at least 1
     * @param padding output pixels between cells and around the border, not negative
     * @return the picture, {@code columns} cells wide and {@code ceil(count / columns)} cells high
     * @throws IllegalArgumentException if a size is out of range or the array is too short
     */
    public static BufferedImage grid(
            float[] images, int count, int channels, int height, int width, int columns, int padding) {
        return grid(images, count, count, channels, height, width, columns, padding, scaleFactor(height, width));
    }

    private static BufferedImage grid(float[] images, int count, int cells, int channels, int height, int width,
            int columns, int padding, int scale) {
        if (count < 1 || cells < count || height < 1 || width < 1 || columns < 1 || padding < 0) {
            throw new IllegalArgumentException(String.format(
                    "invalid grid: count=%d height=%d width=%d columns=%d padding=%d", count, height, width, columns,
                    padding));
        }
        checkChannels(channels);
        long needed = (long) count * channels * height * width;
        if (images.length < needed) {
            throw new IllegalArgumentException(String.format(
                    "%d images of %dx%dx%d need %d floats, got %d", count, channels, height, width, needed,
                    images.length));
        }
        int cellHeight = height * scale;
        int cellWidth = width * scale;
        int rows = (cells + columns - 1) / columns;
        int gridWidth = columns * cellWidth + (columns + 1) * padding;
        int gridHeight = rows * cellHeight + (rows + 1) * padding;
        BufferedImage picture = new BufferedImage(
                gridWidth, gridHeight, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        WritableRaster raster = picture.getRaster();
        fill(picture, PADDING_VALUE);
        int plane = height * width;
        for (int n = 0; n < count; n++) {
            int left = padding + (n % columns) * (cellWidth + padding);
            int top = padding + (n / columns) * (cellHeight + padding);
            int base = n * channels * plane;
            for (int y = 0; y < cellHeight; y++) {
                int sourceRow = (y / scale) * width;
                for (int x = 0; x < cellWidth; x++) {
                    int sourceIndex = base + sourceRow + x / scale;
                    if (channels == 1) {
                        raster.setSample(left + x, top + y, 0, toByte(images[sourceIndex]));
                    } else {
                        int rgb = (toByte(images[sourceIndex]) << 16)
                                | (toByte(images[sourceIndex + plane]) << 8)
                                | toByte(images[sourceIndex + 2 * plane]);
                        picture.setRGB(left + x, top + y, rgb);
                    }
                }
            }
        }
        return picture;
    }

    /**
     * Writes a batch as a grid PNG with {@code ceil(sqrt(count))} columns and {@link #DEFAULT_PADDING} padding.
     *
     * @param images NCHW floats in [-1, 1]
     * @param count how many images to show
     * @param channels 1 or 3
     * @param height image height
     * @param width image width
     * @param png the file to write (atomically)
     * @throws Gan4jException if the file cannot be written
     */
    public static void writePng(float[] images, int count, int channels, int height, int width, Path png) {
        int columns = squareColumns(count);
        writePng(grid(images, count, channels, height, width, columns, DEFAULT_PADDING), png);
    }

    /**
     * Writes a batch as a grid PNG of {@code cells} cells in {@code ceil(sqrt(cells))} columns (the shape of a grid of
     * {@code cells} images) with {@link #DEFAULT_PADDING} padding: the images fill the first {@code count} cells, the
     * others are left empty in the padding colour.
     *
     * @param images NCHW floats in [-1, 1]
     * @param count how many images to show, at least 1
     * @param cells how many cells the grid has, at least {@code count}
     * @param channels 1 or 3
     * @param height image height
     * @param width image width
     * @param png the file to write (atomically)
     * @throws Gan4jException if the file cannot be written
     */
    public static void writePngWithCells(
            float[] images, int count, int cells, int channels, int height, int width, Path png) {
        writePng(grid(images, count, cells, channels, height, width, squareColumns(cells), DEFAULT_PADDING,
                scaleFactor(height, width)), png);
    }

    /**
     * Writes a batch as a grid PNG with the given number of columns and {@link #DEFAULT_PADDING} padding.
     *
     * @param images NCHW floats in [-1, 1]
     * @param count how many images to show
     * @param channels 1 or 3
     * @param height image height
     * @param width image width
     * @param columns images per row
     * @param png the file to write (atomically)
     * @throws Gan4jException if the file cannot be written
     */
    public static void writePng(
            float[] images, int count, int channels, int height, int width, int columns, Path png) {
        writePng(grid(images, count, channels, height, width, columns, DEFAULT_PADDING), png);
    }

    /**
     * Writes one image as a PNG at its own resolution (no enlargement, no padding).
     *
     * @param image CHW floats in [-1, 1]
     * @param channels 1 or 3
     * @param height image height
     * @param width image width
     * @param png the file to write (atomically)
     * @throws Gan4jException if the file cannot be written
     */
    public static void writeSingle(float[] image, int channels, int height, int width, Path png) {
        writePng(grid(image, 1, 1, channels, height, width, 1, 0, 1), png);
    }

    /**
     * Writes a picture as PNG, atomically.
     *
     * @param image the picture
     * @param png the file to write
     * @throws Gan4jException if the file cannot be written
     */
    public static void writePng(BufferedImage image, Path png) {
        try {
            AtomicFiles.write(png, out -> {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG writer for image type " + image.getType());
                }
            });
        } catch (IOException e) {
            throw IoFailures.wrap("cannot write image " + png, e);
        }
    }

    /**
     * Writes a picture, atomically, in the format its file's extension names (see {@link #formatOf(Path)}).
     *
     * @param image the picture (grey or RGB, no alpha)
     * @param file the file to write; its extension must be one of {@link #EXTENSIONS}
     * @throws Gan4jException if the extension names no supported format or the file cannot be written
     */
    public static void write(BufferedImage image, Path file) {
        String format =
                formatOf(file)
                        .orElseThrow(() -> new Gan4jException(
                                "cannot write image " + file + ": the file name must end in " + EXTENSION_LIST
                                        + " (the extension names the format)"));
        if (format.equals("png")) {
            writePng(image, file);
            return;
        }
        try {
            AtomicFiles.write(file, out -> {
                if (format.equals("jpeg")) {
                    writeJpeg(image, out);
                } else if (!ImageIO.write(image, format, out)) {
                    throw new IOException("no " + format + " writer for image type " + image.getType());
                }
            });
        } catch (IOException e) {
            throw IoFailures.wrap("cannot write image " + file, e);
        }
    }

    private static void writeJpeg(BufferedImage image, java.io.OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), parameters);
        } finally {
            writer.dispose();
        }
    }

    /**
     * Converts a picture back to CHW floats in [-1, 1], the inverse of the grid mapping for one image.
     *
     * <p>Byte {@code p} becomes {@code p / 127.5 - 1}. Asking for 1 channel from a colour picture takes the
     * BT.601 luma {@code round(0.299 R + 0.587 G + 0.114 B)}; asking for 3 from a grey one repeats the grey.
     * Alpha is ignored. Grey pictures are read from the raster directly (no colour-space conversion).
     *
     * @param image the picture
     * @param channels 1 or 3
     * @return {@code channels * height * width} floats, channel-major
     * @throws IllegalArgumentException if channels is not 1 or 3
     */
    public static float[] toFloats(BufferedImage image, int channels) {
        checkChannels(channels);
        int height = image.getHeight();
        int width = image.getWidth();
        int plane = height * width;
        float[] result = new float[channels * plane];
        boolean grey = image.getColorModel().getNumColorComponents() == 1
                && image.getRaster().getNumBands() == 1
                && image.getColorModel() instanceof java.awt.image.ComponentColorModel;
        WritableRaster raster = image.getRaster();
        int greyBits = grey ? image.getColorModel().getComponentSize(0) : 8;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r;
                int g;
                int b;
                if (grey) {
                    int sample = raster.getSample(x, y, 0);
                    r = greyBits == 8 ? sample : Math.round(sample * 255f / ((1 << greyBits) - 1));
                    g = r;
                    b = r;
                } else {
                    int rgb = image.getRGB(x, y);
                    r = (rgb >> 16) & 0xFF;
                    g = (rgb >> 8) & 0xFF;
                    b = rgb & 0xFF;
                }
                int index = y * width + x;
                if (channels == 1) {
                    int luma = (r == g && g == b) ? r : (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                    result[index] = toFloat(luma);
                } else {
                    result[index] = toFloat(r);
                    result[index + plane] = toFloat(g);
                    result[index + 2 * plane] = toFloat(b);
                }
            }
        }
        return result;
    }

    /**
     * Maps a float in [-1, 1] (clamped; NaN gives 0) to a byte value 0..255.
     *
     * @param value the pixel value
     * @return {@code round((clamp(value) + 1) * 127.5)}
     */
    public static int toByte(float value) {
        if (Float.isNaN(value)) {
            return 0;
        }
        float clamped = Math.max(-1f, Math.min(1f, value));
        return Math.round((clamped + 1f) * 127.5f);
    }

    /**
     * Maps a byte value 0..255 to a float in [-1, 1].
     *
     * @param value the byte value
     * @return {@code value / 127.5 - 1}
     */
    public static float toFloat(int value) {
        return value / 127.5f - 1f;
    }

    private static void fill(BufferedImage picture, int grey) {
        WritableRaster raster = picture.getRaster();
        int bands = raster.getNumBands();
        int[] row = new int[picture.getWidth() * bands];
        int value = picture.getType() == BufferedImage.TYPE_INT_RGB ? (grey << 16) | (grey << 8) | grey : grey;
        java.util.Arrays.fill(row, value);
        if (picture.getType() == BufferedImage.TYPE_INT_RGB) {
            for (int y = 0; y < picture.getHeight(); y++) {
                picture.setRGB(0, y, picture.getWidth(), 1, row, 0, picture.getWidth());
            }
        } else {
            for (int y = 0; y < picture.getHeight(); y++) {
                raster.setPixels(0, y, picture.getWidth(), 1, row);
            }
        }
    }

    private static void checkChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
    }
}
