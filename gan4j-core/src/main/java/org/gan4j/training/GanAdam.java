package org.gan4j.training;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.gan4j.Gan4jException;
import org.gan4j.config.TrainingConfig.OptimizerConfig;
import org.gan4j.nn.TorchScriptModules;
import org.gan4j.nn.layers.MemoryFormat;

/**
 * Adam (Kingma and Ba 2015) with torch.optim.Adam's semantics and state that can be saved and restored exactly.
 *
 * <p>With gradient g at update t: {@code m ← β1 m + (1 − β1) g}, {@code v ← β2 v + (1 − β2) g²},
 * {@code w ← w − lr · m̂ / (√v̂ + ε)} where {@code m̂ = m / (1 − β1^t)} and {@code v̂ = v / (1 − β2^t)}.
 *
 * <p>One step updates all parameters in one engine call ({@link Update#FUSED}, the default): libtorch's fused Adam
 * kernel, the one behind {@code torch.optim.Adam(fused=True)}, run through a small TorchScript module shipped as a
 * resource ({@code adam.pt}, made by {@code gan4j-core/src/main/torchscript/make_adam.py}). Where the loaded libtorch
 * has no fused kernel for the device (before 2.4 on the CPU) it falls back to {@link Update#FOREACH}, the same formula
 * as multi-tensor operations. {@link Update#PER_PARAMETER} is DJL's update, one engine call of about ten operations
 * per parameter, with {@code lr_t = lr √(1 − β2^t) / (1 − β1^t)} and {@code ε' = ε √(1 − β2^t)} so that it computes
 * the formula above (DJL's own Adam passes ε unchanged, which differs from PyTorch when gradients are tiny; both are
 * also rescaled for the float β1 and β2 that DJL's native update takes); it is kept for comparison and chosen with
 * the system property {@code gan4j.adam=per-parameter} ({@code fused},
 * {@code foreach} likewise). All three agree to float rounding.
 *
 * <p>Unlike DJL's optimizers, the moment estimates and the update count are ours, so a checkpoint holds the complete
 * optimizer state and a resumed run continues bit for bit.
 *
 * <p>The gradients come one of two ways. The trainer asks for them ({@link #gradients}, {@link #accumulate}: libtorch's
 * {@code torch.autograd.grad}) and passes them to {@link #step(Gradients, NDManager)}: nothing is accumulated in or
 * zeroed from the parameters' {@code .grad}. {@link #step()} instead applies what backward passes accumulated in
 * {@code .grad} and then zeroes it, for code that back-propagates with DJL's {@code GradientCollector}.
 */
public final class GanAdam {

    /** How a step is computed; all give torch.optim.Adam's update to float rounding. */
    public enum Update {
        /** libtorch's fused Adam kernel for all parameters at once, then the gradients zeroed (the default). */
        FUSED,
        /** Multi-tensor operations for all parameters at once (torch.optim.Adam's foreach formulation). */
        FOREACH,
        /** DJL's update, one engine call per parameter plus one to zero its gradient. */
        PER_PARAMETER
    }

    private static final int FORMAT = 1;
    private static final String MODULE_RESOURCE = "adam.pt";
    private static final String GRADIENTS_RESOURCE = "gradients.pt";
    /** Devices whose libtorch turned out to lack the fused kernel (they use FOREACH). */
    private static final Map<Device, Boolean> NO_FUSED_KERNEL = new ConcurrentHashMap<>();

    private final OptimizerConfig config;
    private final List<Parameter> parameters;
    private final PtNDArray[] means;
    private final PtNDArray[] variances;
    private final Update update;
    /** torch.optim.Adam's step tensor (float32 scalar on the parameters' device), refilled with t by every step. */
    private final PtNDArray stepTensor;
    private long updates;
    private double learningRateScale = 1;

    /**
     * Creates the optimizer for the trainable parameters of a block, which must be initialized.
     *
     * @param config learning rate, betas and epsilon
     * @param parameters the block's parameters; those that do not require gradients (running statistics) are skipped
     */
    public GanAdam(OptimizerConfig config, Iterable<Pair<String, Parameter>> parameters) {
        this(config, parameters, configuredUpdate());
    }

