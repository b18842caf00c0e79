package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.BadFilePolicy;
import org.gan4j.config.DataConfig.CifarVariant;
import org.gan4j.io.CheckpointStore;
import org.gan4j.io.IoWriter;

/**
 * Property-based fuzzing of every reader: random and mutated IDX files, CIFAR batches, images in a folder and
 * checkpoints. Each case must load or end in a one-line {@link Gan4jException} within a few seconds: never another
 * exception type (including OutOfMemoryError from a declared size), never a multi-line message, never a hang.
 * Tries per property are recorded in docs/RELIABILITY.md.
 */
class ReaderFuzzTest {

    private static final long MAXIMUM_MILLIS = 5_000;
    private static final Path WORK = createWork();

    private static Path createWork() {
        try {
            Path work = Files.createTempDirectory("gan4j-fuzz");
            work.toFile().deleteOnExit();
            return work;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one read; accepts success or a one-line Gan4jException, in bounded time, and counts which it was. */
    private static void readsOrFailsCleanly(String label, Supplier<?> read) {
        long start = System.nanoTime();
        try {
            read.get();
            Statistics.label(label).collect("loaded");
        } catch (Gan4jException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            Statistics.label(label).collect("rejected");
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds for one read").isLessThan(MAXIMUM_MILLIS);
    }

    /** Truncates, flips bytes in, or overwrites a slice of a valid file. */
    private static byte[] mutate(byte[] valid, long seed) {
        Random random = new Random(seed);
        byte[] bytes = valid.clone();
        switch (random.nextInt(4)) {
            case 0 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 1 -> {
                for (int i = 0, flips = 1 + random.nextInt(8); i < flips; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> {
                // header region: where declared sizes live
                int at = random.nextInt(Math.min(32, bytes.length));
                for (int i = at; i < Math.min(bytes.length, at + 4); i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
            }
            default -> {
                byte[] tail = new byte[random.nextInt(64)];
                random.nextBytes(tail);
                byte[] grown = Arrays.copyOf(bytes, bytes.length + tail.length);
                System.arraycopy(tail, 0, grown, bytes.length, tail.length);
                bytes = grown;
            }
        }
        return bytes;
    }

    @Provide
    Arbitrary<Integer> dimensions() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-2, 40),
                Arbitraries.of(0, 1, 28, 65535, 65536, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE, -1));
    }

    @Property(tries = 300)
    void idxWithRandomHeadersLoadsOrFailsCleanly(
            @ForAll("dimensions") int count,
            @ForAll("dimensions") int rows,
            @ForAll("dimensions") int columns,
            @ForAll @IntRange(max = 4000) int payload,
            @ForAll boolean gzip,
            @ForAll boolean imageMagic) {
        byte[] raw = TestData.idxImages(imageMagic ? IdxReader.IMAGES_MAGIC : 0x0803 ^ 0x10, count, rows, columns,
                new byte[payload]);
        Path file = TestData.write(WORK.resolve(gzip ? "h-idx3-ubyte.gz" : "h-idx3-ubyte"), gzip ? TestData.gzip(raw) : raw);
        readsOrFailsCleanly("idx headers", () -> IdxReader.read(file));
    }

    @Property(tries = 300)
    void mutatedIdxLoadsOrFailsCleanly(@ForAll long seed, @ForAll boolean gzip) {
        byte[] pixels = new byte[5 * 4 * 4];
        Arrays.fill(pixels, (byte) 9);
        byte[] valid = TestData.idxImages(IdxReader.IMAGES_MAGIC, 5, 4, 4, pixels);
        byte[] bytes = gzip ? mutate(TestData.gzip(valid), seed) : mutate(valid, seed);
        Path file = TestData.write(WORK.resolve(gzip ? "m-idx3-ubyte.gz" : "m-idx3-ubyte"), bytes);
        readsOrFailsCleanly("idx mutations", () -> IdxReader.read(file));
    }

    @Property(tries = 200)
    void mutatedCifarLoadsOrFailsCleanly(@ForAll long seed, @ForAll CifarVariant variant, @ForAll boolean hundred) {
        byte[] valid = hundred ? TestData.cifar(2, 2, 100) : TestData.cifar(2, 1, 10);
        Path file = TestData.write(WORK.resolve("cifar").resolve("data_batch_1.bin"), mutate(valid, seed));
        readsOrFailsCleanly("cifar mutations", () -> CifarReader.read(file, variant));
    }

    @Property(tries = 100)
    void randomCifarBytesLoadOrFailCleanly(@ForAll @IntRange(max = 3 * 3074 + 50) int length, @ForAll long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        Path file = TestData.write(WORK.resolve("random-cifar").resolve("test_batch.bin"), bytes);
        readsOrFailsCleanly("cifar random", () -> CifarReader.read(file, CifarVariant.AUTO));
    }

    private static byte[] encoded(String format) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            image.setRGB(i % 8, i / 8, i * 0x030201);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final Map<String, byte[]> VALID_IMAGES = Map.of(
            "png", encoded("png"), "jpg", encoded("jpg"), "bmp", encoded("bmp"), "gif", encoded("gif"));

    @Property(tries = 200)
    void mutatedImagesLoadFailOrAreSkipped(
            @ForAll("formats") String format, @ForAll long seed, @ForAll BadFilePolicy policy) throws IOException {
        Path folder = WORK.resolve("folder-" + format);
        Files.createDirectories(folder);
        TestData.write(folder.resolve("good.png"), VALID_IMAGES.get("png"));
        TestData.write(folder.resolve("mutated." + format), mutate(VALID_IMAGES.get(format), seed));
        readsOrFailsCleanly("image folder (" + policy + ")", () -> {
            ImageFolder images = ImageFolder.builder()
                    .setRoot(folder)
                    .setImageSize(28)
                    .setChannels(3)
                    .optBadFilePolicy(policy)
                    .build();
            if (policy == BadFilePolicy.SKIP) {
                // skipping is the documented outcome: the good image is always kept
                assertThat(images.size()).isBetween(1, 2);
                assertThat(images.size() + images.skippedFiles().size()).isEqualTo(2);
            }
            return images;
        });
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of("png", "jpg", "bmp", "gif");
    }

    @Property(tries = 200)
    void damagedCheckpointsAreDetectedAndThePreviousOneIsUsed(@ForAll long seed, @ForAll("parts") String part)
            throws IOException {
        Path directory = WORK.resolve("checkpoints-" + Long.toHexString(seed));
        copyTree(PRISTINE_CHECKPOINTS, directory);
        CheckpointStore store = new CheckpointStore(directory, 3);
        Path damaged = directory.resolve("step-000002").resolve(part);
        byte[] original = Files.readAllBytes(damaged);
        byte[] mutated = mutate(original, seed);
        Files.write(damaged, mutated);
        boolean changed = !Arrays.equals(original, mutated);
        readsOrFailsCleanly("checkpoint " + part, () -> {
            CheckpointStore.verify(directory.resolve("step-000002"));
            return null;
        });
        // resuming never throws: it takes step 2 if it is intact, else step 1
        long resumed = store.latestValid().orElseThrow().step();
        if (changed && !part.equals("manifest.json")) {
            assertThat(resumed).isEqualTo(1);
        } else {
            assertThat(resumed).isIn(1L, 2L);
        }
        try (var walk = Files.walk(directory)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Two intact checkpoints (steps 1 and 2), written once; each try damages a copy. */
    private static final Path PRISTINE_CHECKPOINTS = pristineCheckpoints();

    private static Path pristineCheckpoints() {
        Path directory = WORK.resolve("pristine-checkpoints");
        CheckpointStore store = new CheckpointStore(directory, 3);
        for (long step : new long[] {1, 2}) {
            Map<String, IoWriter> files = new LinkedHashMap<>();
            files.put("generator.params", out -> out.write(("G" + step).repeat(50).getBytes(StandardCharsets.UTF_8)));
            files.put("optimizers.bin", out -> out.write(new byte[300]));
            store.write(step, files, Map.of("seed", 7));
        }
        return directory;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (var walk = Files.walk(source)) {
            for (Path path : walk.toList()) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination);
                }
            }
        }
    }

    @Provide
    Arbitrary<String> parts() {
        return Arbitraries.of("generator.params", "optimizers.bin", "state.json", "manifest.json");
    }
}
