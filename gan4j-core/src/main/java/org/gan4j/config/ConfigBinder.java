package org.gan4j.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.gan4j.Gan4jException;
import org.gan4j.config.ConfigRules.Bound;
import org.gan4j.config.ConfigSchema.Field;

/**
 * Converts between a complete config tree and the {@link RunConfig} records, checking each value's type and range
 * on the way in.
 */
final class ConfigBinder {

    /** The only keys that may be null. */
    static final Set<String> NULLABLE = Set.of("data.path");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Bound INT_RANGE =
            new Bound(BigDecimal.valueOf(Integer.MIN_VALUE), true, BigDecimal.valueOf(Integer.MAX_VALUE), true);
    private static final Bound LONG_RANGE =
            new Bound(BigDecimal.valueOf(Long.MIN_VALUE), true, BigDecimal.valueOf(Long.MAX_VALUE), true);

    private ConfigBinder() {}

    /**
     * Builds the records from a complete tree (every key present).
     *
     * @param tree the merged tree
     * @param sources where each value came from
     * @return the config, with types and ranges checked (cross-key rules are not checked here)
     * @throws Gan4jException on a wrong type or a value out of range
     */
    static RunConfig bind(ObjectNode tree, ConfigSources sources) {
        return (RunConfig) bindSection(ConfigSchema.ROOT, tree, sources);
    }

    private static Object bindSection(Field section, JsonNode node, ConfigSources sources) {
        if (!node.isObject()) {
            throw typeError(section, section.path(), node, sources);
        }
        List<Field> children = section.children();
        Object[] values = new Object[children.size()];
        Class<?>[] types = new Class<?>[children.size()];
        for (int i = 0; i < children.size(); i++) {
            Field child = children.get(i);
            JsonNode value = node.get(child.name());
            values[i] = child.isSection()
                    ? bindSection(child, value == null ? NullNode.getInstance() : value, sources)
                    : bindLeaf(child, value == null ? NullNode.getInstance() : value, sources);
            types[i] = child.component().getType();
        }
        try {
            return section.type().getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot build " + section.type().getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + section.type().getSimpleName(), e);
        }
    }

