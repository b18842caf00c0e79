package org.gan4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.CifarVariant;
import org.gan4j.config.DataConfig.DataKind;
import org.gan4j.config.LossConfig.GeneratorLoss;
import org.gan4j.config.ModelConfig.Architecture;
import org.gan4j.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    @TempDir Path folder;

    private Path write(String name, String yaml) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void noFileAndNoOverridesGiveTheDefaults() {
        assertThat(ConfigLoader.load(null, List.of())).isEqualTo(Defaults.config());
        assertThat(ConfigLoader.load(null, null)).isEqualTo(Defaults.config());
    }

    @Test
    void defaultsPassTheirOwnValidation() {
        assertThat(ConfigLoader.validate(Defaults.config())).isEqualTo(Defaults.config());
    }

    @Test
    void emptyOrCommentOnlyFileGivesTheDefaults() throws IOException {
        assertThat(ConfigLoader.load(write("empty.yaml", ""), List.of())).isEqualTo(Defaults.config());
        assertThat(ConfigLoader.load(write("comments.yaml", "# nothing\n\n# here\n"), List.of()))
                .isEqualTo(Defaults.config());
        assertThat(ConfigLoader.load(write("null.yaml", "~\n"), List.of())).isEqualTo(Defaults.config());
    }

    @Test
    void fileOverridesOnlyWhatItLists() throws IOException {
        Path file = write("x.yaml", "training:\n  steps: 500\n  generator:\n    learningRate: 0.001\n");
        RunConfig config = ConfigLoader.load(file, List.of());
        RunConfig defaults = Defaults.config();
        assertThat(config.training().steps()).isEqualTo(500L);
        assertThat(config.training().generator().learningRate()).isEqualTo(0.001);
        // Siblings of an overridden key keep their defaults, at every level.
        assertThat(config.training().generator().beta1()).isEqualTo(defaults.training().generator().beta1());
        assertThat(config.training().discriminator()).isEqualTo(defaults.training().discriminator());
        assertThat(config.training().batchSize()).isEqualTo(defaults.training().batchSize());
        assertThat(config.model()).isEqualTo(defaults.model());
        assertThat(ConfigLoader.diffFromDefaults(config))
                .containsOnlyKeys("training.steps", "training.generator.learningRate");
    }

    @Test
    void mergeOrderIsDefaultsThenFileThenSetInOrder() throws IOException {
        Path file = write("x.yaml", "training:\n  steps: 500\n  batchSize: 32\n");
        RunConfig config =
                ConfigLoader.load(file, List.of("training.steps=700", "training.steps=900", "seed=7"));
        assertThat(config.training().steps()).isEqualTo(900L); // last --set wins over earlier --set and the file
        assertThat(config.training().batchSize()).isEqualTo(32); // the file wins over the defaults
        assertThat(config.seed()).isEqualTo(7L);
        assertThat(config.training().dSteps()).isEqualTo(1); // untouched default
    }

    @Test
    void setParsesScalarsAndFlowLists() {
        RunConfig config =
                ConfigLoader.load(
                        null,
                        List.of(
                                "training.steps=500",
                                "model.mlp.generatorHidden=[400,400]",
                                "loss.generator=minimax",
                                "output.dir=/x",
                                "data.kind=ring",
                                "model.mlp.generatorBatchNorm=true",
                                "training.generator.learningRate=1e-3",
                                "data.gaussian.a=[[2, 0], [0, 2.5]]",
                                "output.dir=with=equals"));
        assertThat(config.training().steps()).isEqualTo(500L);
        assertThat(config.model().mlp().generatorHidden()).containsExactly(400, 400);
        assertThat(config.loss().generator()).isEqualTo(GeneratorLoss.MINIMAX);
        assertThat(config.data().kind()).isEqualTo(DataKind.RING);
        assertThat(config.model().mlp().generatorBatchNorm()).isTrue();
        assertThat(config.training().generator().learningRate()).isEqualTo(1e-3);
        assertThat(config.data().gaussian().a()).isEqualTo(List.of(List.of(2.0, 0.0), List.of(0.0, 2.5)));
        assertThat(config.output().dir()).isEqualTo("with=equals"); // split at the first '='
    }

    @Test
    void setCanReplaceAWholeSectionAsAFlowMapping() {
        RunConfig config = ConfigLoader.load(null, List.of("training.generator={learningRate: 0.01, beta1: 0.9}"));
        assertThat(config.training().generator())
                .isEqualTo(new TrainingConfig.OptimizerConfig(0.01, 0.9, 0.999, 1e-8));
    }

    /**
     * A data.path next to a 2-D point kind was ignored: a config holding only 'data: {path: my-photos/}' trained on
     * the default Gaussian without a word.
     */
    @Test
    void aDataPathThatThePointKindsWouldIgnoreIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("data.path=my-photos/")))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("data.path (\"my-photos/\", in --set) is not read when data.kind is gaussian (data.kind in"
                        + " the defaults), which draws 2-D points; to train on that path set data.kind to auto (or idx,"
                        + " cifar, folder), else remove data.path");
        assertThat(ConfigLoader.load(null, List.of("data.path=my-photos/", "data.kind=auto")).data().path())
                .isEqualTo("my-photos/");
    }

    @Test
    void emptySetValueMakesThePathNullAgain() {
        RunConfig config = ConfigLoader.load(null, List.of("data.path=/x", "data.path="));
        assertThat(config.data().path()).isNull();
        assertThat(ConfigLoader.load(null, List.of("data.path=null")).data().path()).isNull();
    }

    @Test
    void integralFloatsAreAcceptedForIntegerKeys() {
        RunConfig config = ConfigLoader.load(null, List.of("training.steps=1e6", "training.batchSize=32.0"));
        assertThat(config.training().steps()).isEqualTo(1_000_000L);
        assertThat(config.training().batchSize()).isEqualTo(32);
    }

    @Test
    void integersAreAcceptedForNumberKeys() {
        assertThat(ConfigLoader.load(null, List.of("loss.realLabel=1")).loss().realLabel()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonSaturating", "non_saturating", "NON_SATURATING", "non-saturating", "NonSaturating"})
    void generatorLossAcceptsEveryCaseStyle(String spelling) {
        RunConfig config = ConfigLoader.load(null, List.of("loss.generator=minimax", "loss.generator=" + spelling));
        assertThat(config.loss().generator()).isEqualTo(GeneratorLoss.NON_SATURATING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"leakyRelu", "leaky_relu", "LEAKY_RELU", "leaky-relu", "LeakyReLU"})
    void activationAcceptsEveryCaseStyle(String spelling) {
        RunConfig config = ConfigLoader.load(null, List.of("model.mlp.discriminatorActivation=" + spelling));
        assertThat(config.model().mlp().discriminatorActivation()).isEqualTo(Activation.LEAKY_RELU);
    }

    @Test
    void enumsAreWrittenInLowerCamelCase() {
        RunConfig config =
                ConfigLoader.load(
                        null,
                        List.of(
                                "data.cifarVariant=CIFAR10",
                                "model.mlp.discriminatorActivation=LEAKY_RELU",
                                "model.architecture=MLP"));
        JsonNode tree = ConfigLoader.toTree(config);
        assertThat(tree.at("/loss/generator").textValue()).isEqualTo("nonSaturating");
        assertThat(tree.at("/data/cifarVariant").textValue()).isEqualTo("cifar10");
        assertThat(tree.at("/model/mlp/discriminatorActivation").textValue()).isEqualTo("leakyRelu");
        assertThat(tree.at("/model/architecture").textValue()).isEqualTo("mlp");
        assertThat(tree.at("/data/onBadFile").textValue()).isEqualTo("skip");
        assertThat(ConfigLoader.toYaml(config)).contains("generator: nonSaturating").contains("cifarVariant: cifar10");
        assertThat(config.data().cifarVariant()).isEqualTo(CifarVariant.CIFAR10);
    }

    @Test
    void treeHoldsEveryKeyWithDataPathNull() {
        JsonNode tree = ConfigLoader.toTree(Defaults.config());
        assertThat(tree.at("/data/path").isNull()).isTrue();
        assertThat(tree.at("/training/steps").longValue()).isEqualTo(2000L);
        assertThat(tree.at("/model/mlp/discriminatorHidden").toString()).isEqualTo("[5,3]");
        assertThat(tree.at("/data/gaussian/a").toString()).isEqualTo("[[1.0,2.0],[-0.1,0.5]]");
        for (ConfigSchema.Field leaf : ConfigSchema.leaves()) {
            assertThat(tree.at("/" + leaf.path().replace('.', '/')).isMissingNode()).as(leaf.path()).isFalse();
        }
    }

    @Test
    void treeRoundTripGivesAnEqualConfig() {
        RunConfig config =
                ConfigLoader.load(
                        null,
                        List.of(
                                "name=round.trip_1",
                                "seed=-9223372036854775808",
                                "data.kind=folder",
                                "data.path=data/some folder/ü",
                                "data.imageSize=64",
                                "data.channels=3",
                                "data.onBadFile=fail",
                                "model.mlp.generatorHidden=[7, 9, 11]",
                                "model.mlp.discriminatorMaxoutPieces=3",
                                "loss.realLabel=0.9",
                                "training.generator.epsilon=1e-12",
                                "training.steps=1000000000"));
        assertThat(ConfigLoader.fromTree(ConfigLoader.toTree(config))).isEqualTo(config);
        assertThat(ConfigLoader.fromTree(ConfigLoader.toTree(Defaults.config()))).isEqualTo(Defaults.config());
    }

    @Test
    void treeSurvivesJsonTextAsInRunJson() throws IOException {
        RunConfig config = ConfigLoader.load(null, List.of("training.generator.learningRate=0.1", "seed=123456789012"));
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(ConfigLoader.toTree(config));
        assertThat(ConfigLoader.fromTree(json.readTree(text), "run.json")).isEqualTo(config);
    }

    @Test
    void yamlRoundTripGivesAnEqualConfig() {
        RunConfig config =
                ConfigLoader.load(
                        null, List.of("name='123'", "data.path='true'", "output.dir='null'", "data.kind=idx"));
        assertThat(config.name()).isEqualTo("123");
        String yaml = ConfigLoader.toYaml(config);
        assertThat(ConfigLoader.loadText(yaml, "written.yaml", List.of())).isEqualTo(config);
        assertThat(ConfigLoader.loadText(ConfigLoader.toYaml(Defaults.config()), "d.yaml", List.of()))
                .isEqualTo(Defaults.config());
    }

    @Test
    void fromTreeFillsMissingKeysWithDefaults() {
        ObjectNode partial = new ObjectMapper().createObjectNode();
        partial.putObject("training").put("steps", 42);
        RunConfig config = ConfigLoader.fromTree(partial);
        assertThat(config.training().steps()).isEqualTo(42L);
        assertThat(config.output()).isEqualTo(Defaults.config().output());
    }

    @Test
    void fromTreeRejectsANonMapping() {
        assertThatThrownBy(() -> ConfigLoader.fromTree(new ObjectMapper().createArrayNode(), "runs/x/run.json"))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("runs/x/run.json")
                .hasMessageContaining("must hold a mapping");
        assertThatThrownBy(() -> ConfigLoader.fromTree(null))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("the config tree");
    }

    @Test
    void diffFromDefaultsListsExactlyTheChangedLeaves() {
        RunConfig config =
                ConfigLoader.load(
                        null,
                        List.of(
                                "training.steps=500",
                                "training.steps=2000", // back to the default: not a difference
                                "model.mlp.generatorHidden=[400,400]",
                                "loss.generator=MINIMAX",
                                "data.kind=auto",
                                "data.path=/x",
                                "model.mlp.generatorBatchNorm=true",
                                "seed=5000000000",
                                "loss.realLabel=0.9"));
        Map<String, Object> diff = ConfigLoader.diffFromDefaults(config);
        assertThat(diff)
                .containsExactly(
                        Map.entry("seed", 5_000_000_000L),
                        Map.entry("data.kind", "auto"),
                        Map.entry("data.path", "/x"),
                        Map.entry("model.mlp.generatorHidden", List.of(400, 400)),
                        Map.entry("model.mlp.generatorBatchNorm", true),
                        Map.entry("loss.generator", "minimax"),
                        Map.entry("loss.realLabel", 0.9));
        assertThat(ConfigLoader.diffFromDefaults(Defaults.config())).isEmpty();
    }

    @Test
    void aliasesShareValuesWithinOneFile() {
        String yaml =
                "training:\n"
                        + "  generator: &adam {learningRate: 0.001, beta1: 0.9}\n"
                        + "  discriminator: *adam\n";
        RunConfig config = ConfigLoader.loadText(yaml, "alias.yaml", List.of());
        assertThat(config.training().discriminator()).isEqualTo(config.training().generator());
        assertThat(config.training().discriminator().learningRate()).isEqualTo(0.001);
    }

    @Test
    void nullSectionChangesNothing() {
        RunConfig config = ConfigLoader.loadText("training:\n  # steps: 5\noutput:\n", "s.yaml", List.of());
        assertThat(config).isEqualTo(Defaults.config());
    }

    @Test
    void pointDataMayShowUpTo100000SamplesButImagesAtMost1024() {
        assertThat(ConfigLoader.load(null, List.of("output.sampleCount=2500")).output().sampleCount())
                .isEqualTo(2500);
        assertThatThrownBy(
                        () -> ConfigLoader.load(
                                null, List.of("data.kind=idx", "data.path=/x", "output.sampleCount=2500")))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("output.sampleCount in --set must be at most 1024 for image data");
    }

    @Test
    void autoArchitectureFollowsTheData() {
        RunConfig images = ConfigLoader.load(null, List.of("data.kind=cifar", "data.path=/c", "data.imageSize=64"));
        assertThat(ConfigRules.usesDcgan(images)).isTrue();
        assertThat(images.model().architecture()).isEqualTo(Architecture.AUTO);
        assertThat(ConfigRules.usesDcgan(Defaults.config())).isFalse();
        // MLPs on images may use sizes a DCGAN cannot.
        RunConfig mlpImages =
                ConfigLoader.load(
                        null, List.of("data.kind=idx", "data.path=/x", "model.architecture=mlp", "data.imageSize=20"));
        assertThat(mlpImages.data().imageSize()).isEqualTo(20);
    }
}
