package org.gan4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.config.Defaults;
import org.gan4j.config.ModelConfig;
import org.gan4j.config.ModelConfig.Architecture;
import org.gan4j.config.ModelConfig.DcganConfig;
import org.gan4j.nn.dcgan.DcganDiscriminator;
import org.gan4j.nn.dcgan.DcganGenerator;
import org.gan4j.nn.mlp.MlpDiscriminator;
import org.gan4j.nn.mlp.MlpGenerator;
import org.junit.jupiter.api.Test;

/** Architecture resolution, validation against the data, initialization and fingerprints. */
class GanModelsTest {

    private static final ModelConfig DEFAULTS = Defaults.config().model();

    private static ModelConfig model(Architecture architecture, int latent, int features, int packing) {
        return new ModelConfig(architecture, latent, DEFAULTS.mlp(), new DcganConfig(features, features), packing);
    }

    @Test
    void autoIsTheTextbookMlpForPoints() {
        GanModels models = GanModels.create(model(Architecture.AUTO, 2, 4, 1), new long[] {2});
        assertThat(models.architecture()).isEqualTo(Architecture.MLP);
        assertThat(models.generator()).isInstanceOf(MlpGenerator.class);
        assertThat(models.discriminator()).isInstanceOf(MlpDiscriminator.class);
        try (NDManager manager = NDManager.newBaseManager()) {
            models.initialize(manager, 1);
            assertThat(models.generator().getParameters().get("01Linear_weight").getShape()).isEqualTo(new Shape(2, 2));
            assertThat(models.discriminator().getParameters().get("06Linear_weight").getShape())
                    .isEqualTo(new Shape(1, 3));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray fake =
                    models.generator()
                            .forward(store, new NDList(manager.randomNormal(models.generatorInputShape(4))), true)
                            .singletonOrThrow();
            assertThat(fake.getShape()).isEqualTo(new Shape(4, 2));
            NDArray logits = models.discriminator().forward(store, new NDList(fake), true).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(4, 1));
        }
    }

    @Test
    void autoIsDcganForImagesAndPackingMultipliesChannels() {
        GanModels models = GanModels.create(model(Architecture.AUTO, 8, 4, 2), new long[] {1, 28, 28});
        assertThat(models.architecture()).isEqualTo(Architecture.DCGAN);
        assertThat(models.generator()).isInstanceOf(DcganGenerator.class);
        assertThat(models.discriminator()).isInstanceOf(DcganDiscriminator.class);
        assertThat(models.latentSize()).isEqualTo(8);
        assertThat(models.packing()).isEqualTo(2);
        assertThat(models.exampleShape()).containsExactly(1, 28, 28);
        assertThat(models.discriminatorInputShape(3)).isEqualTo(new Shape(3, 2, 28, 28));
        try (NDManager manager = NDManager.newBaseManager()) {
            models.initialize(manager, 3);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray fake =
                    models.generator()
                            .forward(store, new NDList(manager.randomNormal(new Shape(4, 8))), true)
                            .singletonOrThrow();
            assertThat(fake.getShape()).isEqualTo(new Shape(4, 1, 28, 28));
            NDArray logits =
                    models.discriminator().forward(store, new NDList(Packing.pack(fake, 2)), true).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 1));
        }
    }

    @Test
    void mlpOnImagesGeneratesImageShapedSamples() {
        GanModels models = GanModels.create(model(Architecture.MLP, 3, 4, 1), new long[] {1, 2, 2});
        try (NDManager manager = NDManager.newBaseManager()) {
            models.initialize(manager, 3);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray fake =
                    models.generator()
                            .forward(store, new NDList(manager.randomNormal(new Shape(2, 3))), true)
                            .singletonOrThrow();
            assertThat(fake.getShape()).isEqualTo(new Shape(2, 1, 2, 2));
            NDArray logits = models.discriminator().forward(store, new NDList(fake), true).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 1));
        }
    }

    @Test
    void invalidConfigsNameTheKeyAndValue() {
        assertThatThrownBy(() -> GanModels.create(model(Architecture.DCGAN, 8, 4, 1), new long[] {2}))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("model.architecture=dcgan needs image data, got points of shape [2]");
        assertThatThrownBy(() -> GanModels.create(model(Architecture.AUTO, 8, 4, 1), new long[] {3, 48, 48}))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("model.architecture=dcgan")
                .hasMessageContaining("48")
                .hasMessageContaining("28, 32, 64, 128");
        assertThatThrownBy(() -> GanModels.create(model(Architecture.DCGAN, 8, 4, 1), new long[] {3, 32, 28}))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("square");
        assertThatThrownBy(() -> GanModels.create(model(Architecture.AUTO, 0, 4, 1), new long[] {2}))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("model.latentSize must be >= 1, got 0");
        assertThatThrownBy(() -> GanModels.create(model(Architecture.AUTO, 2, 4, 0), new long[] {2}))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("model.packing must be >= 1, got 0");
        assertThatThrownBy(() -> GanModels.create(model(Architecture.AUTO, 2, 0, 1), new long[] {1, 32, 32}))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("model.dcgan.generatorFeatures must be >= 1, got 0");
        ModelConfig badMlp =
                new ModelConfig(
                        Architecture.MLP,
                        2,
                        new ModelConfig.MlpConfig(
                                List.of(), Activation.RELU, false, Activation.IDENTITY, List.of(5, -3),
                                Activation.TANH, 0, 0.0),
                        DEFAULTS.dcgan(),
                        1);
        assertThatThrownBy(() -> GanModels.create(badMlp, new long[] {2}))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("model.mlp.discriminatorHidden")
                .hasMessageContaining("[5, -3]");
        assertThatThrownBy(() -> GanModels.create(model(Architecture.AUTO, 2, 4, 1), new long[] {2, 3}))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("[2, 3]");
    }

    @Test
    void fingerprintIsStableAndSeparatesArchitectures() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GanModels first = GanModels.create(model(Architecture.AUTO, 8, 4, 1), new long[] {3, 32, 32});
            GanModels second = GanModels.create(model(Architecture.AUTO, 8, 4, 1), new long[] {3, 32, 32});
            GanModels wider = GanModels.create(model(Architecture.AUTO, 8, 8, 1), new long[] {3, 32, 32});
            GanModels packed = GanModels.create(model(Architecture.AUTO, 8, 4, 2), new long[] {3, 32, 32});
            assertThatThrownBy(first::fingerprint).isInstanceOf(IllegalStateException.class);
            first.initialize(manager, 1);
            second.initialize(manager, 2);
            wider.initialize(manager, 1);
            packed.initialize(manager, 1);
            assertThat(first.fingerprint()).isEqualTo(second.fingerprint());
            assertThat(first.fingerprint()).startsWith("dcgan example=[3, 32, 32] latent=8 packing=1");
            assertThat(first.fingerprint()).contains("G: 02TransposedConv2d_weight(8, 16, 4, 4)");
            assertThat(wider.fingerprint()).isNotEqualTo(first.fingerprint());
            assertThat(packed.fingerprint()).isNotEqualTo(first.fingerprint());
        }
    }

    @Test
    void initializationIsDeterministicPerSeed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GanModels first = GanModels.create(model(Architecture.AUTO, 8, 4, 1), new long[] {1, 28, 28});
            GanModels second = GanModels.create(model(Architecture.AUTO, 8, 4, 1), new long[] {1, 28, 28});
            first.initialize(manager, 9);
            second.initialize(manager, 9);
            first.generator().getParameters().forEach(pair -> assertThat(pair.getValue().getArray().toFloatArray())
                    .as(pair.getKey())
                    .containsExactly(second.generator().getParameters().get(pair.getKey()).getArray().toFloatArray()));
            // G and D draw from different streams.
            float[] g = first.generator().getParameters().valueAt(0).getArray().toFloatArray();
            float[] d = first.discriminator().getParameters().valueAt(0).getArray().toFloatArray();
            assertThat(g[0]).isNotEqualTo(d[0]);
        }
    }

    @Test
    void parametersSurviveASaveAndLoadRoundTrip() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            GanModels saved = GanModels.create(model(Architecture.AUTO, 8, 4, 2), new long[] {3, 32, 32});
            GanModels loaded = GanModels.create(model(Architecture.AUTO, 8, 4, 2), new long[] {3, 32, 32});
            saved.initialize(manager, 1);
            loaded.initialize(manager, 2);
            for (boolean generator : new boolean[] {true, false}) {
                ai.djl.nn.Block from = generator ? saved.generator() : saved.discriminator();
                ai.djl.nn.Block to = generator ? loaded.generator() : loaded.discriminator();
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
                    from.saveParameters(out);
                }
                try (java.io.DataInputStream in =
                        new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                    to.loadParameters(manager, in);
                }
                from.getParameters().forEach(pair -> assertThat(
                                to.getParameters().get(pair.getKey()).getArray().toFloatArray())
                        .as(pair.getKey())
                        .containsExactly(pair.getValue().getArray().toFloatArray()));
            }
            assertThat(loaded.fingerprint()).isEqualTo(saved.fingerprint());
        }
    }
}
