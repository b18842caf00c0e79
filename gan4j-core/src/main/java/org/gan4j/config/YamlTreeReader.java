package org.gan4j.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.Gan4jException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads one YAML document into a Jackson tree, remembering where each value came from and refusing hostile input.
 *
 * <p>Jackson's YAML parser streams SnakeYAML events and never builds SnakeYAML's node graph, so SnakeYAML's own
 * composer limits (aliases, nesting) do not apply to it; an alias even arrives as a plain string. This reader
 * therefore builds the tree itself and enforces its own bounds: at most {@value #MAX_DEPTH} levels of nesting, at
 * most {@value #MAX_ALIASES} alias uses, at most {@value #MAX_NODES} values after alias expansion, no duplicate
 * keys, one document per file, and at most {@value #MAX_CHARS} characters. The size limit is low on purpose:
 * SnakeYAML's scanner takes time quadratic in the length of one token (a 1 MiB scalar takes seconds), and a
 * config is a few kilobytes. Jackson reports anchors only on mappings and lists, so only those can be aliased.
 * Every problem ends in a one-line {@link Gan4jException} that names the source and, where known, line and column.
 */
final class YamlTreeReader {

    /** Deepest nesting accepted; gan4j configs need four levels. */
    static final int MAX_DEPTH = 50;

    /** Longer number texts are not quoted back in messages. */
    private static final int MAX_NUMBER_SHOWN = 40;

    /** Most alias uses ({@code *name}) in one document. */
    static final int MAX_ALIASES = 50;

    /** Most values (mappings, lists and scalars) in one document after alias expansion. */
    static final int MAX_NODES = 10_000;

    /** Largest document, in characters (256 KiB). */
    static final int MAX_CHARS = 256 * 1024;

    private static final YAMLFactory FACTORY = createFactory();

    private final YAMLParser parser;
    private final String source;
    private final boolean withPositions;
    private final Map<String, String> locations = new LinkedHashMap<>();
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private int aliasCount;
    private int nodeCount;

    /**
     * The result of reading a document.
     *
     * @param root the document's root value, or null when the document is empty (only comments or nothing)
     * @param locations for each dotted path (list elements as {@code key[i]}), where its value starts, as
     *     {@code source:line:column} (or just the source when positions are not meaningful)
     */
    record Document(JsonNode root, Map<String, String> locations) {}

    private YamlTreeReader(YAMLParser parser, String source, boolean withPositions) {
        this.parser = parser;
        this.source = source;
        this.withPositions = withPositions;
    }

    private static YAMLFactory createFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CHARS + 1); // read() refuses longer text before SnakeYAML sees it
        YAMLFactory factory =
                YAMLFactory.builder()
                        .loaderOptions(options)
                        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL) // "key:" with no value is null, '' is ""
                        .build();
        factory.setStreamReadConstraints(
                StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH + 10)
                        .maxNumberLength(400)
                        .maxStringLength(MAX_CHARS)
                        .build());
        return factory;
    }

    /**
     * Reads a whole YAML document.
     *
     * @param reader the text; not closed
     * @param source how messages name the text (a file name, or {@code --set})
     * @param withPositions whether locations carry line and column (false for one-line {@code --set} values)
     * @return the tree and the locations of its values
     * @throws Gan4jException on a syntax error, a hostile document or more than one document
     */
    static Document read(Reader reader, String source, boolean withPositions) {
        String text = readBounded(reader, source);
        try (JsonParser jsonParser = FACTORY.createParser(text)) {
            YamlTreeReader treeReader = new YamlTreeReader((YAMLParser) jsonParser, source, withPositions);
            return treeReader.readDocument();
        } catch (JsonProcessingException e) {
            throw syntaxError(source, e);
        } catch (YAMLException e) {
            throw snakeYamlError(source, e);
        } catch (IOException e) {
            throw new Gan4jException(
                    "cannot read " + source + ": " + ConfigText.oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    private static String readBounded(Reader reader, String source) {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            int count;
            while ((count = reader.read(buffer)) != -1) {
                text.append(buffer, 0, count);
                if (text.length() > MAX_CHARS) {
                    throw new Gan4jException(
                            source + " is longer than " + MAX_CHARS + " characters; a gan4j config is a few kilobytes");
                }
            }
        } catch (CharacterCodingException e) {
            throw new Gan4jException(source + " is not valid UTF-8 text; save it as UTF-8", e);
        } catch (IOException e) {
            throw new Gan4jException(
                    "cannot read " + source + ": " + ConfigText.oneLine(String.valueOf(e.getMessage())), e);
        }
        return text.toString();
    }

    private Document readDocument() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return new Document(null, locations);
        }
        JsonNode root = readValue(token, "", 0);
        JsonToken extra = parser.nextToken();
        if (extra != null) {
            throw new Gan4jException(
                    source + position() + ": holds more than one YAML document; a gan4j config is a single mapping");
        }
        return new Document(root, locations);
    }

    private JsonNode readValue(JsonToken token, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new Gan4jException(
                    source + position() + ": nesting deeper than " + MAX_DEPTH + " levels under '"
                            + ConfigText.key(path) + "'; a gan4j config needs at most 4");
        }
        countNode();
        locations.putIfAbsent(path, withPositions ? source + position() : source);
        Object anchor = parser.getObjectId(); // YAML anchors surface as Jackson object ids
        JsonNode node;
        switch (token) {
            case START_OBJECT:
                node = readObject(path, depth);
                break;
            case START_ARRAY:
                node = readArray(path, depth);
                break;
            case VALUE_STRING:
                node = parser.isCurrentAlias() ? resolveAlias(parser.getText(), path, depth) : text();
                break;
            case VALUE_NUMBER_INT:
                node = integer(path);
                break;
            case VALUE_NUMBER_FLOAT:
                node = floating(path);
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                node = JsonNodeFactory.instance.booleanNode(token == JsonToken.VALUE_TRUE);
                break;
            case VALUE_NULL:
                node = JsonNodeFactory.instance.nullNode();
                break;
            default:
                throw new Gan4jException(
                        subject(path)
                                + " holds a value gan4j cannot use (" + token + "); use a plain scalar, list or mapping");
        }
        if (anchor != null) {
            anchors.put(anchor.toString(), node);
        }
        return node;
    }

    private JsonNode text() throws IOException {
        return JsonNodeFactory.instance.textNode(parser.getText());
    }

    private ObjectNode readObject(String path, int depth) throws IOException {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            if (token != JsonToken.FIELD_NAME) {
                throw new Gan4jException(source + position() + ": expected a key under '" + ConfigText.key(path) + "'");
            }
            String name = parser.currentName();
            String childPath = path.isEmpty() ? name : path + "." + name;
            if (object.has(name)) {
                throw new Gan4jException(
                        "duplicate key '" + ConfigText.key(childPath) + "' in " + source + position()
                                + "; each key may appear once");
            }
            // A mapping entry is located at its key, the line a user looks for; list elements at themselves.
            locations.put(childPath, withPositions ? source + position() : source);
            JsonToken valueToken = parser.nextToken();
            object.set(name, readValue(valueToken, childPath, depth + 1));
        }
        return object;
    }

    private ArrayNode readArray(String path, int depth) throws IOException {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            array.add(readValue(token, path + "[" + array.size() + "]", depth + 1));
        }
        return array;
    }

    private JsonNode integer(String path) throws IOException {
        try {
            switch (parser.getNumberType()) {
                case INT:
                    return JsonNodeFactory.instance.numberNode(parser.getIntValue());
                case LONG:
                    return JsonNodeFactory.instance.numberNode(parser.getLongValue());
                default:
                    return JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue());
            }
        } catch (JsonProcessingException e) {
            throw unreadableNumber(path, e);
        }
    }

    /** A number the parser cannot read (YAML's .nan / .inf, or hundreds of digits), named by its key. */
    private Gan4jException unreadableNumber(String path, JsonProcessingException e) {
        String text;
        try {
            text = parser.getText();
        } catch (IOException unreadable) {
            text = null;
        }
        String why = text == null || text.length() > MAX_NUMBER_SHOWN
                ? "holds a number with more digits than any setting needs"
                : "is not a finite number, got " + ConfigText.quote(text);
        return new Gan4jException(subject(path) + " " + why, e);
    }

    /** The value's name in a message; a --set value is read on its own (path ""): its source already names the key. */
    private String subject(String path) {
        return path.isEmpty() ? source : ConfigText.key(path) + " in " + where(path);
    }

    private JsonNode floating(String path) throws IOException {
        double value;
        try {
            value = parser.getDoubleValue();
        } catch (JsonProcessingException e) {
            throw unreadableNumber(path, e);
        }
        if (!Double.isFinite(value)) {
            throw new Gan4jException(
                    subject(path) + " is too large for a number, got "
                            + ConfigText.quote(parser.getText()) + " (the limit is about 1.8e308)");
        }
        return JsonNodeFactory.instance.numberNode(value);
    }

    private JsonNode resolveAlias(String anchor, String path, int depth) {
        JsonNode target = anchors.get(anchor);
        if (target == null) {
            throw new Gan4jException(
                    ConfigText.key(path) + " in " + where(path) + " uses the alias *" + ConfigText.oneLine(anchor)
                            + ", but no mapping or list before it has the anchor &" + ConfigText.oneLine(anchor)
                            + " (anchors on single values are not supported)");
        }
        aliasCount++;
        if (aliasCount > MAX_ALIASES) {
            throw new Gan4jException(
                    source + position() + ": more than " + MAX_ALIASES + " aliases; gan4j refuses alias bombs");
        }
        if (depth + depthOf(target) > MAX_DEPTH) {
            throw new Gan4jException(
                    source + position() + ": the alias *" + ConfigText.oneLine(anchor) + " nests deeper than "
                            + MAX_DEPTH + " levels");
        }
        // The alias value itself was counted as one node already.
        nodeCount += sizeOf(target) - 1;
        if (nodeCount > MAX_NODES) {
            throw new Gan4jException(
                    source + position() + ": aliases expand to more than " + MAX_NODES
                            + " values; gan4j refuses alias bombs");
        }
        return target.deepCopy();
    }

    private void countNode() {
        nodeCount++;
        if (nodeCount > MAX_NODES) {
            throw new Gan4jException(
                    source + position() + ": more than " + MAX_NODES + " values; a gan4j config has about 60");
        }
    }

    private static int sizeOf(JsonNode node) {
        int size = 1;
        for (JsonNode child : node) {
            size += sizeOf(child);
        }
        return size;
    }

    private static int depthOf(JsonNode node) {
        int depth = 0;
        for (JsonNode child : node) {
            depth = Math.max(depth, 1 + depthOf(child));
        }
        return depth;
    }

    private String where(String path) {
        return locations.getOrDefault(path, source + position());
    }

    private String position() {
        return withPositions ? format(parser.currentTokenLocation()) : "";
    }

    private static String format(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return ":" + location.getLineNr() + ":" + location.getColumnNr();
    }

    private static Gan4jException syntaxError(String source, JsonProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CharacterCodingException) {
                return new Gan4jException(source + " is not valid UTF-8 text; save it as UTF-8", e);
            }
            if (cause instanceof MarkedYAMLException) {
                return markedError(source, (MarkedYAMLException) cause, e);
            }
        }
        String where = source + format(e.getLocation());
        return new Gan4jException(where + ": YAML error: " + readable(ConfigText.oneLine(e.getOriginalMessage())), e);
    }

    private static final java.util.regex.Pattern COMPLEX_KEY = java.util.regex.Pattern.compile(
            "Expected a field name \\(Scalar value in YAML\\), got this instead: <org\\.yaml\\.snakeyaml\\.events\\."
                    + "(\\w+?)(?:Start)?Event\\(.*\\)>");

    /**
     * Jackson's words for a list or mapping used as a key (a markdown or JSON file passed as a config, "[x]: 1")
     * name SnakeYAML's internal event classes; this says what was found instead.
     */
    private static String readable(String message) {
        java.util.regex.Matcher matcher = COMPLEX_KEY.matcher(message);
        if (!matcher.matches()) {
            return message;
        }
        String found = switch (matcher.group(1)) {
            case "Sequence" -> "a list";
            case "Mapping" -> "a mapping";
            default -> matcher.group(1).toLowerCase(java.util.Locale.ROOT);
        };
        return "a key must be a plain name, got " + found + " (is this a gan4j YAML config?)";
    }

    private static Gan4jException snakeYamlError(String source, YAMLException e) {
        if (e.getCause() instanceof CharacterCodingException) { // SnakeYAML's reader wraps decoding errors
            return new Gan4jException(source + " is not valid UTF-8 text; save it as UTF-8", e);
        }
        if (e instanceof MarkedYAMLException) {
            return markedError(source, (MarkedYAMLException) e, e);
        }
        return new Gan4jException(source + ": YAML error: " + ConfigText.oneLine(String.valueOf(e.getMessage())), e);
    }

    private static Gan4jException markedError(String source, MarkedYAMLException marked, Throwable e) {
        Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
        String where = mark == null ? source : source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        StringBuilder problem = new StringBuilder();
        if (marked.getContext() != null) {
            problem.append(marked.getContext()).append(": ");
        }
        problem.append(marked.getProblem() != null ? marked.getProblem() : "malformed YAML");
        return new Gan4jException(where + ": YAML syntax error: " + ConfigText.oneLine(problem.toString()), e);
    }
}
