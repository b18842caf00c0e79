package org.gan4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    @TempDir
    Path dir;

    @Test
    void byteMappingClampsAndRounds() {
        assertThat(ImageGrid.toByte(-1f)).isEqualTo(0);
        assertThat(ImageGrid.toByte(1f)).isEqualTo(255);
        assertThat(ImageGrid.toByte(0f)).isEqualTo(128);
        assertThat(ImageGrid.toByte(-7f)).isEqualTo(0);
        assertThat(ImageGrid.toByte(3f)).isEqualTo(255);
        assertThat(ImageGrid.toByte(Float.NaN)).isEqualTo(0);
        assertThat(ImageGrid.toByte(0.5f)).isEqualTo(191);
        assertThat(ImageGrid.toFloat(0)).isEqualTo(-1f);
        assertThat(ImageGrid.toFloat(255)).isEqualTo(1f);
    }

    @Test
    void scaleFactorMakesCellsAtLeast56Pixels() {
        assertThat(ImageGrid.scaleFactor(28, 28)).isEqualTo(2);
        assertThat(ImageGrid.scaleFactor(32, 32)).isEqualTo(2);
        assertThat(ImageGrid.scaleFactor(64, 64)).isEqualTo(1);
        assertThat(ImageGrid.scaleFactor(2, 3)).isEqualTo(28);
        assertThat(ImageGrid.scaleFactor(56, 100)).isEqualTo(1);
        assertThat(ImageGrid.scaleFactor(55, 100)).isEqualTo(2);
    }

    @Test
    void greyGridHasExactPixels() {
        // Three 2x2 grey images, two columns, padding 1; scale 28 so each cell is 56x56.
        float[] images = {
            -1f, 1f, 0f, 0.5f,
            1f, 1f, 1f, 1f,
            -1f, -1f, -1f, -1f,
        };
        BufferedImage grid = ImageGrid.grid(images, 3, 1, 2, 2, 2, 1);
        assertThat(grid.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(grid.getWidth()).isEqualTo(2 * 56 + 3);
        assertThat(grid.getHeight()).isEqualTo(2 * 56 + 3);
        // Padding.
        assertThat(grey(grid, 0, 0)).isEqualTo(255);
        assertThat(grey(grid, 57, 30)).isEqualTo(255);
        // First image: top-left pixel block spans x, y in [1, 28].
        assertThat(grey(grid, 1, 1)).isEqualTo(0);
        assertThat(grey(grid, 28, 28)).isEqualTo(0);
        assertThat(grey(grid, 29, 1)).isEqualTo(255);
        assertThat(grey(grid, 1, 29)).isEqualTo(128);
        assertThat(grey(grid, 56, 56)).isEqualTo(191);
        // Second image starts at x = 1 + 56 + 1.
        assertThat(grey(grid, 58, 1)).isEqualTo(255);
        assertThat(grey(grid, 113, 56)).isEqualTo(255);
        // Third image on the second row, y from 58; the empty fourth cell stays padding-white.
        assertThat(grey(grid, 1, 58)).isEqualTo(0);
        assertThat(grey(grid, 56, 113)).isEqualTo(0);
        assertThat(grey(grid, 80, 80)).isEqualTo(255);
    }

    @Test
    void rgbGridReadsChannelPlanes() {
        // 56x56 so the scale is 1; channel planes: R = 1, G = -1, B = 0.
        int size = 56;
        float[] image = new float[3 * size * size];
        for (int i = 0; i < size * size; i++) {
            image[i] = 1f;
            image[size * size + i] = -1f;
            image[2 * size * size + i] = 0f;
        }
        BufferedImage grid = ImageGrid.grid(image, 1, 3, size, size, 1, 0);
        assertThat(grid.getWidth()).isEqualTo(size);
        assertThat(grid.getRGB(10, 20) & 0xFFFFFF).isEqualTo(0xFF0080);
    }

    @Test
    void pngRoundTripRecoversQuantizedValues() throws IOException {
        int h = 56;
        int w = 60;
        float[] image = new float[h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 255) / 127f - 1f;
        }
        Path png = dir.resolve("g.png");
        ImageGrid.writePng(ImageGrid.grid(image, 1, 1, h, w, 1, 0), png);
        float[] back = ImageGrid.toFloats(ImageIO.read(png.toFile()), 1);
        assertThat(back).hasSize(h * w);
        for (int i = 0; i < image.length; i++) {
            assertThat(back[i]).isCloseTo(ImageGrid.toFloat(ImageGrid.toByte(image[i])), within(1e-6f));
            assertThat(back[i]).isCloseTo(image[i], within(1f / 255f + 1e-6f));
        }
        float[] asRgb = ImageGrid.toFloats(ImageIO.read(png.toFile()), 3);
        assertThat(asRgb[h * w + 5]).isEqualTo(back[5]);
    }

    @Test
    void colourRoundTripAndLuma() throws IOException {
        int size = 56;
        float[] image = new float[3 * size * size];
        java.util.Arrays.fill(image, -1f);
        for (int i = 0; i < size * size; i++) {
            image[i] = 1f;
        }
        Path png = dir.resolve("c.png");
        ImageGrid.writePng(image, 1, 3, size, size, png);
        BufferedImage read = ImageIO.read(png.toFile());
        // writePng pads by 2 pixels; pixel (2, 2) is the image's first pixel.
        assertThat(read.getWidth()).isEqualTo(size + 4);
        float[] rgb = ImageGrid.toFloats(read, 3);
        int plane = read.getWidth() * read.getHeight();
        int index = 2 * read.getWidth() + 2;
        assertThat(rgb[index]).isEqualTo(1f);
        assertThat(rgb[plane + index]).isEqualTo(-1f);
        assertThat(rgb[2 * plane + index]).isEqualTo(-1f);
        // Pure red: luma round(0.299 * 255) = 76.
        assertThat(ImageGrid.toFloats(read, 1)[index]).isCloseTo(76 / 127.5f - 1f, within(1e-6f));
    }

    @Test
    void writePngUsesSquareishLayout() throws IOException {
        Path png = dir.resolve("five.png");
        ImageGrid.writePng(new float[5 * 28 * 28], 5, 1, 28, 28, png);
        BufferedImage read = ImageIO.read(png.toFile());
        // ceil(sqrt(5)) = 3 columns, 2 rows, cells 56 px, padding 2.
        assertThat(read.getWidth()).isEqualTo(3 * 56 + 4 * 2);
        assertThat(read.getHeight()).isEqualTo(2 * 56 + 3 * 2);
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> ImageGrid.grid(new float[4], 1, 2, 2, 2, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels");
        assertThatThrownBy(() -> ImageGrid.grid(new float[7], 2, 1, 2, 2, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 8 floats");
    }

    @Test
    void writeUsesTheFormatTheExtensionNames() throws IOException {
        float[] pixels = new float[3 * 4 * 4];
        java.util.Arrays.fill(pixels, 0.2f);
        for (int channels : new int[] {1, 3}) {
            BufferedImage picture = ImageGrid.grid(pixels, 1, channels, 4, 4, 1, 0);
            for (String name : new String[] {"a.png", "b.jpg", "c.JPEG", "d.bmp", "e.gif"}) {
                Path file = dir.resolve(channels + name);
                ImageGrid.write(picture, file);
                String format = ImageIO.getImageReaders(ImageIO.createImageInputStream(file.toFile())).next()
                        .getFormatName().toLowerCase(java.util.Locale.ROOT);
                String expected = ImageGrid.formatOf(file).orElseThrow();
                assertThat(format).as(name).isIn(expected, expected.equals("jpeg") ? "jpg" : expected);
                BufferedImage back = ImageIO.read(file.toFile());
                int tolerance = expected.equals("jpeg") ? 3 : 0;
                int value = back.getColorModel() instanceof java.awt.image.IndexColorModel
                        ? back.getRGB(2, 2) & 0xFF
                        : back.getRaster().getSample(2, 2, 0);
                assertThat(value).as(name).isCloseTo(ImageGrid.toByte(0.2f), within(tolerance));
            }
        }
        assertThat(ImageGrid.formatOf(Path.of("x.jpg"))).contains("jpeg");
        assertThat(ImageGrid.formatOf(Path.of("x.tiff"))).isEmpty();
        assertThat(ImageGrid.formatOf(Path.of("png"))).isEmpty();
        Path tiff = dir.resolve("x.tiff");
        assertThatThrownBy(() -> ImageGrid.write(ImageGrid.grid(pixels, 1, 1, 4, 4, 1, 0), tiff))
                .hasMessageContaining("x.tiff")
                .hasMessageContaining(".png, .jpg, .jpeg, .bmp or .gif");
        assertThat(tiff).doesNotExist();
    }

    private static int grey(BufferedImage image, int x, int y) {
        return image.getRaster().getSample(x, y, 0);
    }
}
