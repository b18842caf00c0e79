package org.gan4j.io;

import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gan4j.Gan4jException;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training plots as PNG files, written atomically: loss curves, discriminator outputs and 2-D scatter plots.
 *
 * <p>Line charts use XChart. The 2-D scatter is drawn with Java2D because it layers a probability heat map, the
 * D = 0.5 decision contour (marching squares) and two point clouds. Every plot skips NaN and infinite values,
 * copes with a single point (drawn as a marker), and still renders (with a "no finite data" note) when nothing is
 * left to draw.
 */
public final class Plots {

    /** Width in pixels of the line charts. */
    public static final int LINE_WIDTH = 900;

    /** Height in pixels of the line charts. */
    public static final int LINE_HEIGHT = 500;

    /** Series with at most this many points are drawn with markers, so sparse data stays visible. */
    public static final int MARKER_LIMIT = 40;

    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75),
    };
    private static final Color REAL_COLOUR = new Color(33, 102, 172);
    private static final Color FAKE_COLOUR = new Color(230, 85, 13);
    private static final Color CONTOUR_COLOUR = new Color(40, 40, 40);
    private static final Color FAKE_TINT = new Color(244, 165, 130);
    private static final Color REAL_TINT = new Color(146, 197, 222);
    private static final Color MISSING_TINT = new Color(200, 200, 200);

    private Plots() {}

    /**
     * Plots {@code lossD} and {@code lossG} against the step.
     *
     * @param rows metrics rows (rows lacking a key are skipped for that curve)
     * @param png the file to write
     * @throws Gan4jException if the file cannot be written
     */
    public static void lossCurves(List<MetricsRow> rows, Path png) {
        lines(rows, List.of("lossD", "lossG"), List.of("loss D", "loss G"), "Losses", "loss", null, null, png);
    }

    /**
     * Plots the discriminator's mean outputs against the step, on a 0..1 axis: D(x) ({@code dReal}),
     * D(G(z)) in D's update, before D's optimizer step ({@code dFake}), and D(G(z)) in G's update, after D's step
     * ({@code dFakeAfter}; D_G_z1 and D_G_z2 in pytorch/examples).
     *
     * @param rows metrics rows
     * @param png the file to write
     * @throws Gan4jException if the file cannot be written
     */
    public static void discriminatorOutputs(List<MetricsRow> rows, Path png) {
        lines(rows, List.of("dReal", "dFake", "dFakeAfter"),
                List.of("D(x)", "D(G(z)) before D's update", "D(G(z)) after D's update"),
                "Discriminator outputs", "mean D output", 0.0, 1.0, png);
    }

    /**
     * Plots any metrics against the step (for example gradient norms), one curve per key.
     *
     * @param rows metrics rows
     * @param keys the value names to plot
     * @param title the chart title
     * @param yLabel the y axis title
     * @param png the file to write
     * @throws Gan4jException if the file cannot be written
     */
    public static void metrics(List<MetricsRow> rows, List<String> keys, String title, String yLabel, Path png) {
        lines(rows, keys, keys, title, yLabel, null, null, png);
    }

    private static void lines(List<MetricsRow> rows, List<String> keys, List<String> labels, String title,
            String yLabel, Double yMin, Double yMax, Path png) {
        try {
            drawLines(rows, keys, labels, title, yLabel, yMin, yMax, png);
        } catch (LinkageError | AWTError | InternalError e) {
            throw cannotDraw(png.toString(), e);
        }
    }

    /**
     * The error for a machine where Java's 2-D graphics cannot draw text: a headless system without fonts or without
     * the FreeType library that the JDK's font code links (the first drawing fails with UnsatisfiedLinkError or an
     * AWT error, later ones with NoClassDefFoundError).
     *
     * @param what the file or picture being drawn
     * @param cause what Java threw
     * @return a one-line error naming the cause and the fix
     */
    static Gan4jException cannotDraw(String what, Throwable cause) {
        return new Gan4jException("cannot draw " + what + ": Java cannot render text on this machine ("
                + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                + "); install FreeType and a font (Debian: apt-get install libfreetype6 fontconfig fonts-dejavu-core)",
                cause);
    }

    private static void drawLines(List<MetricsRow> rows, List<String> keys, List<String> labels, String title,
            String yLabel, Double yMin, Double yMax, Path png) {
        XYChart chart = new XYChartBuilder().width(LINE_WIDTH).height(LINE_HEIGHT).title(title)
                .xAxisTitle("step").yAxisTitle(yLabel).build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setXAxisDecimalPattern("#,###");
        // steps count from 0: the ticks fall on round steps (from the first logged step, 25 on the d2l toy, XChart's
        // ticks for equally spaced values ran "1,025" into "1,150")
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setAntiAlias(true);
        if (yMin != null) {
            chart.getStyler().setYAxisMin(yMin);
            chart.getStyler().setYAxisMax(yMax);
        }
        int drawn = 0;
        for (int k = 0; k < keys.size(); k++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (MetricsRow row : rows) {
                Double value = row.values().get(keys.get(k));
                if (value != null && Double.isFinite(value)) {
                    xs.add((double) row.step());
                    ys.add(value);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(labels.get(k), xs, ys);
            series.setLineColor(PALETTE[k % PALETTE.length]);
            series.setMarkerColor(PALETTE[k % PALETTE.length]);
            series.setMarker(xs.size() <= MARKER_LIMIT ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            drawn++;
        }
        if (drawn == 0) {
            // XChart cannot draw an axis without data: show an empty frame with a note instead.
            XYSeries placeholder = chart.addSeries("no finite data", new double[] {0}, new double[] {0});
            placeholder.setMarker(SeriesMarkers.NONE);
            placeholder.setLineColor(new Color(0, 0, 0, 0));
            if (yMin == null) {
                chart.getStyler().setYAxisMin(0.0);
                chart.getStyler().setYAxisMax(1.0);
            }
        }
        byte[] bytes;
        try {
            bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot render plot " + png, e);
        }
        try {
            AtomicFiles.writeBytes(png, bytes);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot write plot " + png, e);
        }
    }

    /**
     * Plots real and generated 2-D points over the discriminator's probability map with its 0.5 contour.
     *
     * <p>The heat map runs from orange (D = 0, "fake") through white (0.5) to blue (D = 1, "real"). The axes
     * span the map's region when a map is given (points outside are clipped), otherwise the points' range plus 5%.
     * Points with a NaN or infinite coordinate are skipped.
     *
     * @param realXY real points, interleaved (x, y)
     * @param fakeXY generated points, interleaved (x, y)
     * @param map the discriminator's probability map, or null to plot the points alone
     * @param title the plot title, for example "step 5000"
     * @param png the file to write
     * @throws Gan4jException if the file cannot be written
     */
    public static void scatter(float[] realXY, float[] fakeXY, DecisionMap map, String title, Path png) {
        ImageGrid.writePng(renderScatter(realXY, fakeXY, map, title, png.toString()), png);
    }

    /**
     * Draws the scatter plot of {@link #scatter} into a picture without writing it.
     *
     * @param realXY real points, interleaved (x, y)
     * @param fakeXY generated points, interleaved (x, y)
     * @param map the probability map, or null
     * @param title the title
     * @return an RGB picture of 820 × 640 pixels
     */
    public static BufferedImage renderScatter(float[] realXY, float[] fakeXY, DecisionMap map, String title) {
        return renderScatter(realXY, fakeXY, map, title, "the scatter plot");
    }

    /** {@link #renderScatter(float[], float[], DecisionMap, String)}, naming {@code what} if Java cannot draw. */
    private static BufferedImage renderScatter(
            float[] realXY, float[] fakeXY, DecisionMap map, String title, String what) {
        if (realXY.length % 2 != 0 || fakeXY.length % 2 != 0) {
            throw new IllegalArgumentException("point arrays must hold (x, y) pairs: even lengths, got "
                    + realXY.length + " and " + fakeXY.length);
        }
        double[] range = map != null
                ? new double[] {map.xMin(), map.xMax(), map.yMin(), map.yMax()}
                : dataRange(realXY, fakeXY);
        try {
            return new ScatterCanvas(range, title).draw(realXY, fakeXY, map);
        } catch (LinkageError | AWTError | InternalError e) {
            throw cannotDraw(what, e);
        }
    }

    /** Returns {xMin, xMax, yMin, yMax} over the finite points, padded by 5% (or ±1 if degenerate). */
    private static double[] dataRange(float[] first, float[] second) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (float[] points : new float[][] {first, second}) {
            for (int i = 0; i + 1 < points.length; i += 2) {
                if (Float.isFinite(points[i]) && Float.isFinite(points[i + 1])) {
                    xMin = Math.min(xMin, points[i]);
                    xMax = Math.max(xMax, points[i]);
                    yMin = Math.min(yMin, points[i + 1]);
                    yMax = Math.max(yMax, points[i + 1]);
                }
            }
        }
        if (xMin > xMax) {
            return new double[] {-1, 1, -1, 1};
        }
        double[] x = pad(xMin, xMax);
        double[] y = pad(yMin, yMax);
        return new double[] {x[0], x[1], y[0], y[1]};
    }

    private static double[] pad(double min, double max) {
        double span = max - min;
        if (span <= 1e-12 * Math.max(1, Math.abs(min))) {
            return new double[] {min - 1, max + 1};
        }
        return new double[] {min - 0.05 * span, max + 0.05 * span};
    }

    /**
     * Returns "nice" tick values (1, 2 or 5 times a power of ten apart) covering a range.
     *
     * @param min range start
     * @param max range end, greater than min
     * @param target about how many ticks are wanted
     * @return the ticks inside [min, max], ascending
     */
    static double[] niceTicks(double min, double max, int target) {
        double rough = (max - min) / Math.max(1, target);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = magnitude;
        for (double factor : new double[] {1, 2, 5, 10}) {
            step = factor * magnitude;
            if (step >= rough) {
                break;
            }
        }
        double first = Math.ceil(min / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (double tick = first; tick <= max + step * 1e-9; tick += step) {
            ticks.add(Math.abs(tick) < step * 1e-9 ? 0.0 : tick);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String tickLabel(double value, double step) {
        int digits = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    /**
     * Marching squares: the segments where a bilinear interpolation of the map crosses {@code level}.
     *
     * @param map the probability map
     * @param level the contour level
     * @return segments as {x1, y1, x2, y2} in data coordinates
     */
    static List<double[]> contour(DecisionMap map, double level) {
        List<double[]> segments = new ArrayList<>();
        int res = map.resolution();
        double[] cx = new double[4];
        double[] cy = new double[4];
        double[] v = new double[4];
        for (int iy = 0; iy + 1 < res; iy++) {
            for (int ix = 0; ix + 1 < res; ix++) {
                // Corners counter-clockwise from bottom-left; edge k joins corner k and corner k+1.
                int[][] offsets = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
                boolean missing = false;
                for (int c = 0; c < 4; c++) {
                    cx[c] = map.x(ix + offsets[c][0]);
                    cy[c] = map.y(iy + offsets[c][1]);
                    v[c] = map.at(ix + offsets[c][0], iy + offsets[c][1]);
                    missing |= !Double.isFinite(v[c]);
                }
                if (missing) {
                    continue;
                }
                List<double[]> crossings = new ArrayList<>(4);
                int[] crossingEdges = new int[4];
                for (int edge = 0; edge < 4; edge++) {
                    int a = edge;
                    int b = (edge + 1) % 4;
                    if ((v[a] >= level) != (v[b] >= level)) {
                        double t = (level - v[a]) / (v[b] - v[a]);
                        crossingEdges[crossings.size()] = edge;
                        crossings.add(new double[] {cx[a] + t * (cx[b] - cx[a]), cy[a] + t * (cy[b] - cy[a])});
                    }
                }
                if (crossings.size() == 2) {
                    segments.add(join(crossings.get(0), crossings.get(1)));
                } else if (crossings.size() == 4) {
                    // Saddle: the centre value decides which pair of opposite corners is connected.
                    boolean centreInside = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
                    for (int corner = 0; corner < 4; corner++) {
                        if ((v[corner] >= level) != centreInside) {
                            // Cut this corner off: join its two adjacent edges (corner - 1 and corner).
                            double[] before = crossings.get(indexOf(crossingEdges, (corner + 3) % 4));
                            double[] after = crossings.get(indexOf(crossingEdges, corner));
                            segments.add(join(before, after));
                        }
                    }
                }
            }
        }
        return segments;
    }

    private static int indexOf(int[] values, int wanted) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == wanted) {
                return i;
            }
        }
        throw new IllegalStateException("edge " + wanted + " has no crossing");
    }

    private static double[] join(double[] a, double[] b) {
        return new double[] {a[0], a[1], b[0], b[1]};
    }

    private static Color heat(float probability) {
        if (!Float.isFinite(probability)) {
            return MISSING_TINT;
        }
        double p = Math.max(0, Math.min(1, probability));
        return p < 0.5 ? mix(FAKE_TINT, Color.WHITE, p / 0.5) : mix(Color.WHITE, REAL_TINT, (p - 0.5) / 0.5);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color(
                (int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }

    /** The Java2D scatter plot: layout constants and drawing. */
    static final class ScatterCanvas {

        /** Picture width in pixels. */
        static final int WIDTH = 820;

        /** Picture height in pixels. */
        static final int HEIGHT = 640;

        private static final int LEFT = 80;
        private static final int TOP = 50;
        private static final int PLOT = 530;

        private final double xMin;
        private final double xMax;
        private final double yMin;
        private final double yMax;
        private final String title;

        ScatterCanvas(double[] range, String title) {
            this.xMin = range[0];
            this.xMax = range[1];
            this.yMin = range[2];
            this.yMax = range[3];
            this.title = title == null ? "" : title;
        }

        double pixelX(double x) {
            return LEFT + (x - xMin) / (xMax - xMin) * PLOT;
        }

        double pixelY(double y) {
            return TOP + PLOT - (y - yMin) / (yMax - yMin) * PLOT;
        }

        BufferedImage draw(float[] realXY, float[] fakeXY, DecisionMap map) {
            BufferedImage picture = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = picture.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, WIDTH, HEIGHT);
                java.awt.Shape oldClip = g.getClip();
                g.clipRect(LEFT, TOP, PLOT, PLOT);
                if (map != null) {
                    drawHeat(g, map);
                    g.setColor(CONTOUR_COLOUR);
                    g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    for (double[] s : contour(map, 0.5)) {
                        g.draw(new Line2D.Double(pixelX(s[0]), pixelY(s[1]), pixelX(s[2]), pixelY(s[3])));
                    }
                }
                drawPoints(g, realXY, REAL_COLOUR);
                drawPoints(g, fakeXY, FAKE_COLOUR);
                g.setClip(oldClip);
                drawAxes(g);
                drawLegend(g, map != null);
                if (map != null) {
                    drawColourBar(g);
                }
            } finally {
                g.dispose();
            }
            return picture;
        }

        private void drawHeat(Graphics2D g, DecisionMap map) {
            int res = map.resolution();
            BufferedImage cells = new BufferedImage(res, res, BufferedImage.TYPE_INT_RGB);
            for (int iy = 0; iy < res; iy++) {
                for (int ix = 0; ix < res; ix++) {
                    cells.setRGB(ix, res - 1 - iy, heat(map.at(ix, iy)).getRGB());
                }
            }
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(cells, LEFT, TOP, PLOT, PLOT, null);
        }

        private void drawPoints(Graphics2D g, float[] points, Color colour) {
            double radius = points.length / 2 > 2000 ? 2.0 : 3.0;
            Color fill = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 200);
            Color edge = colour.darker();
            g.setStroke(new BasicStroke(0.6f));
            for (int i = 0; i + 1 < points.length; i += 2) {
                if (!Float.isFinite(points[i]) || !Float.isFinite(points[i + 1])) {
                    continue;
                }
                Ellipse2D dot = new Ellipse2D.Double(
                        pixelX(points[i]) - radius, pixelY(points[i + 1]) - radius, 2 * radius, 2 * radius);
                g.setColor(fill);
                g.fill(dot);
                g.setColor(edge);
                g.draw(dot);
            }
        }

        private void drawAxes(Graphics2D g) {
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(LEFT, TOP, PLOT, PLOT);
            Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            g.setFont(tickFont);
            FontMetrics metrics = g.getFontMetrics();
            double[] xTicks = niceTicks(xMin, xMax, 7);
            double xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : (xMax - xMin);
            for (double tick : xTicks) {
                int px = (int) Math.round(pixelX(tick));
                g.drawLine(px, TOP + PLOT, px, TOP + PLOT + 5);
                String label = tickLabel(tick, xStep);
                g.drawString(label, px - metrics.stringWidth(label) / 2, TOP + PLOT + 7 + metrics.getAscent());
            }
            double[] yTicks = niceTicks(yMin, yMax, 7);
            double yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : (yMax - yMin);
            for (double tick : yTicks) {
                int py = (int) Math.round(pixelY(tick));
                g.drawLine(LEFT - 5, py, LEFT, py);
                String label = tickLabel(tick, yStep);
                g.drawString(label, LEFT - 8 - metrics.stringWidth(label), py + metrics.getAscent() / 2 - 1);
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            metrics = g.getFontMetrics();
            g.drawString("x1", LEFT + PLOT / 2 - metrics.stringWidth("x1") / 2, TOP + PLOT + 45);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.rotate(-Math.PI / 2);
            rotated.drawString("x2", -(TOP + PLOT / 2) - metrics.stringWidth("x2") / 2, LEFT - 50);
            rotated.dispose();
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            metrics = g.getFontMetrics();
            g.drawString(title, LEFT + PLOT / 2 - metrics.stringWidth(title) / 2, TOP - 18);
        }

        private void drawLegend(Graphics2D g, boolean withContour) {
            int x = LEFT + PLOT + 25;
            int y = TOP + 10;
            int rows = withContour ? 3 : 2;
            g.setColor(Color.WHITE);
            g.fillRect(x, y, 180, 14 + rows * 22);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(x, y, 180, 14 + rows * 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int rowY = y + 22;
            for (Object[] entry : new Object[][] {{REAL_COLOUR, "real"}, {FAKE_COLOUR, "generated"}}) {
                Color colour = (Color) entry[0];
                g.setColor(colour);
                g.fill(new Ellipse2D.Double(x + 14, rowY - 9, 9, 9));
                g.setColor(Color.BLACK);
                g.drawString((String) entry[1], x + 34, rowY);
                rowY += 22;
            }
            if (withContour) {
                g.setColor(CONTOUR_COLOUR);
                g.setStroke(new BasicStroke(2f));
                g.drawLine(x + 8, rowY - 5, x + 28, rowY - 5);
                g.setColor(Color.BLACK);
                g.drawString("D(x) = 0.5", x + 34, rowY);
            }
        }

        private void drawColourBar(Graphics2D g) {
            int x = LEFT + PLOT + 40;
            int top = TOP + 130;
            int height = 300;
            int width = 18;
            for (int i = 0; i < height; i++) {
                float p = 1f - i / (float) (height - 1);
                g.setColor(heat(p));
                g.fillRect(x, top + i, width, 1);
            }
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(x, top, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics metrics = g.getFontMetrics();
            for (double p : new double[] {0, 0.2, 0.4, 0.5, 0.6, 0.8, 1}) {
                int py = top + (int) Math.round((1 - p) * height);
                g.drawLine(x + width, py, x + width + 4, py);
                g.drawString(tickLabel(p, 0.1), x + width + 7, py + metrics.getAscent() / 2 - 1);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString("D(x) = P(real)", x - 14, top - 12);
        }
    }
}
