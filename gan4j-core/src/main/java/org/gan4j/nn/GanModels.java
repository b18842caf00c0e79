package org.gan4j.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gan4j.Gan4jException;
import org.gan4j.config.Defaults;
import org.gan4j.config.ModelConfig;
import org.gan4j.config.ModelConfig.Architecture;
import org.gan4j.config.ModelConfig.DcganConfig;
import org.gan4j.config.ModelConfig.MlpConfig;
import org.gan4j.nn.dcgan.DcganDiscriminator;
import org.gan4j.nn.dcgan.DcganGenerator;
import org.gan4j.nn.mlp.MlpDiscriminator;
import org.gan4j.nn.mlp.MlpGenerator;

/**
 * The generator and discriminator of one run, built from the {@code model} config and the shape of one example.
 *
 * <p>{@link Architecture#AUTO} resolves to MLP for points (example shape {@code [D]}) and DCGAN for images
 * ({@code [C, H, W]}). The generator maps (N, latentSize) to (N, exampleShape…); the discriminator maps a packed
 * batch (N/m, m·exampleShape[0], …) — see {@link Packing#pack} — to (N/m, 1) logits.
 */
public final class GanModels {

    /**
     * Momentum of every batch-norm layer gan4j builds: running = 0.9 · running + 0.1 · batch (PyTorch's 0.1).
     * {@link org.gan4j.training.GanTrainer#recalibrateBatchNorm} relies on it.
     */
    public static final float BATCH_NORM_MOMENTUM = 0.9f;

    private final Architecture architecture;
    private final long[] exampleShape;
    private final int latentSize;
    private final int packing;
    private final Block generator;
    private final Block discriminator;
    private final String description;
    /** N(0, σ²) weights and zero biases when positive (MLP only); PyTorch's default initialization when 0. */
    private final double initStd;
    /** With {@link #initStd}: biases N(0, σ²) as well. */
    private final boolean normalBiases;

    private GanModels(
            Architecture architecture,
            long[] exampleShape,
            int latentSize,
            int packing,
            Block generator,
            Block discriminator,
            String description,
            double initStd,
            boolean normalBiases) {
        this.architecture = architecture;
        this.exampleShape = exampleShape;
        this.latentSize = latentSize;
        this.packing = packing;
        this.generator = generator;
        this.discriminator = discriminator;
        this.description = description;
        this.initStd = initStd;
        this.normalBiases = normalBiases;
    }

    /**
     * Builds both networks for the given data, validating the config against it.
     *
     * @param model the {@code model} config section
     * @param exampleShape the shape of one real example: {@code [D]} for points, {@code [C, H, W]} for images
     * @return the models (not yet initialized; see {@link #initialize})
     * @throws Gan4jException naming the config key and value when the config does not fit the data
     */
    public static GanModels create(ModelConfig model, long[] exampleShape) {
        if (exampleShape == null || exampleShape.length == 0) {
            throw new Gan4jException("data: example shape is empty; expected [D] for points or [C, H, W] for images");
        }
        long[] shape = exampleShape.clone();
        for (long dimension : shape) {
            if (dimension < 1) {
                throw new Gan4jException("data: example shape " + Arrays.toString(shape) + " has an empty axis");
            }
        }
        ModelConfig defaults = Defaults.config().model();
        Architecture requested = model.architecture() == null ? Architecture.AUTO : model.architecture();
        Architecture architecture = resolve(requested, shape);
        if (model.latentSize() < 1) {
            throw new Gan4jException("model.latentSize must be >= 1, got " + model.latentSize());
        }
        if (model.packing() < 1) {
            throw new Gan4jException("model.packing must be >= 1, got " + model.packing());
        }
        int latentSize = model.latentSize();
        int packing = model.packing();
        if (architecture == Architecture.DCGAN) {
            DcganConfig dcgan = model.dcgan() == null ? defaults.dcgan() : model.dcgan();
            if (shape[1] != shape[2]) {
                throw new Gan4jException(
                        "model.architecture=dcgan needs square images, got shape " + Arrays.toString(shape));
            }
            int size = Math.toIntExact(shape[1]);
            if (size != 28 && size != 32 && size != 64 && size != 128) {
                throw new Gan4jException(
                        "model.architecture=dcgan does not support image size " + size + " (data shape "
                                + Arrays.toString(shape) + "); supported sizes: 28, 32, 64, 128");
            }
            if (dcgan.generatorFeatures() < 1) {
                throw new Gan4jException(
                        "model.dcgan.generatorFeatures must be >= 1, got " + dcgan.generatorFeatures());
            }
            if (dcgan.discriminatorFeatures() < 1) {
                throw new Gan4jException(
                        "model.dcgan.discriminatorFeatures must be >= 1, got " + dcgan.discriminatorFeatures());
            }
            int channels = Math.toIntExact(shape[0]);
            Block generator =
                    DcganGenerator.builder()
                            .setImageSize(size)
                            .setChannels(channels)
                            .optLatentSize(latentSize)
                            .optFeatures(dcgan.generatorFeatures())
                            .build();
            Block discriminator =
                    DcganDiscriminator.builder()
                            .setImageSize(size)
                            .setChannels(channels)
                            .optFeatures(dcgan.discriminatorFeatures())
                            .optPacking(packing)
                            .build();
            String description =
                    "G ngf=" + dcgan.generatorFeatures() + " D ndf=" + dcgan.discriminatorFeatures();
            return new GanModels(architecture, shape, latentSize, packing, generator, discriminator, description, 0, false);
        }
        MlpConfig mlp = model.mlp() == null ? defaults.mlp() : model.mlp();
        validateMlp(mlp);
        long features = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        int size = Math.toIntExact(features);
        MlpGenerator.Builder generator =
                MlpGenerator.builder()
                        .setLatentSize(latentSize)
                        .setOutputSize(size)
                        .optHidden(mlp.generatorHidden())
                        .optActivation(mlp.generatorActivation())
                        .optBatchNorm(mlp.generatorBatchNorm())
                        .optOutputActivation(mlp.generatorOutput());
        if (shape.length > 1) {
            generator.optOutputShape(new Shape(shape));
        }
        Block discriminator =
                MlpDiscriminator.builder()
                        .setInputSize(size)
                        .optHidden(mlp.discriminatorHidden())
                        .optActivation(mlp.discriminatorActivation())
                        .optMaxoutPieces(mlp.discriminatorMaxoutPieces())
                        .optPacking(packing)
                        .build();
        String description =
                "G hidden="
                        + mlp.generatorHidden()
                        + " activation="
                        + mlp.generatorActivation()
                        + " batchNorm="
                        + mlp.generatorBatchNorm()
                        + " output="
                        + mlp.generatorOutput()
                        + " D hidden="
                        + mlp.discriminatorHidden()
                        + " activation="
                        + (mlp.discriminatorMaxoutPieces() > 0 ? "maxout" : mlp.discriminatorActivation())
                        + " maxoutPieces="
                        + mlp.discriminatorMaxoutPieces();
        return new GanModels(
                architecture, shape, latentSize, packing, generator.build(), discriminator, description, mlp.initStd(),
                mlp.initBiases() == ModelConfig.BiasInit.NORMAL);
    }

