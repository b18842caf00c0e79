package org.gan4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Resizes a square image row by row: exact area averaging when shrinking, bilinear (half-pixel centres, as PyTorch's
 * {@code align_corners=False}) when growing.
 *
 * <p>Both filters are separable, so each source row is resampled horizontally as it arrives and added, with its
 * vertical weights, into the destination rows it touches. Memory stays at one destination image plus one row, however
 * large the source.
 */
final class Resampler {

    private final int channels;
    private final int targetSide;
    private final int[][] horizontalIndex;
    private final double[][] horizontalWeight;
    private final int[][] rowTargets;
    private final double[][] rowWeights;
    private final double[] accumulated;
    private final double[] scratch;

    /**
     * Creates a resampler from {@code sourceSide²} to {@code targetSide²} pixels.
     *
     * @param sourceSide the side of the source square
     * @param targetSide the side of the result
     * @param channels the number of channels per pixel
     */
    Resampler(int sourceSide, int targetSide, int channels) {
        this.channels = channels;
        this.targetSide = targetSide;
        Taps taps = taps(sourceSide, targetSide);
        this.horizontalIndex = taps.index;
        this.horizontalWeight = taps.weight;
        List<List<Integer>> targets = new ArrayList<>();
        List<List<Double>> weights = new ArrayList<>();
        for (int i = 0; i < sourceSide; i++) {
            targets.add(new ArrayList<>());
            weights.add(new ArrayList<>());
        }
        for (int j = 0; j < targetSide; j++) {
            for (int t = 0; t < taps.index[j].length; t++) {
                targets.get(taps.index[j][t]).add(j);
                weights.get(taps.index[j][t]).add(taps.weight[j][t]);
            }
        }
        this.rowTargets = new int[sourceSide][];
        this.rowWeights = new double[sourceSide][];
        for (int i = 0; i < sourceSide; i++) {
            rowTargets[i] = targets.get(i).stream().mapToInt(Integer::intValue).toArray();
            rowWeights[i] = weights.get(i).stream().mapToDouble(Double::doubleValue).toArray();
        }
        this.accumulated = new double[channels * targetSide * targetSide];
        this.scratch = new double[targetSide];
    }

    /**
     * Adds one source row.
     *
     * @param row the source row index
     * @param values the row's values, one array of {@code sourceSide} values per channel
     */
    void addRow(int row, float[][] values) {
        for (int c = 0; c < channels; c++) {
            float[] source = values[c];
            for (int j = 0; j < targetSide; j++) {
                double sum = 0;
                int[] index = horizontalIndex[j];
                double[] weight = horizontalWeight[j];
                for (int t = 0; t < index.length; t++) {
                    sum += weight[t] * source[index[t]];
                }
                scratch[j] = sum;
            }
            int[] targets = rowTargets[row];
            double[] weights = rowWeights[row];
            for (int t = 0; t < targets.length; t++) {
                int base = (c * targetSide + targets[t]) * targetSide;
                double w = weights[t];
                for (int j = 0; j < targetSide; j++) {
                    accumulated[base + j] += w * scratch[j];
                }
            }
        }
    }

    /**
     * Returns the resized image once every source row was added.
     *
     * @return CHW values, {@code channels × targetSide × targetSide}
     */
    float[] result() {
        float[] out = new float[accumulated.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) accumulated[i];
        }
        return out;
    }

    /**
     * Resizes one square plane.
     *
     * @param plane {@code side × side} values, row-major
     * @param side the source side
     * @param newSide the target side
     * @return {@code newSide × newSide} values
     */
    static float[] resize(float[] plane, int side, int newSide) {
        Resampler resampler = new Resampler(side, newSide, 1);
        float[][] row = new float[1][side];
        for (int y = 0; y < side; y++) {
            System.arraycopy(plane, y * side, row[0], 0, side);
            resampler.addRow(y, row);
        }
        return resampler.result();
    }

    /**
     * Rounds a value to the nearest byte, clamping to [0, 255].
     *
     * @param value the value on the 0–255 scale
     * @return the byte holding the unsigned result
     */
    static byte toByte(double value) {
        long rounded = Math.round(value);
        return (byte) Math.max(0, Math.min(255, rounded));
    }

    /**
     * Returns ITU-R BT.601 luma, the grey level PIL's "L" mode uses.
     *
     * @param red red on the 0–255 scale
     * @param green green on the 0–255 scale
     * @param blue blue on the 0–255 scale
     * @return 0.299 R + 0.587 G + 0.114 B
     */
    static double luma(double red, double green, double blue) {
        return 0.299 * red + 0.587 * green + 0.114 * blue;
    }

    private record Taps(int[][] index, double[][] weight) {}

    /** Computes, for each target pixel, the source pixels it reads and their weights (summing to 1). */
    private static Taps taps(int sourceSide, int targetSide) {
        int[][] index = new int[targetSide][];
        double[][] weight = new double[targetSide][];
        double scale = (double) sourceSide / targetSide;
        for (int j = 0; j < targetSide; j++) {
            if (sourceSide >= targetSide) {
                // Area averaging: target pixel j covers source interval [j·scale, (j+1)·scale).
                double start = j * scale;
                double end = (j + 1) * scale;
                int first = (int) Math.floor(start);
                int last = Math.min(sourceSide - 1, (int) Math.ceil(end) - 1);
                List<Integer> taken = new ArrayList<>();
                List<Double> weights = new ArrayList<>();
                for (int i = first; i <= last; i++) {
                    double overlap = Math.min(i + 1, end) - Math.max(i, start);
                    if (overlap > 1e-12) {
                        taken.add(i);
                        weights.add(overlap / scale);
                    }
                }
                index[j] = taken.stream().mapToInt(Integer::intValue).toArray();
                weight[j] = weights.stream().mapToDouble(Double::doubleValue).toArray();
            } else {
                // Bilinear with half-pixel centres.
                double x = Math.max(0, (j + 0.5) * scale - 0.5);
                int low = Math.min((int) Math.floor(x), sourceSide - 1);
                int high = Math.min(low + 1, sourceSide - 1);
                double fraction = x - low;
                if (high == low || fraction == 0) {
                    index[j] = new int[] {low};
                    weight[j] = new double[] {1};
                } else {
                    index[j] = new int[] {low, high};
                    weight[j] = new double[] {1 - fraction, fraction};
                }
            }
        }
        return new Taps(index, weight);
    }
}
