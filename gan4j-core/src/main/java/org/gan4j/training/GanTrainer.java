package org.gan4j.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.gan4j.Cancellation;
import org.gan4j.Gan4jException;
import org.gan4j.config.TrainingConfig;
import org.gan4j.loss.GanLoss;
import org.gan4j.nn.GanModels;
import org.gan4j.nn.Packing;
import org.gan4j.nn.layers.MemoryFormat;

/**
 * Trains a generator against a discriminator, one step at a time (Goodfellow et al. 2014, Algorithm 1).
 *
 * <p>A step is {@code dSteps} discriminator updates, each on a fresh real batch and fresh noise, followed by
 * {@code gSteps} generator updates. Each update has the same beats: forward, loss, backward, optimizer step. As in
 * pytorch/examples {@code dcgan/main.py}, the fakes generated for the last D update are reused by the first G update,
 * so G runs forward once per step in the 1:1 game.
 *
 * <p>The trainer owns both networks' parameters, both optimizers and the step counter; everything random is a pure
 * function of (seed, step), so {@link #saveState}/{@link #loadState} make a resumed run identical to an uninterrupted
 * one. It is not thread-safe, and only one trainer may step at a time per JVM (libtorch's gradient mode is global).
 */
public final class GanTrainer implements AutoCloseable {

    private final GanModels models;
    private final Block generator;
    private final Block discriminator;
    private final GanLoss loss;
    private final TrainingConfig training;
    private final long seed;
    private final NDManager manager;
    private ParameterStore parameterStore;
    private final GanAdam generatorOptimizer;
    private final GanAdam discriminatorOptimizer;
    private final Shape latentShape;
    private final Shape realShape;
    private long step;
    /** Owns the gradient norms on measured steps; null on the hot path (no norm is computed). */
    private NDManager normManager;
    private NDArray discriminatorGradientNorm;
    private NDArray generatorGradientNorm;

