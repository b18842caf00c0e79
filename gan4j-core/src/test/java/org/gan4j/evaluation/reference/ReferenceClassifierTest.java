package org.gan4j.evaluation.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.gan4j.Gan4jException;
import org.gan4j.data.IdxReader;
import org.gan4j.data.ImageDataset;
import org.gan4j.evaluation.DensityCoverage;
import org.gan4j.evaluation.FeatureStatistics;
import org.gan4j.evaluation.FrechetDistance;
import org.gan4j.evaluation.PrecisionRecall;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceClassifierTest {

    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int N = 2000;

    @TempDir Path temp;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ReferenceClassifier.class.getResourceAsStream(ReferenceClassifier.RESOURCE_FOLDER + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void shippedWeightsMatchTheirSha256AndReachNinetyPercent() throws IOException {
        byte[] weights = resource("fashion-mnist-v1.params");
        assertThat(weights.length).isLessThan(2 * 1024 * 1024);
        try (ReferenceClassifier classifier = ReferenceClassifier.shipped(ReferenceClassifier.FASHION_MNIST)) {
            ReferenceInfo info = classifier.info();
            assertThat(ReferenceClassifier.sha256(weights)).isEqualTo(info.sha256())
                    .isEqualTo("b475390d0a6e3ae310a470289870a844508e94a5785492048dfc648675bd4779");
            assertThat(info.testAccuracy()).isBetween(0.90, 1.0);
            assertThat(info.featureDimension()).isEqualTo(128);
            assertThat(info.imageShape()).containsExactly(1, 28, 28);
            assertThat(info.command()).contains("classifier train").contains("--epochs 5").contains("--seed 1");
        }
    }

    /** Epochs and batch size out of range are separate messages, each naming its own value. */
    @Test
    void buildNamesTheEpochsOrTheBatchSizeThatIsOutOfRange() {
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        ImageDataset images = new ImageDataset(new byte[10 * 4 * 4], 10, 1, 4, labels, 3, "ten images");
        assertThatThrownBy(() -> ClassifierTraining.builder().setTrain(images).setTest(images).setName("t-v1")
                        .optEpochs(0).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessage("epochs must be 1..1000, got 0");
        assertThatThrownBy(() -> ClassifierTraining.builder().setTrain(images).setTest(images).setName("t-v1").build())
                .isInstanceOf(Gan4jException.class)
                .hasMessage("batch size must be 1..10 (the number of training images in ten images), got 100");
        assertThat(ClassifierTraining.builder().setTrain(images).setTest(images).setName("t-v1").optBatchSize(10)
                .build()).isNotNull();
    }

    /** {@code count} colour images of side {@code side}, two classes: mostly red (0) or mostly blue (1). */
    private static ImageDataset colourImages(int count, int side, long seed) {
        Random random = new Random(seed);
        int plane = side * side;
        byte[] pixels = new byte[count * 3 * plane];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            labels[n] = n % 2;
            for (int c = 0; c < 3; c++) {
                int level = (c == 0) == (labels[n] == 0) ? 200 : 40;
                for (int i = 0; i < plane; i++) {
                    pixels[(n * 3 + c) * plane + i] = (byte) (level + random.nextInt(40));
                }
            }
        }
        return new ImageDataset(pixels, count, 3, side, labels, 2, count + " colour " + side + "×" + side);
    }

    /**
     * The network is not tied to 28×28: the flatten before the feature layer is 32·(H/4)·(W/4) for the input it is
     * initialised with, so colour 3×32×32 (CIFAR) and 3×64×64 (a folder at --size 64) classifiers train, save, load
     * (SHA-256 verified) and give 128-d features; the same seed gives the same weights.
     */
    @Test
    void colourClassifiersOf32And64PixelsTrainLoadAndExtractFeatures() {
        for (int side : new int[] {32, 64}) {
            ImageDataset train = colourImages(40, side, 1);
            ImageDataset test = colourImages(10, side, 2);
            Path folder = temp.resolve("side-" + side);
            ReferenceInfo info = null;
            for (String run : new String[] {"a", "b"}) {
                info = ClassifierTraining.builder().setTrain(train).setTest(test).setName("colour-" + run)
                        .optEpochs(3).optBatchSize(10).optSeed(5).build().trainAndWrite(folder);
            }
            assertThat(info.imageShape()).containsExactly(3, side, side);
            try (ReferenceClassifier a = ReferenceClassifier.load(folder.resolve("colour-a.params"))) {
                assertThat(a.info().sha256()).isEqualTo(info.sha256());
                assertThat(a.info().imageShape()).containsExactly(3, side, side);
                long flatten = 32L * (side / 4) * (side / 4);
                float[] x = new float[test.size() * test.exampleSize()];
                for (int i = 0; i < test.size(); i++) {
                    test.copyExample(i, x, i * test.exampleSize());
                }
                ReferenceClassifier.Outputs outputs = a.run(x, test.size());
                assertThat(outputs.features()).hasNumberOfRows(10);
                assertThat(outputs.features()[0]).hasSize(ReferenceNetwork.FEATURE_DIMENSION);
                assertThat(outputs.probabilities()[0]).hasSize(2);
                // red and blue images are told apart
                assertThat(outputs.accuracy(new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1})).isEqualTo(info.testAccuracy())
                        .isGreaterThanOrEqualTo(0.9);
                assertThat(Files.exists(folder.resolve("colour-a.json"))).isTrue();
                // the feature layer's weights are 128 × flatten: the file holds them (float32), and little else (the
                // convolutions, biases and head are about 5,500 values); a flatten of another size would not fit
                assertThat(weightsBytes(folder.resolve("colour-a.params"))).isGreaterThan(4 * 128 * flatten)
                        .isLessThan(4 * 128 * flatten + 64 * 1024);
                assertThatThrownBy(() -> a.run(new float[28 * 28], 1)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    private static long weightsBytes(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tamperedWeightsAreRefused() throws IOException {
        byte[] weights = resource("fashion-mnist-v1.params");
        weights[weights.length - 1] ^= 1;
        Path params = temp.resolve("fashion-mnist-v1.params");
        Files.write(params, weights);
        Files.write(temp.resolve("fashion-mnist-v1.json"), resource("fashion-mnist-v1.json"));
        assertThatThrownBy(() -> ReferenceClassifier.load(params))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("SHA-256")
                .hasMessageContaining("corrupt or replaced");
    }

    /**
     * The sidecar is not hashed, and DJL loads weights of any shape: a sidecar that says another input shape or class
     * count than its weights (edited, or copied from another classifier) loaded without a word, and the first images
     * failed deep in libtorch ("mat1 and mat2 shapes cannot be multiplied", a stack trace). Now the load refuses it,
     * naming the sidecar's shape and classes and the parameter that does not fit; a weights file cut short names that.
     */
    @Test
    void weightsThatDoNotFitTheSidecarAreRefusedAtLoad() throws IOException {
        byte[] weights = resource("fashion-mnist-v1.params");
        com.fasterxml.jackson.databind.node.ObjectNode sidecar = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.gan4j.io.Json.MAPPER.readTree(resource("fashion-mnist-v1.json"));
        // without the shipped class names, whose count (10) would be refused first once "classes" is edited below
        sidecar.remove("classNames");
        Path shape = temp.resolve("shape.params");
        Files.write(shape, weights);
        sidecar.putArray("imageShape").add(1).add(32).add(32);
        Files.writeString(temp.resolve("shape.json"), sidecar.toString());
        assertThatThrownBy(() -> ReferenceClassifier.load(shape))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(shape.toString())
                .hasMessageContaining("[1, 32, 32]")
                .hasMessageContaining("10 classes")
                .hasMessageContaining("does not fit");

        Path classes = temp.resolve("classes.params");
        Files.write(classes, weights);
        sidecar.putArray("imageShape").add(1).add(28).add(28);
        sidecar.put("classes", 3);
        Files.writeString(temp.resolve("classes.json"), sidecar.toString());
        assertThatThrownBy(() -> ReferenceClassifier.load(classes))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("[1, 28, 28]")
                .hasMessageContaining("3 classes")
                .hasMessageContaining("does not fit");

        // cut short (its SHA-256 in the sidecar): the reason is named, not "(null)"
        Path cut = temp.resolve("cut.params");
        byte[] head = Arrays.copyOf(weights, 1000);
        Files.write(cut, head);
        sidecar.put("classes", 10);
        sidecar.put("sha256", ReferenceClassifier.sha256(head));
        Files.writeString(temp.resolve("cut.json"), sidecar.toString());
        assertThatThrownBy(() -> ReferenceClassifier.load(cut))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageNotContaining("null");
    }

    /**
     * A missing weights file or sidecar read "cannot read reference classifier X and its X.json (PATH)", the reason
     * being only a path: which of the two is missing is now said.
     */
    @Test
    void aMissingWeightsFileOrSidecarIsNamed() throws IOException {
        Path absent = temp.resolve("absent.params");
        assertThatThrownBy(() -> ReferenceClassifier.load(absent))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("reference classifier " + absent + " does not exist");
        Path alone = temp.resolve("alone.params");
        Files.write(alone, resource("fashion-mnist-v1.params"));
        assertThatThrownBy(() -> ReferenceClassifier.load(alone))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(alone.toString())
                .hasMessageContaining("has no sidecar " + temp.resolve("alone.json"))
                .hasMessageContaining("gan4j classifier train");
    }

    /**
     * An unknown name says a trained classifier is given as its file, and names the file when classifiers/NAME.params
     * (the docs' place) or NAME.params exists: {@code --eval-reference emoji64-v1} said only "no shipped reference
     * classifier named emoji64-v1" until 1 December.
     */
    @Test
    void unknownShippedNameIsAUserError(@org.junit.jupiter.api.io.TempDir Path temp) throws IOException {
        assertThatThrownBy(() -> ReferenceClassifier.shipped("cifar10-v9"))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("no shipped reference classifier named cifar10-v9 (shipped: fashion-mnist-v1); a classifier"
                        + " made by gan4j classifier train is given as its file, NAME.params");
        Path trained = Files.createDirectories(temp.resolve("classifiers")).resolve("emoji64-v1.params");
        Files.write(trained, new byte[] {1});
        assertThat(ReferenceClassifier.trainedHint("emoji64-v1", temp))
                .isEqualTo("; for the classifier you trained, give its weights file: " + trained);
        Files.write(temp.resolve("emoji64-v1.params"), new byte[] {1});
        assertThat(ReferenceClassifier.trainedHint("emoji64-v1", temp))
                .endsWith(": " + temp.resolve("emoji64-v1.params"));
    }

    /** Sanity properties on real Fashion-MNIST features of the shipped classifier (skipped without the dataset). */
    @Test
    void realFeatureSanity() {
        Path train = FASHION.resolve("train-images-idx3-ubyte.gz");
        Path test = FASHION.resolve("t10k-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.isReadable(train) && Files.isReadable(test), "Fashion-MNIST is not installed");
        ImageDataset trainSet = IdxReader.read(train).limited(N);
        ImageDataset testSet = IdxReader.read(test).limited(N);
        try (ReferenceClassifier classifier = ReferenceClassifier.shipped(ReferenceClassifier.FASHION_MNIST)) {
            ReferenceClassifier.Outputs trainOut = classifier.run(pixels(trainSet), N);
            ReferenceClassifier.Outputs testOut = classifier.run(pixels(testSet), N);
            int[] labels = new int[N];
            for (int i = 0; i < N; i++) {
                labels[i] = testSet.label(i);
            }
            assertThat(testOut.accuracy(labels)).isBetween(0.87, 1.0);

            float[] noise = new float[N * 784];
            Random random = new Random(7);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = random.nextFloat() * 2 - 1;
            }
            ReferenceClassifier.Outputs noiseOut = classifier.run(noise, N);
            FeatureStatistics trainStats = FeatureStatistics.of(trainOut.features());
            double splits = FrechetDistance.between(trainStats, FeatureStatistics.of(testOut.features()));
            double realVsNoise = FrechetDistance.between(trainStats, FeatureStatistics.of(noiseOut.features()));
            assertThat(splits).isPositive();
            assertThat(realVsNoise).isGreaterThan(50 * splits);

            // "generated" = the test split without class 8 (bag), a class far from the others in feature space
            double[][] withoutClass =
                    java.util.stream.IntStream.range(0, N)
                            .filter(i -> testSet.label(i) != 8)
                            .mapToObj(i -> testOut.features()[i])
                            .toArray(double[][]::new);
            double droppedFd = FrechetDistance.between(trainStats, FeatureStatistics.of(withoutClass));
            assertThat(droppedFd).isGreaterThan(2 * splits);
            PrecisionRecall full = PrecisionRecall.compute(trainOut.features(), testOut.features());
            PrecisionRecall dropped = PrecisionRecall.compute(trainOut.features(), withoutClass);
            assertThat(dropped.recall()).isLessThan(full.recall() - 0.01);
            DensityCoverage fullCoverage = DensityCoverage.compute(trainOut.features(), testOut.features());
            DensityCoverage droppedCoverage = DensityCoverage.compute(trainOut.features(), withoutClass);
            assertThat(droppedCoverage.coverage()).isLessThan(fullCoverage.coverage() - 0.01);
        }
    }

    private static float[] pixels(ImageDataset data) {
        float[] values = new float[data.size() * data.exampleSize()];
        for (int i = 0; i < data.size(); i++) {
            data.copyExample(i, values, i * data.exampleSize());
        }
        return values;
    }

    @Test
    void sidecarOfReplacesTheExtension() {
        assertThat(ReferenceClassifier.sidecarOf(Path.of("a/b/mnist-v2.params"))).isEqualTo(Path.of("a/b/mnist-v2.json"));
        assertThat(Arrays.asList(ReferenceClassifier.FASHION_MNIST)).containsExactly("fashion-mnist-v1");
    }
}
