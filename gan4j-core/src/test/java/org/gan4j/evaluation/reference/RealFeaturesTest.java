package org.gan4j.evaluation.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gan4j.evaluation.FeatureStatistics;
import org.gan4j.evaluation.MetricSuite;
import org.junit.jupiter.api.Test;

class RealFeaturesTest {

    private static final int DIMENSION = 16;

    /** {@code n} features of a Gaussian cloud, rounded to float as the classifier's are; the first 50 are the sample. */
    private static RealFeatures features(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] all = new float[n * DIMENSION];
        double[][] rows = new double[n][DIMENSION];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < DIMENSION; d++) {
                all[i * DIMENSION + d] = (float) (random.nextGaussian() * 3);
                rows[i][d] = all[i * DIMENSION + d];
            }
        }
        return new RealFeatures(FeatureStatistics.of(rows), Arrays.copyOf(rows, 50), new double[] {1.0}, all);
    }

    private static double[] row(RealFeatures features, int index) {
        double[] row = new double[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            row[d] = features.all()[index * DIMENSION + d];
        }
        return row;
    }

    private static double[][] gaussian(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[count][DIMENSION];
        for (double[] row : rows) {
            for (int d = 0; d < DIMENSION; d++) {
                row[d] = random.nextGaussian() * 3;
            }
        }
        return rows;
    }

    /** Writes {@code count} 4×4 PNGs into {@code folder}. */
    private static void pngs(java.nio.file.Path folder, int count) throws IOException {
        java.nio.file.Files.createDirectories(folder);
        for (int n = 0; n < count; n++) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(4, 4,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            image.setRGB(0, 0, n * 40);
            javax.imageio.ImageIO.write(image, "png", folder.resolve("i" + n + ".png").toFile());
        }
    }

    private static ReferenceInfo reference(List<String> names) {
        return new ReferenceInfo("r-v1", "test", 2, new long[] {3, 4, 4}, 8, 0.9, 10, 10, 1, 1, "0".repeat(64), "",
                "0.1.0", names);
    }

    /**
     * A labelled folder's labels are the index of its sorted class subfolders: they count as the real class mix only
     * when those subfolders are the classifier's class names (or the classifier names none); a folder of other names
     * (kitten/, puppy/ against cat, dog) is counted by prediction, as an unlabelled one. Until 1 December its labels
     * were counted, and the named class mix put the kittens' share on "cat" whatever they were.
     */
    @Test
    void aFoldersLabelsCountOnlyWhenItsSubfoldersAreTheClassifiersClasses(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path temp) throws IOException {
        pngs(temp.resolve("same/cat"), 2);
        pngs(temp.resolve("same/dog"), 2);
        pngs(temp.resolve("other/kitten"), 2);
        pngs(temp.resolve("other/puppy"), 2);
        pngs(temp.resolve("three/a"), 1);
        pngs(temp.resolve("three/b"), 1);
        pngs(temp.resolve("three/c"), 1);
        java.util.function.Function<String, org.gan4j.data.ImageFolder> open = name -> org.gan4j.data.ImageFolder
                .builder().setRoot(temp.resolve(name)).setImageSize(4).setChannels(3).optThreads(1).build();
        ReferenceInfo named = reference(List.of("cat", "dog"));
        ReferenceInfo unnamed = reference(List.of());
        assertThat(RealFeatures.usesLabels(open.apply("same"), named)).isTrue();
        assertThat(RealFeatures.usesLabels(open.apply("other"), named)).isFalse();
        assertThat(RealFeatures.usesLabels(open.apply("other"), unnamed)).isTrue();
        assertThat(RealFeatures.usesLabels(open.apply("three"), unnamed)).as("another class count").isFalse();
    }

    @Test
    void nearestSearchOverAllImagesIsExactAndFindsCopies() {
        RealFeatures features = features(3000, 1);
        double[][] queries = gaussian(300, 2);
        for (int i = 0; i < 20; i++) {
            queries[i] = row(features, 1000 + 97 * i); // copies of images outside the sample
        }
        double[] found = features.nearestSquaredDistances(queries);
        for (int i = 0; i < queries.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 3000; j++) {
                double distance = 0;
                for (int d = 0; d < DIMENSION; d++) {
                    double difference = queries[i][d] - features.all()[j * DIMENSION + d];
                    distance += difference * difference;
                }
                best = Math.min(best, distance);
            }
            assertThat(found[i]).as("query %d", i).isEqualTo(best);
        }
        assertThat(Arrays.copyOf(found, 20)).containsOnly(0.0);
    }

    /** Copies of training images that are not in the sample: memorisation must see them as copies (ratio 0). */
    @Test
    void memorisationSearchesEveryTrainingImageNotOnlyTheSample() {
        RealFeatures features = features(3000, 3);
        double[][] copies = new double[200][];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = row(features, 500 + 10 * i);
        }
        double[][] test = gaussian(200, 4);
        MetricSuite.Features whole = new MetricSuite.Features(features.statistics(), features.sample(), test, copies,
                null, null, null, features::nearestSquaredDistances);
        Map<String, Double> memorised = MetricSuite.compute(whole, List.of("memorisation"), 1);
        assertThat(memorised.get("memorisationRatio")).isEqualTo(0.0);
        assertThat(memorised.get("nearestTrainMedian")).isEqualTo(0.0);
        // the sample alone misses them: what the metric reported before (about 1, "healthy")
        MetricSuite.Features sampleOnly = new MetricSuite.Features(features.statistics(), features.sample(), test,
                copies, null, null, null);
        assertThat(MetricSuite.compute(sampleOnly, List.of("memorisation"), 1).get("memorisationRatio"))
                .isGreaterThan(0.5);
    }

    @Test
    void theCacheFormatKeepsEveryImagesFeatures() throws IOException {
        RealFeatures features = features(120, 5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        features.writeTo(bytes);
        RealFeatures read = RealFeatures.readFrom(new ByteArrayInputStream(bytes.toByteArray()), bytes.size());
        assertThat(read.all()).isEqualTo(features.all());
        assertThat(read.sample()).isDeepEqualTo(features.sample());
        assertThat(read.classDistribution()).isEqualTo(features.classDistribution());
        assertThat(read.statistics().dimension()).isEqualTo(DIMENSION);
    }

    /**
     * A cache file whose header a flipped bit damaged (a count of 2^31 - 16 class shares, rows or features) is refused
     * as unreadable before anything is allocated, so the evaluation computes the features again with a warning; until
     * 1 December the count was allocated and gan4j evaluate ended in "out of Java heap memory" (raise -Xmx).
     */
    @Test
    void aCacheFileWithADamagedCountIsUnreadableNotAnOutOfMemoryError() throws IOException {
        RealFeatures features = features(120, 5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        features.writeTo(bytes);
        byte[] good = bytes.toByteArray();
        int classes = features.classDistribution().length;
        int rowsAt = 12 + 8 * classes;
        int allAt = rowsAt + 8 + 4 * features.sample().length * DIMENSION;
        for (int offset : new int[] {8, rowsAt, rowsAt + 4, allAt}) {
            byte[] damaged = good.clone();
            java.nio.ByteBuffer.wrap(damaged).putInt(offset, Integer.MAX_VALUE - 15);
            assertThatThrownBy(() -> RealFeatures.readFrom(new ByteArrayInputStream(damaged), damaged.length))
                    .as("count at byte %d", offset)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("damaged: it declares ");
        }
    }

    @Test
    void theCacheWarningSaysWhyAFileWasUnreadable() {
        // a truncated cache file ends in an EOFException, which has no message ("(null)" in the warning before)
        assertThat(RealFeatures.unreadableReason(new EOFException())).isEqualTo("the file ends early: truncated");
        assertThat(RealFeatures.unreadableReason(new IOException("Permission denied"))).isEqualTo("Permission denied");
        assertThat(RealFeatures.unreadableReason(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
    /**
     * A folder's cache key was its own size and modification time, which rewriting an image inside it (or a CIFAR
     * batch in cifar-10-batches-bin) leaves unchanged: the old features were served for the new images. The key of a
     * folder now covers every file under it (path, size, modification time); a file's key is as before, and another
     * classifier (SHA-256) or subset size is another key.
     */
    @Test
    void theCacheKeyOfAFolderChangesWhenAFileInItChanges(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws IOException {
        java.nio.file.Path folder = temp.resolve("cifar-10-batches-bin");
        java.nio.file.Path batch = java.nio.file.Files.createDirectories(folder.resolve("sub")).resolve("a.bin");
        java.nio.file.Files.write(batch, new byte[] {1, 2, 3});
        java.nio.file.attribute.FileTime folderTime = java.nio.file.Files.getLastModifiedTime(folder);
        java.nio.file.attribute.FileTime subTime = java.nio.file.Files.getLastModifiedTime(folder.resolve("sub"));
        String sha = "ab".repeat(32);
        String before = RealFeatures.cacheKey(folder, sha, 100);
        assertThat(RealFeatures.cacheKey(folder, sha, 100)).isEqualTo(before);
        assertThat(RealFeatures.cacheKey(folder, "cd".repeat(32), 100)).isNotEqualTo(before);
        assertThat(RealFeatures.cacheKey(folder, sha, 101)).isNotEqualTo(before);

        // rewritten in place, same size: only the file's time tells
        java.nio.file.Files.write(batch, new byte[] {3, 2, 1});
        java.nio.file.Files.setLastModifiedTime(batch, java.nio.file.attribute.FileTime.fromMillis(
                java.nio.file.Files.getLastModifiedTime(batch).toMillis() + 5000));
        java.nio.file.Files.setLastModifiedTime(folder, folderTime);
        java.nio.file.Files.setLastModifiedTime(folder.resolve("sub"), subTime);
        String rewritten = RealFeatures.cacheKey(folder, sha, 100);
        assertThat(rewritten).isNotEqualTo(before);
        // another size
        java.nio.file.Files.write(batch, new byte[] {3, 2, 1, 0});
        java.nio.file.Files.setLastModifiedTime(batch, java.nio.file.attribute.FileTime.fromMillis(
                java.nio.file.Files.getLastModifiedTime(batch).toMillis() + 10000));
        java.nio.file.Files.setLastModifiedTime(folder, folderTime);
        java.nio.file.Files.setLastModifiedTime(folder.resolve("sub"), subTime);
        assertThat(RealFeatures.cacheKey(folder, sha, 100)).isNotEqualTo(before).isNotEqualTo(rewritten);
    }
}
