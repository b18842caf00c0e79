package org.gan4j.nn.layers;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Batch normalisation over the channel axis (axis 1) of an (N, C, …) array: DJL's {@code ai.djl.nn.norm.BatchNorm}
 * with the same parameters (gamma, beta, runningMean, runningVar, with the same names and types), the same
 * arithmetic (libtorch's {@code batch_norm}, the same arguments) and the same checkpoint format, so checkpoints of
 * either load into the other and the architecture's parameter names are unchanged (the class has the same simple
 * name).
 *
 * <p>What differs: DJL's block swaps axes 1 and {@code axis} before and after libtorch's batch norm, even when they
 * are the same axis, so its output is a view (an alias) of libtorch's. An in-place activation on a view makes autograd
 * copy the whole gradient and rebuild the view in the backward pass ({@code CopySlices}, {@code AsStridedBackward0}),
 * which costs more than the in-place activation saves. This block returns libtorch's output itself, so the DCGAN
 * networks can apply ReLU and LeakyReLU in place after it ({@link org.gan4j.nn.Activation#inPlaceBlock()}).
 */
public final class BatchNorm extends AbstractBlock {

    private static final byte VERSION = 2;

    private final float momentum;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long inChannels;

    /**
     * Creates the block.
     *
     * @param momentum the running averages' momentum in DJL's convention (0.9 keeps 90 % of the old value: PyTorch's
     *     momentum 0.1)
     * @param epsilon added to the variance
     */
    public BatchNorm(float momentum, float epsilon) {
        super(VERSION);
        this.momentum = momentum;
        this.epsilon = epsilon;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        runningMean =
                addParameter(
                        Parameter.builder()
                                .setName("runningMean")
                                .setType(Parameter.Type.RUNNING_MEAN)
                                .optRequiresGrad(false)
                                .build());
        runningVar =
                addParameter(
                        Parameter.builder()
                                .setName("runningVar")
                                .setType(Parameter.Type.RUNNING_VAR)
                                .optRequiresGrad(false)
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        PtNDArray g = (PtNDArray) parameterStore.getValue(gamma, device, training);
        PtNDArray b = (PtNDArray) parameterStore.getValue(beta, device, training);
        PtNDArray mean = (PtNDArray) parameterStore.getValue(runningMean, device, training);
        PtNDArray var = (PtNDArray) parameterStore.getValue(runningVar, device, training);
        // JniUtils names its parameters (input, gamma, beta, runningMean, runningVar), but the native function takes
        // (input, running_mean, running_var, weight, bias), the order in which DJL's own batch norm passes them
        // (PtNDArrayEx.batchNorm); BatchNormTest checks the result against DJL's block. Momentum: libtorch's is 1 − DJL's
        PtNDArray y = JniUtils.batchNorm((PtNDArray) x, mean, var, g, b, training, 1f - momentum, epsilon);
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        inChannels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        for (Parameter parameter : new Parameter[] {gamma, beta, runningMean, runningVar}) {
            parameter.setShape(new Shape(inChannels));
        }
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(inChannels);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion == VERSION) {
            readInputShapes(is);
        } else if (loadVersion != 1) {
            throw new MalformedModelException("Unsupported encoding version: " + loadVersion);
        }
        inChannels = is.readLong();
    }
}
