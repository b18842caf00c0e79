package org.gan4j.evaluation;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.gan4j.Cancellation;

/**
 * Brute-force Euclidean nearest-neighbour queries for the manifold metrics. Time is {@code O(n m d)}; memory is
 * {@code O(n + m)} beyond the inputs because distances are computed one query row at a time. Rows are handled in
 * parallel when there is enough work; every result depends only on its own row, so results do not depend on the
 * number of threads.
 */
final class NearestNeighbours {

    /** Below this many distance evaluations the work stays on the calling thread. */
    private static final long PARALLEL_WORK = 1L << 16;

    private NearestNeighbours() {
    }

    /**
     * Returns, for every point, the squared distance to its {@code k}-th nearest other point (the point itself
     * excluded by index; duplicates of it count as neighbours at distance 0).
     *
     * @param points the points, more than {@code k} rows
     * @param k the neighbour rank, at least 1
     * @return {@code NND_k(x_i)²} for each row
     */
    static double[] kthNeighbourSquaredDistances(double[][] points, int k) {
        int n = points.length;
        if (k < 1 || n <= k) {
            throw new IllegalArgumentException("k is " + k + " with " + n + " points; expected 1 <= k < points");
        }
        double[] result = new double[n];
        rows(n, (long) n * n).forEach(i -> {
            double[] nearest = new double[k];
            Arrays.fill(nearest, Double.POSITIVE_INFINITY);
            double[] point = points[i];
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double distance = Checks.squaredDistance(point, points[j]);
                if (distance < nearest[k - 1]) {
                    int position = k - 1;
                    while (position > 0 && nearest[position - 1] > distance) {
                        nearest[position] = nearest[position - 1];
                        position--;
                    }
                    nearest[position] = distance;
                }
            }
            result[i] = nearest[k - 1];
        });
        return result;
    }

    /**
     * Returns, for every query, the squared distance to its nearest reference point.
     *
     * @param queries the query points
     * @param reference the reference points, at least one
     * @return {@code min_j ||q_i − r_j||²} for each query
     */
    static double[] nearestSquaredDistances(double[][] queries, double[][] reference) {
        double[] result = new double[queries.length];
        rows(queries.length, (long) queries.length * reference.length).forEach(i -> {
            double best = Double.POSITIVE_INFINITY;
            for (double[] candidate : reference) {
                best = Math.min(best, Checks.squaredDistance(queries[i], candidate));
            }
            result[i] = best;
        });
        return result;
    }

    /**
     * Returns the fraction of queries that lie in at least one reference ball, {@code ||q − r_j||² ≤ radius_j²}
     * (or {@code <} when {@code strict}).
     *
     * @param queries the query points
     * @param reference the ball centres
     * @param squaredRadii the squared ball radii, one per reference point
     * @param strict whether a point on the boundary is outside
     * @return the fraction of covered queries, in {@code [0, 1]}
     */
    static double fractionInsideAnyBall(double[][] queries, double[][] reference, double[] squaredRadii,
            boolean strict) {
        long inside = rows(queries.length, (long) queries.length * reference.length).filter(i -> {
            for (int j = 0; j < reference.length; j++) {
                double distance = Checks.squaredDistance(queries[i], reference[j]);
                if (strict ? distance < squaredRadii[j] : distance <= squaredRadii[j]) {
                    return true;
                }
            }
            return false;
        }).count();
        return (double) inside / queries.length;
    }

    /** Index stream over {@code n} rows, parallel when {@code work} distance evaluations justify threads. */
    static IntStream rows(int n, long work) {
        // each row is a search over all reference points: a stop asked for during an evaluation is seen row by row
        Runnable check = Cancellation.checker(); // taken here: the parallel stream's workers have no condition
        IntStream rows = IntStream.range(0, n).peek(i -> check.run());
        return work >= PARALLEL_WORK ? rows.parallel() : rows;
    }
}
