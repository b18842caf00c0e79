package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.gan4j.Cancellation;
import org.gan4j.config.Defaults;
import org.gan4j.config.ModelConfig;
import org.gan4j.config.ModelConfig.Architecture;
import org.gan4j.config.RunConfig;
import org.gan4j.config.TrainingConfig;
import org.gan4j.loss.GanLoss;
import org.gan4j.nn.GanModels;
import org.gan4j.nn.dcgan.SmallDcgan;
import org.junit.jupiter.api.Test;

class GanTrainerTest {

    private static final RunConfig DEFAULTS = Defaults.config();

    /** A tiny DCGAN (with batch norm in both networks) on 1×28×28 images. */
    private static GanTrainer dcgan(int batchSize, int dSteps, int gSteps, long seed) {
        ModelConfig model =
                new ModelConfig(Architecture.DCGAN, 8, DEFAULTS.model().mlp(), new ModelConfig.DcganConfig(4, 4), 1);
        TrainingConfig base = DEFAULTS.training();
        TrainingConfig training =
                new TrainingConfig(batchSize, 100, dSteps, gSteps, base.generator(), base.discriminator(), 0);
        return GanTrainer.builder()
                .setModels(GanModels.create(model, new long[] {1, 28, 28}))
                .setLoss(GanLoss.nonSaturating())
                .setTraining(training)
                .setSeed(seed)
                .build();
    }

