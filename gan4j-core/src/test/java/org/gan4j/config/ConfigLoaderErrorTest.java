package org.gan4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error form: one line, naming the key and the source. */
class ConfigLoaderErrorTest {

    @TempDir Path folder;

    private String fileError(String yaml) throws IOException {
        Path configs = Files.createDirectories(folder.resolve("configs"));
        Path file = configs.resolve("x.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return message(() -> ConfigLoader.load(file, List.of()));
    }

    private String setError(String... assignments) {
        return message(() -> ConfigLoader.load(null, List.of(assignments)));
    }

    private static String message(Runnable action) {
        Gan4jException error = catchThrowableOfType(Gan4jException.class, action::run);
        assertThat(error).as("expected a Gan4jException").isNotNull();
        assertThat(error.getMessage()).doesNotContain("\n").doesNotContain("\r");
        return error.getMessage();
    }

    private String file() {
        return folder.resolve("configs").resolve("x.yaml").toString();
    }

    @Test
    void unknownKeyListsTheSectionAndSuggestsTheKey() throws IOException {
        String message = fileError("training:\n  lr: 0.1\n");
        assertThat(message)
                .isEqualTo("unknown key 'training.lr' in " + file() + ":2:3; allowed under 'training': batchSize,"
                        + " steps, dSteps, gSteps, generator, discriminator, threads, onNonFinite, maxRollbacks,"
                        + " rollbackLearningRateFactor (did you mean"
                        + " 'training.generator.learningRate'?)");
    }

    @Test
    void unknownKeySuggestionsCoverTyposCaseStylesAndSynonyms() throws IOException {
        assertThat(setError("training.stpes=3")).contains("(did you mean 'training.steps'?)");
        assertThat(setError("training.batch_size=3")).contains("(did you mean 'training.batchSize'?)");
        assertThat(setError("model.nz=3")).contains("(did you mean 'model.latentSize'?)");
        assertThat(setError("model.dcgan.ngf=3")).contains("(did you mean 'model.dcgan.generatorFeatures'?)");
        assertThat(fileError("trainig:\n  steps: 3\n"))
                .startsWith("unknown key 'trainig' in " + file() + ":1:1; allowed at the top level: name, seed,"
                        + " data, model, loss, training, output")
                .endsWith("(did you mean 'training'?)");
        assertThat(setError("zzzzqqq=1")).doesNotContain("did you mean");
    }

    @Test
    void gaussianEntriesMustFitThirtyTwoBitFloats() {
        assertThat(setError("data.gaussian.a=[[1e300,0],[0,1e300]]"))
                .isEqualTo("data.gaussian.a in --set must hold numbers within ±1e30 (the data are 32-bit floats, whose"
                        + " largest value is about 3.4e38), got 1.0E300");
        assertThat(setError("data.gaussian.b=[1, -1e31]")).startsWith("data.gaussian.b in --set must hold numbers within");
    }

    @Test
    void unreadableNumbersNameTheirKey() throws IOException {
        for (String value : new String[] {".nan", ".inf", "-.inf"}) {
            assertThat(fileError("training:\n  generator:\n    learningRate: " + value + "\n"))
                    .isEqualTo("training.generator.learningRate in " + file() + ":3:5 is not a finite number, got \""
                            + value + "\"");
        }
        assertThat(fileError("training:\n  steps: " + "9".repeat(1000) + "\n"))
                .isEqualTo("training.steps in " + file() + ":2:3 holds a number with more digits than any setting"
                        + " needs");
    }

    @Test
    void unknownKeyInSetNamesSet() {
        assertThat(setError("training.lr=0.1"))
                .startsWith("unknown key 'training.lr' in --set; allowed under 'training': ")
                .contains("did you mean 'training.generator.learningRate'");
    }

    @Test
    void dottedKeyInAFileExplainsNesting() throws IOException {
        assertThat(fileError("training.steps: 5\n"))
                .contains("unknown key 'training.steps'")
                .contains("YAML keys do not contain dots: write 'training:' and nest 'steps' below it");
    }

    @Test
    void wrongTypeNamesKeySourceAndValue() throws IOException {
        assertThat(fileError("training:\n  steps: lots\n"))
                .isEqualTo("training.steps in " + file() + ":2:3 must be an integer, got \"lots\"");
        assertThat(setError("training.steps=lots")).isEqualTo("training.steps in --set must be an integer, got \"lots\"");
        assertThat(setError("training.steps=2.5")).isEqualTo("training.steps in --set must be an integer, got 2.5");
        assertThat(setError("loss.realLabel=high")).isEqualTo("loss.realLabel in --set must be a number, got \"high\"");
        assertThat(setError("model.mlp.generatorBatchNorm=maybe"))
                .isEqualTo("model.mlp.generatorBatchNorm in --set must be true or false, got \"maybe\"");
        assertThat(setError("name=2024")).startsWith("name in --set must be a string, got 2024 (quote it");
    }

    @Test
    void badEnumListsTheAllowedValues() throws IOException {
        assertThat(fileError("loss:\n  generator: hinge\n"))
                .isEqualTo("loss.generator in " + file() + ":2:3 must be one of nonSaturating, minimax, got \"hinge\"");
        assertThat(setError("model.mlp.generatorActivation=gelu"))
                .isEqualTo("model.mlp.generatorActivation in --set must be one of relu, leakyRelu, tanh, sigmoid,"
                        + " identity, got \"gelu\"");
        assertThat(setError("data.kind=7")).contains("data.kind in --set must be one of auto, gaussian, ring, grid");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "training.batchSize=0 | training.batchSize in --set must be between 1 and 65536, got 0",
                "training.batchSize=65537 | training.batchSize in --set must be between 1 and 65536, got 65537",
                "training.steps=1000000001 | training.steps in --set must be between 1 and 1000000000, got 1000000001",
                "training.dSteps=101 | training.dSteps in --set must be between 1 and 100, got 101",
                "training.threads=-1 | training.threads in --set must be between 0 and 1024, got -1",
                "training.generator.learningRate=0 | training.generator.learningRate in --set must be in (0, 10], got 0",
                "training.discriminator.learningRate=10.5 | training.discriminator.learningRate in --set must be in (0, 10], got 10.5",
                "training.generator.beta1=1 | training.generator.beta1 in --set must be in [0, 1), got 1",
                "training.discriminator.beta2=-0.1 | training.discriminator.beta2 in --set must be in [0, 1), got -0.1",
                "training.generator.epsilon=0 | training.generator.epsilon in --set must be in (0, 1), got 0",
                "loss.realLabel=0.5 | loss.realLabel in --set must be in (0.5, 1], got 0.5",
                "loss.realLabel=1.01 | loss.realLabel in --set must be in (0.5, 1], got 1.01",
                "data.samples=0 | data.samples in --set must be between 1 and 10000000, got 0",
                "data.ring.modes=1001 | data.ring.modes in --set must be between 1 and 1000, got 1001",
                "data.ring.radius=0 | data.ring.radius in --set must be greater than 0, got 0",
                "data.ring.std=-1 | data.ring.std in --set must be greater than 0, got -1",
                "data.grid.side=101 | data.grid.side in --set must be between 1 and 100, got 101",
                "data.grid.spacing=0 | data.grid.spacing in --set must be greater than 0, got 0",
                "data.grid.std=0 | data.grid.std in --set must be greater than 0, got 0",
                "data.limit=-1 | data.limit in --set must be at least 0, got -1",
                "data.imageSize=2048 | data.imageSize in --set must be between 0 and 1024, got 2048",
                "model.latentSize=0 | model.latentSize in --set must be between 1 and 4096, got 0",
                "model.mlp.discriminatorMaxoutPieces=65 | model.mlp.discriminatorMaxoutPieces in --set must be between 0 and 64, got 65",
                "model.dcgan.generatorFeatures=0 | model.dcgan.generatorFeatures in --set must be between 1 and 1024, got 0",
                "model.dcgan.discriminatorFeatures=1025 | model.dcgan.discriminatorFeatures in --set must be between 1 and 1024, got 1025",
                "model.packing=17 | model.packing in --set must be between 1 and 16, got 17",
                "output.logEvery=0 | output.logEvery in --set must be at least 1, got 0",
                "output.sampleEvery=-1 | output.sampleEvery in --set must be at least 0, got -1",
                "output.plotEvery=-1 | output.plotEvery in --set must be at least 0, got -1",
                "output.checkpointEvery=-5 | output.checkpointEvery in --set must be at least 0, got -5",
                "output.keepCheckpoints=0 | output.keepCheckpoints in --set must be between 1 and 1000, got 0",
                "output.sampleCount=0 | output.sampleCount in --set must be between 1 and 100000, got 0",
            })
    void outOfRangeNamesTheRange(String assignment, String expected) {
        assertThat(setError(assignment)).isEqualTo(expected);
    }

