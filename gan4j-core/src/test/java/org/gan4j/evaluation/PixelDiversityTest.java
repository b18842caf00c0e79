package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelDiversityTest {

    private static PixelDiversity.Examples rows(float[][] rows) {
        return (index, target, offset) -> System.arraycopy(rows[index], 0, target, offset, rows[index].length);
    }

    private static float[][] uniform(int count, int size, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[count][size];
        for (float[] row : rows) {
            for (int d = 0; d < size; d++) {
                row[d] = random.nextFloat() * 2 - 1;
            }
        }
        return rows;
    }

    @Test
    void twoExamplesGiveTheirRmsDistanceByHand() {
        // differences (2, 0, 0, 0): RMS = sqrt(4 / 4) = 1
        float[][] two = {{1, 0, 0, 0}, {-1, 0, 0, 0}};
        assertThat(PixelDiversity.meanPairDistance(rows(two), 2, 4, 7)).isEqualTo(1.0);
    }

    @Test
    void identicalSamplesAreACollapseAndSamplesLikeTheRealOnesScoreAboutOne() {
        float[][] real = uniform(600, 48, 1);
        float[][] same = new float[500][];
        for (int i = 0; i < same.length; i++) {
            same[i] = real[0].clone(); // one image for every z: total collapse
        }
        PixelDiversity collapsed = PixelDiversity.of(rows(same), same.length, rows(real), real.length, 48, 3);
        assertThat(collapsed.generated()).isZero();
        assertThat(collapsed.ratio()).isZero();

        PixelDiversity healthy =
                PixelDiversity.of(rows(uniform(500, 48, 2)), 500, rows(real), real.length, 48, 3);
        assertThat(healthy.ratio()).isCloseTo(1.0, within(0.05));
        // uniform on [-1, 1]: E (a − b)² = 2/3 per value, so the RMS distance is about sqrt(2/3)
        assertThat(healthy.real()).isCloseTo(Math.sqrt(2.0 / 3), within(0.02));

        // two modes only: half the samples one image, half another
        float[][] twoModes = new float[500][];
        for (int i = 0; i < twoModes.length; i++) {
            twoModes[i] = real[i % 2].clone();
        }
        PixelDiversity two = PixelDiversity.of(rows(twoModes), 500, rows(real), real.length, 48, 3);
        assertThat(two.ratio()).isBetween(0.3, 0.7); // about half the pairs differ
    }

    @Test
    void theSeedChoosesThePairsAndAtMostMaxPairsAreCompared() {
        float[][] many = uniform(5000, 8, 4);
        int[] copies = new int[1];
        PixelDiversity.Examples counting = (index, target, offset) -> {
            copies[0]++;
            System.arraycopy(many[index], 0, target, offset, 8);
        };
        double first = PixelDiversity.meanPairDistance(counting, many.length, 8, 11);
        assertThat(copies[0]).isEqualTo(2 * PixelDiversity.MAX_PAIRS);
        assertThat(PixelDiversity.meanPairDistance(rows(many), many.length, 8, 11)).isEqualTo(first);
        assertThat(PixelDiversity.meanPairDistance(rows(many), many.length, 8, 12)).isNotEqualTo(first);
    }

    @Test
    void identicalRealImagesGiveNaNAndTooFewExamplesAreRefused() {
        float[][] flat = {{0.5f}, {0.5f}, {0.5f}};
        assertThat(PixelDiversity.of(rows(uniform(4, 1, 1)), 4, rows(flat), 3, 1, 0).ratio()).isNaN();
        assertThatThrownBy(() -> PixelDiversity.meanPairDistance(rows(flat), 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