    private GanTrainer(Builder builder) {
        models = builder.models;
        generator = models.generator();
        discriminator = models.discriminator();
        loss = builder.loss;
        training = builder.training;
        seed = builder.seed;
        manager = builder.manager;
        parameterStore = new ParameterStore(manager, false);
        // convolution weights channels-last like the activations (CPU), before the optimizers make their moments
        MemoryFormat.weightsToPreferred(generator);
        MemoryFormat.weightsToPreferred(discriminator);
        generatorOptimizer = new GanAdam(training.generator(), generator.getParameters());
        discriminatorOptimizer = new GanAdam(training.discriminator(), discriminator.getParameters());
        latentShape = new Shape(training.batchSize(), models.latentSize());
        long[] example = models.exampleShape();
        long[] batch = new long[example.length + 1];
        batch[0] = training.batchSize();
        System.arraycopy(example, 0, batch, 1, example.length);
        realShape = new Shape(batch);
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one training step: {@code dSteps} D updates, then {@code gSteps} G updates.
     *
     * @param realBatches the source of real batches, positioned at {@link #nextBatchIndex()}
     * @param measure whether to read the losses and D outputs back to the host
     * @return what the step did
     */
    @SuppressWarnings("try") // the gradient collector is opened for its effect (recording on), never referenced
    public StepResult trainStep(RealBatches realBatches, boolean measure) {
        long start = System.nanoTime();
        long waitBefore = realBatches.waitNanos();
        long thisStep = step + 1;
        long batchIndex = nextBatchIndex();
        float[] values = null;
        // the collector only turns libtorch's gradient recording on for the step: the updates back-propagate
        // through GanAdam.gradients, not through it
        try (NDManager stepManager = manager.newSubManager();
                GradientCollector recording = Engine.getInstance().newGradientCollector()) {
            normManager = measure ? stepManager : null;
            NDArray[] discriminatorOutputs = null;
            NDArray fake = null;
            NDArray z = null;
            for (int i = 0; i < training.dSteps(); i++) {
                NDArray real = stepManager.create(realBatches.next(), realShape);
                z = noise(stepManager, thisStep, i);
                // Only the last D update's fakes feed a G update: earlier ones need no graph through G.
                boolean keepGraph = i == training.dSteps() - 1;
                fake = generate(z, keepGraph);
                discriminatorOutputs = updateDiscriminator(real, fake, measure);
            }
            NDArray lossG = null;
            NDArray dFakeAfter = null;
            for (int j = 0; j < training.gSteps(); j++) {
                if (j > 0) {
                    // G has moved: regenerate from the same z (as the TensorFlow DCGAN's repeated G step does).
                    fake = generate(z, true);
                }
                NDArray[] generatorOutputs = updateGenerator(fake, measure);
                lossG = generatorOutputs[0];
                dFakeAfter = generatorOutputs[1];
            }
            if (measure) {
                Objects.requireNonNull(discriminatorOutputs);
                values =
                        HostValues.stackScalars(
                                discriminatorOutputs[0],
                                lossG,
                                discriminatorOutputs[1],
                                discriminatorOutputs[2],
                                dFakeAfter,
                                discriminatorGradientNorm,
                                generatorGradientNorm);
            }
        } finally {
            normManager = null;
            discriminatorGradientNorm = null;
            generatorGradientNorm = null;
        }
        step = thisStep;
        double seconds = (System.nanoTime() - start) / 1e9;
        double waitSeconds = (realBatches.waitNanos() - waitBefore) / 1e9;
        long epoch = (batchIndex + training.dSteps() - 1) / realBatches.batchesPerEpoch();
        if (values == null) {
            return new StepResult(
                    thisStep, epoch, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, seconds,
                    waitSeconds);
        }
        return new StepResult(
                thisStep, epoch, true, values[0], values[1], values[2], values[3], values[4], seconds, waitSeconds,
                Math.sqrt(values[5]), Math.sqrt(values[6]));
    }

    /**
     * One discriminator update.
     *
     * <pre>maximize log D(x) + log(1 − D(G(z)))</pre>
     *
     * @return {lossD, mean D(x), mean D(G(z))}
     */
    NDArray[] updateDiscriminator(NDArray real, NDArray fake) {
        return updateDiscriminator(real, fake, true);
    }

    /** One discriminator update; the mean D outputs (two engine ops each) are computed only when measured. */
    private NDArray[] updateDiscriminator(NDArray real, NDArray fake, boolean measure) {
        // The real and the fake half of D's loss are back-propagated one after the other, each right after its
        // forward pass (as pytorch/examples' DCGAN does): the gradients add up to those of their sum, bit for bit (two
        // terms, whose sum does not depend on the order), and only one of the two graphs is alive at a time, which
        // lowers the peak memory (docs/PERFORMANCE.md). The gradients are returned rather than accumulated in the
        // parameters' .grad, so nothing is zeroed between steps (GanAdam.gradients).
        NDArray realLogits = discriminate(real, true);
        NDArray lossReal = loss.discriminatorRealLoss(realLogits);
        NDArray fakeLogits;
        NDArray lossFake;
        try (GanAdam.Gradients gradients = discriminatorOptimizer.gradients(lossReal)) {
            // Detach the fakes: D's loss must not push gradients into G (G's own update comes next).
            fakeLogits = discriminate(fake.stopGradient(), true);
            lossFake = loss.discriminatorFakeLoss(fakeLogits);
            discriminatorOptimizer.accumulate(gradients, lossFake);
            discriminatorGradientNorm = discriminatorOptimizer.step(gradients, normManager);
        }
        if (!measure) {
            return new NDArray[] {null, null, null};
        }
        return new NDArray[] {
            lossReal.add(lossFake), meanProbability(realLogits), meanProbability(fakeLogits)
        };
    }

    /**
     * One generator update.
     *
     * <pre>non-saturating: maximize log D(G(z));  minimax: minimize log(1 − D(G(z)))</pre>
     *
     * @return {lossG, mean D(G(z)) after D's update}
     */
    NDArray[] updateGenerator(NDArray fake) {
        return updateGenerator(fake, true);
    }

    /** One generator update; the mean D output is computed only when measured. */
    private NDArray[] updateGenerator(NDArray fake, boolean measure) {
        // Only G's gradients are asked for: the backward pass reaches G's weights through D without computing D's
        // weight gradients or leaving anything in D (D stays trainable; nothing needs freezing).
        NDArray fakeLogits = discriminate(fake, true);
        NDArray lossG = loss.generatorLoss(fakeLogits);
        try (GanAdam.Gradients gradients = generatorOptimizer.gradients(lossG)) {
            generatorGradientNorm = generatorOptimizer.step(gradients, normManager);
        }
        return new NDArray[] {lossG, measure ? meanProbability(fakeLogits) : null};
    }

    NDArray generate(NDArray z, boolean withGraph) {
        if (!withGraph) {
            setTrainable(generator, false);
        }
        try {
            return generator.forward(parameterStore, new NDList(z), true).singletonOrThrow();
        } finally {
            if (!withGraph) {
                setTrainable(generator, true);
            }
        }
    }

    private NDArray discriminate(NDArray samples, boolean training) {
        NDArray input = models.packing() > 1 ? Packing.pack(samples, models.packing()) : samples;
        return discriminator.forward(parameterStore, new NDList(input), training).singletonOrThrow();
    }

    private static NDArray meanProbability(NDArray logits) {
        return ai.djl.nn.Activation.sigmoid(logits).mean();
    }

    private static void setTrainable(Block block, boolean trainable) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter parameter = pair.getValue();
            if (parameter.requiresGradient()) {
                parameter.getArray().setRequiresGradient(trainable);
            }
        }
    }

