package org.gan4j.evaluation.reference;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.gan4j.Cancellation;
import org.gan4j.Gan4jException;
import org.gan4j.io.Json;

/**
 * A trained {@link ReferenceNetwork} used as the feature extractor of image metrics: its 128-d penultimate layer is
 * the feature space of FD, KID, precision/recall and density/coverage, and its softmax is the classifier of the
 * classifier score and the class histogram.
 *
 * <p>Weights are verified against the SHA-256 in their JSON sidecar before use. The shipped Fashion-MNIST reference
 * lives on the classpath ({@link #FASHION_MNIST}); others load from a {@code NAME.params} file next to its
 * {@code NAME.json}. Extraction runs in inference mode, in batches.
 */
public final class ReferenceClassifier implements AutoCloseable {

    /** Name of the shipped Fashion-MNIST reference. */
    public static final String FASHION_MNIST = "fashion-mnist-v1";

    /** Classpath folder of shipped references. */
    public static final String RESOURCE_FOLDER = "/org/gan4j/evaluation/reference/";

    private static final int BATCH = 500;

    private final ReferenceInfo info;
    private final Model model;
    private final ReferenceNetwork network;
    private final NDManager manager;

    private ReferenceClassifier(ReferenceInfo info, byte[] weights, String source) {
        this.info = info;
        this.model = Model.newInstance("gan4j-reference-" + info.name());
        this.network = ReferenceNetwork.create(info.classes());
        this.manager = model.getNDManager();
        model.setBlock(network.network());
        long[] shape = info.imageShape();
        network.network().initialize(manager, DataType.FLOAT32, new Shape(1, shape[0], shape[1], shape[2]));
        // DJL replaces each parameter with the loaded array whatever its shape: remember the shapes the sidecar's
        // input shape and class count give, so weights of another shape are refused here, not deep in libtorch
        java.util.Map<String, Shape> expected = new java.util.LinkedHashMap<>();
        network.network().getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
        try {
            network.network().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(weights)));
        } catch (IOException | MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            model.close();
            String reason = e instanceof java.io.EOFException ? "the file ends early"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new Gan4jException(source + " does not hold " + info.name() + " weights (" + reason + ")", e);
        }
        for (var parameter : network.network().getParameters()) {
            Shape loaded = parameter.getValue().getArray().getShape();
            Shape wanted = expected.get(parameter.getKey());
            if (!loaded.equals(wanted)) {
                model.close();
                throw new Gan4jException(source + " does not fit its sidecar, which says it scores images of shape "
                        + java.util.Arrays.toString(shape) + " in " + info.classes() + " classes: parameter "
                        + parameter.getKey() + " has shape " + loaded + ", that needs " + wanted + " (weights of another"
                        + " classifier, or an edited sidecar; gan4j classifier train writes both)");
            }
        }
    }

    /**
     * Loads a shipped reference from the classpath.
     *
     * @param name e.g. {@link #FASHION_MNIST}
     * @return the classifier
     */
    public static ReferenceClassifier shipped(String name) {
        String base = RESOURCE_FOLDER + name;
        byte[] sidecar = resource(base + ".json");
        byte[] weights = resource(base + ".params");
        if (sidecar == null || weights == null) {
            throw new Gan4jException("no shipped reference classifier named " + name + " (shipped: " + FASHION_MNIST
                    + ")" + trainedHint(name, Path.of("")));
        }
        return fromBytes(sidecar, "classpath:" + base + ".json", weights, "classpath:" + base);
    }

    /**
     * What to say after "no shipped reference classifier named NAME": a classifier the user trained is given as its
     * file, so the file is named when {@code NAME.params} lies in {@code base} or in {@code base/classifiers} (where
     * the docs put them).
     *
     * @param name the name given
     * @param base the folder names are relative to (the working folder)
     * @return the hint, starting with "; "
     */
    static String trainedHint(String name, Path base) {
        return java.util.stream.Stream.of(base.resolve(name + ".params"), base.resolve("classifiers")
                        .resolve(name + ".params"))
                .filter(Files::isRegularFile).findFirst()
                .map(file -> "; for the classifier you trained, give its weights file: " + file)
                .orElse("; a classifier made by gan4j classifier train is given as its file, NAME.params");
    }

    /**
     * Loads a reference from {@code NAME.params} and the {@code NAME.json} next to it.
     *
     * @param parameters the weights file
     * @return the classifier
     */
    public static ReferenceClassifier load(Path parameters) {
        Path sidecar = sidecarOf(parameters);
        if (!Files.exists(parameters)) {
            throw new Gan4jException("reference classifier " + parameters + " does not exist");
        }
        if (!Files.exists(sidecar)) {
            throw new Gan4jException("reference classifier " + parameters + " has no sidecar " + sidecar + " next to it"
                    + " (its name, input shape and SHA-256; gan4j classifier train writes both files)");
        }
        try {
            return fromBytes(Files.readAllBytes(sidecar), sidecar.toString(), Files.readAllBytes(parameters),
                    parameters.toString());
        } catch (IOException e) {
            throw new Gan4jException(
                    "cannot read reference classifier " + parameters + " and its " + sidecar.getFileName() + " ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * Loads a shipped reference by name, or a file when {@code nameOrPath} ends in {@code .params}.
     *
     * @param nameOrPath a shipped name or a weights file
     * @return the classifier
     */
    public static ReferenceClassifier open(String nameOrPath) {
        return nameOrPath.endsWith(".params") ? load(Path.of(nameOrPath)) : shipped(nameOrPath);
    }

    /**
     * Returns the sidecar path of a weights file: {@code NAME.params} → {@code NAME.json}.
     *
     * @param parameters the weights file
     * @return the sidecar
     */
    public static Path sidecarOf(Path parameters) {
        String file = parameters.getFileName().toString();
        String stem = file.endsWith(".params") ? file.substring(0, file.length() - ".params".length()) : file;
        return parameters.resolveSibling(stem + ".json");
    }

    private static ReferenceClassifier fromBytes(byte[] sidecar, String sidecarName, byte[] weights, String source) {
        ReferenceInfo info;
        try {
            // the sidecar's own name in its messages: a mistake in it (classNames of another length) is fixed there
            info = ReferenceInfo.fromJson(Json.MAPPER.readTree(sidecar), "sidecar " + sidecarName);
        } catch (IOException e) {
            throw new Gan4jException("sidecar " + sidecarName + " of " + source + " is not valid JSON ("
                    + e.getMessage() + ")", e);
        }
        String actual = sha256(weights);
        if (!actual.equals(info.sha256())) {
            throw new Gan4jException(
                    source + " has SHA-256 " + actual + ", its sidecar expects " + info.sha256()
                            + " (corrupt or replaced weights)");
        }
        return new ReferenceClassifier(info, weights, source);
    }

    private static byte[] resource(String path) {
        try (InputStream in = ReferenceClassifier.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new Gan4jException("cannot read " + path + " from the classpath: " + e.getMessage(), e);
        }
    }

    /**
     * Computes a SHA-256 digest.
     *
     * @param bytes the content
     * @return lower-case hex
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /**
     * Returns the sidecar information (name, accuracy, SHA-256, …).
     *
     * @return the info
     */
    public ReferenceInfo info() {
        return info;
    }

    /**
     * Runs the classifier on images in [-1, 1] and returns features, class probabilities and predicted classes.
     *
     * @param images {@code count} images of {@link ReferenceInfo#imageShape()}, row-major
     * @param count number of images
     * @return the outputs
     */
    public Outputs run(float[] images, int count) {
        long[] shape = info.imageShape();
        int size = Math.toIntExact(shape[0] * shape[1] * shape[2]);
        if (count < 1 || images.length != (long) count * size) {
            throw new IllegalArgumentException(
                    "expected " + count + " images of " + size + " values, got " + images.length + " values");
        }
        double[][] features = new double[count][];
        double[][] probabilities = new double[count][];
        int[] predicted = new int[count];
        ParameterStore store = new ParameterStore(manager, false);
        for (int start = 0; start < count; start += BATCH) {
            Cancellation.check();
            int n = Math.min(BATCH, count - start);
            float[] batch = new float[n * size];
            System.arraycopy(images, start * size, batch, 0, batch.length);
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray x = batchManager.create(batch, new Shape(n, shape[0], shape[1], shape[2]));
                NDArray feature = network.features().forward(store, new NDList(x), false).singletonOrThrow();
                NDArray logits = network.head().forward(store, new NDList(feature), false).singletonOrThrow();
                float[] featureValues = feature.toFloatArray();
                float[] probabilityValues = logits.softmax(1).toFloatArray();
                int dimension = info.featureDimension();
                for (int i = 0; i < n; i++) {
                    features[start + i] = toDoubles(featureValues, i * dimension, dimension);
                    double[] p = toDoubles(probabilityValues, i * info.classes(), info.classes());
                    probabilities[start + i] = p;
                    int best = 0;
                    for (int c = 1; c < p.length; c++) {
                        if (p[c] > p[best]) {
                            best = c;
                        }
                    }
                    predicted[start + i] = best;
                }
            }
        }
        return new Outputs(features, probabilities, predicted);
    }

    private static double[] toDoubles(float[] values, int offset, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = values[offset + i];
        }
        return out;
    }

    /** Releases the native weights. */
    @Override
    public void close() {
        model.close();
    }

    /**
     * The classifier's outputs for a set of images.
     *
     * @param features penultimate-layer features, one row per image
     * @param probabilities softmax class probabilities, one row per image
     * @param predictedClasses the most probable class of each image
     */
    public record Outputs(double[][] features, double[][] probabilities, int[] predictedClasses) {

        /**
         * Returns the accuracy of the predictions against labels.
         *
         * @param labels true classes
         * @return fraction correct
         */
        public double accuracy(int[] labels) {
            if (labels.length != predictedClasses.length) {
                throw new IllegalArgumentException("expected " + predictedClasses.length + " labels, got " + labels.length);
            }
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == predictedClasses[i]) {
                    correct++;
                }
            }
            return correct / (double) labels.length;
        }
    }
}
