package org.gan4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gan4j.Gan4jException;

/**
 * Random mutations of valid configs either load or fail with a one-line {@link Gan4jException}: never another
 * exception type, never a multi-line message.
 */
class ConfigLoaderPropertyTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<JsonNode> VALID_TREES = validTrees();

    private static List<JsonNode> validTrees() {
        List<JsonNode> trees = new ArrayList<>();
        trees.add(ConfigLoader.toTree(Defaults.config()));
        try (Stream<Path> files = Files.list(RepositoryFiles.resolve("configs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList())) {
                trees.add(YAML.readTree(file.toFile()));
                trees.add(ConfigLoader.toTree(ConfigLoader.load(file, List.of())));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return trees;
    }

    /** Runs one load, accepts only success or a one-line Gan4jException, and counts which it was. */
    private static void loadsOrFailsCleanly(String label, Runnable load) {
        try {
            load.run();
            Statistics.label(label).collect("loaded");
        } catch (Gan4jException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            Statistics.label(label).collect("rejected");
        }
    }

    /** Both outcomes must occur often, or the property would test nothing. */
    private static void requireBothOutcomes(String label) {
        Statistics.label(label).coverage(coverage -> {
            coverage.check("loaded").percentage(percent -> percent >= 2);
            coverage.check("rejected").percentage(percent -> percent >= 2);
        });
    }

    @Property(tries = 400)
    void mutatedTreesLoadOrFailWithGan4jException(
            @ForAll("treeIndex") int treeIndex, @ForAll long mutationSeed, @ForAll("values") List<JsonNode> values)
            throws JsonProcessingException {
        JsonNode tree = VALID_TREES.get(treeIndex).deepCopy();
        Random random = new Random(mutationSeed);
        for (JsonNode value : values) {
            tree = mutate(tree, value, random);
        }
        String yaml = YAML.writeValueAsString(tree);
        JsonNode finalTree = tree;
        loadsOrFailsCleanly("yaml", () -> ConfigLoader.loadText(yaml, "mutated.yaml", List.of()));
        loadsOrFailsCleanly("tree", () -> ConfigLoader.fromTree(finalTree, "mutated.json"));
        requireBothOutcomes("yaml");
        requireBothOutcomes("tree");
    }

    @Property(tries = 400)
    void mutatedTextLoadsOrFailsWithGan4jException(
            @ForAll("treeIndex") int treeIndex,
            @ForAll("edits") List<Map.Entry<Integer, String>> edits) throws JsonProcessingException {
        StringBuilder text = new StringBuilder(YAML.writeValueAsString(VALID_TREES.get(treeIndex)));
        for (Map.Entry<Integer, String> edit : edits) {
            int at = Math.floorMod(edit.getKey(), text.length() + 1);
            int end = Math.min(text.length(), at + edit.getValue().length() % 3);
            text.replace(at, end, edit.getValue());
        }
        String yaml = text.toString();
        loadsOrFailsCleanly("text", () -> ConfigLoader.loadText(yaml, "edited.yaml", List.of()));
        requireBothOutcomes("text");
    }

    @Property(tries = 400)
    void arbitrarySetOverridesLoadOrFailWithGan4jException(@ForAll("assignments") String assignment) {
        loadsOrFailsCleanly("set", () -> ConfigLoader.load(null, List.of(assignment)));
        requireBothOutcomes("set");
    }

    @Provide
    Arbitrary<Integer> treeIndex() {
        return Arbitraries.integers().between(0, VALID_TREES.size() - 1);
    }

    @Provide
    Arbitrary<String> assignments() {
        Arbitrary<String> random = Combinators.combine(keys(), setValues()).as((key, value) -> key + "=" + value);
        Arbitrary<String> valid = Arbitraries.of(
                "training.steps=500", "training.steps=1e3", "model.mlp.generatorHidden=[4, 4]", "loss.generator=minimax",
                "loss.generator=NON-SATURATING", "data.path=/x", "data.kind=ring", "model.packing=2", "seed=-1",
                "training.generator={learningRate: 0.01}", "output.sampleCount=2500", "name=a.b-c_d",
                "model.mlp.discriminatorActivation=leaky_relu", "data.gaussian.b=[0, 0]", "training.threads=0");
        return Arbitraries.oneOf(random, valid, Arbitraries.strings().ofMaxLength(40));
    }

    private Arbitrary<String> keys() {
        List<String> known = ConfigSchema.leaves().stream().map(ConfigSchema.Field::path).collect(Collectors.toList());
        known.addAll(List.of("data", "model.mlp", "training.generator", "output"));
        return Arbitraries.oneOf(
                Arbitraries.of(known),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of(known).map(path -> path + ".extra"),
                Arbitraries.of(known).map(path -> path.toUpperCase()));
    }

    private Arbitrary<String> setValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("[]{},:'\"&*!|>-#%@` 0123456789.eE+").ofMaxLength(20),
                Arbitraries.of(
                        "", "null", "~", "true", "no", "1e400", "-1e400", "99999999999999999999", ".nan", ".inf",
                        "0x7fffffff", "0o777", "[1, [2]]", "{a: 1}", "*x", "&x 1", "!!binary aGk=", "[", "'", "\"\\u0000\"",
                        "nonSaturating", "MINIMAX", "leaky-relu", "[400,400]", "[[1,2],[3,4]]", "2.5", "-0", "1e9"));
    }

    @Provide
    Arbitrary<List<Map.Entry<Integer, String>>> edits() {
        Arbitrary<String> snippets = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(4),
                Arbitraries.of("\n", "  ", ":", "- ", "[", "]", "{", "}", "&a ", "*a", "#", "'", "\"", "\t", "---\n",
                        "? ", "!!str ", "%YAML 1.2\n", "\u0000", "\uFEFF", "1e400", "999999999999999999999"));
        return Combinators.combine(Arbitraries.integers(), snippets).as(Map::entry).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<JsonNode>> values() {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(b -> (JsonNode) NODES.numberNode(b)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 0.5, 1.0, -0.0)
                        .map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.strings().ofMaxLength(12).map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.of("mlp", "dcgan", "ring", "idx", "sum", "LEAKY_RELU", "", "run", "a/b")
                        .map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just((JsonNode) NODES.nullNode()));
        Arbitrary<JsonNode> lists = scalars.list().ofMaxSize(4).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return (JsonNode) array;
        });
        Arbitrary<JsonNode> mappings = Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(8), scalars)
                .as((key, value) -> {
                    ObjectNode object = NODES.objectNode();
                    object.set(key, value);
                    return (JsonNode) object;
                });
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, scalars), net.jqwik.api.Tuple.of(2, lists),
                        net.jqwik.api.Tuple.of(2, mappings))
                .list()
                .ofMinSize(1)
                .ofMaxSize(3);
    }

    /** Applies one random edit at a random place: replace a value, delete a key, or add a key. */
    private static JsonNode mutate(JsonNode root, JsonNode value, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        if (containers.isEmpty()) {
            return value;
        }
        JsonNode container = containers.get(random.nextInt(containers.size()));
        int action = random.nextInt(4);
        if (container.isObject()) {
            ObjectNode object = (ObjectNode) container;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            if (action == 0 || names.isEmpty()) {
                object.set(random.nextBoolean() ? "extra" + random.nextInt(3) : "steps", value);
            } else if (action == 1) {
                object.remove(names.get(random.nextInt(names.size())));
            } else {
                object.set(names.get(random.nextInt(names.size())), value);
            }
        } else {
            ArrayNode array = (ArrayNode) container;
            if (action == 0 || array.isEmpty()) {
                array.add(value);
            } else if (action == 1) {
                array.remove(random.nextInt(array.size()));
            } else {
                array.set(random.nextInt(array.size()), value);
            }
        }
        return root;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            Iterator<JsonNode> children = node.elements();
            while (children.hasNext()) {
                collectContainers(children.next(), containers);
            }
        }
    }
}