    /**
     * Creates the optimizer with a chosen update formulation (tests and benchmarks compare them).
     *
     * @param config learning rate, betas and epsilon
     * @param parameters the block's parameters; those that do not require gradients (running statistics) are skipped
     * @param update how steps are computed
     */
    public GanAdam(OptimizerConfig config, Iterable<Pair<String, Parameter>> parameters, Update update) {
        this.config = config;
        this.update = update;
        this.parameters = new ArrayList<>();
        for (Pair<String, Parameter> pair : parameters) {
            if (pair.getValue().requiresGradient()) {
                this.parameters.add(pair.getValue());
            }
        }
        means = new PtNDArray[this.parameters.size()];
        variances = new PtNDArray[this.parameters.size()];
        for (int i = 0; i < means.length; i++) {
            NDArray weight = this.parameters.get(i).getArray();
            means[i] = (PtNDArray) weight.zerosLike();
            variances[i] = (PtNDArray) weight.zerosLike();
            // DJL's zerosLike is plain whatever the parameter's layout
            layOutMoments(i);
        }
        stepTensor =
                means.length == 0
                        ? null
                        : (PtNDArray) means[0].getManager().zeros(new Shape(), DataType.FLOAT32);
    }

    /**
     * Returns the update formulation named by the system property {@code gan4j.adam} (fused, foreach or
     * per-parameter; default fused).
     *
     * @return the formulation
     * @throws Gan4jException if the property names none of them
     */
    public static Update configuredUpdate() {
        String name = System.getProperty("gan4j.adam", "fused").trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "fused":
                return Update.FUSED;
            case "foreach":
                return Update.FOREACH;
            case "per-parameter":
                return Update.PER_PARAMETER;
            default:
                throw new Gan4jException(
                        "system property gan4j.adam: expected fused, foreach or per-parameter, got '" + name + "'");
        }
    }

    /**
     * Returns the formulation the steps actually run: {@link Update#FOREACH} when {@link Update#FUSED} was asked for
     * and the loaded libtorch lacks the fused kernel on the parameters' device.
     *
     * @return the formulation in use
     */
    public Update effectiveUpdate() {
        if (update == Update.FUSED && stepTensor != null && NO_FUSED_KERNEL.containsKey(stepTensor.getDevice())) {
            return Update.FOREACH;
        }
        return update;
    }

    /**
     * The gradients of one or more losses with respect to an optimizer's parameters, in the parameters' order and
     * memory layout, held apart from the parameters' {@code .grad} (which they never touch).
     */
    public static final class Gradients implements AutoCloseable {
        /** A TorchScript list of tensors; null when the optimizer has no parameters. */
        private final IValue list;

        private Gradients(IValue list) {
            this.list = list;
        }

        /**
         * Copies the gradients out, for tests and diagnostics.
         *
         * @return one array of values per parameter, in logical (row-major) order
         */
        public List<float[]> values() {
            List<float[]> values = new ArrayList<>();
            if (list == null) {
                return values;
            }
            try (PtNDManager manager = (PtNDManager) NDManager.newBaseManager()) {
                for (PtNDArray gradient : list.toTensorArray(manager)) {
                    values.add(gradient.toFloatArray());
                }
            }
            return values;
        }

        @Override
        public void close() {
            if (list != null) {
                list.close();
            }
        }
    }

    /**
     * Back-propagates a scalar loss to this optimizer's parameters and returns their gradients
     * ({@code torch.autograd.grad}, through the TorchScript module {@code gradients.pt}, made by
     * {@code gan4j-core/src/main/torchscript/make_gradients.py}).
     *
     * <p>Nothing is accumulated into the parameters' {@code .grad}, so nothing has to be zeroed after the update
     * (PyTorch's {@code zero_grad(set_to_none=True)}), and only the gradients asked for are computed: a loss that
     * reaches these parameters through another network leaves that network's weight gradients uncomputed, without
     * freezing it. The recorded graph is freed, as by a backward pass.
     *
     * @param loss a scalar computed from the parameters with gradient recording on
     * @return the gradients, which the caller closes
     */
    public Gradients gradients(NDArray loss) {
        return new Gradients(means.length == 0 ? null : runGradients("grads", loss));
    }

    /**
     * Back-propagates a second loss and adds its gradients to {@code gradients}, as a second backward pass adds to
     * {@code .grad} (the sum of the two, bit for bit).
     *
     * @param gradients from {@link #gradients(NDArray)} of this optimizer
     * @param loss a scalar computed from the parameters with gradient recording on
     */
    public void accumulate(Gradients gradients, NDArray loss) {
        if (means.length > 0) {
            runGradients("accumulate", loss, gradients.list).close();
        }
    }

    /** Runs a method of {@code gradients.pt} on a loss, this optimizer's parameters and any further arguments. */
    private IValue runGradients(String method, NDArray loss, IValue... more) {
        PtSymbolBlock module = TorchScriptModules.get(GanAdam.class, GRADIENTS_RESOURCE, loss.getDevice());
        try (IValue l = IValue.from((PtNDArray) loss);
                IValue w = IValue.listFrom(weights())) {
            IValue[] arguments = new IValue[2 + more.length];
            arguments[0] = l;
            arguments[1] = w;
            System.arraycopy(more, 0, arguments, 2, more.length);
            return IValueUtils.runMethod(module, method, arguments);
        }
    }

    /**
     * Applies one Adam update to every parameter from the given gradients, like {@link #step(NDManager)} but with
     * nothing read from or zeroed in the parameters' {@code .grad}.
     *
     * @param gradients from {@link #gradients(NDArray)} of this optimizer
     * @param normManager owns the returned norm; null to skip the norm (the hot path)
     * @return Σ‖g‖² over every parameter, or null when {@code normManager} is null
     */
    public NDArray step(Gradients gradients, NDManager normManager) {
        return apply(gradients.list, normManager);
    }

    private PtNDArray[] weights() {
        PtNDArray[] weights = new PtNDArray[means.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (PtNDArray) parameters.get(i).getArray();
        }
        return weights;
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
        return apply(null, normManager);
    }

    /** One update from the explicit gradients, or from the parameters' {@code .grad} when they are null. */
    private NDArray apply(IValue explicitGradients, NDManager normManager) {
        updates++;
        if (update != Update.PER_PARAMETER) {
            return stepAll(normManager, explicitGradients);
        }
        if (explicitGradients == null) {
            // getGradient() makes a new native handle each call: closed after use
            return stepPerParameter(normManager, i -> parameters.get(i).getArray().getGradient(), true);
        }
        try (PtNDManager manager = (PtNDManager) NDManager.newBaseManager(stepTensor.getDevice())) {
            PtNDArray[] arrays = explicitGradients.toTensorArray(manager);
            return stepPerParameter(normManager, i -> arrays[i], false);
        }
    }

    /** DJL's per-parameter update, with the gradients from {@code gradientOf} (closed after use when owned). */
    private NDArray stepPerParameter(
            NDManager normManager, IntFunction<NDArray> gradientOf, boolean owned) {
        NDArray squaredNorm = null;
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        double baseRate = config.learningRate() * learningRateScale;
        double biasCorrection1 = 1 - Math.pow(beta1, updates);
        double biasCorrection2 = 1 - Math.pow(beta2, updates);
        // DJL's native update takes β1 and β2 as floats, so its moments grow by 1 − (float) β instead of 1 − β: for
        // β2 = 0.999 that is 1.3e-5 too little (0.999f = 0.99900001287), which made every step 6.4e-6 too long. The
        // moments come out scaled by c1 and c2; scaling the learning rate by √c2 / c1 and ε' by √c2 cancels both.
        double c1 = (1 - (double) (float) beta1) / (1 - beta1);
        double c2 = (1 - (double) (float) beta2) / (1 - beta2);
        float learningRate = (float) (baseRate * Math.sqrt(biasCorrection2) / biasCorrection1 * Math.sqrt(c2) / c1);
        float epsilon = (float) (config.epsilon() * Math.sqrt(biasCorrection2) * Math.sqrt(c2));
        for (int i = 0; i < means.length; i++) {
            NDArray weight = parameters.get(i).getArray();
            NDArray gradient = gradientOf.apply(i);
            try {
                if (normManager != null) {
                    NDArray part = squaredSum(gradient, normManager);
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
            } finally {
                if (owned) {
                    gradient.close();
                }
            }
        }
        if (normManager != null && squaredNorm == null) {
            squaredNorm = normManager.create(0f);
        }
        return squaredNorm;
    }

    private static NDArray squaredSum(NDArray gradient, NDManager manager) {
        NDArray part;
        try (NDArray square = gradient.square()) {
            part = square.sum();
        }
        part.attach(manager);
        return part;
    }

    /**
     * One engine call for every parameter: the TorchScript module's fused or foreach method.
     *
     * @return Σ‖g‖² before the update (null without a normManager)
     */
    private NDArray stepAll(NDManager normManager, IValue explicitGradients) {
        if (means.length == 0) {
            return normManager == null ? null : normManager.create(0f);
        }
        NDArray squaredNorm = null;
        Device device = stepTensor.getDevice();
        PtSymbolBlock module = TorchScriptModules.get(GanAdam.class, MODULE_RESOURCE, device);
        PtNDArray[] weights = weights();
        PtNDArray[] gradients = new PtNDArray[means.length];
        // the parameters' .grad: read here and zeroed by the module; explicit gradients: used as they are
        boolean fromGrad = explicitGradients == null;
        boolean norms = normManager != null;
        try (NDManager temporary = !fromGrad && norms ? normManager.newSubManager() : null) {
            if (fromGrad) {
                for (int i = 0; i < weights.length; i++) {
                    // getGradient() makes a new native handle each call: closed below
                    gradients[i] = weights[i].getGradient();
                }
            } else if (norms) {
                gradients = explicitGradients.toTensorArray((PtNDManager) temporary);
            }
            if (norms) {
                for (PtNDArray gradient : gradients) {
                    NDArray part = squaredSum(gradient, normManager);
                    squaredNorm = squaredNorm == null ? part : squaredNorm.add(part);
                }
            }
            try (IValue w = IValue.listFrom(weights);
                    IValue owned = fromGrad ? IValue.listFrom(gradients) : null;
                    IValue m = IValue.listFrom(means);
                    IValue v = IValue.listFrom(variances);
                    IValue step = IValue.from(stepTensor);
                    IValue hyper =
                            IValue.listFrom(config.learningRate() * learningRateScale, config.beta1(), config.beta2(),
                                    config.epsilon(), (double) updates)) {
                IValue g = fromGrad ? owned : explicitGradients;
                String suffix = fromGrad ? "" : "_update";
                boolean fused = update == Update.FUSED && !NO_FUSED_KERNEL.containsKey(device);
                if (fused) {
                    try {
                        IValueUtils.runMethod(module, "fused" + suffix, w, g, m, v, step, hyper).close();
                        return squaredNorm;
                    } catch (EngineException e) {
                        // the kernel is missing for this device in this libtorch (it fails before changing anything)
                        NO_FUSED_KERNEL.put(device, Boolean.TRUE);
                    }
                }
                IValueUtils.runMethod(module, "foreach" + suffix, w, g, m, v, step, hyper).close();
                return squaredNorm;
            }
        } finally {
            if (fromGrad) {
                for (PtNDArray gradient : gradients) {
                    if (gradient != null) {
                        gradient.close();
                    }
                }
            }
        }
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
        try {
            loadChecked(in, source);
        } catch (java.io.EOFException e) {
            // an EOFException has no message: the resume said "cannot read checkpoint …: null" until 1 December
            throw new Gan4jException(source + " is truncated", e);
        }
    }

    private void loadChecked(DataInputStream in, String source) throws IOException {
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
            // read back plain
            layOutMoments(i);
        }
        updates = loadedUpdates;
    }

    /** Gives parameter i's moments its memory layout: the fused kernel walks all of them in memory order. */
    private void layOutMoments(int i) {
        NDArray weight = parameters.get(i).getArray();
        MemoryFormat.matchLayout(means[i], weight);
        MemoryFormat.matchLayout(variances[i], weight);
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
        NDArray decoded;
        try {
            decoded = NDArray.decode(manager, bytes);
        } catch (IllegalArgumentException | IllegalStateException | NegativeArraySizeException
                | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            // damaged bytes that a recomputed manifest let through: until 1 December a stack trace
            throw new Gan4jException(source + ": corrupt optimizer state (" + e.getMessage() + ")", e);
        }
        try (NDArray loaded = decoded) {
            if (!loaded.getShape().equals(target.getShape())) {
                throw new Gan4jException(
                        source + ": optimizer state shape " + loaded.getShape() + " does not match parameter shape "
                                + target.getShape() + " (checkpoint from a different architecture?)");
            }
            target.set(loaded.toByteBuffer());
        }
    }
}
