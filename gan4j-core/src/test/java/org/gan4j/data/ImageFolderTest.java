package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.BadFilePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    private static final int RED = 0xFF0000;
    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;
    private static final int GREY_100 = 0x646464;

    @TempDir Path root;

    private ImageFolder load(int size, int channels, BadFilePolicy policy) {
        return ImageFolder.builder()
                .setRoot(root)
                .setImageSize(size)
                .setChannels(channels)
                .optBadFilePolicy(policy)
                .build();
    }

    @Test
    void readsPngBmpGifAndJpegWithSubfolderLabels() {
        TestData.solid(root.resolve("dogs/b.png"), "png", 4, 4, RED);
        TestData.solid(root.resolve("dogs/a.bmp"), "bmp", 5, 5, GREY_100);
        TestData.solid(root.resolve("cats/z.gif"), "gif", 3, 3, WHITE);
        TestData.solid(root.resolve("cats/sub/deep.jpg"), "jpg", 8, 8, WHITE);

        ImageFolder data = load(2, 3, BadFilePolicy.FAIL);

        assertThat(data.files())
                .containsExactly(
                        root.resolve("cats/sub/deep.jpg"), root.resolve("cats/z.gif"), root.resolve("dogs/a.bmp"),
                        root.resolve("dogs/b.png"));
        assertThat(data.classNames()).containsExactly("cats", "dogs");
        assertThat(data.classCount()).isEqualTo(2);
        assertThat(new int[] {data.label(0), data.label(1), data.label(2), data.label(3)}).containsExactly(0, 0, 1, 1);
        assertThat(data.exampleShape()).containsExactly(3, 2, 2);
        float[] values = new float[12];
        data.copyExample(3, values, 0); // red PNG
        assertThat(Arrays.copyOfRange(values, 0, 4)).containsOnly(1f);
        assertThat(Arrays.copyOfRange(values, 4, 12)).containsOnly(-1f);
        data.copyExample(2, values, 0); // grey BMP, 100 everywhere
        for (float value : values) {
            assertThat(value).isCloseTo(100 / 127.5f - 1, within(1e-6f));
        }
        data.copyExample(1, values, 0); // white GIF
        assertThat(values).containsOnly(1f);
        data.copyExample(0, values, 0); // white JPEG: lossy, but a flat image stays nearly white
        for (float value : values) {
            assertThat(value).isBetween(0.97f, 1f);
        }
    }

    @Test
    void greyOutputUsesLumaAndGreyPngsKeepTheirValues() {
        TestData.solid(root.resolve("a-red.png"), "png", 3, 3, RED);
        BufferedImage grey = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0);
        for (int i = 1; i < 9; i++) {
            grey.getRaster().setSample(i % 3, i / 3, 0, 128);
        }
        TestData.image(root.resolve("b-grey.png"), "png", grey);

        ImageFolder data = load(3, 1, BadFilePolicy.FAIL);

        assertThat(data.classCount()).isZero();
        assertThat(data.label(0)).isEqualTo(-1);
        float[] values = new float[9];
        data.copyExample(0, values, 0);
        assertThat(values).containsOnly(76 / 127.5f - 1);
        data.copyExample(1, values, 0);
        assertThat(values[0]).isEqualTo(-1f);
        assertThat(values[4]).isCloseTo(0.0039216f, within(1e-6f)); // 128, not brightened by a gamma conversion
        // As RGB the grey image is replicated into three equal channels.
        float[] rgb = new float[27];
        load(3, 3, BadFilePolicy.FAIL).copyExample(1, rgb, 0);
        assertThat(rgb[4]).isEqualTo(rgb[13]).isEqualTo(rgb[22]).isCloseTo(0.0039216f, within(1e-6f));
    }

    @Test
    void centreCropsThenResizes() {
        // 12 wide × 6 high: left half black, right half white. The centre crop is columns 3–8: 3 black, 3 white.
        BufferedImage wide = new BufferedImage(12, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 12; x++) {
                wide.setRGB(x, y, x < 6 ? BLACK : WHITE);
            }
        }
        TestData.image(root.resolve("a-wide.png"), "png", wide);
        // 3 wide × 9 high: top third red, middle third black, bottom third white; the crop is rows 3–5, all black.
        BufferedImage tall = new BufferedImage(3, 9, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 3; x++) {
                tall.setRGB(x, y, y < 3 ? RED : y < 6 ? BLACK : WHITE);
            }
        }
        TestData.image(root.resolve("b-tall.png"), "png", tall);

        ImageFolder data = load(4, 1, BadFilePolicy.FAIL);

        float[] values = new float[16];
        data.copyExample(0, values, 0);
        for (int row = 0; row < 4; row++) {
            assertThat(Arrays.copyOfRange(values, 4 * row, 4 * row + 4)).containsExactly(-1f, -1f, 1f, 1f);
        }
        data.copyExample(1, values, 0);
        assertThat(values).containsOnly(-1f);
        // Shrunk to 3 the middle column straddles the edge: 1/2 black + 1/2 white → 127.5 → 128.
        ImageFolder three = load(3, 1, BadFilePolicy.FAIL);
        assertThat(three.images().pixel(0, 0, 1, 0)).isZero();
        assertThat(three.images().pixel(0, 0, 1, 1)).isEqualTo(128);
        assertThat(three.images().pixel(0, 0, 1, 2)).isEqualTo(255);
    }

    @Test
    void transparencyIsCompositedOntoWhite() {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000); // fully transparent black
        argb.setRGB(1, 0, 0x80FF0000); // half-transparent red, alpha 128
        TestData.image(root.resolve("emoji.png"), "png", argb);
        // The crop of a 2×1 image is its left pixel: enlarge instead to keep both.
        BufferedImage square = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        square.setRGB(0, 0, 0x00000000);
        square.setRGB(1, 0, 0x80FF0000);
        square.setRGB(0, 1, 0xFF0000FF);
        square.setRGB(1, 1, 0x00000000);
        TestData.image(root.resolve("square.png"), "png", square);

        ImageFolder data = load(2, 3, BadFilePolicy.FAIL);

        assertThat(data.images().pixel(0, 0, 0, 0)).isEqualTo(255); // emoji crop: transparent → white
        ImageDataset images = data.images();
        int[] transparent = {images.pixel(1, 0, 0, 0), images.pixel(1, 1, 0, 0), images.pixel(1, 2, 0, 0)};
        assertThat(transparent).containsExactly(255, 255, 255);
        double opacity = 128 / 255.0;
        int blend = (int) Math.round(255 * (1 - opacity));
        int[] halfRed = {images.pixel(1, 0, 0, 1), images.pixel(1, 1, 0, 1), images.pixel(1, 2, 0, 1)};
        assertThat(halfRed).containsExactly(255, blend, blend);
        int[] blue = {images.pixel(1, 0, 1, 0), images.pixel(1, 1, 1, 0), images.pixel(1, 2, 1, 0)};
        assertThat(blue).containsExactly(0, 0, 255);
    }

    @Test
    void orderIsSortedAndRepeatable() throws IOException {
        for (String name : List.of("b/2.png", "a/10.png", "a/1.png", "c/x/y.png", "b/1.png")) {
            TestData.solid(root.resolve(name), "png", 2, 2, name.hashCode() & 0xFFFFFF);
        }
        ImageFolder first = load(2, 3, BadFilePolicy.FAIL);
        ImageFolder again = ImageFolder.builder().setRoot(root).setImageSize(2).setChannels(3).optThreads(1).build();

        assertThat(first.files().stream().map(f -> root.relativize(f).toString()))
                .containsExactly("a/1.png", "a/10.png", "b/1.png", "b/2.png", "c/x/y.png");
        assertThat(again.files()).isEqualTo(first.files());
        float[] one = new float[12];
        float[] two = new float[12];
        for (int i = 0; i < first.size(); i++) {
            first.copyExample(i, one, 0);
            again.copyExample(i, two, 0);
            assertThat(two).containsExactly(one);
        }
        assertThat(first.classNames()).containsExactly("a", "b", "c");
    }

    @Test
    void imagesAtTheTopLevelMeanNoLabels() {
        TestData.solid(root.resolve("top.png"), "png", 2, 2, RED);
        TestData.solid(root.resolve("sub/inner.png"), "png", 2, 2, RED);

        ImageFolder data = load(2, 3, BadFilePolicy.FAIL);

        assertThat(data.classCount()).isZero();
        assertThat(data.classNames()).isEmpty();
        assertThat(data.size()).isEqualTo(2);
    }

    @Test
    void unreadableFilesAreSkippedOrFailAndOtherFilesIgnored() throws IOException {
        TestData.solid(root.resolve("a-good.png"), "png", 4, 4, RED);
        Path empty = TestData.write(root.resolve("b-empty.png"), new byte[0]);
        byte[] png = Files.readAllBytes(root.resolve("a-good.png"));
        Path truncated = TestData.write(root.resolve("c-truncated.png"), Arrays.copyOf(png, png.length / 2));
        Path text = TestData.write(root.resolve("d-text.jpg"), "not a picture".getBytes());
        TestData.write(root.resolve("e-notes.txt"), "ignored".getBytes());
        TestData.solid(root.resolve("f-good.bmp"), "bmp", 4, 4, WHITE);

        ImageFolder data = load(2, 3, BadFilePolicy.SKIP);

        assertThat(data.size()).isEqualTo(2);
        assertThat(data.files()).containsExactly(root.resolve("a-good.png"), root.resolve("f-good.bmp"));
        assertThat(data.skippedFiles())
                .extracting(ImageFolder.SkippedFile::file)
                .containsExactly(empty, truncated, text);
        assertThat(data.skippedFiles().get(0).reason()).isEqualTo("empty file");
        assertThat(data.skippedFiles().get(2).reason()).contains("not a PNG, JPEG, BMP or GIF image");
        assertThat(data.description()).contains("3 skipped");

        assertThatThrownBy(() -> load(2, 3, BadFilePolicy.FAIL))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("empty file")
                .hasMessageNotContaining("\n");
        Files.delete(empty);
        assertThatThrownBy(() -> load(2, 3, BadFilePolicy.FAIL))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(truncated.toString())
                .hasMessageNotContaining("\n");
    }

    /**
     * A skipped file's reason is plain language, naming the format and what is wrong, never a Java exception's class
     * (it was "IIOException: Error skipping PNG metadata").
     */
    @Test
    void skippedFilesAreExplainedInPlainWords() throws IOException {
        TestData.solid(root.resolve("a-good.png"), "png", 4, 4, RED);
        TestData.solid(root.resolve("b-good.jpg"), "jpeg", 16, 16, WHITE);
        byte[] png = Files.readAllBytes(root.resolve("a-good.png"));
        byte[] jpeg = Files.readAllBytes(root.resolve("b-good.jpg"));
        TestData.write(root.resolve("c-truncated.png"), Arrays.copyOf(png, png.length / 2));
        byte[] header = Arrays.copyOf(png, 8 + 64);
        for (int i = 8; i < header.length; i++) {
            header[i] = (byte) (i * 37);
        }
        TestData.write(root.resolve("d-garbage.png"), header);
        TestData.write(root.resolve("e-cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));

        ImageFolder data = load(2, 3, BadFilePolicy.SKIP);

        assertThat(data.skippedFiles()).extracting(ImageFolder.SkippedFile::file).containsExactly(
                root.resolve("c-truncated.png"), root.resolve("d-garbage.png"), root.resolve("e-cut.jpg"));
        assertThat(data.skippedFiles().get(0).reason()).startsWith("the PNG file ends too early, cut short or damaged");
        assertThat(data.skippedFiles().get(1).reason()).startsWith("the PNG data is damaged and cannot be decoded");
        assertThat(data.skippedFiles().get(2).reason()).startsWith("the JPEG ");
        for (ImageFolder.SkippedFile skipped : data.skippedFiles()) {
            assertThat(skipped.reason()).as(skipped.file().toString())
                    .doesNotContainPattern("[A-Z][A-Za-z]*(Exception|Error)\\b").doesNotContain("java.");
        }
        assertThat(ImageFolder.plainReason(root.resolve("x.bmp"),
                new java.nio.file.AccessDeniedException(root.resolve("x.bmp").toString())))
                .isEqualTo("the file cannot be read: permission denied");
    }

    @Test
    void unreadableFilesBetweenGoodOnesLeaveTheDataInOrderAndNoLargerThanItIs() throws IOException {
        // 30 good images (each its own colour) with 30 empty or broken files between them, in blocks of 4 images
        int size = 128;
        int exampleBytes = 3 * size * size;
        List<Integer> colours = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String name = String.format("%s/img%02d.png", i % 2 == 0 ? "a" : "b", i);
            if (i % 4 == 1 || i % 4 == 2) {
                TestData.write(root.resolve(name), i % 4 == 1 ? new byte[0] : new byte[] {1, 2, 3});
            } else {
                int colour = (i * 4) << 16 | (255 - i * 4) << 8 | (i * 2);
                TestData.solid(root.resolve(name), "png", 3, 3, colour);
                colours.add(colour);
            }
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        load(size, 3, BadFilePolicy.SKIP); // warm up: classes, decoders
        long start = threads.getCurrentThreadAllocatedBytes();
        ImageFolder.listImages(root, BadFilePolicy.SKIP);
        long listing = threads.getCurrentThreadAllocatedBytes() - start; // about 10 kB a file, not pixels

        long before = threads.getCurrentThreadAllocatedBytes();
        ImageFolder folder =
                ImageFolder.builder().setRoot(root).setImageSize(size).setChannels(3).blockBytes(4L * exampleBytes)
                        .build();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        ImageDataset data = folder.images();
        assertThat(data.size()).isEqualTo(30);
        assertThat(folder.skippedFiles()).hasSize(30);
        assertThat(data.memoryBytes()).isEqualTo(30L * exampleBytes);
        // files are sorted a/…, b/…: the even-numbered good ones first
        List<Integer> expected = new java.util.ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = pass; i < 60; i += 2) {
                if (i % 4 == 0 || i % 4 == 3) {
                    expected.add((i * 4) << 16 | (255 - i * 4) << 8 | (i * 2));
                }
            }
        }
        float[] example = new float[exampleBytes];
        for (int n = 0; n < 30; n++) {
            int colour = expected.get(n);
            assertThat(folder.files().get(n).getParent().getFileName().toString()).isEqualTo(n < 15 ? "a" : "b");
            assertThat(data.label(n)).isEqualTo(n < 15 ? 0 : 1);
            for (int c = 0; c < 3; c++) {
                assertThat(data.pixel(n, c, 5, 120)).isEqualTo((colour >> (16 - 8 * c)) & 0xFF);
            }
            data.copyExample(n, example, 0);
            assertThat(example[exampleBytes - 1]).isCloseTo((colour & 0xFF) / 127.5f - 1, within(1e-6f));
        }
        // allocated while loading, beyond the listing: the data and about a block, not an array for all 60 files (2×
        // the data) and then its trimmed copy (3× the data in all, as before)
        assertThat(allocated - listing).isLessThan(30L * exampleBytes + 2L * 4 * exampleBytes + 512 * 1024);
        assertThat(data.limited(7).pixel(6, 1, 0, 0)).isEqualTo(data.pixel(6, 1, 0, 0));
        assertThat(data.withChannels(1).pixel(9, 0, 3, 3))
                .isEqualTo(Resampler.toByte(Resampler.luma(data.pixel(9, 0, 3, 3), data.pixel(9, 1, 3, 3),
                        data.pixel(9, 2, 3, 3))) & 0xFF);
        assertThat(data.resized(32).pixel(29, 2, 31, 31)).isEqualTo(data.pixel(29, 2, 127, 127));
    }

    @Test
    void hugeDeclaredDimensionsAreRefusedBeforeDecoding() {
        Path wide = TestData.write(root.resolve("wide.png"), pngHeader(20000, 10));
        Path many = TestData.write(root.resolve("many.png"), pngHeader(12000, 9000));
        TestData.solid(root.resolve("ok.png"), "png", 2, 2, RED);

        ImageFolder data = load(2, 3, BadFilePolicy.SKIP);

        assertThat(data.size()).isEqualTo(1);
        assertThat(data.skippedFiles()).extracting(ImageFolder.SkippedFile::file).containsExactly(many, wide);
        assertThat(data.skippedFiles().get(0).reason()).contains("12000×9000 is over the limit");
        assertThat(data.skippedFiles().get(1).reason()).contains("20000×10 is over the limit");
        assertThatThrownBy(() -> load(2, 3, BadFilePolicy.FAIL))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(many.toString())
                .hasMessageContaining("over the limit");
    }

    @Test
    void hugeDeclaredDimensionsAllocateNothing() {
        // Decoding 16000×16000 RGB would take 768 MB; the check must come first. Measured on this thread.
        Path huge = TestData.write(root.resolve("huge.png"), pngHeader(16000, 16000));

        long before = IdxReaderTest.allocatedBytes();
        ImageFolder.Decoded decoded = ImageFolder.decode(huge, 2, 3);
        long allocated = IdxReaderTest.allocatedBytes() - before;

        assertThat(decoded.pixels()).isNull();
        assertThat(decoded.failure()).isEqualTo("declared size 16000×16000 is over the limit (16384 per side, 100000000"
                + " pixels)");
        assertThat(allocated).isLessThan(16L << 20);
    }

    @Test
    void hiddenFilesAndFoldersAndMacOsMetadataAreLeftOut() throws IOException {
        TestData.solid(root.resolve("cats/a.png"), "png", 4, 4, RED);
        TestData.solid(root.resolve("dogs/b.png"), "png", 4, 4, WHITE);
        // a Jupyter checkpoint copy, a thumbnail cache and a zip's __MACOSX folder: not classes, not images
        TestData.solid(root.resolve(".ipynb_checkpoints/a-checkpoint.png"), "png", 4, 4, RED);
        TestData.solid(root.resolve("cats/.thumbnails/a.png"), "png", 4, 4, RED);
        TestData.write(root.resolve("__MACOSX/cats/._a.png"), new byte[] {0, 5, 22, 7, 0, 2, 0, 0});
        TestData.write(root.resolve("dogs/._b.png"), new byte[] {0, 5, 22, 7, 0, 2, 0, 0});
        TestData.solid(root.resolve("dogs/.hidden.png"), "png", 4, 4, RED);

        ImageFolder data = load(2, 3, BadFilePolicy.FAIL);

        assertThat(data.files()).containsExactly(root.resolve("cats/a.png"), root.resolve("dogs/b.png"));
        assertThat(data.classNames()).containsExactly("cats", "dogs");
        assertThat(data.skippedFiles()).isEmpty();
    }

    @Test
    void aHiddenRootFolderIsStillRead() throws IOException {
        Path hidden = root.resolve(".cache/images");
        TestData.solid(hidden.resolve("a.png"), "png", 4, 4, RED);

        ImageFolder data =
                ImageFolder.builder().setRoot(hidden).setImageSize(2).setChannels(1).build();

        assertThat(data.size()).isEqualTo(1);
    }

    @Test
    void imagesInFormatsNotReadAreCountedAndNamedWhenNothingElseIsThere() {
        TestData.write(root.resolve("a.webp"), "RIFF\0\0\0\0WEBPVP8 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        TestData.write(root.resolve("sub/b.webp"), new byte[] {1});
        TestData.write(root.resolve("c.TIFF"), new byte[] {1});
        TestData.write(root.resolve("notes.txt"), new byte[] {1});

        assertThatThrownBy(() -> load(2, 3, BadFilePolicy.SKIP))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("holds no images")
                .hasMessageContaining("it holds 1 .tiff, 2 .webp files, formats gan4j does not read");
        assertThatThrownBy(() -> Datasets.infer(root))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("it holds 1 .tiff, 2 .webp files, formats gan4j does not read");

        java.util.Map<String, Integer> others = new java.util.TreeMap<>();
        TestData.solid(root.resolve("d.png"), "png", 4, 4, RED);
        assertThat(ImageFolder.listImages(root, BadFilePolicy.SKIP, others)).containsExactly(root.resolve("d.png"));
        assertThat(others).containsExactly(java.util.Map.entry("tiff", 1), java.util.Map.entry("webp", 2));
        assertThat(load(2, 3, BadFilePolicy.SKIP).size()).isEqualTo(1);
    }

    /** A 16×16 JPEG, red on the left half and blue on the right, with an EXIF orientation tag. */
    private static byte[] jpegWithOrientation(int orientation, boolean littleEndian) throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, x < 8 ? RED : 0x0000FF);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpg", jpeg);
        byte[] plain = jpeg.toByteArray();
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        tiff.put((byte) (littleEndian ? 'I' : 'M')).put((byte) (littleEndian ? 'I' : 'M')).putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1);
        tiff.putShort((short) orientation).putShort((short) 0).putInt(0);
        byte[] exif = new byte[6 + tiff.capacity()];
        System.arraycopy("Exif".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, exif, 0, 4);
        System.arraycopy(tiff.array(), 0, exif, 6, tiff.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) ((exif.length + 2) >> 8), (byte) (exif.length + 2)});
        out.write(exif);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    @Test
    void jpegExifOrientationIsAppliedAsViewersShowIt() throws IOException {
        // phone photos are stored sideways with an orientation tag: 6 = shown turned 90° clockwise, 8 = anticlockwise
        TestData.write(root.resolve("a-plain.jpg"), jpegWithOrientation(1, false));
        TestData.write(root.resolve("b-cw.jpg"), jpegWithOrientation(6, false));
        TestData.write(root.resolve("c-ccw.jpg"), jpegWithOrientation(8, true));
        TestData.write(root.resolve("d-180.jpg"), jpegWithOrientation(3, true));

        ImageDataset data = load(4, 3, BadFilePolicy.FAIL).images();

        // red channel at top-left, top-right, bottom-left
        assertThat(data.pixel(0, 0, 0, 0)).isGreaterThan(200); // as stored: red left
        assertThat(data.pixel(0, 0, 0, 3)).isLessThan(60);
        assertThat(data.pixel(1, 0, 0, 0)).isGreaterThan(200); // clockwise: the left half is now on top
        assertThat(data.pixel(1, 0, 0, 3)).isGreaterThan(200);
        assertThat(data.pixel(1, 0, 3, 0)).isLessThan(60);
        assertThat(data.pixel(2, 0, 0, 0)).isLessThan(60); // anticlockwise: the left half is at the bottom
        assertThat(data.pixel(2, 0, 3, 0)).isGreaterThan(200);
        assertThat(data.pixel(2, 0, 3, 3)).isGreaterThan(200);
        assertThat(data.pixel(3, 0, 0, 0)).isLessThan(60); // upside down: red on the right
        assertThat(data.pixel(3, 0, 0, 3)).isGreaterThan(200);
        assertThat(ImageFolder.exifOrientation(root.resolve("b-cw.jpg"))).isEqualTo(6);
    }

    /**
     * With an odd difference between the sides, the centre crop of the shown (turned) photo is what PIL's
     * {@code exif_transpose} followed by a centre crop gives: for the orientations that reverse a side, the stored
     * image is cut one pixel further along it than floor((side − square) / 2) (it was one pixel off).
     */
    @Test
    void theCentreCropOfATurnedPhotoIsTheCropOfWhatViewersShow() throws IOException {
        for (int[] size : new int[][] {{17, 16}, {16, 17}}) {
            int width = size[0];
            int height = size[1];
            BufferedImage stored = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int value = (x == 0 || y == 0) ? 0 : (x == width - 1 || y == height - 1) ? 255 : 128 + 3 * x - 2 * y;
                    stored.setRGB(x, y, value << 16 | value << 8 | value);
                }
            }
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(stored, "jpg", jpeg);
            // what the file decodes to, as stored (the JPEG's own rounding), without its orientation
            BufferedImage decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg.toByteArray()));
            for (int orientation = 1; orientation <= 8; orientation++) {
                Path folder = Files.createDirectories(root.resolve(width + "x" + height + "-" + orientation));
                TestData.write(folder.resolve("photo.jpg"), withOrientation(jpeg.toByteArray(), orientation));
                ImageDataset data = ImageFolder.builder().setRoot(folder).setImageSize(16).setChannels(1)
                        .optBadFilePolicy(BadFilePolicy.FAIL).build().images();
                boolean sideways = orientation >= 5;
                int shownWidth = sideways ? height : width;
                int shownHeight = sideways ? width : height;
                int left = (shownWidth - 16) / 2; // PIL's and torchvision's centre crop of the shown image
                int top = (shownHeight - 16) / 2;
                for (int r = 0; r < 16; r++) {
                    for (int k = 0; k < 16; k++) {
                        int[] source = storedPixel(orientation, top + r, left + k, width, height);
                        int expected = decoded.getRaster().getSample(source[1], source[0], 0);
                        assertThat(data.pixel(0, 0, r, k) & 0xFF).as("orientation %d, %d×%d, row %d column %d",
                                orientation, width, height, r, k).isCloseTo(expected, within(1));
                    }
                }
            }
        }
    }

    /** The stored (row, column) that EXIF orientation {@code o} shows at (r, k), as PIL's exif_transpose. */
    private static int[] storedPixel(int o, int r, int k, int width, int height) {
        return switch (o) {
            case 1 -> new int[] {r, k};
            case 2 -> new int[] {r, width - 1 - k};
            case 3 -> new int[] {height - 1 - r, width - 1 - k};
            case 4 -> new int[] {height - 1 - r, k};
            case 5 -> new int[] {k, r};
            case 6 -> new int[] {height - 1 - k, r};
            case 7 -> new int[] {height - 1 - k, width - 1 - r};
            default -> new int[] {k, width - 1 - r};
        };
    }

    /** A JPEG file with an EXIF APP1 segment holding the orientation tag inserted after its SOI marker. */
    private static byte[] withOrientation(byte[] plain, int orientation) throws IOException {
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1);
        tiff.putShort((short) orientation).putShort((short) 0).putInt(0);
        byte[] exif = new byte[6 + tiff.capacity()];
        System.arraycopy("Exif".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, exif, 0, 4);
        System.arraycopy(tiff.array(), 0, exif, 6, tiff.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2);
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) ((exif.length + 2) >> 8), (byte) (exif.length + 2)});
        out.write(exif);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    /**
     * A GIF whose first frame is smaller than its logical screen is read as viewers and Pillow show it: the frame at
     * its offset on the screen, the rest transparent (white). It was read as the frame alone, enlarged to the square.
     */
    @Test
    void aGifFrameSmallerThanItsScreenSitsAtItsOffset() throws IOException {
        // GIF89a, an 8×8 screen (palette: white, red), one 4×4 red frame at (2, 2)
        byte[] gif = {
            0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x08, 0x00, 0x08, 0x00, (byte) 0x80, 0x00, 0x00,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00, 0x00,
            0x2C, 0x02, 0x00, 0x02, 0x00, 0x04, 0x00, 0x04, 0x00, 0x00,
            0x02, 0x0A, 0x4C, (byte) 0x98, 0x30, 0x61, (byte) 0xC2, (byte) 0x84, 0x09, 0x13, 0x26, 0x05, 0x00, 0x3B
        };
        TestData.write(root.resolve("offset.gif"), gif);
        ImageDataset data = load(8, 3, BadFilePolicy.FAIL).images();
        for (int row = 0; row < 8; row++) {
            for (int column = 0; column < 8; column++) {
                boolean frame = row >= 2 && row < 6 && column >= 2 && column < 6;
                assertThat(data.pixel(0, 0, row, column)).as("red at %d, %d", row, column).isEqualTo(255);
                assertThat(data.pixel(0, 1, row, column)).as("green at %d, %d", row, column)
                        .isEqualTo(frame ? 0 : 255);
            }
        }
    }

    /** Copies a test JPEG of {@code colour/} (see make_colour_jpegs.py there) into the folder. */
    private void copyColourJpeg(String name) throws IOException {
        try (java.io.InputStream in = ImageFolderTest.class.getResourceAsStream("colour/" + name + ".jpg")) {
            TestData.write(root.resolve(name + ".jpg"), in.readAllBytes());
        }
    }

    /** Pillow's {@code Image.open(name + ".jpg").convert("RGB")}, as CHW bytes. */
    private static int[] pillowRgb(String name) throws IOException {
        BufferedImage expected;
        try (java.io.InputStream in = ImageFolderTest.class.getResourceAsStream("colour/" + name + ".expected.png")) {
            expected = javax.imageio.ImageIO.read(in);
        }
        int side = expected.getWidth();
        int[] chw = new int[3 * side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = expected.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    chw[c * side * side + y * side + x] = (rgb >> (16 - 8 * c)) & 0xFF;
                }
            }
        }
        return chw;
    }

    /** Mean and largest absolute difference of example {@code index} from Pillow's RGB. */
    private static double[] differenceFromPillow(ImageDataset data, int index, String name) throws IOException {
        int[] expected = pillowRgb(name);
        int side = data.side();
        double sum = 0;
        int largest = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int difference = Math.abs(data.pixel(index, c, y, x) - expected[c * side * side + y * side + x]);
                    sum += difference;
                    largest = Math.max(largest, difference);
                }
            }
        }
        return new double[] {sum / expected.length, largest};
    }

    @Test
    void cmykAndYcckJpegsDecodeToPillowsColours() throws IOException {
        // Photoshop's inverted CMYK (Adobe marker, transform 0), the same planes read as YCCK (transform 2), and
        // CMYK without the marker; the JDK's own CMYK conversion was about 54 levels lighter on average
        List<String> names = List.of("cmyk-adobe", "cmyk-plain", "ycck-adobe");
        for (String name : names) {
            copyColourJpeg(name);
        }

        ImageDataset rgb = load(48, 3, BadFilePolicy.FAIL).images();
        ImageDataset grey = load(48, 1, BadFilePolicy.FAIL).images();

        for (int i = 0; i < names.size(); i++) {
            double[] difference = differenceFromPillow(rgb, i, names.get(i));
            assertThat(difference[0]).as("mean |error| of %s", names.get(i)).isLessThan(0.5);
            assertThat(difference[1]).as("largest |error| of %s", names.get(i)).isLessThanOrEqualTo(3);
            int[] expected = pillowRgb(names.get(i));
            int plane = 48 * 48;
            int centre = 24 * 48 + 24;
            double luma = Resampler.luma(expected[centre], expected[plane + centre], expected[2 * plane + centre]);
            assertThat((double) grey.pixel(i, 0, 24, 24)).isCloseTo(luma, within(3.0));
        }
        assertThat(ImageFolder.jpegHeader(root.resolve("ycck-adobe.jpg")))
                .isEqualTo(new ImageFolder.JpegHeader(1, 4, 2));
        assertThat(ImageFolder.jpegHeader(root.resolve("cmyk-plain.jpg")))
                .isEqualTo(new ImageFolder.JpegHeader(1, 4, -1));
    }

    @Test
    void embeddedIccProfilesAreNotAppliedLikePillow() throws IOException {
        // an RGB JPEG carrying a linear-RGB profile: Pillow's convert("RGB") keeps the samples; the JDK's getRGB
        // converted them to sRGB (about 50 levels lighter), and PNGs' profiles were ignored all along
        copyColourJpeg("rgb-linear-icc");

        ImageDataset rgb = load(48, 3, BadFilePolicy.FAIL).images();

        double[] difference = differenceFromPillow(rgb, 0, "rgb-linear-icc");
        assertThat(difference[0]).as("mean |error|").isLessThan(0.5);
        assertThat(difference[1]).as("largest |error|").isLessThanOrEqualTo(3);
    }

    @Test
    void orientationsMapLikeTheExifStandard() {
        byte[] square = {1, 2, 3, 4}; // 2×2: row 0 = 1 2, row 1 = 3 4
        assertThat(ImageFolder.orient(square, 2, 1, 1)).containsExactly(1, 2, 3, 4);
        assertThat(ImageFolder.orient(square, 2, 1, 2)).containsExactly(2, 1, 4, 3);
        assertThat(ImageFolder.orient(square, 2, 1, 3)).containsExactly(4, 3, 2, 1);
        assertThat(ImageFolder.orient(square, 2, 1, 4)).containsExactly(3, 4, 1, 2);
        assertThat(ImageFolder.orient(square, 2, 1, 5)).containsExactly(1, 3, 2, 4);
        assertThat(ImageFolder.orient(square, 2, 1, 6)).containsExactly(3, 1, 4, 2);
        assertThat(ImageFolder.orient(square, 2, 1, 7)).containsExactly(4, 2, 3, 1);
        assertThat(ImageFolder.orient(square, 2, 1, 8)).containsExactly(2, 4, 1, 3);
    }

    @Test
    void emptyFolderNamesItselfAndTheExtensions() {
        TestData.write(root.resolve("readme.txt"), "no images".getBytes());

        assertThatThrownBy(() -> load(8, 1, BadFilePolicy.SKIP))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(
                        "folder " + root + " holds no images (looked recursively for .bmp, .gif, .jpeg, .jpg, .png)");
    }

    @Test
    void folderWhereEveryImageIsBadIsAnError() {
        Path bad = TestData.write(root.resolve("bad.png"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> load(8, 1, BadFilePolicy.SKIP))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(root.toString())
                .hasMessageContaining("no readable images")
                .hasMessageContaining(bad.toString());
    }

    @Test
    void symlinkLoopsAreNotFollowedButLinksToFilesAre() throws IOException {
        TestData.solid(root.resolve("a/one.png"), "png", 2, 2, RED);
        Files.createSymbolicLink(root.resolve("a/loop"), root);
        Files.createSymbolicLink(root.resolve("a/link.png"), root.resolve("a/one.png"));

        ImageFolder data = load(2, 3, BadFilePolicy.FAIL);

        assertThat(data.files()).containsExactly(root.resolve("a/link.png"), root.resolve("a/one.png"));
    }

    @Test
    void linkedClassFoldersAreReadLikeRealOnes(@TempDir Path elsewhere) throws IOException {
        // an ImageNet-style subset assembled with links: root/cats -> elsewhere/n02123045
        TestData.solid(elsewhere.resolve("n02123045/a.png"), "png", 2, 2, RED);
        TestData.solid(elsewhere.resolve("n02123045/b.png"), "png", 2, 2, RED);
        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("cats"), elsewhere.resolve("n02123045"));
        TestData.solid(root.resolve("dogs/c.png"), "png", 2, 2, WHITE);

        ImageFolder data = load(2, 3, BadFilePolicy.FAIL);

        assertThat(data.files())
                .containsExactly(root.resolve("cats/a.png"), root.resolve("cats/b.png"), root.resolve("dogs/c.png"));
        assertThat(data.classNames()).containsExactly("cats", "dogs");
        assertThat(new int[] {data.label(0), data.label(1), data.label(2)}).containsExactly(0, 0, 1);
    }

    @Test
    void rootMayItselfBeALinkToAFolder() throws IOException {
        Path real = TestData.solid(root.resolve("real/cats/one.png"), "png", 2, 2, RED).getParent().getParent();
        Path link = Files.createSymbolicLink(root.resolve("link"), real);

        ImageFolder data = ImageFolder.builder().setRoot(link).setImageSize(2).setChannels(1).build();

        assertThat(data.files()).containsExactly(link.resolve("cats/one.png"));
        assertThat(data.classNames()).containsExactly("cats");
    }

    @Test
    void limitKeepsTheFirstReadableImages() {
        for (int i = 0; i < 10; i++) {
            TestData.solid(root.resolve("img" + i + ".png"), "png", 2, 2, (i * 20) << 16);
        }
        TestData.write(root.resolve("img0b.png"), new byte[0]);

        ImageFolder data =
                ImageFolder.builder().setRoot(root).setImageSize(1).setChannels(3).optLimit(3).build();

        assertThat(data.size()).isEqualTo(3);
        assertThat(data.files())
                .containsExactly(root.resolve("img0.png"), root.resolve("img1.png"), root.resolve("img2.png"));
        assertThat(data.skippedFiles()).hasSize(1);
        assertThat(data.images().pixel(2, 0, 0, 0)).isEqualTo(40);
    }

    @Test
    void missingFolderIsAnError() {
        Path missing = root.resolve("missing");

        assertThatThrownBy(() -> ImageFolder.builder().setRoot(missing).setImageSize(8).setChannels(1).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessage("image folder " + missing + " does not exist");
    }

    /** A PNG signature and an IHDR chunk declaring the given size, with no image data. */
    static byte[] pngHeader(int width, int height) {
        try {
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            DataOutputStream ihdr = new DataOutputStream(chunk);
            ihdr.writeBytes("IHDR");
            ihdr.writeInt(width);
            ihdr.writeInt(height);
            ihdr.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB
            byte[] typeAndData = chunk.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            out.writeInt(13);
            out.write(typeAndData);
            out.writeInt((int) crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