    private NDArray noise(NDManager stepManager, long forStep, int update) {
        long index = forStep * Math.max(training.dSteps(), 1) + update;
        return stepManager.create(
                Noise.gaussian(seed, Noise.TRAINING, index, Math.toIntExact(latentShape.size())), latentShape);
    }

    /**
     * Generates samples in inference mode (batch norm uses its running statistics), without touching training state.
     *
     * @param z latent vectors, {@code count × latentSize} floats
     * @param count number of samples
     * @return the samples, row-major NCHW (images) or N×D (points)
     */
    public float[] sample(float[] z, int count) {
        try (NDManager sampleManager = manager.newSubManager()) {
            NDArray latent = sampleManager.create(z, new Shape(count, models.latentSize()));
            return generator.forward(parameterStore, new NDList(latent), false).singletonOrThrow().toFloatArray();
        }
    }

    /**
     * Re-estimates G's batch-norm running statistics at its current weights ("precise batch norm"): G runs in
     * training mode, without gradients, on {@code batches} batches of {@value #GENERATION_BATCH} latent vectors from
     * the {@link Noise#CALIBRATION} stream of {@code seed}; the running averages start from zero and are rescaled at
     * the end, so they become the exponentially weighted mean (momentum {@value GanModels#BATCH_NORM_MOMENTUM}) of
     * those batches' statistics alone, free of the lagging, noisy averages of training.
     * PacGAN's authors score samples drawn after much the same: after each epoch, and before drawing the samples, their
     * Blocks training monitor applies the batch-norm updates (momentum 0.05) on 50 batches at the frozen weights.
     * Nothing else changes: weights, optimiser state and step stay as they are.
     *
     * @param seed the noise seed
     * @param batches how many batches, 0 to 10000 (0: leave the statistics alone)
     * @return restores the statistics that were replaced (call it to continue training with the exact state)
     */
    public Runnable recalibrateBatchNorm(long seed, int batches) {
        checkBatchNormBatches(batches);
        List<NDArray> running = runningStatistics(generator);
        if (batches == 0 || running.isEmpty()) {
            return () -> {};
        }
        Runnable restore = snapshot(running);
        int latent = models.latentSize();
        // From zero, the running averages after N batches hold (1 − momentum^N) of the batch statistics' weighted
        // mean: dividing by that leaves exactly the weighted mean, with nothing of the old values.
        for (NDArray array : running) {
            array.set(new float[Math.toIntExact(array.size())]);
        }
        setTrainable(generator, false);
        try {
            for (int b = 0; b < batches; b++) {
                Cancellation.check();
                try (NDManager batchManager = manager.newSubManager()) {
                    float[] z = Noise.gaussian(seed, Noise.CALIBRATION, b, GENERATION_BATCH * latent);
                    NDArray input = batchManager.create(z, new Shape(GENERATION_BATCH, latent));
                    generator.forward(parameterStore, new NDList(input), true);
                }
            }
        } catch (RuntimeException stopped) {
            // a stop (Cancellation) or a failure halfway: the caller never gets the restore action, so the zeroed,
            // half-recalibrated statistics would stay in G and in the checkpoint the stop writes
            restore.run();
            throw stopped;
        } finally {
            setTrainable(generator, true);
        }
        float weight = (float) (1 - Math.pow(GanModels.BATCH_NORM_MOMENTUM, batches));
        // a libtorch-made scalar, not divi(Number): DjlNumberOperationsTest
        NDArray first = running.get(0);
        try (NDArray divisor = first.getManager().full(new Shape(), weight, first.getDataType())) {
            for (NDArray array : running) {
                array.divi(divisor);
            }
        }
        return restore;
    }