    private static Object bindLeaf(Field field, JsonNode node, ConfigSources sources) {
        String path = field.path();
        if (node.isNull()) {
            if (NULLABLE.contains(path)) {
                return null;
            }
            throw typeError(field, path, node, sources);
        }
        switch (field.kind()) {
            case STRING:
                if (!node.isTextual()) {
                    throw stringError(field, node, sources);
                }
                return node.textValue();
            case INT:
                return integer(field, path, node, INT_RANGE, sources).intValue();
            case LONG:
                return integer(field, path, node, LONG_RANGE, sources).longValue();
            case DOUBLE:
                return number(field, path, node, sources);
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw typeError(field, path, node, sources);
                }
                return node.booleanValue();
            case ENUM:
                Enum<?> constant = node.isTextual() ? ConfigSchema.parseEnum(field.type(), node.textValue()) : null;
                if (constant == null) {
                    throw typeError(field, path, node, sources);
                }
                return constant;
            case INT_LIST:
                return list(field, path, node, sources, (element, elementPath) ->
                        integer(field, elementPath, element, INT_RANGE, sources).intValue());
            case DOUBLE_LIST:
                return list(field, path, node, sources, (element, elementPath) ->
                        number(field, elementPath, element, sources));
            case DOUBLE_MATRIX:
                return list(field, path, node, sources, (row, rowPath) ->
                        list(field, rowPath, row, sources, (element, elementPath) ->
                                number(field, elementPath, element, sources)));
            default:
                throw new IllegalStateException("unexpected kind " + field.kind() + " for " + path);
        }
    }

    /** Converts one element of a list. */
    private interface ElementBinder<T> {
        T bind(JsonNode element, String elementPath);
    }

    private static <T> List<T> list(
            Field field, String path, JsonNode node, ConfigSources sources, ElementBinder<T> elementBinder) {
        if (!node.isArray()) {
            throw new Gan4jException(
                    ConfigText.key(path) + " in " + sources.of(path) + " must be " + listExpectation(field, path)
                            + ", got " + ConfigText.show(node));
        }
        List<T> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            values.add(elementBinder.bind(node.get(i), path + "[" + i + "]"));
        }
        return Collections.unmodifiableList(values);
    }

    private static String listExpectation(Field field, String path) {
        if (path.equals(field.path())) {
            return field.expected();
        }
        return "a list of numbers (one row of the matrix)";
    }

    private static BigInteger integer(Field field, String path, JsonNode node, Bound typeRange, ConfigSources sources) {
        BigInteger value = null;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else if (node.isFloatingPointNumber()) {
            double floating = node.doubleValue();
            if (Double.isFinite(floating) && floating == Math.rint(floating)) {
                value = BigDecimal.valueOf(floating).toBigIntegerExact();
            }
        }
        if (value == null) {
            throw new Gan4jException(
                    ConfigText.key(path) + " in " + sources.of(path) + " must be "
                            + "an integer, got " + ConfigText.show(node));
        }
        BigDecimal decimal = new BigDecimal(value);
        Bound bound = ConfigRules.bound(field.path());
        if (bound != null && !bound.contains(decimal)) {
            throw rangeError(path, bound, node, sources);
        }
        if (!typeRange.contains(decimal)) {
            throw new Gan4jException(
                    ConfigText.key(path) + " in " + sources.of(path) + " must be an integer " + typeRange.describe()
                            + " (" + (typeRange == INT_RANGE ? "32" : "64") + " bits), got " + ConfigText.show(node));
        }
        return value;
    }

    private static double number(Field field, String path, JsonNode node, ConfigSources sources) {
        if (!node.isNumber()) {
            throw new Gan4jException(
                    ConfigText.key(path) + " in " + sources.of(path) + " must be a number, got " + ConfigText.show(node));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw new Gan4jException(
                    ConfigText.key(path) + " in " + sources.of(path) + " must be a finite number (about ±1.8e308 at"
                            + " most), got " + ConfigText.show(node));
        }
        Bound bound = ConfigRules.bound(field.path());
        if (bound != null && !bound.contains(BigDecimal.valueOf(value))) {
            throw rangeError(path, bound, node, sources);
        }
        return value;
    }

    private static Gan4jException rangeError(String path, Bound bound, JsonNode node, ConfigSources sources) {
        return new Gan4jException(
                ConfigText.key(path) + " in " + sources.of(path) + " must be " + bound.describe() + ", got "
                        + ConfigText.show(node));
    }

    private static Gan4jException typeError(Field field, String path, JsonNode node, ConfigSources sources) {
        return new Gan4jException(
                ConfigText.key(path) + " in " + sources.of(path) + " must be " + field.expected() + ", got "
                        + ConfigText.show(node));
    }

    private static Gan4jException stringError(Field field, JsonNode node, ConfigSources sources) {
        String hint = node.isValueNode() ? " (quote it to make it a string: '" + ConfigText.show(node) + "')" : "";
        return new Gan4jException(
                ConfigText.key(field.path()) + " in " + sources.of(field.path()) + " must be a string, got "
                        + ConfigText.show(node) + hint);
    }

    /**
     * Writes the records as a complete tree: keys as in the records, enums in lowerCamelCase.
     *
     * @param config the config
     * @return a new tree holding every key
     * @throws IllegalArgumentException if a section, list or non-nullable value is null
     */
    static ObjectNode toTree(RunConfig config) {
        return (ObjectNode) sectionTree(ConfigSchema.ROOT, config);
    }

    private static JsonNode sectionTree(Field section, Object record) {
        ObjectNode object = NODES.objectNode();
        for (Field child : section.children()) {
            Object value = read(child.component(), record);
            if (value == null) {
                if (!NULLABLE.contains(child.path())) {
                    throw new IllegalArgumentException("config key " + child.path() + " is null");
                }
                object.set(child.name(), NODES.nullNode());
            } else if (child.isSection()) {
                object.set(child.name(), sectionTree(child, value));
            } else {
                object.set(child.name(), leafTree(child, value));
            }
        }
        return object;
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }

    private static JsonNode leafTree(Field field, Object value) {
        switch (field.kind()) {
            case STRING:
                return NODES.textNode((String) value);
            case INT:
                return NODES.numberNode((Integer) value);
            case LONG:
                return NODES.numberNode((Long) value);
            case DOUBLE:
                return NODES.numberNode((Double) value);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case ENUM:
                return NODES.textNode(ConfigSchema.enumName((Enum<?>) value));
            case INT_LIST:
            case DOUBLE_LIST:
            case DOUBLE_MATRIX:
                return arrayTree(field, (List<?>) value);
            default:
                throw new IllegalStateException("unexpected kind " + field.kind() + " for " + field.path());
        }
    }

    private static ArrayNode arrayTree(Field field, List<?> values) {
        ArrayNode array = NODES.arrayNode();
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException("config key " + field.path() + " holds a null element");
            } else if (value instanceof List) {
                array.add(arrayTree(field, (List<?>) value));
            } else if (value instanceof Integer) {
                array.add((Integer) value);
            } else if (value instanceof Double) {
                array.add((Double) value);
            } else {
                throw new IllegalArgumentException(
                        "config key " + field.path() + " holds a " + value.getClass().getSimpleName());
            }
        }
        return array;
    }
}
