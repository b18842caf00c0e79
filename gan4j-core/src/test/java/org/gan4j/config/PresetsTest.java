package org.gan4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gan4j.config.DataConfig.DataKind;
import org.gan4j.config.LossConfig.Reduction;
import org.gan4j.config.ModelConfig.Architecture;
import org.gan4j.config.TrainingConfig.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every preset in configs/ loads and is a diff: each key it sets differs from the default. */
class PresetsTest {

    static Stream<Path> presets() throws IOException {
        try (Stream<Path> files = Files.list(RepositoryFiles.resolve("configs"))) {
            List<Path> yaml = files.filter(file -> file.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
            assertThat(yaml).isNotEmpty();
            return yaml.stream();
        }
    }

    private static RunConfig load(String name) {
        return ConfigLoader.load(RepositoryFiles.resolve("configs/" + name), List.of());
    }

    @Test
    void theSixPresetsExist() throws IOException {
        assertThat(presets().map(file -> file.getFileName().toString()))
                .contains(
                        "d2l-gaussian.yaml",
                        "dcgan-fashion-mnist.yaml",
                        "dcgan-cifar10.yaml",
                        "dcgan-emoji64.yaml",
                        "ring8.yaml",
                        "grid25.yaml");
    }

    @ParameterizedTest
    @MethodSource("presets")
    void presetLoadsAndIsNamedAfterItsFile(Path preset) {
        RunConfig config = ConfigLoader.load(preset, List.of());
        assertThat(config.name() + ".yaml").isEqualTo(preset.getFileName().toString());
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyKeyAPresetSetsDiffersFromTheDefault(Path preset) throws IOException {
        JsonNode written = new YAMLMapper().readTree(preset.toFile());
        JsonNode loaded = ConfigLoader.toTree(ConfigLoader.load(preset, List.of()));
        JsonNode defaults = ConfigLoader.toTree(Defaults.config());
        List<String> leaves = new ArrayList<>();
        collectLeaves("", written, leaves);
        assertThat(leaves).isNotEmpty();
        for (String key : leaves) {
            String pointer = "/" + key.replace('.', '/');
            assertThat(loaded.at(pointer))
                    .as("%s sets %s to its default value; a preset lists only differences", preset.getFileName(), key)
                    .isNotEqualTo(defaults.at(pointer));
        }
        assertThat(ConfigLoader.diffFromDefaults(ConfigLoader.load(preset, List.of())).keySet())
                .containsExactlyInAnyOrderElementsOf(leaves);
    }

    private static void collectLeaves(String prefix, JsonNode node, List<String> leaves) {
        if (!node.isObject()) {
            leaves.add(prefix);
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            collectLeaves(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), leaves);
        }
    }

    @Test
    void d2lGaussianMatchesTheBook() {
        RunConfig config = load("d2l-gaussian.yaml");
        assertThat(config.data().kind()).isEqualTo(DataKind.GAUSSIAN);
        assertThat(config.data().samples()).isEqualTo(1000);
        assertThat(config.data().gaussian().a()).isEqualTo(List.of(List.of(1.0, 2.0), List.of(-0.1, 0.5)));
        assertThat(config.data().gaussian().b()).isEqualTo(List.of(1.0, 2.0));
        assertThat(config.model().architecture()).isEqualTo(Architecture.MLP);
        assertThat(config.model().latentSize()).isEqualTo(2);
        assertThat(config.model().mlp().generatorHidden()).isEmpty();
        assertThat(config.model().mlp().discriminatorHidden()).containsExactly(5, 3);
        // d2l's train(): nn.init.normal_(w, 0, 0.02) for every parameter, biases included
        assertThat(config.model().mlp().initStd()).isEqualTo(0.02);
        assertThat(config.model().mlp().initBiases()).isEqualTo(org.gan4j.config.ModelConfig.BiasInit.NORMAL);
        assertThat(config.loss().reduction()).isEqualTo(Reduction.SUM);
        assertThat(config.training().batchSize()).isEqualTo(8);
        // 20 epochs of 1000 / 8 = 125 batches.
        assertThat(config.training().steps()).isEqualTo(20L * (1000 / 8));
        assertThat(config.training().generator()).isEqualTo(new OptimizerConfig(0.005, 0.9, 0.999, 1e-8));
        assertThat(config.training().discriminator()).isEqualTo(new OptimizerConfig(0.05, 0.9, 0.999, 1e-8));
        assertThat(config.output())
                .isEqualTo(new OutputConfig("runs", 25, 500, 500, 1250, 3, 100));
    }

    @Test
    void ringAndGridFollowPacGanTableOne() {
        for (String preset : List.of("ring8.yaml", "grid25.yaml")) {
            RunConfig config = load(preset);
            assertThat(config.data().samples()).isEqualTo(100_000);
            assertThat(config.model().architecture()).isEqualTo(Architecture.MLP);
            assertThat(config.model().latentSize()).isEqualTo(2);
            assertThat(config.model().mlp().generatorHidden()).containsExactly(400, 400, 400, 400);
            assertThat(config.model().mlp().generatorBatchNorm()).isTrue();
            assertThat(config.model().mlp().discriminatorHidden()).containsExactly(200, 200, 200);
            assertThat(config.model().mlp().discriminatorMaxoutPieces()).isEqualTo(5);
            assertThat(config.model().mlp().initStd()).isEqualTo(0.02);
            assertThat(config.model().packing()).isEqualTo(1);
            assertThat(config.training().batchSize()).isEqualTo(100);
            assertThat(config.training().generator().learningRate()).isCloseTo(1e-4, within(1e-12));
            assertThat(config.training().generator().beta1()).isCloseTo(0.8, within(1e-12));
            assertThat(config.training().discriminator()).isEqualTo(config.training().generator());
            // The paper's budget, 400 epochs: steps × batch / samples.
            assertThat(config.training().steps() * config.training().batchSize() / config.data().samples())
                    .isEqualTo(400L);
            assertThat(config.output()).isEqualTo(new OutputConfig("runs", 500, 20000, 10000, 10000, 3, 2500));
        }
        RunConfig ring = load("ring8.yaml");
        assertThat(ring.data().kind()).isEqualTo(DataKind.RING);
        assertThat(ring.data().ring()).isEqualTo(new DataConfig.RingConfig(8, 1.0, 0.01));
        RunConfig grid = load("grid25.yaml");
        assertThat(grid.data().kind()).isEqualTo(DataKind.GRID);
        assertThat(grid.data().grid()).isEqualTo(new DataConfig.GridConfig(5, 2.0, 0.05));
    }

    @Test
    void packedVariantsOfThePacGanPresetsLoad() {
        Path ring = RepositoryFiles.resolve("configs/ring8.yaml");
        assertThat(ConfigLoader.load(ring, List.of("model.packing=2")).model().packing()).isEqualTo(2);
        assertThat(ConfigLoader.load(ring, List.of("model.packing=4")).model().packing()).isEqualTo(4);
        assertThat(ConfigLoader.load(ring, List.of("model.packing=3", "training.batchSize=300")).training().batchSize())
                .isEqualTo(300);
    }

    @Test
    void dcganPresetsPointAtTheirData() {
        RunConfig fashion = load("dcgan-fashion-mnist.yaml");
        assertThat(fashion.data().kind()).isEqualTo(DataKind.IDX);
        assertThat(fashion.data().path()).isEqualTo("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
        assertThat(fashion.model().architecture()).isEqualTo(Architecture.DCGAN);
        assertThat(fashion.training().steps()).isEqualTo(2000L);
        assertThat(fashion.output().sampleEvery()).isEqualTo(250);
        assertThat(fashion.output().plotEvery()).isEqualTo(100);
        assertThat(fashion.output().checkpointEvery()).isEqualTo(500);

        RunConfig cifar = load("dcgan-cifar10.yaml");
        assertThat(cifar.data().kind()).isEqualTo(DataKind.CIFAR);
        assertThat(cifar.data().path()).isEqualTo("data/cifar-10-batches-bin");
        assertThat(cifar.model().architecture()).isEqualTo(Architecture.DCGAN);

        RunConfig emoji = load("dcgan-emoji64.yaml");
        assertThat(emoji.data().kind()).isEqualTo(DataKind.FOLDER);
        assertThat(emoji.data().path()).isEqualTo("data/emoji64");
        assertThat(emoji.data().imageSize()).isEqualTo(64);
        assertThat(emoji.data().channels()).isEqualTo(3);
        assertThat(emoji.model().dcgan()).isEqualTo(new ModelConfig.DcganConfig(64, 64));
        assertThat(emoji.training().steps()).isEqualTo(3000L);

        // Radford et al. 2015: Adam lr 2e-4, β1 0.5 for both networks, batch 64, z of 100, the non-saturating loss
        for (RunConfig dcgan : List.of(fashion, cifar, emoji)) {
            assertThat(dcgan.training().generator()).isEqualTo(new OptimizerConfig(2e-4, 0.5, 0.999, 1e-8));
            assertThat(dcgan.training().discriminator()).isEqualTo(new OptimizerConfig(2e-4, 0.5, 0.999, 1e-8));
            assertThat(dcgan.training().batchSize()).isEqualTo(64);
            assertThat(dcgan.training().dSteps()).isEqualTo(1);
            assertThat(dcgan.training().gSteps()).isEqualTo(1);
            assertThat(dcgan.model().latentSize()).isEqualTo(100);
            assertThat(dcgan.loss().generator()).isEqualTo(LossConfig.GeneratorLoss.NON_SATURATING);
        }
    }
}
