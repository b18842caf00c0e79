package org.gan4j.evaluation.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Random;
import org.gan4j.Cancellation;
import org.gan4j.Gan4jException;
import org.gan4j.data.GanDataset;
import org.gan4j.data.ImageFolder;
import org.gan4j.evaluation.FeatureStatistics;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.IoFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real dataset seen through a reference classifier: statistics of the features of every image (for FD), the
 * features of a seeded random subset (for KID, precision/recall, density/coverage), the features of every image (for
 * memorisation's nearest training sample: a copy of any training image must be found, not only of one in the
 * subset) and the class distribution (from labels when the dataset has them, else from the classifier's
 * predictions).
 *
 * <p>Computing them takes a pass of the classifier over the whole dataset, so {@link #cached} stores them under a key
 * made of the dataset file's identity (absolute path, size, modification time; for a folder, those of every file
 * under it too), the reference's SHA-256 and the subset size: a changed file or classifier is never served stale
 * numbers.
 *
 * @param statistics feature statistics of all images
 * @param sample features of up to {@code maxRows} images, one row each
 * @param classDistribution class frequencies, summing to 1
 * @param all features of every image, row-major (one row of {@code statistics.dimension()} values per image)
 */
public record RealFeatures(FeatureStatistics statistics, double[][] sample, double[] classDistribution, float[] all) {

    private static final Logger LOGGER = LoggerFactory.getLogger(RealFeatures.class);
    private static final int MAGIC = 0x47345246; // "G4RF"
    private static final int VERSION = 2;
    private static final int CHUNK = 2000;
    /** Candidates per query that the float32 search hands to the exact (double) comparison. */
    private static final int CANDIDATES = 8;
    /** Distances computed at once in the search (query rows × training rows): 32 MiB of floats. */
    private static final long SEARCH_BLOCK = 8L << 20;

    /**
     * Extracts real features from a dataset.
     *
     * @param dataset images of the classifier's input shape, in [-1, 1]
     * @param classifier the reference classifier
     * @param maxRows size of the feature subset kept
     * @param seed seed of the subset choice
     * @return the features
     */
    public static RealFeatures extract(GanDataset dataset, ReferenceClassifier classifier, int maxRows, long seed) {
        checkShape(dataset, classifier);
        int n = dataset.size();
        int rows = Math.min(maxRows, n);
        int[] chosen = subset(n, rows, seed);
        boolean[] inSubset = new boolean[n];
        int[] position = new int[n];
        for (int i = 0; i < rows; i++) {
            inSubset[chosen[i]] = true;
            position[chosen[i]] = i;
        }
        int classes = classifier.info().classes();
        boolean labelled = usesLabels(dataset, classifier.info());
        long[] classCounts = new long[classes];
        double[][] sample = new double[rows][];
        int dimension = classifier.info().featureDimension();
        float[] all = new float[Math.multiplyExact(n, dimension)];
        FeatureStatistics statistics = FeatureStatistics.empty(dimension);
        int size = dataset.exampleSize();
        for (int start = 0; start < n; start += CHUNK) {
            int count = Math.min(CHUNK, n - start);
            float[] images = new float[count * size];
            for (int i = 0; i < count; i++) {
                dataset.copyExample(start + i, images, i * size);
            }
            ReferenceClassifier.Outputs outputs = classifier.run(images, count);
            statistics = statistics.merge(FeatureStatistics.of(outputs.features()));
            for (int i = 0; i < count; i++) {
                int index = start + i;
                classCounts[labelled ? dataset.label(index) : outputs.predictedClasses()[i]]++;
                if (inSubset[index]) {
                    sample[position[index]] = outputs.features()[i];
                }
                double[] row = outputs.features()[i];
                for (int d = 0; d < dimension; d++) {
                    all[index * dimension + d] = (float) row[d];
                }
            }
        }
        double[] distribution = new double[classes];
        for (int c = 0; c < classes; c++) {
            distribution[c] = classCounts[c] / (double) n;
        }
        return new RealFeatures(statistics, sample, distribution, all);
    }