    /**
     * Refuses a request to re-estimate the generator's batch-norm statistics ({@code --bn-batches},
     * {@code --eval-bn-batches}) when the generator the config builds has no batch norm, where it would do nothing.
     *
     * @param option the option's name, for the message
     * @param batches the requested batch count; 0 (the default, no re-estimation) is always accepted
     * @param model the {@code model} config section
     * @param points whether the data are 2-D points (an {@code auto} architecture is then an MLP, else a DCGAN)
     * @throws Gan4jException naming the option and the config key that leaves G without batch norm
     */
    public static void checkBatchNormOption(String option, int batches, ModelConfig model, boolean points) {
        if (batches == 0) {
            return;
        }
        Architecture requested = model.architecture() == null ? Architecture.AUTO : model.architecture();
        if (requested == Architecture.DCGAN || (requested == Architecture.AUTO && !points)) {
            return;
        }
        MlpConfig mlp = model.mlp() == null ? Defaults.config().model().mlp() : model.mlp();
        String why = !mlp.generatorBatchNorm() ? "model.mlp.generatorBatchNorm is false"
                : mlp.generatorHidden().isEmpty() ? "model.mlp.generatorHidden is empty, so no layer is followed by"
                        + " batch norm" : null;
        if (why != null) {
            throw new Gan4jException(option + " " + batches + " re-estimates the generator's batch-norm statistics,"
                    + " but this run's generator has none (" + why + "): leave " + option + " out");
        }
    }

    private static Architecture resolve(Architecture requested, long[] shape) {
        boolean points = shape.length == 1;
        boolean images = shape.length == 3;
        if (!points && !images) {
            throw new Gan4jException(
                    "data: example shape " + Arrays.toString(shape)
                            + " is neither points [D] nor images [C, H, W]");
        }
        switch (requested) {
            case AUTO:
                return points ? Architecture.MLP : Architecture.DCGAN;
            case DCGAN:
                if (points) {
                    throw new Gan4jException(
                            "model.architecture=dcgan needs image data, got points of shape "
                                    + Arrays.toString(shape));
                }
                return Architecture.DCGAN;
            default:
                return requested;
        }
    }

    private static void validateMlp(MlpConfig mlp) {
        checkWidths("model.mlp.generatorHidden", mlp.generatorHidden());
        checkWidths("model.mlp.discriminatorHidden", mlp.discriminatorHidden());
        if (mlp.generatorActivation() == null) {
            throw new Gan4jException("model.mlp.generatorActivation must be set");
        }
        if (mlp.generatorOutput() == null) {
            throw new Gan4jException("model.mlp.generatorOutput must be set");
        }
        if (mlp.discriminatorActivation() == null) {
            throw new Gan4jException("model.mlp.discriminatorActivation must be set");
        }
        if (mlp.discriminatorMaxoutPieces() < 0) {
            throw new Gan4jException(
                    "model.mlp.discriminatorMaxoutPieces must be >= 0, got " + mlp.discriminatorMaxoutPieces());
        }
    }

