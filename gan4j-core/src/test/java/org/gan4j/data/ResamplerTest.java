package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    @Test
    void shrinkingAveragesAreasWithFractionalCoverage() {
        // Every row is [0, 30, 90]; 3 → 2 means target pixels cover [0, 1.5) and [1.5, 3).
        float[] plane = {0, 30, 90, 0, 30, 90, 0, 30, 90};

        float[] resized = Resampler.resize(plane, 3, 2);

        assertThat(resized[0]).isCloseTo((0 + 30 * 0.5f) / 1.5f, within(1e-4f));
        assertThat(resized[1]).isCloseTo((30 * 0.5f + 90) / 1.5f, within(1e-4f));
        assertThat(resized[2]).isCloseTo(10f, within(1e-4f));
        assertThat(resized[3]).isCloseTo(70f, within(1e-4f));
    }

    @Test
    void shrinkingByAnIntegerFactorIsTheBlockMean() {
        float[] plane = new float[16];
        for (int i = 0; i < 16; i++) {
            plane[i] = i;
        }

        float[] resized = Resampler.resize(plane, 4, 2);

        assertThat(resized).containsExactly(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, within(1e-5f));
    }

    @Test
    void growingIsBilinearWithHalfPixelCentres() {
        // PyTorch: F.interpolate(tensor([[[[0, 100], [0, 100]]]]), size=4, mode="bilinear", align_corners=False)
        float[] plane = {0, 100, 0, 100};

        float[] resized = Resampler.resize(plane, 2, 4);

        assertThat(resized).hasSize(16);
        for (int row = 0; row < 4; row++) {
            assertThat(new float[] {resized[4 * row], resized[4 * row + 1], resized[4 * row + 2], resized[4 * row + 3]})
                    .containsExactly(new float[] {0, 25, 75, 100}, within(1e-4f));
        }
    }

    @Test
    void sameSizeIsTheIdentity() {
        float[] plane = {1, 2, 3, 4, 5, 6, 7, 8, 9};

        assertThat(Resampler.resize(plane, 3, 3)).containsExactly(plane);
    }

    @Test
    void byteRoundingClampsAndLumaMatchesBt601() {
        assertThat(Resampler.toByte(-3) & 0xFF).isZero();
        assertThat(Resampler.toByte(254.5) & 0xFF).isEqualTo(255);
        assertThat(Resampler.toByte(300) & 0xFF).isEqualTo(255);
        assertThat(Resampler.toByte(127.49) & 0xFF).isEqualTo(127);
        assertThat(Resampler.luma(255, 0, 0)).isCloseTo(76.245, within(1e-9));
        assertThat(Resampler.luma(200, 200, 200)).isCloseTo(200, within(1e-9));
    }

    @Test
    void imageDatasetResizesConvertsAndLimits() {
        // Two 2×2 grey images.
        byte[] pixels = {0, (byte) 200, 0, (byte) 200, 10, 20, 30, 40};
        ImageDataset data = new ImageDataset(pixels, 2, 1, 2, new int[] {1, 0}, 2, "test");

        ImageDataset small = data.resized(1);
        assertThat(small.exampleShape()).containsExactly(1, 1, 1);
        assertThat(small.pixel(0, 0, 0, 0)).isEqualTo(100);
        assertThat(small.pixel(1, 0, 0, 0)).isEqualTo(25);

        ImageDataset rgb = data.withChannels(3);
        assertThat(rgb.exampleShape()).containsExactly(3, 2, 2);
        assertThat(rgb.pixel(1, 2, 1, 1)).isEqualTo(40);
        assertThat(rgb.pixel(1, 0, 0, 1)).isEqualTo(20);
        assertThat(rgb.withChannels(1).pixel(1, 0, 1, 0)).isEqualTo(30);

        ImageDataset first = data.limited(1);
        assertThat(first.size()).isEqualTo(1);
        assertThat(first.label(0)).isEqualTo(1);
        assertThat(first.classCount()).isEqualTo(2);
        assertThat(data.limited(0)).isSameAs(data);
    }

    @Test
    void rgbToGreyUsesLuma() {
        // One 1×1 RGB image: pure red.
        ImageDataset red = new ImageDataset(new byte[] {(byte) 255, 0, 0}, 1, 3, 1, null, 0, "red");

        ImageDataset grey = red.withChannels(1);

        assertThat(grey.pixel(0, 0, 0, 0)).isEqualTo(76);
    }
}
