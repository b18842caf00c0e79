package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;

class FeatureStatisticsTest {

    @Test
    void ofComputesCountMeanAndComomentByHand() {
        // Points (1, 2), (3, 2), (5, 8): mean (3, 4); centred (-2, -2), (0, -2), (2, 4).
        FeatureStatistics statistics = FeatureStatistics.of(new double[][] {{1, 2}, {3, 2}, {5, 8}});
        assertThat(statistics.count()).isEqualTo(3);
        assertThat(statistics.mean()).containsExactly(3, 4);
        assertThat(statistics.comoment()).isDeepEqualTo(new double[][] {{8, 12}, {12, 24}});
        assertThat(statistics.covariance()).isDeepEqualTo(new double[][] {{4, 6}, {6, 12}});
        assertThat(statistics.dimension()).isEqualTo(2);
    }

    @Test
    void mergeOfTwoHalvesEqualsWholeByHand() {
        FeatureStatistics left = FeatureStatistics.of(new double[][] {{1, 2}});
        FeatureStatistics right = FeatureStatistics.of(new double[][] {{3, 2}, {5, 8}});
        FeatureStatistics merged = left.merge(right);
        assertThat(merged.count()).isEqualTo(3);
        assertThat(merged.mean()).containsExactly(new double[] {3, 4}, within(1e-15));
        assertThat(TestData.maxAbsDifference(merged.comoment(), new double[][] {{8, 12}, {12, 24}}))
                .isLessThan(1e-14);
    }

    @Test
    void emptyIsTheIdentityOfMerge() {
        FeatureStatistics statistics = FeatureStatistics.of(new double[][] {{1, 2}, {3, 5}});
        assertThat(statistics.merge(FeatureStatistics.empty(2))).isEqualTo(statistics);
        assertThat(FeatureStatistics.empty(2).merge(statistics)).isEqualTo(statistics);
        assertThatThrownBy(() -> FeatureStatistics.empty(2).covariance())
                .isInstanceOf(IllegalStateException.class);
    }

    @Property(tries = 200)
    void statisticsOfShardsMergeToThoseOfTheWhole(@ForAll("shardedRows") List<double[][]> shards) {
        double[][] whole = shards.stream().flatMap(Arrays::stream).toArray(double[][]::new);
        FeatureStatistics expected = FeatureStatistics.of(whole);
        FeatureStatistics merged = FeatureStatistics.empty(whole[0].length);
        for (double[][] shard : shards) {
            merged = merged.merge(FeatureStatistics.of(shard));
        }
        assertThat(merged.count()).isEqualTo(expected.count());
        double scale = 1;
        for (double[] row : whole) {
            for (double value : row) {
                scale = Math.max(scale, Math.abs(value));
            }
        }
        assertThat(maxAbsDifference(merged.mean(), expected.mean())).isLessThanOrEqualTo(1e-9 * scale);
        double comomentScale = Math.max(1, maxAbs(expected.comoment()));
        assertThat(TestData.maxAbsDifference(merged.comoment(), expected.comoment()))
                .isLessThanOrEqualTo(1e-9 * comomentScale);
    }

    @Provide
    Arbitrary<List<double[][]>> shardedRows() {
        return Arbitraries.integers().between(1, 5).flatMap(dimension -> {
            Arbitrary<double[]> row = Arbitraries.doubles().between(-1000, 1000)
                    .array(double[].class).ofSize(dimension);
            Arbitrary<double[][]> shard = row.array(double[][].class).ofMinSize(1).ofMaxSize(8);
            return shard.list().ofMinSize(1).ofMaxSize(5);
        });
    }

    @Test
    void mapRoundTripIsExact() {
        FeatureStatistics statistics = FeatureStatistics.of(TestData.gaussian(10, 3, 0.3, 4));
        Map<String, Object> map = statistics.toMap();
        assertThat(map).containsEntry("format", "gan4j-feature-statistics").containsEntry("count", 10L)
                .containsEntry("dimension", 3);
        assertThat(FeatureStatistics.fromMap(map)).isEqualTo(statistics);
    }

    @Test
    void mapWithIntegersAsParsedFromJsonIsAccepted() {
        Map<String, Object> map = Map.of("format", "gan4j-feature-statistics", "version", 1, "count", 2,
                "dimension", 1, "mean", List.of(1), "comoment", List.of(List.of(0.5)));
        FeatureStatistics statistics = FeatureStatistics.fromMap(map);
        assertThat(statistics.mean()).containsExactly(1.0);
        assertThat(statistics.covariance()[0][0]).isEqualTo(0.5);
    }

    @Test
    void mapWithWrongShapeNamesTheField() {
        Map<String, Object> map = Map.of("format", "gan4j-feature-statistics", "version", 1, "count", 2,
                "dimension", 2, "mean", List.of(1.0), "comoment", List.of(List.of(0.5)));
        assertThatThrownBy(() -> FeatureStatistics.fromMap(map))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("'mean'");
    }

    @Test
    void binaryRoundTripIsExactAndCompact() throws IOException {
        FeatureStatistics statistics = FeatureStatistics.of(TestData.gaussian(20, 4, -1.0, 5));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        statistics.writeTo(bytes);
        // Header 4 + 4 + 8 + 4 bytes, mean 4 doubles, upper triangle 10 doubles.
        assertThat(bytes.size()).isEqualTo(20 + 8 * (4 + 10));
        assertThat(FeatureStatistics.readFrom(new ByteArrayInputStream(bytes.toByteArray()))).isEqualTo(statistics);
    }

    @Test
    void binaryRejectsForeignAndTruncatedContent() throws IOException {
        assertThatThrownBy(() -> FeatureStatistics.readFrom(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5})))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("header");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FeatureStatistics.of(new double[][] {{1, 2}, {3, 4}}).writeTo(bytes);
        byte[] truncated = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
        assertThatThrownBy(() -> FeatureStatistics.readFrom(new ByteArrayInputStream(truncated)))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("truncated");
    }

    /** A damaged header claiming the largest dimension: the file's end, not a 34 GB matrix allocated up front. */
    @Test
    void aLargeClaimedDimensionEndsAtTheFilesEnd() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.DataOutputStream data = new java.io.DataOutputStream(bytes);
        data.writeInt(0x47344653);
        data.writeInt(FeatureStatistics.VERSION);
        data.writeLong(10);
        data.writeInt(1 << 16);
        for (int i = 0; i < 1000; i++) {
            data.writeDouble(i);
        }
        assertThatThrownBy(() -> FeatureStatistics.readFrom(new ByteArrayInputStream(bytes.toByteArray())))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void recordIsImmutable() {
        double[] mean = {1, 2};
        FeatureStatistics statistics = new FeatureStatistics(1, mean, new double[2][2]);
        mean[0] = 99;
        statistics.mean()[1] = 99;
        assertThat(statistics.mean()).containsExactly(1, 2);
    }

    @Test
    void rejectsRaggedRows() {
        assertThatThrownBy(() -> FeatureStatistics.of(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1");
    }

    private static double maxAbsDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double maxAbs(double[][] matrix) {
        double max = 0;
        for (double[] row : matrix) {
            for (double value : row) {
                max = Math.max(max, Math.abs(value));
            }
        }
        return max;
    }
}
