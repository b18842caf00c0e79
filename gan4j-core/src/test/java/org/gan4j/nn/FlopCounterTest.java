package org.gan4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.gan4j.config.Defaults;
import org.gan4j.config.ModelConfig;
import org.gan4j.config.ModelConfig.Architecture;
import org.gan4j.config.ModelConfig.DcganConfig;
import org.gan4j.config.TrainingConfig;
import org.junit.jupiter.api.Test;

/** Hand-counted operations of tiny networks and steps. */
class FlopCounterTest {

    private static final ModelConfig DEFAULTS = Defaults.config().model();
    private static final TrainingConfig TRAINING = Defaults.config().training();

    private static TrainingConfig training(int batch, int dSteps, int gSteps) {
        return new TrainingConfig(
                batch, 10, dSteps, gSteps, TRAINING.generator(), TRAINING.discriminator(), TRAINING.threads());
    }

    @Test
    void textbookMlp() {
        GanModels models =
                GanModels.create(
                        new ModelConfig(Architecture.MLP, 2, DEFAULTS.mlp(), DEFAULTS.dcgan(), 1), new long[] {2});
        try (NDManager manager = NDManager.newBaseManager()) {
            models.initialize(manager, 1);
            // G: Linear 2→2 = 2·2·2; D: 2→5, 5→3, 3→1 = 2·(10 + 15 + 3)
            assertThat(FlopCounter.forwardPerExample(models.generator())).isCloseTo(8, within(1e-9));
            assertThat(FlopCounter.forwardPerExample(models.discriminator())).isCloseTo(56, within(1e-9));
            // first layers: G's only layer (8), D's 2→5 (2·10)
            assertThat(FlopCounter.firstLayerPerExample(models.generator())).isCloseTo(8, within(1e-9));
            assertThat(FlopCounter.firstLayerPerExample(models.discriminator())).isCloseTo(20, within(1e-9));
            // 1:1 at batch 8: 3G − G₁ + 8D − 2D₁ = 3·64 − 64 + 8·448 − 2·160
            assertThat(FlopCounter.trainingStep(models, training(8, 1, 1))).isCloseTo(3392, within(1e-6));
            // 2 D updates and 2 G updates: 2(G + 6D − 2D₁) + 2(2D + 2G − G₁) + G = 7G − 2G₁ + 16D − 4D₁
            assertThat(FlopCounter.trainingStep(models, training(8, 2, 2)))
                    .isCloseTo(7 * 64 - 2 * 64 + 16 * 448 - 4 * 160, within(1e-6));
        }
    }

    @Test
    void tinyDcgan() {
        GanModels models =
                GanModels.create(
                        new ModelConfig(Architecture.DCGAN, 8, DEFAULTS.mlp(), new DcganConfig(4, 4), 1),
                        new long[] {1, 28, 28});
        try (NDManager manager = NDManager.newBaseManager()) {
            models.initialize(manager, 1);
            // G: ConvT 8→8 k7 on 1×1, ConvT 8→4 k4 on 7×7, ConvT 4→1 k4 on 14×14 (2·Cin·H·W·Cout·k²)
            double generator = 2.0 * 8 * 8 * 49 + 2.0 * 8 * 49 * 4 * 16 + 2.0 * 4 * 196 * 16;
            // D: Conv 1→4 to 14×14, Conv 4→8 to 7×7, Conv 8→1 k7 to 1×1 (2·Cout·Hout·Wout·Cin·k²)
            double discriminator = 2.0 * 4 * 196 * 16 + 2.0 * 8 * 49 * 4 * 16 + 2.0 * 8 * 49;
            assertThat(FlopCounter.forwardPerExample(models.generator())).isCloseTo(generator, within(1e-6));
            assertThat(FlopCounter.forwardPerExample(models.discriminator())).isCloseTo(discriminator, within(1e-6));
            double generatorFirst = 2.0 * 8 * 8 * 49;
            double discriminatorFirst = 2.0 * 4 * 196 * 16;
            assertThat(FlopCounter.firstLayerPerExample(models.generator())).isCloseTo(generatorFirst, within(1e-6));
            assertThat(FlopCounter.firstLayerPerExample(models.discriminator()))
                    .isCloseTo(discriminatorFirst, within(1e-6));
            assertThat(FlopCounter.trainingStep(models, training(4, 1, 1)))
                    .isCloseTo(
                            4 * (3 * generator - generatorFirst + 8 * discriminator - 2 * discriminatorFirst),
                            within(1e-3));
        }
    }

    @Test
    void packingDividesDiscriminatorBatch() {
        GanModels models =
                GanModels.create(
                        new ModelConfig(Architecture.MLP, 2, DEFAULTS.mlp(), DEFAULTS.dcgan(), 2), new long[] {2});
        try (NDManager manager = NDManager.newBaseManager()) {
            models.initialize(manager, 1);
            // packed D: 4→5, 5→3, 3→1 = 2·(20 + 15 + 3) per packed pair; batch 8 = 4 pairs
            assertThat(FlopCounter.forwardPerExample(models.discriminator())).isCloseTo(76, within(1e-9));
            // 3G − G₁ + 8D − 2D₁ with D and D₁ (2·20) per pair
            assertThat(FlopCounter.trainingStep(models, training(8, 1, 1)))
                    .isCloseTo(3 * 64 - 64 + 8 * 76 * 4 - 2 * 40 * 4, within(1e-6));
        }
    }

    @Test
    void refusesUninitializedBlocks() {
        GanModels models =
                GanModels.create(
                        new ModelConfig(Architecture.MLP, 2, DEFAULTS.mlp(), DEFAULTS.dcgan(), 1), new long[] {2});
        assertThatThrownBy(() -> FlopCounter.forwardPerExample(models.generator()))
                .isInstanceOf(IllegalStateException.class);
    }
}
