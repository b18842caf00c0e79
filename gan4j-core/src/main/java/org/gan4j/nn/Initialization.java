package org.gan4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.SplittableRandom;

/**
 * Deterministic weight initialization from a seeded Java RNG, independent of the engine's RNG.
 *
 * <p>Parameters are visited in the block's parameter-list order and identified by their DJL
 * {@link Parameter.Type}; each gets its own stream split from {@code new SplittableRandom(seed)}, and normal draws
 * use Box–Muller, so the same seed gives bit-identical weights on every JVM and engine build. The block must
 * already be initialized (parameter shapes known). Running batch-norm statistics are reset to mean 0, variance 1.
 */
public final class Initialization {

    private static final double DCGAN_STD = 0.02;

    private Initialization() {}

    /**
     * The DCGAN scheme (Radford et al. 2015): convolution and linear weights ~ N(0, 0.02²), batch-norm γ ~ N(1,
     * 0.02²), β and biases 0, as in pytorch/examples {@code dcgan}'s {@code weights_init}.
     *
     * @param block an initialized block
     * @param seed the seed
     * @throws IllegalStateException if the block is not initialized
     */
    public static void dcgan(Block block, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        for (Pair<String, Parameter> pair : parameters(block)) {
            Parameter parameter = pair.getValue();
            SplittableRandom random = root.split();
            int size = Math.toIntExact(parameter.getShape().size());
            switch (parameter.getType()) {
                case WEIGHT:
                    set(parameter, normal(random, size, 0, DCGAN_STD));
                    break;
                case GAMMA:
                    set(parameter, normal(random, size, 1, DCGAN_STD));
                    break;
                default:
                    setStandard(parameter, size);
                    break;
            }
        }
    }

    /**
     * Isotropic Gaussian weights, as Blocks' {@code IsotropicGaussian} in the PacGAN and VEEGAN code: weights ~ N(0,
     * std²), biases 0, batch-norm γ 1 and β 0.
     *
     * @param block an initialized block
     * @param seed the seed
     * @param std the weights' standard deviation, positive
     * @throws IllegalStateException if the block is not initialized
     */
    public static void normal(Block block, long seed, double std) {
        normal(block, seed, std, false);
    }

    /**
     * Isotropic Gaussian weights and, with {@code biases}, Gaussian biases too: d2l's {@code nn.init.normal_(w, 0,
     * 0.02)} over every parameter of its toy GAN. Batch-norm γ stays 1 and β 0. The weights are the same values with
     * or without {@code biases} (each parameter draws from its own split of the seed's stream).
     *
     * @param block an initialized block
     * @param seed the seed
     * @param std the standard deviation, positive
     * @param biases whether biases are drawn from N(0, std²) as well (else 0)
     * @throws IllegalStateException if the block is not initialized
     */
    public static void normal(Block block, long seed, double std, boolean biases) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("std must be positive, got " + std);
        }
        SplittableRandom root = new SplittableRandom(seed);
        for (Pair<String, Parameter> pair : parameters(block)) {
            Parameter parameter = pair.getValue();
            SplittableRandom random = root.split();
            int size = Math.toIntExact(parameter.getShape().size());
            if (parameter.getType() == Parameter.Type.WEIGHT
                    || (biases && parameter.getType() == Parameter.Type.BIAS)) {
                set(parameter, normal(random, size, 0, std));
            } else {
                setStandard(parameter, size);
            }
        }
    }

    /**
     * PyTorch's default for {@code nn.Linear} and {@code nn.Conv2d}: weights and biases ~ U(−1/√fan_in,
     * 1/√fan_in), batch-norm γ 1 and β 0.
     *
     * <p>fan_in is the product of a weight's shape after its first axis, as in
     * {@code torch.nn.init._calculate_fan_in_and_fan_out}: in for a linear (out, in) weight, in·k·k for a
     * convolution (out, in, k, k), and (as PyTorch does) out·k·k for a transposed convolution (in, out, k, k). A bias
     * uses the fan_in of the weight of its own layer.
     *
     * @param block an initialized block
     * @param seed the seed
     * @throws IllegalStateException if the block is not initialized or a bias has no weight beside it
     */
    public static void pytorchDefault(Block block, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        PairList<String, Parameter> parameters = parameters(block);
        for (Pair<String, Parameter> pair : parameters) {
            Parameter parameter = pair.getValue();
            SplittableRandom random = root.split();
            int size = Math.toIntExact(parameter.getShape().size());
            switch (parameter.getType()) {
                case WEIGHT:
                    set(parameter, uniform(random, size, 1 / Math.sqrt(fanIn(parameter.getShape()))));
                    break;
                case BIAS:
                    String weightName = pair.getKey().replaceFirst("bias$", "weight");
                    Parameter weight = parameters.get(weightName);
                    if (weight == null || weight.getType() != Parameter.Type.WEIGHT) {
                        throw new IllegalStateException("no weight " + weightName + " for bias " + pair.getKey());
                    }
                    set(parameter, uniform(random, size, 1 / Math.sqrt(fanIn(weight.getShape()))));
                    break;
                default:
                    setStandard(parameter, size);
                    break;
            }
        }
    }

    /**
     * Returns fan_in of a weight: the product of its shape after the first axis.
     *
     * @param weightShape the weight's shape, at least 2-D
     * @return fan_in
     */
    public static long fanIn(Shape weightShape) {
        if (weightShape.dimension() < 2) {
            throw new IllegalArgumentException("fan_in needs a weight with at least 2 axes, got " + weightShape);
        }
        return weightShape.slice(1).size();
    }

    private static PairList<String, Parameter> parameters(Block block) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("initialize the block (parameter shapes) before Initialization");
        }
        return block.getParameters();
    }

    /** Sets biases, β and running mean to 0 and γ and running variance to 1; leaves other types alone. */
    private static void setStandard(Parameter parameter, int size) {
        switch (parameter.getType()) {
            case BIAS:
            case BETA:
            case RUNNING_MEAN:
                set(parameter, new float[size]);
                break;
            case GAMMA:
            case RUNNING_VAR:
                float[] ones = new float[size];
                java.util.Arrays.fill(ones, 1f);
                set(parameter, ones);
                break;
            default:
                break;
        }
    }

    private static void set(Parameter parameter, float[] values) {
        NDArray array = parameter.getArray();
        array.set(values);
    }

    private static float[] normal(SplittableRandom random, int size, double mean, double std) {
        float[] values = new float[size];
        for (int i = 0; i < size; i += 2) {
            // Box–Muller: two independent N(0, 1) from two uniforms; 1 − u lies in (0, 1], so the log is finite.
            double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble()));
            double angle = 2 * Math.PI * random.nextDouble();
            values[i] = (float) (mean + std * radius * StrictMath.cos(angle));
            if (i + 1 < size) {
                values[i + 1] = (float) (mean + std * radius * StrictMath.sin(angle));
            }
        }
        return values;
    }

    private static float[] uniform(SplittableRandom random, int size, double bound) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }
}
