package org.gan4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** PacGAN packing groups consecutive samples along the feature axis. */
class PackingTest {

    @Test
    void imagesConcatenateConsecutiveSamplesAlongChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 4 samples, 2 channels, 1×2 pixels: sample s, channel c, pixel p holds 100·s + 10·c + p.
            float[] values = new float[16];
            for (int s = 0; s < 4; s++) {
                for (int c = 0; c < 2; c++) {
                    for (int p = 0; p < 2; p++) {
                        values[(s * 2 + c) * 2 + p] = 100 * s + 10 * c + p;
                    }
                }
            }
            NDArray packed = Packing.pack(manager.create(values, new Shape(4, 2, 1, 2)), 2);
            assertThat(packed.getShape()).isEqualTo(new Shape(2, 4, 1, 2));
            // Packed sample 1 = samples 2 and 3; channel j·C + c = sample 2 + j, channel c.
            assertThat(packed.getFloat(1, 0, 0, 1)).isEqualTo(201f);
            assertThat(packed.getFloat(1, 1, 0, 0)).isEqualTo(210f);
            assertThat(packed.getFloat(1, 2, 0, 0)).isEqualTo(300f);
            assertThat(packed.getFloat(1, 3, 0, 1)).isEqualTo(311f);
            assertThat(packed.getFloat(0, 2, 0, 0)).isEqualTo(100f);
        }
    }

    @Test
    void pointsConcatenateConsecutiveSamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51}, new Shape(6, 2));
            NDArray packed = Packing.pack(x, 3);
            assertThat(packed.getShape()).isEqualTo(new Shape(2, 6));
            assertThat(packed.toFloatArray())
                    .containsExactly(0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51);
            assertThat(packed.get(1).toFloatArray()).containsExactly(30, 31, 40, 41, 50, 51);
            assertThat(Packing.pack(x, 1)).isSameAs(x);
        }
    }

    @Test
    void rejectsIndivisibleBatchesAndBadDegrees() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.zeros(new Shape(5, 2));
            assertThatThrownBy(() -> Packing.pack(x, 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("5")
                    .hasMessageContaining("2");
            assertThatThrownBy(() -> Packing.pack(x, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Packing.pack(manager.zeros(new Shape(2, 2, 2)), 2))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
