package org.gan4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One line of {@code metrics.jsonl}: the step, named numeric values in order, and free-form extras.
 *
 * <p>JSON form: {@code {"step":500,"epoch":1.0,"lossD":0.69,"lossG":0.71,"warning":"..."}} — {@code step} first,
 * then the values, then the extras. Non-finite values are written as the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}; when reading, a number or one of those three strings becomes a value and anything else
 * (text, booleans, objects, arrays, null) becomes an extra. Conventional keys: {@code epoch, lossD, lossG, dReal,
 * dFake, dFakeAfter, secs}.
 *
 * @param step the training step
 * @param values named numeric values in insertion order (unmodifiable; may hold NaN and infinities)
 * @param extras other named fields in insertion order, as Jackson trees (unmodifiable)
 */
public record MetricsRow(long step, Map<String, Double> values, Map<String, JsonNode> extras) {

    /**
     * Validates and copies the maps, keeping their order.
     *
     * @param step the training step
     * @param values named numeric values
     * @param extras other named fields
     */
    public MetricsRow {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(extras, "extras")));
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            Objects.requireNonNull(entry.getValue(), () -> "value of " + entry.getKey());
        }
        if (values.containsKey("step") || extras.containsKey("step")) {
            throw new IllegalArgumentException("\"step\" is a field of its own, not a value or extra");
        }
        for (String key : extras.keySet()) {
            if (values.containsKey(key)) {
                throw new IllegalArgumentException("key \"" + key + "\" is both a value and an extra");
            }
        }
    }

    /**
     * Creates a row with values and no extras.
     *
     * @param step the training step
     * @param values named numeric values, in the order they should be written
     * @return the row
     */
    public static MetricsRow of(long step, Map<String, Double> values) {
        return new MetricsRow(step, values, Map.of());
    }

    /**
     * Returns a copy of this row with one more text extra (for example a {@code "warning"}).
     *
     * @param key the field name
     * @param text the text
     * @return the new row
     */
    public MetricsRow withExtra(String key, String text) {
        Map<String, JsonNode> copy = new LinkedHashMap<>(extras);
        copy.put(key, JsonNodeFactory.instance.textNode(text));
        return new MetricsRow(step, values, copy);
    }

    /**
     * Returns a copy of this row with one more extra of any JSON form (an evaluation's {@code classMix} array). Readers
     * of {@code metrics.jsonl} keep it as an extra: only numbers (and the non-finite strings) become values.
     *
     * @param key the field name
     * @param value the JSON tree
     * @return the new row
     */
    public MetricsRow withExtra(String key, JsonNode value) {
        Map<String, JsonNode> copy = new LinkedHashMap<>(extras);
        copy.put(key, Objects.requireNonNull(value, "value"));
        return new MetricsRow(step, values, copy);
    }

    /**
     * Returns a named value.
     *
     * @param key the value's name
     * @return the value (possibly NaN or infinite), or empty if the row has no such value
     */
    public OptionalDouble value(String key) {
        Double value = values.get(key);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /**
     * Returns this row as a JSON object: step, values (non-finite ones as strings), extras.
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("step", step);
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            double value = entry.getValue();
            if (Double.isFinite(value)) {
                node.put(entry.getKey(), value);
            } else {
                node.put(entry.getKey(), nonFiniteName(value));
            }
        }
        extras.forEach(node::set);
        return node;
    }

    /**
     * Reads a row from a JSON object.
     *
     * @param node the object; it must have an integral {@code step}
     * @return the row
     * @throws IllegalArgumentException if the node is not an object or has no integral {@code step}
     */
    public static MetricsRow fromJson(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, found " + node.getNodeType());
        }
        JsonNode stepNode = node.get("step");
        if (stepNode == null || !stepNode.canConvertToExactIntegral() || !stepNode.canConvertToLong()) {
            throw new IllegalArgumentException("expected an integer \"step\" field, found " + stepNode);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, JsonNode> extras = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.equals("step")) {
                continue;
            }
            if (value.isNumber()) {
                values.put(key, value.asDouble());
            } else if (value.isTextual() && parseNonFinite(value.textValue()) != null) {
                values.put(key, parseNonFinite(value.textValue()));
            } else {
                extras.put(key, value);
            }
        }
        return new MetricsRow(stepNode.asLong(), values, extras);
    }

    private static String nonFiniteName(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        return value > 0 ? "Infinity" : "-Infinity";
    }

    private static Double parseNonFinite(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }
}
