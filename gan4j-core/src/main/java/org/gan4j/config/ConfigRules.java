package org.gan4j.config;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.DataKind;
import org.gan4j.config.ModelConfig.Architecture;

/**
 * The allowed values of a gan4j config: a numeric range per key (checked while binding, so the message shows the
 * value as written) and the rules that involve several keys or more than a range (checked on the bound records).
 *
 * <p>docs/configuration.md lists the same rules; keep the two in step.
 */
final class ConfigRules {

    /** Largest magnitude of an entry of data.gaussian.a and .b: the points Z·A + b must fit 32-bit floats. */
    private static final double MAX_GAUSSIAN_ENTRY = 1e30;

    /** Largest sample grid for images: 32 × 32 pictures. */
    static final int MAX_IMAGE_SAMPLE_COUNT = 1024;

    /** Largest number of hidden layers of either MLP. */
    static final int MAX_HIDDEN_LAYERS = 32;

    /** Image sides the DCGAN networks are built for. */
    static final Set<Integer> DCGAN_IMAGE_SIZES = Set.of(28, 32, 64, 128);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final Map<String, Bound> BOUNDS = bounds();

    private ConfigRules() {}

    /**
     * An interval of allowed numbers; a null end is unbounded.
     *
     * @param min the lower end, or null
     * @param minInclusive whether the lower end itself is allowed
     * @param max the upper end, or null
     * @param maxInclusive whether the upper end itself is allowed
     */
    record Bound(BigDecimal min, boolean minInclusive, BigDecimal max, boolean maxInclusive) {

        /**
         * Whether a number lies in this interval.
         *
         * @param value the number
         * @return true if allowed
         */
        boolean contains(BigDecimal value) {
            if (min != null) {
                int compared = value.compareTo(min);
                if (compared < 0 || (compared == 0 && !minInclusive)) {
                    return false;
                }
            }
            if (max != null) {
                int compared = value.compareTo(max);
                return compared < 0 || (compared == 0 && maxInclusive);
            }
            return true;
        }

        /**
         * Describes the interval after "must be" in a message.
         *
         * @return for example "between 1 and 100", "at least 0" or "in (0, 10]"
         */
        String describe() {
            String low = min == null ? null : min.toPlainString();
            String high = max == null ? null : max.toPlainString();
            if (low != null && high != null) {
                if (minInclusive && maxInclusive) {
                    return "between " + low + " and " + high;
                }
                return "in " + (minInclusive ? "[" : "(") + low + ", " + high + (maxInclusive ? "]" : ")");
            }
            if (low != null) {
                return (minInclusive ? "at least " : "greater than ") + low;
            }
            if (high != null) {
                return (maxInclusive ? "at most " : "less than ") + high;
            }
            return "a number";
        }
    }

    private static Bound closed(long min, long max) {
        return new Bound(BigDecimal.valueOf(min), true, BigDecimal.valueOf(max), true);
    }

    private static Bound atLeast(long min) {
        return new Bound(BigDecimal.valueOf(min), true, null, false);
    }

    private static Bound positive() {
        return new Bound(BigDecimal.ZERO, false, null, false);
    }

    private static Bound interval(String min, boolean minInclusive, String max, boolean maxInclusive) {
        return new Bound(new BigDecimal(min), minInclusive, new BigDecimal(max), maxInclusive);
    }

    private static Map<String, Bound> bounds() {
        Map<String, Bound> bounds = new HashMap<>();
        bounds.put("data.samples", closed(1, 10_000_000));
        bounds.put("data.ring.modes", closed(1, 1000));
        bounds.put("data.ring.radius", positive());
        bounds.put("data.ring.std", positive());
        bounds.put("data.grid.side", closed(1, 100));
        bounds.put("data.grid.spacing", positive());
        bounds.put("data.grid.std", positive());
        bounds.put("data.imageSize", closed(0, 1024));
        bounds.put("data.limit", atLeast(0));
        bounds.put("model.latentSize", closed(1, 4096));
        bounds.put("model.mlp.generatorHidden", closed(1, 65536));
        bounds.put("model.mlp.discriminatorHidden", closed(1, 65536));
        bounds.put("model.mlp.discriminatorMaxoutPieces", closed(0, 64));
        bounds.put("model.mlp.initStd", interval("0", true, "10", true));
        bounds.put("model.dcgan.generatorFeatures", closed(1, 1024));
        bounds.put("model.dcgan.discriminatorFeatures", closed(1, 1024));
        bounds.put("model.packing", closed(1, 16));
        bounds.put("loss.realLabel", interval("0.5", false, "1", true));
        bounds.put("training.batchSize", closed(1, 65536));
        bounds.put("training.steps", closed(1, 1_000_000_000));
        bounds.put("training.dSteps", closed(1, 100));
        bounds.put("training.gSteps", closed(1, 100));
        bounds.put("training.threads", closed(0, 1024));
        bounds.put("training.maxRollbacks", closed(0, 100));
        bounds.put("training.rollbackLearningRateFactor", interval("0", false, "1", true));
        for (String optimizer : List.of("training.generator", "training.discriminator")) {
            bounds.put(optimizer + ".learningRate", interval("0", false, "10", true));
            bounds.put(optimizer + ".beta1", interval("0", true, "1", false));
            bounds.put(optimizer + ".beta2", interval("0", true, "1", false));
            bounds.put(optimizer + ".epsilon", interval("0", false, "1", false));
        }
        bounds.put("output.logEvery", atLeast(1));
        bounds.put("output.sampleEvery", atLeast(0));
        bounds.put("output.plotEvery", atLeast(0));
        bounds.put("output.checkpointEvery", atLeast(0));
        bounds.put("output.keepCheckpoints", closed(1, 1000));
        bounds.put("output.sampleCount", closed(1, 100_000));
        return Map.copyOf(bounds);
    }