    /** The batch-norm running averages of a network, as the arrays training updates. */
    private static List<NDArray> runningStatistics(Block block) {
        List<NDArray> running = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter.Type type = pair.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                running.add(pair.getValue().getArray());
            }
        }
        return running;
    }

    /** Copies arrays now; the returned action puts the copies back (once) and releases them. */
    private Runnable snapshot(List<NDArray> arrays) {
        NDManager savedManager = manager.newSubManager();
        List<NDArray> saved = new ArrayList<>();
        for (NDArray array : arrays) {
            NDArray copy = array.duplicate();
            copy.attach(savedManager);
            saved.add(copy);
        }
        return () -> {
            try (savedManager) {
                for (int i = 0; i < arrays.size(); i++) {
                    saved.get(i).copyTo(arrays.get(i));
                }
            }
        };
    }

    /**
     * Checks a batch count for {@link #recalibrateBatchNorm} (the CLI's {@code --bn-batches}).
     *
     * @param batches the count
     * @throws Gan4jException unless it is between 0 and 10000
     */
    public static void checkBatchNormBatches(int batches) {
        checkBatchNormBatches(batches, "--bn-batches");
    }

    /**
     * Checks a batch count for {@link #recalibrateBatchNorm}, naming the option that gave it.
     *
     * @param batches the count
     * @param option the option's name in the error, e.g. {@code --eval-bn-batches}
     * @throws Gan4jException unless it is between 0 and 10000
     */
    public static void checkBatchNormBatches(int batches, String option) {
        if (batches < 0 || batches > 10_000) {
            throw new Gan4jException(option + " must be between 0 and 10000, got " + batches);
        }
    }

    /** Samples per generator forward pass in {@link #generate}. */
    public static final int GENERATION_BATCH = 500;

    /**
     * Generates {@code count} samples in inference mode, in batches of {@value #GENERATION_BATCH}, from the sampling
     * noise stream of {@code seed}: the same run, checkpoint, seed and count always give the same samples
     * ({@code gan4j sample}, {@code gan4j evaluate} and the training summary all draw them this way).
     *
     * @param seed the noise seed
     * @param count how many samples
     * @return the samples, row-major
     * @throws Gan4jException if the samples are more values than one Java array holds
     */
    public float[] generate(long seed, int count) {
        int latent = models.latentSize();
        int size = 1;
        for (long d : models.exampleShape()) {
            size *= (int) d;
        }
        // the largest array the JVM allocates; more was an ArithmeticException's stack trace
        long values = (long) count * size;
        if (values > Integer.MAX_VALUE - 8) {
            throw new Gan4jException("cannot draw " + count + " samples of shape "
                    + java.util.Arrays.toString(models.exampleShape()) + " at once: " + values + " values are more"
                    + " than one Java array holds (at most " + (Integer.MAX_VALUE - 8) / size
                    + " samples of this shape)");
        }
        float[] all = new float[(int) values];
        for (int start = 0; start < count; start += GENERATION_BATCH) {
            Cancellation.check();
            int n = Math.min(GENERATION_BATCH, count - start);
            float[] z = Noise.gaussian(seed, Noise.SAMPLING, start / GENERATION_BATCH, n * latent);
            float[] part = sample(z, n);
            System.arraycopy(part, 0, all, start * size, part.length);
        }
        return all;
    }

    /**
     * Returns D's probability that each sample is real, scored the way D is trained and logged ({@code dReal},
     * {@code dFake}): in batches of the training batch size, each batch of one kind (pass real and generated samples
     * in separate calls), batch norm normalising each batch by its own statistics. D's running averages mix
     * statistics of all-real and all-fake batches, so inference mode scores a network that never ran in training
     * (early in a DCGAN run it can rank fakes above real images while training shows D(x) 0.86 against D(G(z)) 0.29).
     * The running averages are left as they were. The last batch takes the remainder (so no batch is smaller than the
     * training batch, unless all the samples are fewer). With packing m, each group of m consecutive samples gets one
     * probability, repeated for each member. For a D without batch norm this equals {@link
     * #discriminatorProbability}.
     *
     * @param samples row-major samples, all real or all generated
     * @param count number of samples (divisible by the packing degree)
     * @return D(x) per sample
     */
    public float[] discriminatorProbabilityAsTrained(float[] samples, int count) {
        return scoredAsTrained(samples, count, true);
    }

    /**
     * Returns D's logit for each sample, scored as {@link #discriminatorProbabilityAsTrained} scores it. Logits keep
     * the order of samples that D is sure of: above about 17 every probability rounds to 1 in float and they tie.
     *
     * @param samples row-major samples, all real or all generated
     * @param count number of samples (divisible by the packing degree)
     * @return D's logit per sample
     */
    public float[] discriminatorLogitsAsTrained(float[] samples, int count) {
        return scoredAsTrained(samples, count, false);
    }

    private float[] scoredAsTrained(float[] samples, int count, boolean probabilities) {
        long[] example = models.exampleShape();
        int size = Math.toIntExact(new Shape(example).size());
        int batch = Math.max(training.batchSize(), 1);
        int packing = models.packing();
        float[] perSample = new float[count];
        Runnable restore = snapshot(runningStatistics(discriminator));
        setTrainable(discriminator, false);
        try {
            int batches = Math.max(1, count / batch);
            for (int b = 0; b < batches; b++) {
                Cancellation.check();
                int start = b * batch;
                int end = b == batches - 1 ? count : start + batch;
                long[] shape = new long[example.length + 1];
                shape[0] = end - start;
                System.arraycopy(example, 0, shape, 1, example.length);
                try (NDManager batchManager = manager.newSubManager()) {
                    NDArray input = batchManager.create(
                            java.util.Arrays.copyOfRange(samples, start * size, end * size), new Shape(shape));
                    NDArray logits = discriminate(input, true);
                    float[] grouped = (probabilities ? ai.djl.nn.Activation.sigmoid(logits) : logits).toFloatArray();
                    for (int i = start; i < end; i++) {
                        perSample[i] = grouped[(i - start) / packing];
                    }
                }
            }
        } finally {
            setTrainable(discriminator, true);
            restore.run();
        }
        return perSample;
    }

    /**
     * Returns D's probability that each sample is real, in inference mode (batch norm with its running averages). With
     * packing m, each group of m consecutive samples gets one probability, repeated for each member.
     *
     * @param samples row-major samples
     * @param count number of samples (divisible by the packing degree)
     * @return D(x) per sample
     */
    public float[] discriminatorProbability(float[] samples, int count) {
        long[] example = models.exampleShape();
        long[] shape = new long[example.length + 1];
        shape[0] = count;
        System.arraycopy(example, 0, shape, 1, example.length);
        try (NDManager evalManager = manager.newSubManager()) {
            NDArray input = evalManager.create(samples, new Shape(shape));
            float[] grouped = ai.djl.nn.Activation.sigmoid(discriminate(input, false)).toFloatArray();
            int packing = models.packing();
            float[] perSample = new float[count];
            for (int i = 0; i < count; i++) {
                perSample[i] = grouped[i / packing];
            }
            return perSample;
        }
    }

    /**
     * Returns the number of completed steps.
     *
     * @return the step counter
     */
    public long step() {
        return step;
    }

    /**
     * Returns the global index of the next real batch the trainer will consume.
     *
     * @return {@code step × dSteps}
     */
    public long nextBatchIndex() {
        return step * training.dSteps();
    }

    /**
     * Returns the networks.
     *
     * @return the models
     */
    public GanModels models() {
        return models;
    }

    /**
     * Writes the generator's parameters (including batch-norm running statistics).
     *
     * @param out the stream
     * @throws IOException if writing fails
     */
    public void saveGenerator(DataOutputStream out) throws IOException {
        generator.saveParameters(out);
    }

    /**
     * Writes the discriminator's parameters (including batch-norm running statistics).
     *
     * @param out the stream
     * @throws IOException if writing fails
     */
    public void saveDiscriminator(DataOutputStream out) throws IOException {
        discriminator.saveParameters(out);
    }

    /**
     * Writes both optimizers' complete state.
     *
     * @param out the stream
     * @throws IOException if writing fails
     */
    public void saveOptimizers(DataOutputStream out) throws IOException {
        generatorOptimizer.save(out);
        discriminatorOptimizer.save(out);
    }

    /**
     * Restores a saved state: both networks, both optimizers and the step counter.
     *
     * @param generatorIn the generator's parameters
     * @param discriminatorIn the discriminator's parameters
     * @param optimizersIn both optimizers' state, or null to keep fresh optimizers (sampling only)
     * @param restoredStep the step the state was saved at
     * @param source names the checkpoint in error messages
     * @throws IOException if reading fails
     */
    public void loadState(
            DataInputStream generatorIn,
            DataInputStream discriminatorIn,
            DataInputStream optimizersIn,
            long restoredStep,
            String source)
            throws IOException {
        ModelLoading.loadParameters(generator, manager, generatorIn, source + "/generator");
        ModelLoading.loadParameters(discriminator, manager, discriminatorIn, source + "/discriminator");
        // the loaded weights keep their layout (ModelLoading); GanAdam.load gives the moments theirs
        if (optimizersIn != null) {
            generatorOptimizer.load(optimizersIn, source + "/optimizers (generator)");
            discriminatorOptimizer.load(optimizersIn, source + "/optimizers (discriminator)");
        }
        // the store caches each parameter's array; loading replaced (and closed) them
        parameterStore = new ParameterStore(manager, false);
        step = restoredStep;
    }

    /**
     * Names the first network whose weights (or batch-norm statistics) hold a NaN or an infinity: one reduction per
     * network and one host read, cheap enough to run before every checkpoint.
     *
     * @return "generator", "discriminator", or null when both are finite
     */
    public String nonFiniteNetwork() {
        if (!finite(generator)) {
            return "generator";
        }
        if (!finite(discriminator)) {
            return "discriminator";
        }
        return null;
    }

    private boolean finite(Block block) {
        try (NDManager checkManager = manager.newSubManager()) {
            NDArray total = null;
            for (Pair<String, Parameter> pair : block.getParameters()) {
                NDArray array = pair.getValue().getArray();
                NDArray sum;
                try (NDArray wide = array.toType(ai.djl.ndarray.types.DataType.FLOAT64, true)) {
                    sum = wide.sum();
                }
                sum.attach(checkManager);
                total = total == null ? sum : total.add(sum);
            }
            return total == null || Double.isFinite(total.getDouble());
        }
    }

    /**
     * Multiplies both configured learning rates by a factor from the next update on (divergence rollback).
     *
     * @param scale the factor, in (0, 1]
     */
    public void setLearningRateScale(double scale) {
        generatorOptimizer.setLearningRateScale(scale);
        discriminatorOptimizer.setLearningRateScale(scale);
    }

    /**
     * Returns the factor applied to both configured learning rates.
     *
     * @return 1 unless a rollback lowered it
     */
    public double learningRateScale() {
        return generatorOptimizer.learningRateScale();
    }

    /** The manager that owns both networks (tests open per-step sub-managers from it). */
    NDManager manager() {
        return manager;
    }

    /** Updates applied so far by G's and D's optimizers (for tests of the update ratio). */
    long[] optimizerUpdates() {
        return new long[] {generatorOptimizer.updates(), discriminatorOptimizer.updates()};
    }

    /** Releases the networks' native memory. */
    @Override
    public void close() {
        manager.close();
    }

    /** Builds a {@link GanTrainer}. */
    public static final class Builder {

        private GanModels models;
        private GanLoss loss;
        private TrainingConfig training;
        private long seed;
        private boolean seedSet;
        private NDManager manager;

        private Builder() {}

        /**
         * Sets the networks, which must not be initialized yet.
         *
         * @param models generator and discriminator
         * @return this builder
         */
        public Builder setModels(GanModels models) {
            this.models = models;
            return this;
        }

        /**
         * Sets the objective.
         *
         * @param loss the GAN loss
         * @return this builder
         */
        public Builder setLoss(GanLoss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Sets batch size, update ratio and optimizers.
         *
         * @param training the training section of the config
         * @return this builder
         */
        public Builder setTraining(TrainingConfig training) {
            this.training = training;
            return this;
        }

        /**
         * Sets the seed for weights and noise.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder setSeed(long seed) {
            this.seed = seed;
            this.seedSet = true;
            return this;
        }

        /**
         * Builds the trainer: creates its native memory manager and initializes both networks from the seed.
         *
         * @return the trainer
         */
        public GanTrainer build() {
            Objects.requireNonNull(models, "models");
            Objects.requireNonNull(loss, "loss");
            Objects.requireNonNull(training, "training");
            if (!seedSet) {
                throw new IllegalStateException("seed is required");
            }
            if (training.batchSize() % models.packing() != 0) {
                throw new IllegalArgumentException(
                        "batch size " + training.batchSize() + " is not divisible by packing " + models.packing());
            }
            manager = NDManager.newBaseManager();
            models.initialize(manager, seed);
            return new GanTrainer(this);
        }
    }
}
