package org.gan4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @TempDir
    Path dir;

    private static List<MetricsRow> rows(int count) {
        List<MetricsRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("lossD", i == 2 ? Double.NaN : 1.0 / (i + 1));
            values.put("lossG", i == 3 ? Double.POSITIVE_INFINITY : 0.5 + i);
            values.put("dReal", 0.6);
            values.put("dFake", 0.4);
            values.put("dFakeAfter", 0.45);
            rows.add(MetricsRow.of(i * 10L, values));
        }
        return rows;
    }

    @Test
    void lineChartsRenderWithNonFiniteValuesOnePointAndNoData() throws IOException {
        Plots.lossCurves(rows(50), dir.resolve("losses.png"));
        Plots.discriminatorOutputs(rows(50), dir.resolve("d.png"));
        Plots.lossCurves(rows(1), dir.resolve("one.png"));
        Plots.discriminatorOutputs(List.of(MetricsRow.of(1, Map.of("dReal", Double.NaN))), dir.resolve("none.png"));
        Plots.metrics(List.of(), List.of("gradNormD"), "Gradient norms", "norm", dir.resolve("empty.png"));
        for (String name : new String[] {"losses.png", "d.png", "one.png", "none.png", "empty.png"}) {
            BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
            assertThat(image.getWidth()).as(name).isEqualTo(Plots.LINE_WIDTH);
            assertThat(image.getHeight()).as(name).isEqualTo(Plots.LINE_HEIGHT);
        }
    }

    @Test
    void stepAxisLabelsStayApart() throws IOException {
        // d2l's toy logs every 25 steps to step 2500: the step labels ran together ("1,0251,1501,275") when the axis
        // started at the first logged step
        List<MetricsRow> rows = new ArrayList<>();
        for (long step = 25; step <= 2500; step += 25) {
            rows.add(MetricsRow.of(step, Map.of("lossD", 1.0 + Math.sin(step), "lossG", 2.0)));
        }
        Path png = dir.resolve("losses.png");
        Plots.lossCurves(rows, png);
        BufferedImage image = ImageIO.read(png.toFile());
        // the plot's bottom frame: the lowest row that is mostly not white; the step labels sit in the band below it
        int frame = -1;
        for (int y = image.getHeight() - 1; y >= 0 && frame < 0; y--) {
            int marked = 0;
            for (int x = 0; x < image.getWidth(); x++) {
                marked += (image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
            }
            frame = marked > image.getWidth() / 2 ? y : -1;
        }
        assertThat(frame).isPositive();
        boolean[] ink = new boolean[image.getWidth()];
        for (int y = frame + 6; y < frame + 26; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                ink[x] |= ((rgb >> 16) & 0xFF) < 128 && ((rgb >> 8) & 0xFF) < 128 && (rgb & 0xFF) < 128;
            }
        }
        // labels: runs of columns with ink, glyphs of one label at most 3 columns apart
        List<int[]> labels = new ArrayList<>();
        int gap = ink.length;
        for (int x = 0; x < ink.length; x++) {
            if (ink[x]) {
                if (gap > 3) {
                    labels.add(new int[] {x, x});
                }
                labels.get(labels.size() - 1)[1] = x;
                gap = 0;
            } else {
                gap++;
            }
        }
        assertThat(labels.size()).isBetween(5, 30);
        for (int[] label : labels) {
            // "2,400" is about 35 pixels wide; two labels run together are twice that
            assertThat(label[1] - label[0]).as("label at x = %d", label[0]).isLessThan(50);
        }
    }

    @Test
    void niceTicksAreRoundNumbers() {
        assertThat(Plots.niceTicks(-3, 3, 7)).containsExactly(-3, -2, -1, 0, 1, 2, 3);
        assertThat(Plots.niceTicks(0, 1, 5)).containsExactly(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0},
                within(1e-12));
        assertThat(Plots.niceTicks(-0.55, 1.55, 7)).containsExactly(new double[] {-0.5, 0, 0.5, 1.0, 1.5},
                within(1e-12));
    }

    @Test
    void gridPointsMatchTheProbabilityLayout() {
        float[] points = DecisionMap.gridPoints(0, 4, -2, 2, 2);
        assertThat(points).containsExactly(1f, -1f, 3f, -1f, 1f, 1f, 3f, 1f);
        DecisionMap map = new DecisionMap(0, 4, -2, 2, 2, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        assertThat(map.x(1)).isEqualTo(3.0);
        assertThat(map.y(0)).isEqualTo(-1.0);
        assertThat(map.at(1, 0)).isEqualTo(0.2f);
        assertThatThrownBy(() -> new DecisionMap(0, 4, -2, 2, 2, new float[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionMap(1, 1, -2, 2, 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contourOfALinearMapIsTheVerticalLineWhereItCrossesOneHalf() {
        // p = (x + 1) / 2 over [-1, 1]: the 0.5 contour is x = 0 from the first to the last row centre.
        int res = 10;
        float[] grid = DecisionMap.gridPoints(-1, 1, -1, 1, res);
        float[] probability = new float[res * res];
        for (int i = 0; i < probability.length; i++) {
            probability[i] = (grid[2 * i] + 1f) / 2f;
        }
        List<double[]> segments = Plots.contour(new DecisionMap(-1, 1, -1, 1, res, probability), 0.5);
        assertThat(segments).hasSize(res - 1);
        double length = 0;
        for (double[] s : segments) {
            assertThat(s[0]).isCloseTo(0, within(1e-6));
            assertThat(s[2]).isCloseTo(0, within(1e-6));
            length += Math.abs(s[3] - s[1]);
        }
        assertThat(length).isCloseTo(1.8, within(1e-6));
    }

    @Test
    void contourOfASaddleCellHasTwoSegments() {
        DecisionMap saddle = new DecisionMap(0, 2, 0, 2, 2, new float[] {1f, 0f, 0f, 1f});
        List<double[]> segments = Plots.contour(saddle, 0.5);
        assertThat(segments).hasSize(2);
        DecisionMap withNan = new DecisionMap(0, 2, 0, 2, 2, new float[] {1f, Float.NaN, 0f, 1f});
        assertThat(Plots.contour(withNan, 0.5)).isEmpty();
    }

    @Test
    void scatterDrawsHeatMapAndPointsWhereExpected() throws IOException {
        int res = 20;
        float[] grid = DecisionMap.gridPoints(-2, 2, -2, 2, res);
        float[] probability = new float[res * res];
        for (int i = 0; i < probability.length; i++) {
            probability[i] = grid[2 * i] < 0 ? 0f : 1f;
        }
        DecisionMap map = new DecisionMap(-2, 2, -2, 2, res, probability);
        float[] real = {1f, 1f};
        float[] fake = {-1f, -1f, Float.NaN, 0f, Float.POSITIVE_INFINITY, 1f};
        BufferedImage image = Plots.renderScatter(real, fake, map, "test");
        Plots.ScatterCanvas canvas = new Plots.ScatterCanvas(new double[] {-2, 2, -2, 2}, "test");
        // Heat map far from points: left half orange tint (D = 0), right half blue tint (D = 1).
        assertThat(rgb(image, canvas.pixelX(-1.8), canvas.pixelY(1.5))).isEqualTo(0xF4A582);
        assertThat(rgb(image, canvas.pixelX(1.8), canvas.pixelY(-1.5))).isEqualTo(0x92C5DE);
        // Point centres carry the point colours blended at alpha 200/255 over the tint.
        int realPixel = rgb(image, canvas.pixelX(1), canvas.pixelY(1));
        int fakePixel = rgb(image, canvas.pixelX(-1), canvas.pixelY(-1));
        assertThat(blue(realPixel)).isGreaterThan(red(realPixel) + 60);
        assertThat(red(fakePixel)).isGreaterThan(blue(fakePixel) + 100);
        Path png = dir.resolve("scatter.png");
        Plots.scatter(real, fake, map, "test", png);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(image.getWidth());
        Plots.scatter(new float[] {3f, 4f}, new float[0], null, "one point", dir.resolve("one.png"));
        assertThat(dir.resolve("one.png")).isNotEmptyFile();
    }

    private static int rgb(BufferedImage image, double x, double y) {
        return image.getRGB((int) x, (int) y) & 0xFFFFFF;
    }

    private static int red(int rgb) {
        return (rgb >> 16) & 0xFF;
    }

    private static int blue(int rgb) {
        return rgb & 0xFF;
    }

    @Test
    void aMachineWithoutFontsGetsAOneLineErrorNamingTheFileTheCauseAndTheFix() {
        Gan4jException e = Plots.cannotDraw("run/plots/losses.png",
                new UnsatisfiedLinkError("libfontmanager.so: libfreetype.so.6: cannot open shared object file"));
        assertThat(e.getMessage())
                .contains("run/plots/losses.png")
                .contains("UnsatisfiedLinkError")
                .contains("libfreetype.so.6")
                .contains("apt-get install libfreetype6 fontconfig")
                .doesNotContain("\n");
        assertThat(e.getCause()).isInstanceOf(UnsatisfiedLinkError.class);
    }
}