    /**
     * Returns the range of a numeric key (for a list key, of each element).
     *
     * @param path the dotted key without indices
     * @return the range, or null when any finite value of the key's type is allowed
     */
    static Bound bound(String path) {
        return BOUNDS.get(path);
    }

    /**
     * Checks the rules that a per-key range cannot express.
     *
     * @param config the bound config
     * @param sources where each value came from, for the messages
     * @throws Gan4jException naming the keys, their sources and what is expected
     */
    static void validate(RunConfig config, ConfigSources sources) {
        validateName(config.name(), sources);
        validateData(config, sources);
        validateModel(config, sources);
        validateTraining(config, sources);
        validateOutput(config, sources);
    }

    /**
     * Whether the networks will be DCGANs: asked for, or chosen by {@code auto} because the data are images.
     *
     * @param config the config
     * @return true if the architecture resolves to dcgan
     */
    static boolean usesDcgan(RunConfig config) {
        Architecture architecture = config.model().architecture();
        return architecture == Architecture.DCGAN
                || (architecture == Architecture.AUTO && !config.data().kind().isPoints());
    }

    private static void validateName(String name, ConfigSources sources) {
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new Gan4jException(
                    "name in " + sources.of("name") + " must be 1 to 64 letters, digits, '.', '_' or '-' (not '.' or"
                            + " '..'; it names the run directory), got " + ConfigText.quote(name));
        }
    }

    private static void validateData(RunConfig config, ConfigSources sources) {
        DataConfig data = config.data();
        DataKind kind = data.kind();
        if (!kind.isPoints() && (data.path() == null || data.path().isBlank())) {
            throw new Gan4jException(
                    "data.path is required when data.kind is " + ConfigSchema.enumName(kind) + " (data.kind in "
                            + sources.of("data.kind") + "); set it in the YAML file or with --set data.path=...");
        }
        if (kind.isPoints() && data.path() != null && !data.path().isBlank() && !sources.isRecorded("data.path")) {
            // a config with only 'data: {path: my-photos/}' trained on the default 2-D Gaussian without a word (a
            // run made so before 1 December recorded that path in its run.json: reading it back is not refused)
            throw new Gan4jException(
                    "data.path (" + ConfigText.quote(data.path()) + ", in " + sources.of("data.path")
                            + ") is not read when data.kind is " + ConfigSchema.enumName(kind) + " (data.kind in "
                            + sources.of("data.kind") + "), which draws 2-D points; to train on that path set"
                            + " data.kind to auto (or idx, cifar, folder), else remove data.path");
        }
        if (data.path() != null) {
            requireNoControlCharacters("data.path", data.path(), sources);
        }
        List<List<Double>> a = data.gaussian().a();
        if (a.size() != 2 || a.get(0).size() != 2 || a.get(1).size() != 2) {
            throw new Gan4jException(
                    "data.gaussian.a in " + sources.of("data.gaussian.a")
                            + " must be a 2×2 matrix written as two rows, e.g. [[1.0, 2.0], [-0.1, 0.5]], got "
                            + shape(a));
        }
        if (data.gaussian().b().size() != 2) {
            throw new Gan4jException(
                    "data.gaussian.b in " + sources.of("data.gaussian.b")
                            + " must hold 2 numbers, e.g. [1.0, 2.0], got " + data.gaussian().b().size());
        }
        // the points are 32-bit floats: larger entries overflow to infinity, and the run would then stop blaming G
        for (String key : List.of("a", "b")) {
            List<Double> values = key.equals("a")
                    ? a.stream().flatMap(List::stream).toList() : data.gaussian().b();
            for (double value : values) {
                if (Math.abs(value) > MAX_GAUSSIAN_ENTRY) {
                    throw new Gan4jException("data.gaussian." + key + " in " + sources.of("data.gaussian." + key)
                            + " must hold numbers within ±1e30 (the data are 32-bit floats, whose largest value is"
                            + " about 3.4e38), got " + value);
                }
            }
        }
        int imageSize = data.imageSize();
        if (usesDcgan(config)) {
            if (imageSize != 0 && !DCGAN_IMAGE_SIZES.contains(imageSize)) {
                throw new Gan4jException(
                        "data.imageSize in " + sources.of("data.imageSize")
                                + " must be 0 (the data's own size) or one of 28, 32, 64, 128 for the dcgan"
                                + " architecture, got " + imageSize);
            }
        } else if (imageSize != 0 && imageSize < 8) {
            throw new Gan4jException(
                    "data.imageSize in " + sources.of("data.imageSize")
                            + " must be 0 (the data's own size) or between 8 and 1024, got " + imageSize);
        }
        if (data.channels() != 0 && data.channels() != 1 && data.channels() != 3) {
            throw new Gan4jException(
                    "data.channels in " + sources.of("data.channels")
                            + " must be 0 (the data's own), 1 (grey) or 3 (RGB), got " + data.channels());
        }
        if (kind == DataKind.FOLDER && (imageSize == 0 || data.channels() == 0)) {
            String key = imageSize == 0 ? "data.imageSize" : "data.channels";
            throw new Gan4jException(
                    key + " in " + sources.of(key) + " must be set (not 0) when data.kind is folder (data.kind in "
                            + sources.of("data.kind") + "): a folder of images has no single native "
                            + (imageSize == 0 ? "size; e.g. 64" : "channel count; 1 or 3"));
        }
    }

    private static String shape(List<List<Double>> matrix) {
        StringBuilder out = new StringBuilder().append(matrix.size()).append(matrix.size() == 1 ? " row" : " rows");
        if (!matrix.isEmpty()) {
            out.append(" of ");
            for (int i = 0; i < matrix.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(matrix.get(i).size());
            }
            out.append(" numbers");
        }
        return out.toString();
    }

    private static void validateModel(RunConfig config, ConfigSources sources) {
        ModelConfig model = config.model();
        if (model.architecture() == Architecture.DCGAN && config.data().kind().isPoints()) {
            throw new Gan4jException(
                    "model.architecture in " + sources.of("model.architecture") + " is dcgan, which needs images, but"
                            + " data.kind in " + sources.of("data.kind") + " is "
                            + ConfigSchema.enumName(config.data().kind())
                            + " (2-D points); use mlp (or auto) for point data");
        }
        requireLayerCount("model.mlp.generatorHidden", model.mlp().generatorHidden(), sources);
        requireLayerCount("model.mlp.discriminatorHidden", model.mlp().discriminatorHidden(), sources);
        if (model.mlp().discriminatorMaxoutPieces() == 1) {
            throw new Gan4jException(
                    "model.mlp.discriminatorMaxoutPieces in " + sources.of("model.mlp.discriminatorMaxoutPieces")
                            + " must be 0 (plain activation) or between 2 and 64, got 1: a maxout of one piece is"
                            + " a linear unit with no activation at all");
        }
        int batchSize = config.training().batchSize();
        if (batchSize % model.packing() != 0) {
            throw new Gan4jException(
                    "training.batchSize (" + batchSize + ", in " + sources.of("training.batchSize")
                            + ") must be divisible by model.packing (" + model.packing() + ", in "
                            + sources.of("model.packing") + "): D judges packs of that many samples");
        }
    }

    private static void requireLayerCount(String key, List<Integer> widths, ConfigSources sources) {
        if (widths.size() > MAX_HIDDEN_LAYERS) {
            throw new Gan4jException(
                    key + " in " + sources.of(key) + " must have at most " + MAX_HIDDEN_LAYERS + " hidden layers, got "
                            + widths.size());
        }
    }

    private static void validateTraining(RunConfig config, ConfigSources sources) {
        TrainingConfig training = config.training();
        if (training.dSteps() != 1 && training.gSteps() != 1) {
            throw new Gan4jException(
                    "training.dSteps (" + training.dSteps() + ", in " + sources.of("training.dSteps")
                            + ") or training.gSteps (" + training.gSteps() + ", in " + sources.of("training.gSteps")
                            + ") must be 1: a step is k discriminator updates and 1 generator update, or 1 and k");
        }
    }

    private static void validateOutput(RunConfig config, ConfigSources sources) {
        OutputConfig output = config.output();
        if (output.dir().isBlank()) {
            throw new Gan4jException(
                    "output.dir in " + sources.of("output.dir") + " must name a folder, got " + ConfigText.quote(output.dir()));
        }
        requireNoControlCharacters("output.dir", output.dir(), sources);
        if (!config.data().kind().isPoints() && output.sampleCount() > MAX_IMAGE_SAMPLE_COUNT) {
            throw new Gan4jException(
                    "output.sampleCount in " + sources.of("output.sampleCount") + " must be at most "
                            + MAX_IMAGE_SAMPLE_COUNT + " for image data (the images of one grid), got "
                            + output.sampleCount() + "; up to 100000 is allowed for 2-D point scatters");
        }
    }

    private static void requireNoControlCharacters(String key, String value, ConfigSources sources) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new Gan4jException(
                        key + " in " + sources.of(key) + " must not contain control characters, got "
                                + ConfigText.quote(value));
            }
        }
    }
}
