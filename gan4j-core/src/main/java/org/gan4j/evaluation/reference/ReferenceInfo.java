package org.gan4j.evaluation.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.io.Json;

/**
 * The JSON sidecar of a reference classifier's weights: what it was trained on, how well it classifies, and the
 * SHA-256 its weights must have. Every evaluation result copies it, so a number always names its yardstick.
 *
 * <p>{@code classNames} names the classes in label order ({@code gan4j classifier train} records an image folder's
 * class subfolders and CIFAR's standard names; IDX files have none). It is optional: a sidecar without it (every one
 * written before 1 December 2026) loads as before, and its classes are called "class 0", "class 1", … ({@link
 * #className}). The sidecar is not hashed, so names can be added by hand; when present there is one per class.
 *
 * @param name versioned name, e.g. {@code fashion-mnist-v1}
 * @param dataset what it was trained on (the training file)
 * @param classes number of classes
 * @param imageShape channels, height, width of an input image (values in [-1, 1])
 * @param featureDimension dimension of the feature layer
 * @param testAccuracy accuracy on the test split, in [0, 1]
 * @param trainExamples number of training images
 * @param testExamples number of test images
 * @param epochs training epochs
 * @param seed training seed
 * @param sha256 SHA-256 of the weights file, lower-case hex
 * @param command the command that reproduces the weights
 * @param gan4jVersion gan4j version that trained it
 * @param classNames the class names in label order, one per class, or empty when the sidecar has none
 */