    @Test
    void rangeEdgesThemselvesAreAccepted() {
        RunConfig config =
                ConfigLoader.load(
                        null,
                        List.of(
                                "training.batchSize=65536",
                                "training.steps=1000000000",
                                "training.generator.learningRate=10",
                                "training.generator.beta1=0",
                                "loss.realLabel=1",
                                "model.latentSize=4096",
                                "output.sampleCount=1",
                                "data.samples=10000000"));
        assertThat(config.training().batchSize()).isEqualTo(65536);
        assertThat(config.loss().realLabel()).isEqualTo(1.0);
    }

    @Test
    void crossFieldRulesNameBothKeys() {
        assertThat(setError("model.packing=3"))
                .isEqualTo("training.batchSize (64, in the defaults) must be divisible by model.packing (3, in --set):"
                        + " D judges packs of that many samples");
        assertThat(setError("training.dSteps=2", "training.gSteps=2"))
                .startsWith("training.dSteps (2, in --set) or training.gSteps (2, in --set) must be 1");
        assertThat(setError("data.kind=idx"))
                .startsWith("data.path is required when data.kind is idx (data.kind in --set)");
        assertThat(setError("data.kind=auto", "data.path=  ")).startsWith("data.path is required when data.kind is auto");
        assertThat(setError("data.kind=folder", "data.path=/f"))
                .startsWith("data.imageSize in the defaults must be set (not 0) when data.kind is folder");
        assertThat(setError("data.kind=folder", "data.path=/f", "data.imageSize=64"))
                .startsWith("data.channels in the defaults must be set (not 0) when data.kind is folder");
        assertThat(setError("model.architecture=dcgan"))
                .startsWith("model.architecture in --set is dcgan, which needs images, but data.kind in the defaults"
                        + " is gaussian");
        assertThat(setError("data.kind=cifar", "data.path=/c", "data.imageSize=48"))
                .startsWith("data.imageSize in --set must be 0 (the data's own size) or one of 28, 32, 64, 128 for the"
                        + " dcgan architecture, got 48");
        assertThat(setError("data.imageSize=7")).contains("must be 0 (the data's own size) or between 8 and 1024, got 7");
        assertThat(setError("data.channels=2")).isEqualTo(
                "data.channels in --set must be 0 (the data's own), 1 (grey) or 3 (RGB), got 2");
        assertThat(setError("model.mlp.discriminatorMaxoutPieces=1"))
                .contains("must be 0 (plain activation) or between 2 and 64, got 1");
        assertThat(setError("output.dir=' '")).isEqualTo("output.dir in --set must name a folder, got \" \"");
    }

