package org.gan4j.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gan4j.Gan4jException;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.ImageGrid;
import org.gan4j.io.IoFailures;
import org.gan4j.io.RunDirectory;

/**
 * The folder {@code gan4j sample --out-dir DIR} writes one PNG per sample into, never holding a mix of two draws.
 *
 * <p>DIR must be missing, empty, or hold only {@code sample-NNNNNN.png} files of an earlier draw; those are replaced
 * only when the user asks ({@code --replace}). A folder holding anything else, a gan4j run directory (one holding
 * {@value RunDirectory#RUN_JSON}) included, is refused. These checks run before the generator is loaded.
 *
 * <p>The new draw is written into a hidden staging folder inside DIR first; if that fails, the staging folder is
 * removed and DIR is as it was. Only then are the earlier draw's files deleted and the new ones renamed into place.
 * Staging folders left by a killed process are removed by the next write.
 */
final class SampleFolder {

    /** Names of the files one draw writes: {@code sample-000000.png}, {@code sample-000001.png}, … */
    static final Pattern SAMPLE_NAME = Pattern.compile("sample-\\d{6}\\.png");

    private static final String STAGING_PREFIX = ".gan4j-sample-staging-";
    private static final Pattern LEFTOVER_TEMP = Pattern.compile("\\.sample-\\d{6}\\.png\\.tmp-[0-9a-f]{16}");
    private static final int NAMES_SHOWN = 3;

    private final Path dir;

    private SampleFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks that a draw may be written into a folder, before anything is generated.
     *
     * @param dir the {@code --out-dir} folder (created when missing)
     * @param replace whether the samples of an earlier draw there may be replaced
     * @return the folder, ready for {@link #write}
     * @throws Gan4jException if DIR is a file, a run directory, holds other files, or holds an earlier draw and
     *     {@code replace} is false
     */
    static SampleFolder prepare(Path dir, boolean replace) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new Gan4jException("--out-dir " + dir + " is a file: name a folder (new or empty)");
        }
        if (Files.exists(dir.resolve(RunDirectory.RUN_JSON))) {
            throw new Gan4jException("--out-dir " + dir + " is a gan4j run directory (it holds "
                    + RunDirectory.RUN_JSON + "): write samples to a folder of their own");
        }
        Contents contents = Contents.of(dir);
        if (!contents.foreign.isEmpty()) {
            throw new Gan4jException("--out-dir " + dir + " holds files gan4j sample did not write (" + names(
                    contents.foreign) + "): name a new or empty folder, or one holding only an earlier draw's "
                    + "sample-NNNNNN.png files");
        }
        if (!contents.samples.isEmpty() && !replace) {
            throw new Gan4jException("--out-dir " + dir + " already holds " + contents.samples.size()
                    + " samples of an earlier draw (" + names(contents.samples) + "): add --replace to replace "
                    + "them, or name a new or empty folder");
        }
        return new SampleFolder(dir);
    }

    /**
     * Writes one PNG per sample at its own resolution, replacing the earlier draw that {@link #prepare} allowed.
     *
     * @param samples NCHW floats in [-1, 1]
     * @param shape C, H, W of one sample
     * @return how many files of an earlier draw were replaced
     * @throws Gan4jException if the folder cannot be written (it then holds what it held before)
     */
    int write(float[] samples, long[] shape) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot create output directory " + dir, e);
        }
        Contents before = Contents.of(dir);
        for (Path leftover : before.leftovers) {
            deleteTree(leftover);
        }
        Path staging = dir.resolve(STAGING_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        int size = (int) (shape[0] * shape[1] * shape[2]);
        int count = samples.length / size;
        List<String> names = new ArrayList<>();
        try {
            Files.createDirectory(staging);
            for (int i = 0; i < count; i++) {
                float[] one = new float[size];
                System.arraycopy(samples, i * size, one, 0, size);
                String name = String.format("sample-%06d.png", i);
                ImageGrid.writeSingle(one, (int) shape[0], (int) shape[1], (int) shape[2], staging.resolve(name));
                names.add(name);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            if (e instanceof IOException io) {
                throw IoFailures.wrap("cannot write the samples into " + dir, io);
            }
            throw (RuntimeException) e;
        }
        try {
            for (Path earlier : before.samples) {
                Files.deleteIfExists(earlier);
            }
            for (String name : names) {
                move(staging.resolve(name), dir.resolve(name));
            }
            Files.delete(staging);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot move the new samples into " + dir + " (they are in " + staging + ")", e);
        }
        AtomicFiles.syncDirectory(dir);
        return before.samples.size();
    }

    private static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a hidden staging folder left behind is removed by the next write
        }
    }

    private static String names(List<Path> paths) {
        List<String> sorted = paths.stream().map(p -> p.getFileName().toString()).sorted().toList();
        String shown = String.join(", ", sorted.subList(0, Math.min(NAMES_SHOWN, sorted.size())));
        return sorted.size() > NAMES_SHOWN ? shown + ", …" : shown;
    }

    /** What a folder holds: an earlier draw's samples, leftovers of interrupted writes, and anything else. */
    private record Contents(List<Path> samples, List<Path> leftovers, List<Path> foreign) {

        static Contents of(Path dir) {
            List<Path> samples = new ArrayList<>();
            List<Path> leftovers = new ArrayList<>();
            List<Path> foreign = new ArrayList<>();
            if (!Files.isDirectory(dir)) {
                return new Contents(samples, leftovers, foreign);
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    boolean file = Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS);
                    boolean folder = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
                    if (file && SAMPLE_NAME.matcher(name).matches()) {
                        samples.add(entry);
                    } else if ((folder && name.startsWith(STAGING_PREFIX))
                            || (file && LEFTOVER_TEMP.matcher(name).matches())) {
                        leftovers.add(entry);
                    } else {
                        foreign.add(entry);
                    }
                }
            } catch (IOException e) {
                throw IoFailures.wrap("cannot read --out-dir " + dir, e);
            }
            return new Contents(samples, leftovers, foreign);
        }
    }
}
