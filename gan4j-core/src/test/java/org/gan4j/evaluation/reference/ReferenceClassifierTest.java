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

    @Test
    void unknownShippedNameIsAUserError() {
        assertThatThrownBy(() -> ReferenceClassifier.shipped("cifar10-v9"))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("cifar10-v9");
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