    /** Deterministic fake "real" data: a pure function of the batch index. */
    private static RealBatches syntheticBatches(int batchSize, int exampleSize) {
        return new RealBatches() {
            private long index;

            @Override
            public float[] next() {
                SplittableRandom random = new SplittableRandom(index++);
                float[] data = new float[batchSize * exampleSize];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (random.nextDouble() * 2 - 1);
                }
                return data;
            }

            @Override
            public int batchesPerEpoch() {
                return 10;
            }

            @Override
            public long waitNanos() {
                return 0;
            }

            @Override
            public void close() {}
        };
    }

    private static List<float[]> snapshot(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            values.add(pair.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static boolean trainableParametersEqual(Block block, List<float[]> before) {
        int i = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            float[] now = pair.getValue().getArray().toFloatArray();
            if (pair.getValue().requiresGradient() && !java.util.Arrays.equals(now, before.get(i))) {
                return false;
            }
            i++;
        }
        return true;
    }

    /**
     * The discriminator test scores D as training runs it: batches of the training batch size, one kind each, batch
     * norm on the batch's own statistics. Its mean on the first real batch is the D(x) the first step logs, inference
     * mode gives other numbers, and D's running averages are left as they were.
     */
    @Test
    void discriminatorScoredAsTrainedMatchesTheLoggedDOfX() {
        int batch = 8;
        int size = 28 * 28;
        try (GanTrainer trainer = dcgan(batch, 1, 1, 7)) {
            RealBatches batches = syntheticBatches(batch, size);
            float[] first = syntheticBatches(batch, size).next();
            List<float[]> before = snapshot(trainer.models().discriminator());

            float[] asTrained = trainer.discriminatorProbabilityAsTrained(first, batch);
            float[] inference = trainer.discriminatorProbability(first, batch);
            List<float[]> after = snapshot(trainer.models().discriminator());
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).as("D parameter %d (running averages included)", i).isEqualTo(before.get(i));
            }
            assertThat(asTrained).isNotEqualTo(inference);
            // a remainder joins the last batch; the first batch is scored as on its own
            float[] twenty = new float[20 * size];
            System.arraycopy(first, 0, twenty, 0, first.length);
            SplittableRandom random = new SplittableRandom(99);
            for (int i = first.length; i < twenty.length; i++) {
                twenty[i] = (float) (random.nextDouble() * 2 - 1);
            }
            float[] scored = trainer.discriminatorProbabilityAsTrained(twenty, 20);
            assertThat(java.util.Arrays.copyOf(scored, batch)).isEqualTo(asTrained);
            // the logits, scored the same way, are the probabilities before the sigmoid
            float[] logits = trainer.discriminatorLogitsAsTrained(twenty, 20);
            for (int i = 0; i < 20; i++) {
                assertThat(1 / (1 + Math.exp(-logits[i]))).as("sample %d", i)
                        .isCloseTo(scored[i], org.assertj.core.api.Assertions.within(1e-6));
            }

            double mean = 0;
            for (float p : asTrained) {
                mean += p / batch;
            }
            StepResult step = trainer.trainStep(batches, true);
            assertThat(step.dReal()).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    @Test
    @SuppressWarnings("try") // the collector only turns gradient recording on
    void discriminatorDoesNotMoveDuringGeneratorUpdate() {
        try (GanTrainer trainer = dcgan(4, 1, 1, 7)) {
            Block discriminator = trainer.models().discriminator();
            Block generator = trainer.models().generator();
            List<float[]> dBefore = snapshot(discriminator);
            List<float[]> gBefore = snapshot(generator);
            try (NDManager step = trainer.manager().newSubManager();
                    GradientCollector recording = Engine.getInstance().newGradientCollector()) {
                NDArray z = step.create(Noise.gaussian(1, Noise.TRAINING, 0, 4 * 8), new Shape(4, 8));
                trainer.updateGenerator(trainer.generate(z, true));
            }
            assertThat(trainableParametersEqual(discriminator, dBefore)).as("D's weights after a G update").isTrue();
            assertThat(trainableParametersEqual(generator, gBefore)).as("G's weights after a G update").isFalse();
            // and the G update left no gradient behind in D
            for (Pair<String, Parameter> pair : discriminator.getParameters()) {
                if (pair.getValue().requiresGradient() && pair.getValue().getArray().hasGradient()) {
                    try (NDArray gradient = pair.getValue().getArray().getGradient()) {
                        assertThat(gradient.abs().max().getFloat()).isZero();
                    }
                }
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the collector only turns gradient recording on
    void generatorDoesNotMoveDuringDiscriminatorUpdate() {
        try (GanTrainer trainer = dcgan(4, 1, 1, 7)) {
            Block discriminator = trainer.models().discriminator();
            Block generator = trainer.models().generator();
            List<float[]> dBefore = snapshot(discriminator);
            List<float[]> gBefore = snapshot(generator);
            try (NDManager step = trainer.manager().newSubManager();
                    GradientCollector recording = Engine.getInstance().newGradientCollector()) {
                NDArray z = step.create(Noise.gaussian(1, Noise.TRAINING, 0, 4 * 8), new Shape(4, 8));
                NDArray real = step.create(syntheticBatches(4, 784).next(), new Shape(4, 1, 28, 28));
                trainer.updateDiscriminator(real, trainer.generate(z, true));
            }
            assertThat(trainableParametersEqual(discriminator, dBefore)).as("D's weights after a D update").isFalse();
            assertThat(trainableParametersEqual(generator, gBefore)).as("G's weights after a D update").isTrue();
        }
    }

    @Test
    void discriminatorLossHalvesInTurnGiveTheGradientsOfTheirSum() {
        // GanTrainer back-propagates D's loss on the real batch, then on the fakes: the same gradients, bit for bit,
        // as one backward pass of the summed loss
        GanLoss loss = GanLoss.nonSaturating();
        try (NDManager manager = NDManager.newBaseManager()) {
            SmallDcgan pair = SmallDcgan.create(manager, 28, 1);
            NDArray real = manager.randomNormal(new Shape(5, 1, 28, 28));
            List<float[]> summed = discriminatorGradients(manager, pair, real, (collector, d) -> {
                NDArray realLogits = d.apply(real);
                NDArray fakeLogits = d.apply(null);
                collector.backward(loss.discriminatorLoss(realLogits, fakeLogits));
            });
            List<float[]> inTurn = discriminatorGradients(manager, pair, real, (collector, d) -> {
                collector.backward(loss.discriminatorRealLoss(d.apply(real)));
                collector.backward(loss.discriminatorFakeLoss(d.apply(null)));
            });
            assertThat(inTurn).hasSameSizeAs(summed);
            for (int i = 0; i < summed.size(); i++) {
                assertThat(inTurn.get(i)).as("gradient %d", i).containsExactly(summed.get(i));
            }
            assertThat(summed.stream().anyMatch(g -> g[0] != 0f)).isTrue();
        }
    }

    /** Runs {@code passes} with D as a function (null: G's detached samples) and returns then clears the gradients. */
    private static List<float[]> discriminatorGradients(
            NDManager manager,
            SmallDcgan pair,
            NDArray real,
            java.util.function.BiConsumer<GradientCollector, java.util.function.UnaryOperator<NDArray>> passes) {
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray fake = pair.generator().forward(store, new NDList(pair.z()), true).singletonOrThrow().stopGradient();
            passes.accept(collector, x -> pair.discriminator()
                    .forward(store, new NDList(x == null ? fake : x), true)
                    .singletonOrThrow());
            return pair.takeGradients(false);
        }
    }

    @Test
    void updateRatioCountsUpdatesBothWays() {
        try (GanTrainer paper = dcgan(4, 3, 1, 1)) {
            RealBatches batches = syntheticBatches(4, 784);
            paper.trainStep(batches, false);
            paper.trainStep(batches, false);
            assertThat(paper.optimizerUpdates()).containsExactly(2, 6);
            assertThat(paper.nextBatchIndex()).isEqualTo(6);
        }
        try (GanTrainer tensorflow = dcgan(4, 1, 2, 1)) {
            RealBatches batches = syntheticBatches(4, 784);
            tensorflow.trainStep(batches, false);
            tensorflow.trainStep(batches, false);
            assertThat(tensorflow.optimizerUpdates()).containsExactly(4, 2);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalValues() {
        List<double[]> first = run(11);
        List<double[]> second = run(11);
        List<double[]> other = run(12);
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i)).containsExactly(second.get(i));
        }
        assertThat(first.get(0)).isNotEqualTo(other.get(0));
    }

    private static List<double[]> run(long seed) {
        List<double[]> values = new ArrayList<>();
        try (GanTrainer trainer = dcgan(4, 1, 1, seed)) {
            RealBatches batches = syntheticBatches(4, 784);
            for (int i = 0; i < 4; i++) {
                StepResult r = trainer.trainStep(batches, true);
                values.add(new double[] {r.lossD(), r.lossG(), r.dReal(), r.dFake(), r.dFakeAfter()});
            }
            values.add(toDoubles(trainer.sample(Noise.gaussian(seed, Noise.SAMPLING, 0, 2 * 8), 2)));
        }
        return values;
    }

    private static double[] toDoubles(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    @Test
    void measuredStepsReportProbabilitiesAndUnmeasuredStepsReportNaN() {
        try (GanTrainer trainer = dcgan(4, 1, 1, 3)) {
            RealBatches batches = syntheticBatches(4, 784);
            StepResult measured = trainer.trainStep(batches, true);
            assertThat(measured.measured()).isTrue();
            assertThat(measured.step()).isEqualTo(1);
            assertThat(measured.dReal()).isBetween(0.0, 1.0);
            assertThat(measured.dFake()).isBetween(0.0, 1.0);
            assertThat(measured.dFakeAfter()).isBetween(0.0, 1.0);
            assertThat(measured.lossD()).isPositive();
            StepResult quiet = trainer.trainStep(batches, false);
            assertThat(quiet.measured()).isFalse();
            assertThat(quiet.lossD()).isNaN();
            assertThat(trainer.step()).isEqualTo(2);
        }
    }
    /** An MLP generator with batch norm (weights N(0, 0.02²)) for 2-D points. */
    private static GanTrainer mlpWithBatchNorm(int batchSize, long seed) {
        ModelConfig.MlpConfig mlp =
                new ModelConfig.MlpConfig(
                        List.of(16, 16), org.gan4j.nn.Activation.RELU, true, org.gan4j.nn.Activation.IDENTITY,
                        List.of(16), org.gan4j.nn.Activation.LEAKY_RELU, 0, 0.02);
        ModelConfig model = new ModelConfig(Architecture.MLP, 2, mlp, DEFAULTS.model().dcgan(), 1);
        TrainingConfig base = DEFAULTS.training();
        TrainingConfig training = new TrainingConfig(batchSize, 100, 1, 1, base.generator(), base.discriminator(), 0);
        return GanTrainer.builder()
                .setModels(GanModels.create(model, new long[] {2}))
                .setLoss(GanLoss.nonSaturating())
                .setTraining(training)
                .setSeed(seed)
                .build();
    }

    /** {@link #mlpWithBatchNorm} (batch 8, seed 5) after two training steps: running averages far from the truth. */
    private static GanTrainer mlpWithBatchNormAfterTwoSteps() {
        GanTrainer trainer = mlpWithBatchNorm(8, 5);
        RealBatches batches = syntheticBatches(8, 2);
        for (int i = 0; i < 2; i++) {
            trainer.trainStep(batches, false);
        }
        return trainer;
    }

    private static List<float[]> parameters(Block block, Parameter.Type type) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getValue().getType() == type) {
                values.add(pair.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }

    @Test
    void batchNormRecalibrationEstimatesPopulationStatisticsAndRestoresExactly() {
        try (GanTrainer trainer = mlpWithBatchNormAfterTwoSteps()) {
            Block generator = trainer.models().generator();
            List<float[]> everything = snapshot(generator);
            // z ~ N(0, I) through the first linear layer (no bias): mean 0, variance = squared row norm of W
            float[] weight = parameters(generator, Parameter.Type.WEIGHT).get(0);
            int units = 16;
            double[] expectedVariance = new double[units];
            for (int j = 0; j < units; j++) {
                expectedVariance[j] = weight[2 * j] * weight[2 * j] + weight[2 * j + 1] * weight[2 * j + 1];
            }
            float[] varianceBefore = parameters(generator, Parameter.Type.RUNNING_VAR).get(0);
            // two steps of momentum 0.9 from 1: still far from the population value (about 8e-4)
            assertThat(varianceBefore[0] / expectedVariance[0]).isGreaterThan(10);

            Runnable nothing = trainer.recalibrateBatchNorm(1, 0);
            assertThat(parameters(generator, Parameter.Type.RUNNING_VAR).get(0)).containsExactly(varianceBefore);
            nothing.run();

            Runnable restore = trainer.recalibrateBatchNorm(1, 100);
            float[] mean = parameters(generator, Parameter.Type.RUNNING_MEAN).get(0);
            float[] variance = parameters(generator, Parameter.Type.RUNNING_VAR).get(0);
            for (int j = 0; j < units; j++) {
                assertThat(variance[j] / expectedVariance[j]).as("unit %d", j).isBetween(0.95, 1.05);
                assertThat(Math.abs(mean[j]) / Math.sqrt(expectedVariance[j])).as("unit %d", j).isLessThan(0.1);
            }
            assertThat(trainableParametersEqual(generator, everything)).isTrue();
            assertThat(trainer.step()).isEqualTo(2);

            restore.run();
            List<float[]> after = snapshot(generator);
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.get(i)).containsExactly(everything.get(i));
            }
        }
    }

    /**
     * A stop during the recalibration (an evaluation cancelled by Ctrl-C or SIGTERM) leaves G's batch-norm statistics
     * as training left them: the stop then checkpoints that state, so a resume continues exactly the uninterrupted run.
     */
    @Test
    void batchNormRecalibrationStoppedHalfwayRestoresTheStatistics() {
        try (GanTrainer trainer = mlpWithBatchNormAfterTwoSteps()) {
            Block generator = trainer.models().generator();
            List<float[]> everything = snapshot(generator);
            AtomicInteger checks = new AtomicInteger();

            assertThatThrownBy(() -> Cancellation.whileRunning(
                            () -> checks.incrementAndGet() > 3, () -> trainer.recalibrateBatchNorm(1, 100)))
                    .isInstanceOf(CancellationException.class);

            assertThat(checks.get()).isEqualTo(4);
            List<float[]> after = snapshot(generator);
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.get(i)).as("parameter %d", i).containsExactly(everything.get(i));
            }
        }
    }
}
