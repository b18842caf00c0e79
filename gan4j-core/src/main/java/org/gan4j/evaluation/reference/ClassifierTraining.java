package org.gan4j.evaluation.reference;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;
import org.gan4j.Gan4jException;
import org.gan4j.data.GanDataset;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.IoFailures;
import org.gan4j.io.Json;

/**
 * Trains a {@link ReferenceNetwork} on a labelled image dataset (softmax cross-entropy, Adam), measures its test
 * accuracy and writes {@code NAME.params} with its {@code NAME.json} sidecar (SHA-256, accuracy, command).
 *
 * <p>Deterministic for a seed: the engine seed fixes the initial weights, a seeded {@link Random} the order of the
 * examples in each epoch.
 */
public final class ClassifierTraining {

    private final GanDataset train;
    private final GanDataset test;
    private final String name;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final long seed;
    private final String command;
    private final String version;
    private final Consumer<String> progress;
    private final java.util.List<String> classNames;

    private ClassifierTraining(Builder builder) {
        this.train = builder.train;
        this.test = builder.test;
        this.name = builder.name;
        this.epochs = builder.epochs;
        this.batchSize = builder.batchSize;
        this.learningRate = builder.learningRate;
        this.seed = builder.seed;
        this.command = builder.command;
        this.version = builder.version;
        this.progress = builder.progress;
        this.classNames = builder.classNames;
    }

