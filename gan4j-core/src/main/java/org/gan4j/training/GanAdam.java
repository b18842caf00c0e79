package org.gan4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.config.TrainingConfig.OptimizerConfig;

/**
 * Adam (Kingma and Ba 2015) with torch.optim.Adam's semantics and state that can be saved and restored exactly.
 *
 * <p>With gradient g at update t: {@code m ← β1 m + (1 − β1) g}, {@code v ← β2 v + (1 − β2) g²},
 * {@code w ← w − lr · m̂ / (√v̂ + ε)} where {@code m̂ = m / (1 − β1^t)} and {@code v̂ = v / (1 − β2^t)}.
 *
 * <p>It runs libtorch's fused update through DJL, which computes {@code w ← w − lr_t · m / (√v + ε')}. Choosing
 * {@code lr_t = lr √(1 − β2^t) / (1 − β1^t)} and {@code ε' = ε √(1 − β2^t)} makes that identical to the formula above
 * (DJL's own Adam passes ε unchanged, which differs from PyTorch when gradients are tiny). Unlike DJL's optimizers,
 * the moment estimates and the update count are ours, so a checkpoint holds the complete optimizer state and a
 * resumed run continues bit for bit. The update also zeroes each parameter's gradient.
 */
public final class GanAdam {

    private static final int FORMAT = 1;

    private final OptimizerConfig config;
    private final List<Parameter> parameters;
    private final NDArray[] means;
    private final NDArray[] variances;
    private long updates;
    private double learningRateScale = 1;

    /**
     * Creates the optimizer for the trainable parameters of a block, which must be initialized.
     *
     * @param config learning rate, betas and epsilon
     * @param parameters the block's parameters; those that do not require gradients (running statistics) are skipped
     */
    public GanAdam(OptimizerConfig config, Iterable<Pair<String, Parameter>> parameters) {
        this.config = config;
        this.parameters = new ArrayList<>();
        for (Pair<String, Parameter> pair : parameters) {
            if (pair.getValue().requiresGradient()) {
                this.parameters.add(pair.getValue());
            }
        }
        means = new NDArray[this.parameters.size()];
        variances = new NDArray[this.parameters.size()];
        for (int i = 0; i < means.length; i++) {
            NDArray weight = this.parameters.get(i).getArray();
            means[i] = weight.zerosLike();
            variances[i] = weight.zerosLike();
        }
    }

    /**
     * Applies one Adam update to every parameter from its accumulated gradient, then zeroes the gradient.
     */
    public void step() {
        step(null);
    }

    /**
     * Applies one Adam update like {@link #step()} and, when asked, also returns the squared L2 norm of all gradients
     * before the update (a lazy scalar: reading it is the caller's host round-trip).
     *
     * @param normManager owns the returned norm; null to skip the norm (the hot path)
     * @return Σ‖g‖² over every parameter, or null when {@code normManager} is null
     */
    public NDArray step(NDManager normManager) {
        NDArray squaredNorm = null;
        updates++;
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        double biasCorrection1 = 1 - Math.pow(beta1, updates);
        double biasCorrection2 = 1 - Math.pow(beta2, updates);
        double baseRate = config.learningRate() * learningRateScale;
        float learningRate = (float) (baseRate * Math.sqrt(biasCorrection2) / biasCorrection1);
        float epsilon = (float) (config.epsilon() * Math.sqrt(biasCorrection2));
        for (int i = 0; i < means.length; i++) {
            NDArray weight = parameters.get(i).getArray();
            // getGradient() makes a new native handle each call: close it
            try (NDArray gradient = weight.getGradient()) {
                if (normManager != null) {
                    NDArray part;
                    try (NDArray square = gradient.square()) {
                        part = square.sum();
                    }
                    part.attach(normManager);
                    squaredNorm = squaredNorm == null ? part : squaredNorm.add(part);
                }
                weight.getNDArrayInternal()
                        .adamUpdate(
                                new NDList(weight, gradient, means[i], variances[i]),
                                new NDList(weight),
                                (float) baseRate,
                                learningRate,
                                0f,
                                1f,
                                -1f,
                                (float) beta1,
                                (float) beta2,
                                epsilon,
                                false,
                                false);
            }
        }
        if (normManager != null && squaredNorm == null) {
            squaredNorm = normManager.create(0f);
        }
        return squaredNorm;
    }

    /**
     * Multiplies the configured learning rate by a factor from now on (after a divergence rollback).
     *
     * @param scale the factor, in (0, 1]
     */
    public void setLearningRateScale(double scale) {
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("learning-rate scale must be in (0, 1], got " + scale);
        }
        learningRateScale = scale;
    }

    /**
     * Returns the factor applied to the configured learning rate.
     *
     * @return the scale, 1 unless a rollback lowered it
     */
    public double learningRateScale() {
        return learningRateScale;
    }

    /**
     * Returns how many updates have been applied.
     *
     * @return the update count t
     */
    public long updates() {
        return updates;
    }

    /**
     * Writes the complete state: update count and both moment estimates of every parameter.
     *
     * @param out the stream
     * @throws IOException if writing fails
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        out.writeLong(updates);
        out.writeInt(means.length);
        for (int i = 0; i < means.length; i++) {
            writeArray(out, means[i]);
            writeArray(out, variances[i]);
        }
    }

    /**
     * Restores the state written by {@link #save}; the parameter list must match.
     *
     * @param in the stream
     * @param source names the checkpoint in error messages
     * @throws IOException if reading fails
     */
    public void load(DataInputStream in, String source) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new Gan4jException(source + ": unknown optimizer state format " + format + ", expected " + FORMAT);
        }
        long loadedUpdates = in.readLong();
        int count = in.readInt();
        if (count != means.length) {
            throw new Gan4jException(
                    source + ": optimizer state has " + count + " parameters, the model has " + means.length
                            + " (checkpoint from a different architecture?)");
        }
        for (int i = 0; i < count; i++) {
            readInto(in, means[i], source);
            readInto(in, variances[i], source);
        }
        updates = loadedUpdates;
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void readInto(DataInputStream in, NDArray target, String source) throws IOException {
        int length = in.readInt();
        long expected = target.size() * 4L + 4096;
        if (length < 0 || length > expected) {
            throw new Gan4jException(source + ": corrupt optimizer state (array of " + length + " bytes)");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        NDManager manager = target.getManager();
        try (NDArray loaded = NDArray.decode(manager, bytes)) {
            if (!loaded.getShape().equals(target.getShape())) {
                throw new Gan4jException(
                        source + ": optimizer state shape " + loaded.getShape() + " does not match parameter shape "
                                + target.getShape() + " (checkpoint from a different architecture?)");
            }
            target.set(loaded.toByteBuffer());
        }
    }
}
