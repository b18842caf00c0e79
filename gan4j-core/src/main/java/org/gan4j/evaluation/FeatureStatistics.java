package org.gan4j.evaluation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.gan4j.Gan4jException;

/**
 * Sufficient statistics of a set of feature vectors: the count {@code n}, the mean {@code μ} and the co-moment
 * matrix {@code M2 = Σ_i (x_i − μ)(x_i − μ)ᵀ}.
 *
 * <p>These are what the Fréchet distance needs, and they merge exactly: statistics of shards combine into those of
 * the whole with the parallel update of Chan, Golub and LeVeque ("Updating formulae and a pairwise algorithm for
 * computing sample variances", 1979). Statistics of real data can therefore be computed in chunks and cached to
 * disk with {@link #toMap()} (JSON-able) or {@link #writeTo(OutputStream)} (compact binary).
 *
 * <p>The empty statistics ({@code n = 0}, zero mean and co-moment) are the identity of {@link #merge}.
 *
 * @param count the number of samples {@code n}
 * @param mean the mean vector {@code μ} (zeros when {@code n = 0})
 * @param comoment the symmetric co-moment matrix {@code M2}
 */
public record FeatureStatistics(long count, double[] mean, double[][] comoment) {

    /** Value of the {@code "format"} key written by {@link #toMap()}. */
    public static final String FORMAT = "gan4j-feature-statistics";

    /** Version written by {@link #toMap()} and {@link #writeTo(OutputStream)}. */
    public static final int VERSION = 1;

    /** First four bytes of the binary form: ASCII {@code G4FS}. */
    private static final int MAGIC = 0x47344653;

    private static final int PARALLEL_DIMENSION = 64;

    private static final int CHUNK_ROWS = 1024;

    /**
     * Validates shapes and copies the arrays so that the record is immutable.
     *
     * @param count the number of samples, at least 0
     * @param mean the mean vector, at least one entry
     * @param comoment a square matrix matching the mean
     */
    public FeatureStatistics {
        if (count < 0) {
            throw new IllegalArgumentException("count is " + count + "; expected at least 0");
        }
        int dimension = Checks.vector("mean", mean);
        Checks.square("comoment", comoment, dimension);
        mean = mean.clone();
        comoment = Checks.copy(comoment);
    }