    @Test
    void nameMustBeSafeForADirectory() {
        assertThat(setError("name=a/b")).startsWith("name in --set must be 1 to 64 letters, digits").endsWith("got \"a/b\"");
        assertThat(setError("name=..")).startsWith("name in --set must be");
        assertThat(setError("name=''")).startsWith("name in --set must be");
        assertThat(setError("name=" + "a".repeat(65))).startsWith("name in --set must be");
        assertThat(ConfigLoader.load(null, List.of("name=" + "a".repeat(64))).name()).hasSize(64);
    }

    @Test
    void gaussianShapeIsChecked() {
        assertThat(setError("data.gaussian.a=[[1, 2, 3], [4, 5, 6]]"))
                .startsWith("data.gaussian.a in --set must be a 2×2 matrix")
                .endsWith("got 2 rows of 3, 3 numbers");
        assertThat(setError("data.gaussian.b=[1]")).isEqualTo(
                "data.gaussian.b in --set must hold 2 numbers, e.g. [1.0, 2.0], got 1");
    }

    @Test
    void hiddenLayersAreLimited() {
        String widths = "[" + "1,".repeat(32) + "1]";
        assertThat(setError("model.mlp.generatorHidden=" + widths))
                .isEqualTo("model.mlp.generatorHidden in --set must have at most 32 hidden layers, got 33");
        assertThat(setError("model.mlp.discriminatorHidden=[5, 0]"))
                .isEqualTo("model.mlp.discriminatorHidden[1] in --set must be between 1 and 65536, got 0");
    }

    @Test
    void listElementErrorsNameTheIndex() throws IOException {
        assertThat(setError("model.mlp.generatorHidden=[400, x]"))
                .isEqualTo("model.mlp.generatorHidden[1] in --set must be an integer, got \"x\"");
        assertThat(fileError("model:\n  mlp:\n    generatorHidden:\n      - 4\n      - 2.5\n"))
                .isEqualTo("model.mlp.generatorHidden[1] in " + file() + ":5:9 must be an integer, got 2.5");
        assertThat(setError("data.gaussian.a=[[1, 2], [3, x]]"))
                .isEqualTo("data.gaussian.a[1][1] in --set must be a number, got \"x\"");
        assertThat(setError("data.gaussian.a=[[1, 2], 3]"))
                .startsWith("data.gaussian.a[1] in --set must be a list of numbers");
        assertThat(setError("model.mlp.generatorHidden=400"))
                .isEqualTo("model.mlp.generatorHidden in --set must be a list of integers, e.g. [400, 400], got 400");
    }