    /**
     * Returns a new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains, evaluates on the test split and writes the weights and sidecar into a folder.
     *
     * @param outputFolder where {@code NAME.params} and {@code NAME.json} go
     * @return the sidecar information (including the test accuracy and SHA-256)
     */
    public ReferenceInfo trainAndWrite(Path outputFolder) {
        int classes = train.classCount();
        long[] shape = train.exampleShape();
        int size = train.exampleSize();
        Engine.getInstance().setRandomSeed((int) seed);
        ReferenceNetwork network = ReferenceNetwork.create(classes);
        byte[] weights;
        double accuracy;
        try (Model model = Model.newInstance("gan4j-reference-training")) {
            model.setBlock(network.network());
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batchSize, shape[0], shape[1], shape[2]));
                Random random = new Random(seed);
                int[] order = new int[train.size()];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                int batches = train.size() / batchSize;
                float[] x = new float[batchSize * size];
                float[] y = new float[batchSize];
                for (int epoch = 0; epoch < epochs; epoch++) {
                    shuffle(order, random);
                    double lossSum = 0;
                    for (int b = 0; b < batches; b++) {
                        for (int i = 0; i < batchSize; i++) {
                            int index = order[b * batchSize + i];
                            train.copyExample(index, x, i * size);
                            y[i] = train.label(index);
                        }
                        try (NDManager stepManager = trainer.getManager().newSubManager()) {
                            NDArray images = stepManager.create(x, new Shape(batchSize, shape[0], shape[1], shape[2]));
                            NDArray labels = stepManager.create(y);
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray logits = trainer.forward(new NDList(images)).singletonOrThrow();
                                NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
                                collector.backward(loss);
                                if (b % 100 == 99) {
                                    lossSum = loss.getFloat();
                                }
                            }
                            trainer.step();
                        }
                        if (b % 100 == 99) {
                            progress.accept(String.format(
                                    java.util.Locale.ROOT, "epoch %d/%d batch %d/%d loss %.4f", epoch + 1, epochs, b + 1,
                                    batches, lossSum));
                        }
                    }
                }
                accuracy = testAccuracy(network, trainer.getManager(), shape, size);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                network.network().saveParameters(out);
            } catch (IOException e) {
                throw new IllegalStateException("writing to memory cannot fail", e);
            }
            weights = bytes.toByteArray();
        }
        ReferenceInfo info =
                new ReferenceInfo(
                        name, train.description(), classes, shape, ReferenceNetwork.FEATURE_DIMENSION, accuracy,
                        train.size(), test.size(), epochs, seed, ReferenceClassifier.sha256(weights), command, version,
                        classNames);
        try {
            Files.createDirectories(outputFolder);
            AtomicFiles.writeBytes(outputFolder.resolve(name + ".params"), weights);
            AtomicFiles.writeString(
                    outputFolder.resolve(name + ".json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info.toJson()) + "\n");
        } catch (IOException e) {
            throw IoFailures.wrap("cannot write the classifier into " + outputFolder, e);
        }
        return info;
    }

    private double testAccuracy(ReferenceNetwork network, NDManager manager, long[] shape, int size) {
        ParameterStore store = new ParameterStore(manager, false);
        int correct = 0;
        int chunk = 500;
        for (int start = 0; start < test.size(); start += chunk) {
            int n = Math.min(chunk, test.size() - start);
            float[] x = new float[n * size];
            for (int i = 0; i < n; i++) {
                test.copyExample(start + i, x, i * size);
            }
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray images = batchManager.create(x, new Shape(n, shape[0], shape[1], shape[2]));
                NDArray logits = network.network().forward(store, new NDList(images), false).singletonOrThrow();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (predicted[i] == test.label(start + i)) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) test.size();
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /** Builds a {@link ClassifierTraining}. */
    public static final class Builder {

        private GanDataset train;
        private GanDataset test;
        private String name;
        private int epochs = 5;
        private int batchSize = 100;
        private float learningRate = 1e-3f;
        private long seed = 1;
        private String command = "";
        private String version = "";
        private Consumer<String> progress = line -> {};
        private java.util.List<String> classNames = java.util.List.of();

        private Builder() {}

        /**
         * Sets the labelled training split.
         *
         * @param train images with labels
         * @return this builder
         */
        public Builder setTrain(GanDataset train) {
            this.train = train;
            return this;
        }

        /**
         * Sets the labelled test split (accuracy is measured on it).
         *
         * @param test images with labels
         * @return this builder
         */
        public Builder setTest(GanDataset test) {
            this.test = test;
            return this;
        }

        /**
         * Sets the versioned name, e.g. {@code fashion-mnist-v1}.
         *
         * @param name file stem of the outputs
         * @return this builder
         */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the number of epochs (default 5).
         *
         * @param epochs at least 1
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the batch size (default 100).
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets Adam's learning rate (default 1e-3).
         *
         * @param learningRate positive
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the seed (default 1).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the command line recorded in the sidecar.
         *
         * @param command the reproducing command
         * @return this builder
         */
        public Builder optCommand(String command) {
            this.command = command;
            return this;
        }

        /**
         * Sets the gan4j version recorded in the sidecar.
         *
         * @param version the version
         * @return this builder
         */
        public Builder optVersion(String version) {
            this.version = version;
            return this;
        }

        /**
         * Sets a receiver of progress lines (every 100 batches).
         *
         * @param progress the receiver
         * @return this builder
         */
        public Builder optProgress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Sets the class names recorded in the sidecar, in label order (default: none, as for IDX files; evaluations
         * then call the classes "class 0", "class 1", …).
         *
         * @param classNames one name per class of the training split, or empty
         * @return this builder
         */
        public Builder optClassNames(java.util.List<String> classNames) {
            this.classNames = classNames == null ? java.util.List.of() : java.util.List.copyOf(classNames);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the training
         */
        public ClassifierTraining build() {
            if (train == null || test == null) {
                throw new IllegalArgumentException("set both the train and the test split");
            }
            if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
                throw new Gan4jException("classifier name must be letters, digits, '.', '_' or '-', got " + name);
            }
            if (train.classCount() < 2 || train.label(0) < 0) {
                throw new Gan4jException(train.description() + " has no labels: a reference classifier needs them");
            }
            if (test.classCount() < 1 || test.label(0) < 0) {
                throw new Gan4jException(test.description() + " has no labels: the test split needs them");
            }
            if (train.exampleShape().length != 3 || !java.util.Arrays.equals(train.exampleShape(), test.exampleShape())) {
                throw new Gan4jException("train and test images must have the same C×H×W shape");
            }
            if (!classNames.isEmpty() && classNames.size() != train.classCount()) {
                throw new Gan4jException(classNames.size() + " class names for the " + train.classCount() + " classes of "
                        + train.description() + ": expected one name per class");
            }
            if (epochs < 1 || epochs > 1000) {
                throw new Gan4jException("epochs must be 1..1000, got " + epochs);
            }
            if (batchSize < 1 || batchSize > train.size()) {
                throw new Gan4jException("batch size must be 1.." + train.size() + " (the number of training images in "
                        + train.description() + "), got " + batchSize);
            }
            if (!(learningRate > 0)) {
                throw new Gan4jException("learning rate must be positive, got " + learningRate);
            }
            return new ClassifierTraining(this);
        }
    }
}
