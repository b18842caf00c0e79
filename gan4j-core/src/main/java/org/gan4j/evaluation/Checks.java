package org.gan4j.evaluation;

/**
 * Argument checks shared by the metrics; every failure is an {@link IllegalArgumentException} naming the argument.
 */
final class Checks {

    private Checks() {
    }

    /**
     * Checks that {@code rows} is a non-null rectangular matrix of finite values with at least {@code minRows} rows
     * and at least one column.
     *
     * @param name the argument name used in messages
     * @param rows the matrix, one sample per row
     * @param minRows the minimum number of rows
     * @return the number of columns (the feature dimension)
     */
    static int matrix(String name, double[][] rows, int minRows) {
        if (rows == null) {
            throw new IllegalArgumentException(name + " is null; expected a matrix with one sample per row");
        }
        if (rows.length < minRows) {
            throw new IllegalArgumentException(
                    name + " has " + rows.length + " rows; expected at least " + minRows);
        }
        if (rows.length == 0) {
            return 0;
        }
        if (rows[0] == null || rows[0].length == 0) {
            throw new IllegalArgumentException(name + " row 0 is empty; expected at least one feature");
        }
        int dimension = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            if (row == null || row.length != dimension) {
                throw new IllegalArgumentException(name + " row " + i + " has "
                        + (row == null ? "no" : String.valueOf(row.length)) + " values; expected " + dimension);
            }
            for (int j = 0; j < dimension; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException(
                            name + "[" + i + "][" + j + "] is " + row[j] + "; expected a finite value");
                }
            }
        }
        return dimension;
    }

    /**
     * Checks that two matrices have the same number of columns.
     *
     * @param nameA the first argument name
     * @param dimensionA its number of columns
     * @param nameB the second argument name
     * @param dimensionB its number of columns
     */
    static void sameDimension(String nameA, int dimensionA, String nameB, int dimensionB) {
        if (dimensionA != dimensionB) {
            throw new IllegalArgumentException(nameA + " has dimension " + dimensionA + " but " + nameB
                    + " has dimension " + dimensionB + "; expected equal dimensions");
        }
    }

    /**
     * Checks that a vector is non-null, non-empty and finite.
     *
     * @param name the argument name
     * @param values the vector
     * @return its length
     */
    static int vector(String name, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(name + " is empty; expected at least one value");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + values[i] + "; expected a finite value");
            }
        }
        return values.length;
    }

    /**
     * Checks that a matrix is square of the given size with finite values.
     *
     * @param name the argument name
     * @param matrix the matrix
     * @param size the expected number of rows and columns
     */
    static void square(String name, double[][] matrix, int size) {
        int columns = matrix(name, matrix, 1);
        if (matrix.length != size || columns != size) {
            throw new IllegalArgumentException(name + " is " + matrix.length + "x" + columns + "; expected "
                    + size + "x" + size);
        }
    }

    /**
     * Returns a deep copy of a matrix (null stays null).
     *
     * @param matrix the matrix
     * @return its copy
     */
    static double[][] copy(double[][] matrix) {
        if (matrix == null) {
            return null;
        }
        double[][] copy = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            copy[i] = matrix[i] == null ? null : matrix[i].clone();
        }
        return copy;
    }

    /**
     * Squared Euclidean distance between two vectors of equal length.
     *
     * @param a the first vector
     * @param b the second vector
     * @return {@code ||a - b||²}
     */
    static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double difference = a[i] - b[i];
            sum += difference * difference;
        }
        return sum;
    }
}