    private static void checkWidths(String key, List<Integer> widths) {
        if (widths == null) {
            throw new Gan4jException(key + " must be a list of widths, got null");
        }
        for (Integer width : widths) {
            if (width == null || width < 1) {
                throw new Gan4jException(key + " widths must be >= 1, got " + widths);
            }
        }
    }

    /**
     * Initializes both blocks for their input shapes and sets their weights deterministically: the DCGAN scheme
     * for DCGAN ({@link Initialization#dcgan}), PyTorch's default for MLP ({@link Initialization#pytorchDefault}) or,
     * with {@code model.mlp.initStd} set, N(0, σ²) weights and, with {@code model.mlp.initBiases: normal}, biases
     * ({@link Initialization#normal}).
     * The generator uses the seed, the discriminator a seed derived from it.
     *
     * @param manager the manager that owns the parameters (the models' manager)
     * @param seed the seed
     */
    public void initialize(NDManager manager, long seed) {
        generator.initialize(manager, DataType.FLOAT32, generatorInputShape(2));
        discriminator.initialize(manager, DataType.FLOAT32, discriminatorInputShape(2));
        long discriminatorSeed = seed ^ 0x9E3779B97F4A7C15L;
        if (architecture == Architecture.DCGAN) {
            Initialization.dcgan(generator, seed);
            Initialization.dcgan(discriminator, discriminatorSeed);
        } else if (initStd > 0) {
            Initialization.normal(generator, seed, initStd, normalBiases);
            Initialization.normal(discriminator, discriminatorSeed, initStd, normalBiases);
        } else {
            Initialization.pytorchDefault(generator, seed);
            Initialization.pytorchDefault(discriminator, discriminatorSeed);
        }
    }

    /**
     * Returns the generator's input shape for a batch: (batch, latentSize).
     *
     * @param batchSize N
     * @return the shape
     */
    public Shape generatorInputShape(long batchSize) {
        return new Shape(batchSize, latentSize);
    }

    /**
     * Returns the discriminator's input shape for a batch of already packed samples: (batch, m·exampleShape[0],
     * exampleShape[1…]).
     *
     * @param packedBatchSize the number of packed samples N/m
     * @return the shape
     */
    public Shape discriminatorInputShape(long packedBatchSize) {
        long[] dimensions = new long[exampleShape.length + 1];
        dimensions[0] = packedBatchSize;
        System.arraycopy(exampleShape, 0, dimensions, 1, exampleShape.length);
        dimensions[1] *= packing;
        return new Shape(dimensions);
    }

    /**
     * Returns the generator: (N, latentSize) → (N, exampleShape…).
     *
     * @return the generator block
     */
    public Block generator() {
        return generator;
    }

    /**
     * Returns the discriminator: packed (N/m, m·C, …) → (N/m, 1) logits.
     *
     * @return the discriminator block
     */
    public Block discriminator() {
        return discriminator;
    }

    /**
     * Returns the latent dimension nz.
     *
     * @return the latent size
     */
    public int latentSize() {
        return latentSize;
    }

    /**
     * Returns the shape of one example.
     *
     * @return a fresh copy of the example shape
     */
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    /**
     * Returns the PacGAN packing m the discriminator expects.
     *
     * @return the packing (1 = none)
     */
    public int packing() {
        return packing;
    }

    /**
     * Returns the resolved architecture (never AUTO).
     *
     * @return MLP or DCGAN
     */
    public Architecture architecture() {
        return architecture;
    }

    /**
     * Returns a stable description of the architecture and every parameter's name and shape, to refuse
     * checkpoints from a different architecture. Equal strings mean interchangeable parameters.
     *
     * @return the fingerprint
     * @throws IllegalStateException if {@link #initialize} has not run (parameter shapes are unknown)
     */
    public String fingerprint() {
        if (!generator.isInitialized() || !discriminator.isInitialized()) {
            throw new IllegalStateException("initialize the models before asking for their fingerprint");
        }
        StringBuilder fingerprint = new StringBuilder();
        fingerprint
                .append(architecture.name().toLowerCase(Locale.ROOT))
                .append(" example=")
                .append(Arrays.toString(exampleShape))
                .append(" latent=")
                .append(latentSize)
                .append(" packing=")
                .append(packing)
                .append(' ')
                .append(description);
        appendParameters(fingerprint, "G", generator);
        appendParameters(fingerprint, "D", discriminator);
        return fingerprint.toString();
    }

    private static void appendParameters(StringBuilder fingerprint, String network, Block block) {
        fingerprint.append(" | ").append(network).append(':');
        for (Pair<String, Parameter> pair : block.getParameters()) {
            fingerprint.append(' ').append(pair.getKey()).append(pair.getValue().getShape());
        }
    }
}