    /**
     * Returns the statistics of no samples in the given dimension: the identity of {@link #merge}.
     *
     * @param dimension the feature dimension, at least 1
     * @return statistics with {@code n = 0}
     */
    public static FeatureStatistics empty(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension is " + dimension + "; expected at least 1");
        }
        return new FeatureStatistics(0, new double[dimension], new double[dimension][dimension]);
    }

    /**
     * Computes the statistics of a set of feature vectors with two passes (mean first, then centred products),
     * which avoids the cancellation of the one-pass {@code Σ x xᵀ − n μ μᵀ} formula.
     *
     * @param rows the feature vectors, one sample per row, at least one row
     * @return their count, mean and co-moment matrix
     */
    public static FeatureStatistics of(double[][] rows) {
        int dimension = Checks.matrix("rows", rows, 1);
        int n = rows.length;
        double[] mean = new double[dimension];
        for (double[] row : rows) {
            for (int j = 0; j < dimension; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < dimension; j++) {
            mean[j] /= n;
        }
        double[][] comoment = new double[dimension][dimension];
        // Centre a bounded chunk of rows at a time, so memory stays O(chunk × d) beyond the input.
        for (int start = 0; start < n; start += CHUNK_ROWS) {
            int end = Math.min(n, start + CHUNK_ROWS);
            double[][] centred = new double[end - start][dimension];
            for (int i = start; i < end; i++) {
                for (int j = 0; j < dimension; j++) {
                    centred[i - start][j] = rows[i][j] - mean[j];
                }
            }
            IntStream indices = IntStream.range(0, dimension);
            if (dimension >= PARALLEL_DIMENSION) {
                indices = indices.parallel();
            }
            // Row a of the upper triangle: M2[a][b] += Σ_i c_ia c_ib for b ≥ a.
            indices.forEach(a -> {
                double[] out = comoment[a];
                for (double[] c : centred) {
                    double value = c[a];
                    for (int b = a; b < dimension; b++) {
                        out[b] += value * c[b];
                    }
                }
            });
        }
        mirrorUpperTriangle(comoment);
        return new FeatureStatistics(n, mean, comoment);
    }

    /**
     * Combines these statistics with those of a disjoint set of samples (Chan et al. 1979):
     * {@code n = n_a + n_b}, {@code δ = μ_b − μ_a}, {@code μ = μ_a + δ n_b / n},
     * {@code M2 = M2_a + M2_b + δ δᵀ n_a n_b / n}.
     *
     * @param other statistics of other samples with the same dimension
     * @return the statistics of the union of both sample sets
     */
    public FeatureStatistics merge(FeatureStatistics other) {
        Checks.sameDimension("this", dimension(), "other", other.dimension());
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        int dimension = dimension();
        long total = count + other.count;
        double weight = (double) other.count / total;
        double crossWeight = (double) count * other.count / total;
        double[] delta = new double[dimension];
        double[] mergedMean = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            delta[j] = other.mean[j] - mean[j];
            mergedMean[j] = mean[j] + delta[j] * weight;
        }
        double[][] merged = new double[dimension][dimension];
        for (int a = 0; a < dimension; a++) {
            double scaled = delta[a] * crossWeight;
            for (int b = 0; b < dimension; b++) {
                merged[a][b] = comoment[a][b] + other.comoment[a][b] + scaled * delta[b];
            }
        }
        return new FeatureStatistics(total, mergedMean, merged);
    }

    /**
     * Returns the feature dimension.
     *
     * @return the length of the mean vector
     */
    public int dimension() {
        return mean.length;
    }

    /**
     * Returns the unbiased sample covariance {@code Σ = M2 / (n − 1)}.
     *
     * @return a fresh symmetric {@code d × d} matrix
     * @throws IllegalStateException if fewer than two samples were seen
     */
    public double[][] covariance() {
        if (count < 2) {
            throw new IllegalStateException("covariance needs at least 2 samples, have " + count);
        }
        double divisor = count - 1;
        double[][] covariance = new double[dimension()][];
        for (int a = 0; a < covariance.length; a++) {
            covariance[a] = comoment[a].clone();
            for (int b = 0; b < covariance[a].length; b++) {
                covariance[a][b] /= divisor;
            }
        }
        return covariance;
    }

    /**
     * Returns the mean vector.
     *
     * @return a copy of {@code μ}
     */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /**
     * Returns the co-moment matrix.
     *
     * @return a copy of {@code M2}
     */
    @Override
    public double[][] comoment() {
        return Checks.copy(comoment);
    }

    /**
     * Converts the statistics to a map of JSON types (numbers and lists), for Jackson or any JSON writer.
     *
     * <p>Keys: {@code format} ({@value #FORMAT}), {@code version}, {@code count}, {@code dimension}, {@code mean}
     * (list of numbers) and {@code comoment} (list of rows).
     *
     * @return an ordered, freshly built map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("format", FORMAT);
        map.put("version", VERSION);
        map.put("count", count);
        map.put("dimension", dimension());
        map.put("mean", toList(mean));
        List<List<Double>> rows = new ArrayList<>(comoment.length);
        for (double[] row : comoment) {
            rows.add(toList(row));
        }
        map.put("comoment", rows);
        return map;
    }

    /**
     * Reads statistics from a map as written by {@link #toMap()} or as parsed back from its JSON (numbers may be
     * any {@link Number}; vectors may be lists or {@code double[]}).
     *
     * @param map the map
     * @return the statistics it describes
     * @throws Gan4jException if a key is missing, has the wrong type or shape, or the format is not this one
     */
    public static FeatureStatistics fromMap(Map<String, ?> map) {
        if (map == null) {
            throw new Gan4jException("feature statistics: no content; expected a map with format " + FORMAT);
        }
        Object format = map.get("format");
        if (!FORMAT.equals(format)) {
            throw new Gan4jException("feature statistics: format is '" + format + "'; expected '" + FORMAT + "'");
        }
        long version = number(map, "version").longValue();
        if (version != VERSION) {
            throw new Gan4jException("feature statistics: version is " + version + "; expected " + VERSION);
        }
        long count = number(map, "count").longValue();
        int dimension = number(map, "dimension").intValue();
        double[] mean = vector("mean", map.get("mean"), dimension);
        Object rowsValue = map.get("comoment");
        List<?> rows = rowsValue instanceof double[][] array ? Arrays.asList((Object[]) array)
                : rowsValue instanceof List<?> list ? list : null;
        if (rows == null || rows.size() != dimension) {
            throw new Gan4jException("feature statistics: 'comoment' must be a list of " + dimension + " rows");
        }
        double[][] comoment = new double[dimension][];
        for (int i = 0; i < dimension; i++) {
            comoment[i] = vector("comoment[" + i + "]", rows.get(i), dimension);
        }
        return build(count, mean, comoment);
    }

    /**
     * Writes the compact binary form: magic {@code G4FS}, version (int), count (long), dimension (int), the mean
     * and then the upper triangle of {@code M2} row by row, all big-endian IEEE doubles.
     *
     * @param output the stream to write to; not closed
     * @throws IOException if the stream fails
     */
    public void writeTo(OutputStream output) throws IOException {
        DataOutputStream data = new DataOutputStream(output);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeLong(count);
        data.writeInt(dimension());
        for (double value : mean) {
            data.writeDouble(value);
        }
        for (int a = 0; a < comoment.length; a++) {
            for (int b = a; b < comoment.length; b++) {
                data.writeDouble(comoment[a][b]);
            }
        }
        data.flush();
    }

    /**
     * Reads the binary form written by {@link #writeTo(OutputStream)}.
     *
     * @param input the stream to read from; not closed
     * @return the statistics
     * @throws IOException if the stream fails
     * @throws Gan4jException if the content is not feature statistics of this version, or is truncated
     */
    public static FeatureStatistics readFrom(InputStream input) throws IOException {
        DataInputStream data = new DataInputStream(input);
        try {
            int magic = data.readInt();
            if (magic != MAGIC) {
                throw new Gan4jException("feature statistics: bad header 0x" + Integer.toHexString(magic)
                        + "; expected a gan4j feature statistics file (G4FS)");
            }
            int version = data.readInt();
            if (version != VERSION) {
                throw new Gan4jException("feature statistics: version is " + version + "; expected " + VERSION);
            }
            long count = data.readLong();
            int dimension = data.readInt();
            if (dimension < 1 || dimension > 1 << 16) {
                throw new Gan4jException("feature statistics: dimension is " + dimension
                        + "; expected 1 to 65536");
            }
            double[] mean = new double[dimension];
            for (int j = 0; j < dimension; j++) {
                mean[j] = data.readDouble();
            }
            // row by row: a damaged header claiming a large dimension ends at the file's end, not in a matrix of up
            // to 34 GB allocated before the first value is read
            double[][] comoment = new double[dimension][];
            for (int a = 0; a < dimension; a++) {
                comoment[a] = new double[dimension];
                for (int b = a; b < dimension; b++) {
                    comoment[a][b] = data.readDouble();
                }
            }
            mirrorUpperTriangle(comoment);
            return build(count, mean, comoment);
        } catch (EOFException truncated) {
            throw new Gan4jException("feature statistics: content ends early; the file is truncated", truncated);
        }
    }

    /**
     * Compares count, mean and co-moment element by element.
     *
     * @param other the object to compare with
     * @return whether both describe exactly the same statistics
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof FeatureStatistics that
                && count == that.count
                && Arrays.equals(mean, that.mean)
                && Arrays.deepEquals(comoment, that.comoment);
    }

    /**
     * Hashes the contents.
     *
     * @return a hash consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        return (Long.hashCode(count) * 31 + Arrays.hashCode(mean)) * 31 + Arrays.deepHashCode(comoment);
    }

    /**
     * Describes the statistics briefly (the co-moment matrix can be large).
     *
     * @return count and dimension
     */
    @Override
    public String toString() {
        return "FeatureStatistics[count=" + count + ", dimension=" + dimension() + "]";
    }

    private static FeatureStatistics build(long count, double[] mean, double[][] comoment) {
        try {
            return new FeatureStatistics(count, mean, comoment);
        } catch (IllegalArgumentException invalid) {
            throw new Gan4jException("feature statistics: " + invalid.getMessage(), invalid);
        }
    }

    private static void mirrorUpperTriangle(double[][] matrix) {
        for (int a = 0; a < matrix.length; a++) {
            for (int b = a + 1; b < matrix.length; b++) {
                matrix[b][a] = matrix[a][b];
            }
        }
    }

    private static List<Double> toList(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double value : values) {
            list.add(value);
        }
        return list;
    }

    private static Number number(Map<String, ?> map, String key) {
        if (map.get(key) instanceof Number number) {
            return number;
        }
        throw new Gan4jException("feature statistics: '" + key + "' is " + map.get(key) + "; expected a number");
    }

    private static double[] vector(String key, Object value, int dimension) {
        if (value instanceof double[] array && array.length == dimension) {
            return array.clone();
        }
        if (value instanceof List<?> list && list.size() == dimension) {
            double[] vector = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                if (!(list.get(i) instanceof Number number)) {
                    throw new Gan4jException("feature statistics: '" + key + "' entry " + i + " is " + list.get(i)
                            + "; expected a number");
                }
                vector[i] = number.doubleValue();
            }
            return vector;
        }
        throw new Gan4jException("feature statistics: '" + key + "' must be a list of " + dimension + " numbers");
    }
}