public record ReferenceInfo(
        String name,
        String dataset,
        int classes,
        long[] imageShape,
        int featureDimension,
        double testAccuracy,
        int trainExamples,
        int testExamples,
        int epochs,
        long seed,
        String sha256,
        String command,
        String gan4jVersion,
        List<String> classNames) {

    /** The smallest height and width a classifier takes: its network halves the image twice. */
    public static final int MINIMUM_SIDE = 4;

    /**
     * Validates the fields.
     *
     * @param name versioned name
     * @param dataset training file
     * @param classes number of classes
     * @param imageShape input shape
     * @param featureDimension feature dimension
     * @param testAccuracy test accuracy
     * @param trainExamples training images
     * @param testExamples test images
     * @param epochs epochs
     * @param seed seed
     * @param sha256 weights hash
     * @param command reproducing command
     * @param gan4jVersion gan4j version
     * @param classNames class names in label order (null or empty: none)
     */
    public ReferenceInfo {
        if (name == null || name.isBlank() || sha256 == null || sha256.length() != 64) {
            throw new IllegalArgumentException("reference info needs a name and a 64-hex-digit sha256");
        }
        if (imageShape == null || imageShape.length != 3 || classes < 2 || featureDimension < 1) {
            throw new IllegalArgumentException("reference info needs a C,H,W image shape, >= 2 classes and features");
        }
        imageShape = imageShape.clone();
        // an edited sidecar's zero or negative side reached libtorch (a stack trace); the network pools twice by 2
        if (imageShape[0] < 1 || imageShape[1] < MINIMUM_SIDE || imageShape[2] < MINIMUM_SIDE) {
            throw new IllegalArgumentException("\"imageShape\" is " + Arrays.toString(imageShape) + "; expected"
                    + " [channels, height, width] with at least 1 channel and sides of at least " + MINIMUM_SIDE
                    + " pixels");
        }
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != classes) {
            throw new IllegalArgumentException("\"classNames\" lists " + classNames.size() + " names, but \"classes\""
                    + " is " + classes + ": give one name per class, in label order, or leave classNames out");
        }
        for (int k = 0; k < classNames.size(); k++) {
            if (classNames.get(k).isBlank()) {
                throw new IllegalArgumentException("\"classNames\" has a blank name for class " + k);
            }
            if (classNames.indexOf(classNames.get(k)) != k) {
                // as classifier train --class-names refuses: a verdict naming "Shirt" would not say which one
                throw new IllegalArgumentException("\"classNames\" names '" + classNames.get(k) + "' twice (classes "
                        + classNames.indexOf(classNames.get(k)) + " and " + k + "): each class needs its own name");
            }
        }
    }

    /**
     * Creates the info of a classifier without class names (an IDX-trained one).
     *
     * @param name versioned name
     * @param dataset training file
     * @param classes number of classes
     * @param imageShape input shape
     * @param featureDimension feature dimension
     * @param testAccuracy test accuracy
     * @param trainExamples training images
     * @param testExamples test images
     * @param epochs epochs
     * @param seed seed
     * @param sha256 weights hash
     * @param command reproducing command
     * @param gan4jVersion gan4j version
     */
    public ReferenceInfo(String name, String dataset, int classes, long[] imageShape, int featureDimension,
            double testAccuracy, int trainExamples, int testExamples, int epochs, long seed, String sha256,
            String command, String gan4jVersion) {
        this(name, dataset, classes, imageShape, featureDimension, testAccuracy, trainExamples, testExamples, epochs,
                seed, sha256, command, gan4jVersion, List.of());
    }

    /**
     * Returns the name of a class: its entry in {@link #classNames}, or "class k" when the sidecar names none.
     *
     * @param k the class label, in {@code [0, classes)}
     * @return the name
     */
    public String className(int k) {
        if (k < 0 || k >= classes) {
            throw new IllegalArgumentException("class " + k + " is not in [0, " + classes + ")");
        }
        return classNames.isEmpty() ? "class " + k : classNames.get(k);
    }

    /**
     * Returns the name of every class, in label order: {@link #classNames}, or "class 0", "class 1", … without them.
     *
     * @return one name per class
     */
    public List<String> classNamesOrDefault() {
        List<String> names = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            names.add(className(k));
        }
        return List.copyOf(names);
    }

    /**
     * Returns a copy of the input shape.
     *
     * @return channels, height, width
     */
    @Override
    public long[] imageShape() {
        return imageShape.clone();
    }

    /**
     * Writes the sidecar JSON.
     *
     * @return the JSON object
     */
    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", name);
        node.put("dataset", dataset);
        node.put("classes", classes);
        if (!classNames.isEmpty()) {
            ArrayNode names = node.putArray("classNames");
            classNames.forEach(names::add);
        }
        ArrayNode shape = node.putArray("imageShape");
        for (long d : imageShape) {
            shape.add(d);
        }
        node.put("featureDimension", featureDimension);
        node.put("testAccuracy", testAccuracy);
        node.put("trainExamples", trainExamples);
        node.put("testExamples", testExamples);
        node.put("epochs", epochs);
        node.put("seed", seed);
        node.put("sha256", sha256);
        node.put("command", command);
        node.put("gan4jVersion", gan4jVersion);
        return node;
    }

    /**
     * Reads a sidecar JSON.
     *
     * @param node the JSON object
     * @param source where it came from, for error messages
     * @return the info
     */
    public static ReferenceInfo fromJson(JsonNode node, String source) {
        try {
            JsonNode shape = required(node, "imageShape", source);
            long[] imageShape = new long[shape.size()];
            for (int i = 0; i < imageShape.length; i++) {
                imageShape[i] = shape.get(i).asLong();
            }
            return new ReferenceInfo(
                    required(node, "name", source).asText(),
                    node.path("dataset").asText(""),
                    required(node, "classes", source).asInt(),
                    imageShape,
                    required(node, "featureDimension", source).asInt(),
                    node.path("testAccuracy").asDouble(Double.NaN),
                    node.path("trainExamples").asInt(0),
                    node.path("testExamples").asInt(0),
                    node.path("epochs").asInt(0),
                    node.path("seed").asLong(0),
                    required(node, "sha256", source).asText(),
                    node.path("command").asText(""),
                    node.path("gan4jVersion").asText(""),
                    classNames(node.get("classNames"), source));
        } catch (IllegalArgumentException e) {
            throw new Gan4jException(source + ": " + e.getMessage(), e);
        }
    }

    /** The optional {@code classNames}: absent or null is none; anything but an array of texts is an error. */
    private static List<String> classNames(JsonNode names, String source) {
        if (names == null || names.isNull()) {
            return List.of();
        }
        if (!names.isArray()) {
            throw new Gan4jException(source + ": field \"classNames\" is " + names.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT) + "; expected an array of class names in label order");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode name : names) {
            if (!name.isTextual()) {
                throw new Gan4jException(source + ": field \"classNames\" holds " + name + "; expected only texts (class"
                        + " names in label order)");
            }
            list.add(name.asText());
        }
        return list;
    }

    private static JsonNode required(JsonNode node, String field, String source) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new Gan4jException(source + ": field \"" + field + "\" is missing");
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object other) {
        return other instanceof ReferenceInfo that && toJson().equals(that.toJson());
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name + " (" + Arrays.toString(imageShape) + ", " + classes + " classes, test accuracy " + testAccuracy
                + ", sha256 " + sha256 + ")";
    }
}