    /**
     * Returns, for each query, the squared Euclidean distance to its nearest feature among all the images. libtorch's
     * matrix product (float32, {@code |q|² + |r|² − 2 q·r}) picks {@value #CANDIDATES} candidates per query; the
     * nearest of them is then measured exactly in double precision, so an exact copy of an image has distance 0.
     *
     * @param queries one feature vector per row, of {@code statistics.dimension()} values
     * @return one squared distance per query
     */
    public double[] nearestSquaredDistances(double[][] queries) {
        int dimension = statistics.dimension();
        int n = all.length / dimension;
        double[] result = new double[queries.length];
        if (queries.length == 0) {
            return result;
        }
        if (n == 0) {
            throw new IllegalStateException("no real features to search");
        }
        int candidates = Math.min(CANDIDATES, n);
        int block = (int) Math.max(1, Math.min(queries.length, SEARCH_BLOCK / n));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray reference = manager.create(all, new Shape(n, dimension));
            NDArray referenceT = reference.transpose();
            NDArray referenceNorms = reference.square().sum(new int[] {1}).reshape(1, n);
            for (int start = 0; start < queries.length; start += block) {
                Cancellation.check();
                int count = Math.min(block, queries.length - start);
                float[] values = new float[count * dimension];
                for (int i = 0; i < count; i++) {
                    double[] query = queries[start + i];
                    if (query.length != dimension) {
                        throw new IllegalArgumentException(
                                "query of dimension " + query.length + ", features have " + dimension);
                    }
                    for (int d = 0; d < dimension; d++) {
                        values[i * dimension + d] = (float) query[d];
                    }
                }
                try (NDManager blockManager = manager.newSubManager()) {
                    NDArray q = blockManager.create(values, new Shape(count, dimension));
                    NDArray dots = q.matMul(referenceT);
                    // |q|² + |r|² − 2 q·r, without a Java number in a DJL operation (DjlNumberOperationsTest)
                    NDArray squared = q.square().sum(new int[] {1}, true).add(referenceNorms).sub(dots).sub(dots);
                    long[] nearest = squared.topK(candidates, 1, false, false).get(1).toLongArray();
                    for (int i = 0; i < count; i++) {
                        double[] query = queries[start + i];
                        double best = Double.POSITIVE_INFINITY;
                        for (int c = 0; c < candidates; c++) {
                            int offset = Math.toIntExact(nearest[i * candidates + c]) * dimension;
                            double distance = 0;
                            for (int d = 0; d < dimension; d++) {
                                double difference = query[d] - all[offset + d];
                                distance += difference * difference;
                            }
                            best = Math.min(best, distance);
                        }
                        result[start + i] = best;
                    }
                }
            }
        }
        return result;
    }

    /** Why a cache file could not be read, for the warning (an EOFException carries no message). */
    static String unreadableReason(Exception e) {
        if (e instanceof java.io.EOFException) {
            return "the file ends early: truncated";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Whether the real class distribution comes from the dataset's labels (else from the classifier's predictions):
     * the dataset must have as many classes as the classifier, and a labelled folder's class subfolders must be the
     * classifier's class names when it has names (label k is the k-th sorted subfolder: a folder {@code kitten/,
     * puppy/} scored by a classifier of {@code dog, cat} would put the kittens' share on "dog").
     *
     * @param dataset the real images
     * @param reference the classifier's sidecar
     * @return true to count labels
     */
    public static boolean usesLabels(GanDataset dataset, ReferenceInfo reference) {
        return hasLabelsFor(dataset, reference) && namesMatch(dataset, reference);
    }

    /** Whether the dataset is labelled with as many classes as the classifier has. */
    private static boolean hasLabelsFor(GanDataset dataset, ReferenceInfo reference) {
        return dataset.classCount() == reference.classes() && dataset.size() > 0 && dataset.label(0) >= 0;
    }

    /** Whether a labelled folder's class subfolders are the classifier's class names (true where either has none). */
    private static boolean namesMatch(GanDataset dataset, ReferenceInfo reference) {
        return reference.classNames().isEmpty() || !(dataset instanceof ImageFolder folder)
                || folder.classNames().equals(reference.classNames());
    }

    /**
     * Returns the features of a dataset file from the cache, extracting and storing them on a miss.
     *
     * @param file the dataset file or folder (its identity keys the cache)
     * @param dataset the opened dataset
     * @param classifier the reference classifier
     * @param maxRows size of the feature subset kept
     * @param cacheDirectory the cache folder, or null for no caching
     * @return the features
     */
    public static RealFeatures cached(
            Path file, GanDataset dataset, ReferenceClassifier classifier, int maxRows, Path cacheDirectory) {
        if (cacheDirectory == null) {
            return extract(dataset, classifier, maxRows, 0);
        }
        // a labelled folder whose class names are not the classifier's counts predictions: another entry than the
        // one its labels made before such folders were told apart (1 December 2026)
        boolean namesDiffer = hasLabelsFor(dataset, classifier.info()) && !namesMatch(dataset, classifier.info());
        Path entry = cacheDirectory.resolve(cacheKey(file, classifier.info().sha256(), maxRows)
                + (namesDiffer ? "-predicted" : "") + ".features");
        if (Files.isRegularFile(entry)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(entry))) {
                return readFrom(in, Files.size(entry));
            } catch (IOException | RuntimeException e) {
                LOGGER.warn("ignoring unreadable feature cache {} ({}); computing the features again", entry,
                        unreadableReason(e));
            }
        }
        RealFeatures features = extract(dataset, classifier, maxRows, 0);
        try {
            Files.createDirectories(cacheDirectory);
            AtomicFiles.write(entry, out -> features.writeTo(out));
        } catch (IOException e) {
            LOGGER.warn("cannot write the feature cache {} ({}); continuing without it", entry, IoFailures.reason(e));
        }
        return features;
    }

    /**
     * Returns the cache key of a dataset file for a reference classifier.
     *
     * @param file the dataset file or folder
     * @param referenceSha256 the classifier's weights hash
     * @param maxRows size of the feature subset
     * @return a hex key
     */
    public static String cacheKey(Path file, String referenceSha256, int maxRows) {
        try {
            Path absolute = file.toAbsolutePath().normalize();
            BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
            String identity =
                    absolute + "|" + attributes.size() + "|" + attributes.lastModifiedTime().toMillis() + "|"
                            + referenceSha256 + "|" + maxRows + "|v" + VERSION;
            if (attributes.isDirectory()) {
                // a folder's own size and time stay the same when an image (or a CIFAR batch) in it is rewritten:
                // every file under it is part of its identity
                identity += "|" + contentsIdentity(absolute);
            }
            return ReferenceClassifier.sha256(identity.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
        } catch (IOException e) {
            throw new Gan4jException("cannot read " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /** SHA-256 of the relative path, size and modification time of every file under a folder, in sorted order. */
    private static String contentsIdentity(Path folder) throws IOException {
        java.util.List<String> entries = new java.util.ArrayList<>();
        Files.walkFileTree(folder, java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        entries.add(folder.relativize(file) + "|" + attributes.size() + "|"
                                + attributes.lastModifiedTime().toMillis());
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                        // a link cycle or an unreadable entry: ImageFolder skips it as well
                        entries.add(folder.relativize(file) + "|unreadable");
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                });
        java.util.Collections.sort(entries);
        return ReferenceClassifier.sha256(String.join("\n", entries).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the default cache folder: {@code $GAN4J_CACHE}, else {@code ~/.cache/gan4j}.
     *
     * @return the folder
     */
    public static Path defaultCacheDirectory() {
        String configured = System.getenv("GAN4J_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "gan4j");
    }

    private static void checkShape(GanDataset dataset, ReferenceClassifier classifier) {
        if (!java.util.Arrays.equals(dataset.exampleShape(), classifier.info().imageShape())) {
            throw new Gan4jException(
                    dataset.description() + " has images of shape " + java.util.Arrays.toString(dataset.exampleShape())
                            + ", reference " + classifier.info().name() + " expects "
                            + java.util.Arrays.toString(classifier.info().imageShape())
                            + " (the discriminator test, metric d, needs no classifier; gan4j classifier train makes"
                            + " one from labelled images of this shape, an IDX file, CIFAR binary batches or a folder"
                            + " with class subfolders, for --reference)");
        }
    }

    private static int[] subset(int n, int rows, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = 0; i < rows; i++) {
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return java.util.Arrays.copyOf(order, rows);
    }

    void writeTo(java.io.OutputStream output) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(output));
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(classDistribution.length);
        for (double p : classDistribution) {
            data.writeDouble(p);
        }
        data.writeInt(sample.length);
        data.writeInt(statistics.dimension());
        for (double[] row : sample) {
            for (double value : row) {
                data.writeFloat((float) value);
            }
        }
        data.writeInt(all.length / statistics.dimension());
        for (float value : all) {
            data.writeFloat(value);
        }
        data.flush();
        statistics.writeTo(output);
    }

    /**
     * Reads what {@link #writeTo} wrote.
     *
     * @param input the cache file's bytes
     * @param size the file's size: a count in a damaged header that needs more bytes than that is refused before
     *     anything is allocated (a flipped bit made one count 2^31 - 16 and the evaluation ended in "out of Java heap
     *     memory" instead of computing the features again)
     * @return the features
     * @throws IOException if the file is not such a cache, is damaged or ends early
     */
    static RealFeatures readFrom(InputStream input, long size) throws IOException {
        DataInputStream data = new DataInputStream(input);
        if (data.readInt() != MAGIC || data.readInt() != VERSION) {
            throw new IOException("not a gan4j feature cache of version " + VERSION);
        }
        double[] distribution = new double[fits(data.readInt(), Double.BYTES, size, "class shares")];
        for (int c = 0; c < distribution.length; c++) {
            distribution[c] = data.readDouble();
        }
        int rows = data.readInt();
        int dimension = data.readInt();
        if (rows < 0 || dimension < 1) {
            throw new IOException("damaged: it declares " + rows + " rows of " + dimension + " features");
        }
        fits((long) rows * dimension, Float.BYTES, size, "sampled features");
        double[][] sample = new double[rows][dimension];
        for (double[] row : sample) {
            for (int d = 0; d < row.length; d++) {
                row[d] = data.readFloat();
            }
        }
        float[] all = new float[fits((long) data.readInt() * dimension, Float.BYTES, size, "features")];
        for (int i = 0; i < all.length; i++) {
            all[i] = data.readFloat();
        }
        return new RealFeatures(FeatureStatistics.readFrom(data), sample, distribution, all);
    }

    /** Returns {@code count} when that many values of {@code bytes} bytes fit in {@code size} bytes. */
    private static int fits(long count, int bytes, long size, String what) throws IOException {
        if (count < 0 || count > size / bytes) {
            throw new IOException("damaged: it declares " + count + " " + what + ", more than its " + size
                    + " bytes hold");
        }
        return Math.toIntExact(count);
    }
}
