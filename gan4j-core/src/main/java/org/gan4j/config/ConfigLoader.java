package org.gan4j.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.Gan4jException;
import org.gan4j.Launcher;
import org.gan4j.config.ConfigSchema.Field;

/**
 * Loads a {@link RunConfig}: the {@link Defaults}, then a YAML preset that overrides some of them, then
 * {@code --set key=value} overrides, then checks every value.
 *
 * <p>Loading is strict: an unknown key, a value of the wrong type, an enum value that does not exist, a number out
 * of its range or a broken rule between keys is a {@link Gan4jException} with one line that names the dotted key and
 * where the value came from ({@code file:line:column}, {@code --set}, or the defaults). Enum values may be written in
 * any case style ({@code nonSaturating}, {@code non_saturating}, {@code NON-SATURATING}); they are written back in
 * lowerCamelCase. docs/configuration.md documents every key.
 *
 * <pre>{@code
 * RunConfig config = ConfigLoader.load(Path.of("configs/ring8.yaml"), List.of("training.steps=500"));
 * }</pre>
 */
public final class ConfigLoader {

    /** How messages name the command-line overrides. */
    public static final String SET_SOURCE = "--set";

    private static final String TREE_SOURCE = "the config tree";

    private static final ObjectMapper YAML_WRITER =
            new YAMLMapper(
                    YAMLFactory.builder()
                            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigLoader() {}

    /**
     * Loads a config: defaults, then the YAML file (if any), then each {@code --set} override in order.
     *
     * @param yamlOrNull the preset file, or null for defaults only; an empty file means the defaults
     * @param setOverrides assignments {@code dotted.key=value}, the value parsed as a YAML scalar or flow list
     *     (for example {@code training.steps=500}, {@code model.mlp.generatorHidden=[400,400]}); may be null
     * @return the resolved, validated config
     * @throws Gan4jException with a one-line message naming the key and its source when anything is wrong
     */
    public static RunConfig load(Path yamlOrNull, List<String> setOverrides) {
        ObjectNode tree = defaultsTree();
        ConfigSources sources = new ConfigSources();
        if (yamlOrNull != null) {
            String source = yamlOrNull.toString();
            if (source.isBlank()) {
                throw new Gan4jException("the config file name is empty; expected a YAML file such as configs/dcgan-fashion-mnist.yaml");
            }
            try (Reader reader = utf8Reader(yamlOrNull)) {
                mergeDocument(tree, YamlTreeReader.read(reader, source, true), source, sources);
            } catch (NoSuchFileException e) {
                throw new Gan4jException("config file " + source + " does not exist", e);
            } catch (IOException e) {
                throw new Gan4jException(
                        "cannot read config file " + source + ": " + ConfigText.oneLine(String.valueOf(e.getMessage())),
                        e);
            }
        }
        applyOverrides(tree, setOverrides, sources);
        return bindAndValidate(tree, sources);
    }

    /**
     * Loads a config from YAML text instead of a file (for tests and embedded presets).
     *
     * @param yamlText the YAML document; empty means the defaults
     * @param sourceName how messages name the text, for example a file name
     * @param setOverrides assignments {@code dotted.key=value} applied after the text; may be null
     * @return the resolved, validated config
     * @throws Gan4jException with a one-line message naming the key and its source when anything is wrong
     */
    public static RunConfig loadText(String yamlText, String sourceName, List<String> setOverrides) {
        return loadText(yamlText, sourceName, setOverrides, false);
    }

    /**
     * Loads a run's recorded config (as YAML text, see {@link #toYaml}) with {@code --set} overrides on top, as
     * {@link #loadText} does, except that what only a new config is refused for stays accepted where it comes from
     * the recorded text (see {@link #fromRunJson}).
     *
     * @param yamlText the recorded config as YAML
     * @param sourceName how messages name it, the run's run.json
     * @param setOverrides assignments {@code dotted.key=value} applied after the text; may be null
     * @return the resolved, validated config
     * @throws Gan4jException with a one-line message naming the key and its source when anything is wrong
     */
    public static RunConfig loadRunJsonText(String yamlText, String sourceName, List<String> setOverrides) {
        return loadText(yamlText, sourceName, setOverrides, true);
    }

    private static RunConfig loadText(String yamlText, String sourceName, List<String> setOverrides, boolean recorded) {
        ObjectNode tree = defaultsTree();
        ConfigSources sources = new ConfigSources();
        if (recorded) {
            sources.markRecorded(sourceName);
        }
        mergeDocument(tree, YamlTreeReader.read(new StringReader(yamlText), sourceName, true), sourceName, sources);
        applyOverrides(tree, setOverrides, sources);
        return bindAndValidate(tree, sources);
    }

    /**
     * Builds a config from a tree such as the {@code config} object of a run's run.json; keys it lacks keep their
     * defaults, everything else is checked exactly as in {@link #load}.
     *
     * @param tree a mapping in the shape of {@link #toTree}
     * @return the validated config
     * @throws Gan4jException naming the key when the tree is not a valid config
     */
    public static RunConfig fromTree(JsonNode tree) {
        return fromTree(tree, TREE_SOURCE);
    }

    /**
     * Builds a config from a tree, naming its origin in messages (for example {@code runs/x/run.json}).
     *
     * @param tree a mapping in the shape of {@link #toTree}; keys it lacks keep their defaults
     * @param sourceName how messages name the tree
     * @return the validated config
     * @throws Gan4jException naming the key and the source when the tree is not a valid config
     */
    public static RunConfig fromTree(JsonNode tree, String sourceName) {
        return fromTree(tree, sourceName, false);
    }

    /**
     * Builds the config a run recorded in its run.json, checked as {@link #fromTree} checks a tree, except for what
     * only a new config is refused for: a {@code data.path} beside a 2-D point kind, which runs made before 1 December
     * recorded (their data were the points; the path was never read), so that such a run can still be resumed,
     * sampled and evaluated.
     *
     * @param tree the {@code config} object of the run's run.json
     * @param sourceName how messages name it, the run's run.json
     * @return the validated config
     * @throws Gan4jException naming the key and the source when the tree is not a valid config
     */
    public static RunConfig fromRunJson(JsonNode tree, String sourceName) {
        return fromTree(tree, sourceName, true);
    }

    private static RunConfig fromTree(JsonNode tree, String sourceName, boolean recorded) {
        if (tree == null || !tree.isObject()) {
            throw new Gan4jException(
                    sourceName + " must hold a mapping with the keys " + ConfigSchema.ROOT.childNames() + ", got "
                            + ConfigText.show(tree));
        }
        ObjectNode merged = defaultsTree();
        ConfigSources sources = new ConfigSources();
        if (recorded) {
            sources.markRecorded(sourceName);
        }
        mergeDocument(merged, new YamlTreeReader.Document(tree, Map.of()), sourceName, sources);
        return bindAndValidate(merged, sources);
    }

    /**
     * Writes a config as a complete tree: every key, enums in lowerCamelCase, {@code data.path} null when unset.
     *
     * @param config the config
     * @return a new tree; {@link #fromTree} gives back an equal config
     * @throws IllegalArgumentException if a section, list or value other than data.path is null
     */
    public static JsonNode toTree(RunConfig config) {
        return ConfigBinder.toTree(config);
    }

    /**
     * Writes a config as a complete YAML document that {@link #loadText} reads back to an equal config.
     *
     * @param config the config
     * @return the YAML text
     */
    public static String toYaml(RunConfig config) {
        try {
            return YAML_WRITER.writeValueAsString(toTree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a config tree as YAML", e);
        }
    }

    /**
     * Lists every value that differs from the defaults, for reports and run summaries.
     *
     * @param config the config
     * @return dotted leaf key → value (Integer, Long, Double, Boolean, String, List or null), in declaration order;
     *     lists count as one value, enums are lowerCamelCase strings
     */
    public static Map<String, Object> diffFromDefaults(RunConfig config) {
        Map<String, JsonNode> actual = flatten(toTree(config));
        Map<String, JsonNode> defaults = flatten(toTree(Defaults.config()));
        Map<String, Object> diff = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : actual.entrySet()) {
            if (!entry.getValue().equals(defaults.get(entry.getKey()))) {
                diff.put(entry.getKey(), JSON.convertValue(entry.getValue(), Object.class));
            }
        }
        return diff;
    }

    /**
     * Checks a config built in code by the same rules as a loaded one.
     *
     * @param config the config
     * @return the same config
     * @throws Gan4jException naming the key when a value is out of range or rules between keys are broken
     */
    public static RunConfig validate(RunConfig config) {
        fromTree(toTree(config), "the given config");
        return config;
    }

    private static ObjectNode defaultsTree() {
        return ConfigBinder.toTree(Defaults.config());
    }

    private static Reader utf8Reader(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new Gan4jException("config file " + path + " is a directory; expected a YAML file");
        }
        return new InputStreamReader(
                Files.newInputStream(path),
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private static RunConfig bindAndValidate(ObjectNode tree, ConfigSources sources) {
        RunConfig config = ConfigBinder.bind(tree, sources);
        ConfigRules.validate(config, sources);
        return config;
    }

    private static void mergeDocument(
            ObjectNode tree, YamlTreeReader.Document document, String source, ConfigSources sources) {
        JsonNode root = document.root();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return;
        }
        if (!root.isObject()) {
            throw new Gan4jException(
                    source + " must hold a mapping with the keys " + ConfigSchema.ROOT.childNames() + ", got "
                            + ConfigText.show(root));
        }
        refuseRunInfo(root, source);
        merge(tree, (ObjectNode) root, ConfigSchema.ROOT, document.locations(), source, sources);
    }

    /**
     * Refuses a run's {@code run.json} given as a config (its config is the object under {@code "config"}, beside the
     * run's start, seed and versions), saying so instead of naming its first key as unknown.
     */
    private static void refuseRunInfo(JsonNode root, String source) {
        boolean runInfo = root.path("config").isObject() && root.has("start") && root.has("versions");
        if (!runInfo) {
            return;
        }
        Path parent = null;
        try {
            parent = Path.of(source).toAbsolutePath().getParent();
        } catch (java.nio.file.InvalidPathException e) {
            // a source that is no file name (a text's label): no run directory to name
        }
        String runDir = parent == null ? "RUN_DIR" : parent.toString();
        throw new Gan4jException(source + " is a run's run.json, not a config: the run's config sits under its 'config'"
                + " key; continue that run with gan4j train --resume " + Launcher.shellWord(runDir)
                + ", or start a new run with its"
                + " config by saving that 'config' object as a file of its own (JSON is YAML) and passing it with"
                + " --config");
    }

    private static void merge(
            ObjectNode base,
            ObjectNode overlay,
            Field section,
            Map<String, String> locations,
            String source,
            ConfigSources sources) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            String path = section.path().isEmpty() ? name : section.path() + "." + name;
            String where = locations.getOrDefault(path, source);
            Field field = section.child(name);
            if (field == null) {
                throw unknownKey(path, section, where);
            }
            if (field.isSection()) {
                if (value.isNull()) {
                    continue; // an empty section ("training:" with everything commented out) changes nothing
                }
                if (!value.isObject()) {
                    throw new Gan4jException(
                            ConfigText.key(path) + " in " + where + " must be " + field.expected() + ", got "
                                    + ConfigText.show(value));
                }
                merge((ObjectNode) base.get(name), (ObjectNode) value, field, locations, source, sources);
            } else {
                if (value.isObject()) {
                    throw new Gan4jException(
                            ConfigText.key(path) + " in " + where + " must be " + field.expected()
                                    + ", got a mapping");
                }
                base.set(name, value.deepCopy());
                sources.set(path, where);
                for (Map.Entry<String, String> location : locations.entrySet()) {
                    if (location.getKey().startsWith(path + "[")) {
                        sources.setPart(location.getKey(), location.getValue());
                    }
                }
            }
        }
    }

    private static Gan4jException unknownKey(String path, Field section, String where) {
        StringBuilder message =
                new StringBuilder("unknown key ")
                        .append(ConfigText.quoteKey(path))
                        .append(" in ")
                        .append(where)
                        .append("; allowed ")
                        .append(section.path().isEmpty() ? "at the top level" : "under '" + section.path() + "'")
                        .append(": ")
                        .append(section.childNames());
        String name = path.substring(section.path().isEmpty() ? 0 : section.path().length() + 1);
        if (name.contains(".") && ConfigSchema.find(path) != null) {
            int dot = name.indexOf('.');
            message.append(" (YAML keys do not contain dots: write '")
                    .append(name, 0, dot)
                    .append(":' and nest '")
                    .append(name.substring(dot + 1))
                    .append("' below it)");
        } else {
            ConfigSchema.suggest(path).ifPresent(key -> message.append(" (did you mean '").append(key).append("'?)"));
        }
        return new Gan4jException(message.toString());
    }

    private static void applyOverrides(ObjectNode tree, List<String> setOverrides, ConfigSources sources) {
        if (setOverrides == null) {
            return;
        }
        for (String assignment : setOverrides) {
            applyOverride(tree, assignment, sources);
        }
    }

    private static void applyOverride(ObjectNode tree, String assignment, ConfigSources sources) {
        if (assignment == null) {
            throw new Gan4jException("--set expects key=value, e.g. --set training.steps=500; got nothing");
        }
        int equals = assignment.indexOf('=');
        String key = equals < 0 ? "" : assignment.substring(0, equals).strip();
        if (equals < 0 || key.isEmpty()) {
            throw new Gan4jException(
                    "--set expects key=value with a dotted key, e.g. --set training.steps=500 or --set"
                            + " model.mlp.generatorHidden=[400,400]; got " + ConfigText.quote(assignment));
        }
        String[] segments = key.split("\\.", -1);
        for (String segment : segments) {
            if (segment.isBlank()) {
                throw new Gan4jException(
                        "--set key " + ConfigText.quote(key) + " has an empty part; write dotted keys like"
                                + " training.generator.learningRate");
            }
        }
        JsonNode value = YamlTreeReader.read(
                        new StringReader(assignment.substring(equals + 1)), SET_SOURCE + " " + ConfigText.oneLine(key), false)
                .root();
        JsonNode nested = value == null ? JsonNodeFactory.instance.nullNode() : value;
        for (int i = segments.length - 1; i >= 0; i--) {
            ObjectNode parent = JsonNodeFactory.instance.objectNode();
            parent.set(segments[i], nested);
            nested = parent;
        }
        merge(tree, (ObjectNode) nested, ConfigSchema.ROOT, Map.of(), SET_SOURCE, sources);
    }

    private static Map<String, JsonNode> flatten(JsonNode tree) {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        flatten("", tree, leaves);
        return leaves;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> leaves) {
        if (!node.isObject()) {
            leaves.put(prefix, node);
            return;
        }
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            flatten(prefix.isEmpty() ? name : prefix + "." + name, node.get(name), leaves);
        }
    }
}