    @Test
    void mappingAndScalarMismatchesAreErrors() throws IOException {
        assertThat(fileError("training: 5\n"))
                .isEqualTo("training in " + file() + ":1:1 must be a mapping with the keys batchSize, steps, dSteps,"
                        + " gSteps, generator, discriminator, threads, onNonFinite, maxRollbacks,"
                        + " rollbackLearningRateFactor, got 5");
        assertThat(fileError("training:\n  steps:\n    value: 5\n"))
                .isEqualTo("training.steps in " + file() + ":2:3 must be an integer, got a mapping");
        assertThat(fileError("- training\n- steps\n")).startsWith(file() + " must hold a mapping with the keys name,");
        assertThat(fileError("just text\n")).startsWith(file() + " must hold a mapping").endsWith("got \"just text\"");
        assertThat(setError("training.steps.value=5")).isEqualTo("training.steps in --set must be an integer, got a mapping");
    }

    @Test
    void nullForANonNullableKeyIsAnError() throws IOException {
        assertThat(fileError("training:\n  steps: ~\n")).isEqualTo("training.steps in " + file() + ":2:3 must be an integer, got null");
        assertThat(setError("name=")).isEqualTo("name in --set must be a string, got null");
        assertThat(setError("model.mlp.generatorHidden=null"))
                .startsWith("model.mlp.generatorHidden in --set must be a list of integers");
    }

    @Test
    void yamlSyntaxErrorGivesFileLineAndColumn() throws IOException {
        assertThat(fileError("training:\n  steps: [1,\n  batchSize: 3\n"))
                .isEqualTo(file() + ":4:1: YAML syntax error: while parsing a flow sequence: expected ',' or ']',"
                        + " but got <stream end>");
        assertThat(fileError("a: b: c\n")).startsWith(file() + ":1:").contains("YAML syntax error");
        assertThat(setError("training.steps=[1,")).startsWith("--set training.steps:").contains("YAML syntax error");
    }

    @Test
    void duplicateKeysAndMultipleDocumentsAreErrors() throws IOException {
        assertThat(fileError("seed: 1\nseed: 2\n")).isEqualTo("duplicate key 'seed' in " + file() + ":2:1; each key may appear once");
        assertThat(fileError("seed: 1\n---\nseed: 2\n")).startsWith(file()).contains("more than one YAML document");
    }

    @Test
    void setWithoutEqualsShowsTheExpectedForm() {
        assertThat(setError("training.steps"))
                .isEqualTo("--set expects key=value with a dotted key, e.g. --set training.steps=500 or --set"
                        + " model.mlp.generatorHidden=[400,400]; got \"training.steps\"");
        assertThat(setError("=5")).startsWith("--set expects key=value");
        assertThat(setError("training..steps=5")).startsWith("--set key \"training..steps\" has an empty part");
    }

    @Test
    void missingFileAndDirectoryAreErrors() throws IOException {
        Path missing = folder.resolve("nope.yaml");
        assertThat(message(() -> ConfigLoader.load(missing, List.of())))
                .isEqualTo("config file " + missing + " does not exist");
        assertThat(message(() -> ConfigLoader.load(folder, List.of()))).contains("is a directory");
    }

    @Test
    void invalidUtf8IsAnError() throws IOException {
        Path file = folder.resolve("latin1.yaml");
        Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9, '\n'});
        assertThat(message(() -> ConfigLoader.load(file, List.of()))).isEqualTo(file + " is not valid UTF-8 text; save it as UTF-8");
    }

    @Test
    void valuesWithLineBreaksStayOnOneLine() {
        assertThat(setError("training.steps=\"a\\nb\"")).isEqualTo("training.steps in --set must be an integer, got \"a\\nb\"");
        assertThat(setError("data.path=\"/x\\u0000\"", "data.kind=idx")).contains("must not contain control characters");
    }

    @Test
    void validateChecksConfigsBuiltInCode() {
        RunConfig defaults = Defaults.config();
        RunConfig bad = new RunConfig("bad name", 1, defaults.data(), defaults.model(), defaults.loss(),
                defaults.training(), defaults.output());
        assertThat(message(() -> ConfigLoader.validate(bad))).startsWith("name in the given config must be");
    }
}
