package org.gan4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.CifarVariant;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky 2009).
 *
 * <p>A CIFAR-10 record is 1 label byte then 3072 pixel bytes; a CIFAR-100 record is 2 label bytes (coarse, fine; the
 * fine label is used) then the pixels. Pixels are the red 32×32 plane, then green, then blue, row-major: already CHW.
 * Examples have shape [3, 32, 32], scaled to [-1, 1]; CIFAR-10 has 10 classes and CIFAR-100 100 (fine).
 *
 * <p>The source is one {@code .bin} file or a folder. In a folder the training split is chosen: the
 * {@code data_batch_*.bin} files (CIFAR-10), else {@code train.bin} (CIFAR-100), else every {@code *.bin} file;
 * always in sorted name order. With {@link CifarVariant#AUTO} the variant is inferred from the file sizes: all
 * divisible by 3073 but not all by 3074 means CIFAR-10, and vice versa; anything else asks the user to set
 * {@code data.cifarVariant}.
 * Sizes are checked before anything is allocated.
 */
public final class CifarReader {

    /** Side of a CIFAR image. */
    public static final int SIDE = 32;

    /** Pixel bytes per record. */
    public static final int PIXEL_BYTES = 3 * SIDE * SIDE;

    /** Batch files of the CIFAR-10 and CIFAR-100 python versions. */
    private static final List<String> PYTHON_BATCH_NAMES =
            List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch",
                    "train", "test");

    /** CIFAR-10's class names in label order (its {@code batches.meta.txt}). */
    public static final List<String> CIFAR10_CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** CIFAR-100's 100 fine class names in label order (its {@code fine_label_names.txt}; the fine label is read). */
    public static final List<String> CIFAR100_CLASS_NAMES = List.of(
            "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle", "bowl",
            "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle", "chair",
            "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur", "dolphin",
            "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard", "lamp",
            "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
            "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck",
            "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road",
            "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
            "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger",
            "tractor", "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman",
            "worm");

    private CifarReader() {}

    /**
     * Returns the standard class names of CIFAR data with a number of classes.
     *
     * @param classCount 10 (CIFAR-10) or 100 (CIFAR-100, fine labels)
     * @return {@link #CIFAR10_CLASS_NAMES} or {@link #CIFAR100_CLASS_NAMES}; empty for any other count
     */
    public static List<String> classNames(int classCount) {
        return classCount == 10 ? CIFAR10_CLASS_NAMES : classCount == 100 ? CIFAR100_CLASS_NAMES : List.of();
    }

    /**
     * Reads CIFAR records from a file or a folder.
     *
     * @param source a {@code .bin} file or a folder holding them
     * @param variant the record layout, or AUTO to infer it from the file sizes
     * @return the dataset, labelled (10 or 100 classes)
     */
    public static ImageDataset read(Path source, CifarVariant variant) {
        List<Path> files = batchFiles(source);
        CifarVariant resolved = variant == CifarVariant.AUTO ? inferVariant(files) : variant;
        int labelBytes = resolved == CifarVariant.CIFAR10 ? 1 : 2;
        int recordBytes = labelBytes + PIXEL_BYTES;
        long records = 0;
        for (Path file : files) {
            long size = size(file);
            if (size == 0 || size % recordBytes != 0) {
                throw new Gan4jException(
                        String.format(
                                "%s: truncated or not %s: the file holds %d bytes, not a whole number of %d-byte"
                                        + " records (%d records would be %d bytes)",
                                file, name(resolved), size, recordBytes, Math.max(1, size / recordBytes),
                                Math.max(1, size / recordBytes) * recordBytes));
            }
            records += size / recordBytes;
        }
        DataMemory.require(name(resolved) + " " + source, records, 3, SIDE, 0);
        int count = (int) records;
        byte[] pixels = new byte[count * PIXEL_BYTES];
        int[] labels = new int[count];
        int classCount = resolved == CifarVariant.CIFAR10 ? 10 : 100;
        int index = 0;
        for (Path file : files) {
            long fileRecords = size(file) / recordBytes;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                byte[] label = new byte[labelBytes];
                for (long r = 0; r < fileRecords; r++, index++) {
                    readFully(in, label, label.length, file, r, fileRecords, recordBytes);
                    int value = label[labelBytes - 1] & 0xFF;
                    if (value >= classCount) {
                        throw new Gan4jException(
                                String.format(
                                        "%s: record %d has label %d, but %s has %d classes (wrong data.cifarVariant?)",
                                        file, r, value, name(resolved), classCount));
                    }
                    labels[index] = value;
                    readFully(in, pixels, index * PIXEL_BYTES, PIXEL_BYTES, file, r, fileRecords, recordBytes);
                }
            } catch (IOException e) {
                throw new Gan4jException(file + ": cannot read CIFAR file: " + IdxReader.oneLine(e), e);
            }
        }
        String description =
                String.format("%s %s (%d × 3×32×32, %d classes)", name(resolved).toLowerCase(java.util.Locale.ROOT),
                        source, count, classCount);
        return new ImageDataset(pixels, count, 3, SIDE, labels, classCount, description);
    }

    /**
     * Lists the files {@link #read} takes from a source: the file itself, or from a folder the training batches (see
     * the class comment).
     *
     * @param source a file or a folder
     * @return the files in sorted name order, never empty
     */
    public static List<Path> batchFiles(Path source) {
        if (!Files.isDirectory(source)) {
            if (!Files.isRegularFile(source)) {
                throw new Gan4jException("CIFAR data path " + source + " does not exist");
            }
            rejectPythonVersion(source);
            Datasets.rejectArchive(source);
            return List.of(source);
        }
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(source, "*.bin")) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    all.add(entry);
                }
            }
        } catch (IOException e) {
            throw new Gan4jException(source + ": cannot list folder: " + IdxReader.oneLine(e), e);
        }
        all.sort(null);
        List<Path> training = new ArrayList<>();
        for (Path file : all) {
            if (file.getFileName().toString().startsWith("data_batch_")) {
                training.add(file);
            }
        }
        if (!training.isEmpty()) {
            return training;
        }
        for (Path file : all) {
            if (file.getFileName().toString().equals("train.bin")) {
                return List.of(file);
            }
        }
        if (all.isEmpty()) {
            rejectPythonVersion(source);
            java.util.Optional<Path> subfolder = Datasets.subfolderWithBin(source);
            if (subfolder.isPresent()) {
                throw new Gan4jException(Datasets.inSubfolder(source, subfolder.get()));
            }
            throw new Gan4jException("folder " + source + " holds no CIFAR .bin files");
        }
        return all;
    }

    /**
     * Returns the test split that goes with a CIFAR training source, as the binary archives lay them out:
     * {@code test_batch.bin} in a folder of {@code data_batch_*.bin} files (CIFAR-10) or next to one such file, and
     * {@code test.bin} in a folder holding {@code train.bin} (CIFAR-100) or next to it. Only an existing file is
     * returned.
     *
     * @param source the training file or folder
     * @return the test file, if it exists
     */
    public static java.util.Optional<Path> testSplitFor(Path source) {
        Path folder;
        List<Path> training;
        if (Files.isDirectory(source)) {
            folder = source;
            try {
                training = batchFiles(source);
            } catch (Gan4jException e) {
                return java.util.Optional.empty();
            }
        } else {
            folder = source.toAbsolutePath().getParent();
            training = List.of(source);
        }
        if (folder == null || training.isEmpty()) {
            return java.util.Optional.empty();
        }
        String first = training.get(0).getFileName().toString();
        String test = first.startsWith("data_batch_") ? "test_batch.bin" : first.equals("train.bin") ? "test.bin" : null;
        return test == null ? java.util.Optional.empty()
                : java.util.Optional.of(folder.resolve(test)).filter(Files::isRegularFile);
    }

    /**
     * Refuses the CIFAR "python version" (pickled batches: {@code cifar-10-batches-py/data_batch_1} …, or
     * {@code cifar-100-python/train}), which users often download instead of the binary version, with a one-line error
     * that says which archive to get instead. Anything else passes.
     *
     * @param path a file or a folder
     * @throws Gan4jException if the path is a pickled batch file or a folder holding one
     */
    public static void rejectPythonVersion(Path path) {
        Path pickle = null;
        if (Files.isRegularFile(path)) {
            pickle = isPickle(path) ? path : null;
        } else if (Files.isDirectory(path)) {
            for (String name : PYTHON_BATCH_NAMES) {
                Path candidate = path.resolve(name);
                if (Files.isRegularFile(candidate) && isPickle(candidate)) {
                    pickle = candidate;
                    break;
                }
            }
        }
        if (pickle != null) {
            throw new Gan4jException(
                    path + " is the CIFAR python version (" + pickle.getFileName() + " is a pickled Python object); gan4j"
                            + " reads the binary version: download cifar-10-binary.tar.gz (or cifar-100-binary.tar.gz)"
                            + " and point data.path to the cifar-10-batches-bin folder it unpacks");
        }
    }

    /** Whether a file starts as a pickle of protocol 2 or later does (PROTO opcode 0x80, then the protocol 2…5). */
    private static boolean isPickle(Path file) {
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 2) < 2) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        return (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5;
    }

    /**
     * Infers the CIFAR variant from file sizes.
     *
     * @param files the batch files
     * @return CIFAR10 or CIFAR100
     */
    public static CifarVariant inferVariant(List<Path> files) {
        boolean ten = true;
        boolean hundred = true;
        long total = 0;
        for (Path file : files) {
            long size = size(file);
            total += size;
            ten &= size > 0 && size % (1 + PIXEL_BYTES) == 0;
            hundred &= size > 0 && size % (2 + PIXEL_BYTES) == 0;
        }
        if (ten && !hundred) {
            return CifarVariant.CIFAR10;
        }
        if (hundred && !ten) {
            return CifarVariant.CIFAR100;
        }
        String where =
                files.size() == 1 ? files.get(0).toString() : files.size() + " files in " + files.get(0).getParent();
        if (!ten && !hundred && files.size() > 1) {
            // the others all whole records of one variant: name the file that is not (a truncated download)
            for (CifarVariant candidate : List.of(CifarVariant.CIFAR10, CifarVariant.CIFAR100)) {
                int recordBytes = (candidate == CifarVariant.CIFAR10 ? 1 : 2) + PIXEL_BYTES;
                List<Path> misfits = new ArrayList<>();
                boolean othersFitOnlyThis = true;
                for (Path file : files) {
                    long size = size(file);
                    if (size == 0 || size % recordBytes != 0) {
                        misfits.add(file);
                    } else if (!hasCifarSize(file)) {
                        othersFitOnlyThis = false;
                    }
                }
                if (othersFitOnlyThis && misfits.size() < files.size()) {
                    Path file = misfits.get(0);
                    long size = size(file);
                    throw new Gan4jException(
                            String.format(
                                    "%s: truncated or not %s: the file holds %d bytes, not a whole number of %d-byte"
                                            + " records like the other %d file%s in its folder (%d records would be %d"
                                            + " bytes)%s",
                                    file, name(candidate), size, recordBytes, files.size() - misfits.size(),
                                    files.size() - misfits.size() == 1 ? "" : "s", Math.max(1, size / recordBytes),
                                    Math.max(1, size / recordBytes) * recordBytes,
                                    misfits.size() == 1 ? "" : "; " + (misfits.size() - 1) + " more file"
                                            + (misfits.size() == 2 ? " is" : "s are") + " short too"));
                }
            }
        }
        if (ten) {
            throw new Gan4jException(
                    String.format(
                            "%s: cannot tell CIFAR-10 from CIFAR-100 by size (%d bytes are whole 3073-byte and whole"
                                    + " 3074-byte records); set data.cifarVariant to cifar10 or cifar100",
                            where, total));
        }
        throw new Gan4jException(
                String.format(
                        "%s: %d bytes are neither whole 3073-byte CIFAR-10 records nor whole 3074-byte CIFAR-100"
                                + " records (truncated?); if the variant is known, set data.cifarVariant to cifar10 or"
                                + " cifar100 to see which file is short",
                        where, total));
    }

    /**
     * Whether a file's size fits exactly one CIFAR variant's whole records.
     *
     * @param file the file
     * @return true when its size is divisible by 3073 or by 3074, but not by both
     */
    public static boolean hasCifarSize(Path file) {
        long size = size(file);
        boolean ten = size > 0 && size % (1 + PIXEL_BYTES) == 0;
        boolean hundred = size > 0 && size % (2 + PIXEL_BYTES) == 0;
        return ten ^ hundred;
    }

    private static void readFully(
            InputStream in, byte[] buffer, int length, Path file, long record, long records, int recordBytes)
            throws IOException {
        readFully(in, buffer, 0, length, file, record, records, recordBytes);
    }

    private static void readFully(
            InputStream in, byte[] buffer, int offset, int length, Path file, long record, long records,
            int recordBytes) throws IOException {
        int done = 0;
        while (done < length) {
            int read = in.read(buffer, offset + done, length - done);
            if (read < 0) {
                throw new Gan4jException(
                        String.format("%s: truncated: expected %d bytes (%d records) but the file ends in record %d",
                                file, records * recordBytes, records, record),
                        new EOFException());
            }
            done += read;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new Gan4jException(file + ": cannot read CIFAR file: " + IdxReader.oneLine(e), e);
        }
    }

    private static String name(CifarVariant variant) {
        return variant == CifarVariant.CIFAR10 ? "CIFAR-10" : "CIFAR-100";
    }
}
