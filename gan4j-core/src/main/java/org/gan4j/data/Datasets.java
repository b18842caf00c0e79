package org.gan4j.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig;
import org.gan4j.config.DataConfig.DataKind;

/**
 * Opens the dataset a {@link DataConfig} describes.
 *
 * <p>Synthetic kinds (gaussian, ring, grid) draw {@code data.samples} points from the run's seed; file kinds read
 * {@code data.path}. {@code auto} is resolved by {@link #infer}. Then {@code data.limit} keeps the first N examples,
 * and for IDX and CIFAR a non-zero {@code data.imageSize} different from the native size resizes the images and a
 * non-zero {@code data.channels} converts grey ↔ RGB. A folder needs both {@code imageSize} and {@code channels}. Point data is
 * never normalised; images are scaled to [-1, 1].
 */
public final class Datasets {

    /** File name endings of archives that hold a dataset rather than being one. */
    private static final List<String> ARCHIVE_ENDINGS =
            List.of(".tar.gz", ".tgz", ".tar", ".zip", ".tar.xz", ".txz", ".tar.bz2", ".tbz2");

    private Datasets() {}

    /**
     * Refuses a downloaded archive (a {@code .tar.gz}, {@code .tgz}, {@code .tar}, {@code .zip} … file, such as
     * {@code cifar-10-binary.tar.gz}) given as the data path, with a one-line error saying to unpack it. IDX files
     * gzipped on their own ({@code train-images-idx3-ubyte.gz}) pass.
     *
     * @param path the data path
     * @throws Gan4jException if the path is an archive file
     */
    public static void rejectArchive(Path path) {
        if (!Files.isRegularFile(path) || path.getFileName() == null) {
            return;
        }
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        for (String ending : ARCHIVE_ENDINGS) {
            if (name.endsWith(ending)) {
                String unpack = ending.equals(".zip") ? "unzip " + path : "tar -xf " + path;
                throw new Gan4jException(
                        "data path " + path + " is an archive; unpack it first (" + unpack + ") and point data.path to"
                                + " the folder it creates (for CIFAR-10: cifar-10-batches-bin)");
            }
        }
    }

    /**
     * Opens a dataset.
     *
     * @param config the data section of the run config
     * @param seed the run seed; synthetic points are drawn from it
     * @return the dataset, the resolved kind and the source
     */
    public static OpenedDataset open(DataConfig config, long seed) {
        DataKind kind = config.kind() == null ? DataKind.AUTO : config.kind();
        if (config.limit() < 0) {
            throw new Gan4jException("data.limit must be 0 (all) or positive, got " + config.limit());
        }
        if (kind.isPoints()) {
            return openPoints(kind, config, seed);
        }
        Path path = resolvePath(config, kind);
        DataKind resolved = kind == DataKind.AUTO ? infer(path) : kind;
        String source = path.toAbsolutePath().normalize().toString();
        int channels = config.channels();
        int imageSize = config.imageSize();
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new Gan4jException("data.channels must be 1 (grey), 3 (RGB) or 0 (native), got " + channels);
        }
        if (imageSize < 0 || imageSize > 4096) {
            throw new Gan4jException("data.imageSize must be 0 (native) or between 1 and 4096, got " + imageSize);
        }
        GanDataset dataset;
        switch (resolved) {
            case IDX:
                dataset = adjust(readAs(kind, path, () -> IdxReader.read(path)), config, resolved, path);
                break;
            case CIFAR:
                dataset = adjust(readAs(kind, path, () -> CifarReader.read(path, config.cifarVariant())), config,
                        resolved, path);
                break;
            case FOLDER:
                if (imageSize == 0) {
                    throw new Gan4jException(
                            "data.imageSize is required for data.kind=folder (for example 64), got 0");
                }
                if (channels == 0) {
                    throw new Gan4jException("data.channels is required for data.kind=folder (1 or 3), got 0");
                }
                dataset = readAs(kind, path, () ->
                        ImageFolder.builder()
                                .setRoot(path)
                                .setImageSize(imageSize)
                                .setChannels(channels)
                                .optBadFilePolicy(config.onBadFile())
                                .optLimit(config.limit())
                                .build());
                break;
            default:
                throw new IllegalStateException("unexpected kind " + resolved);
        }
        return new OpenedDataset(dataset, resolved, source);
    }

    /**
     * Infers the kind of a data path: a folder with images (searched recursively) is FOLDER, a folder with
     * {@code .bin} files is CIFAR, a file whose (possibly gunzipped) first bytes are the IDX image magic is IDX, a
     * file whose size fits whole CIFAR records, or any other {@code .bin} file, is CIFAR.
     *
     * @param path an existing file or folder
     * @return FOLDER, CIFAR or IDX
     */
    public static DataKind infer(Path path) {
        if (!Files.exists(path)) {
            throw new Gan4jException("data path " + path + " does not exist");
        }
        if (!Files.isReadable(path)) {
            throw new Gan4jException("data path " + path + " is not readable (check its permissions)");
        }
        if (Files.isDirectory(path)) {
            java.util.Map<String, Integer> otherFormats = new java.util.TreeMap<>();
            if (!ImageFolder.listImages(path, DataConfig.BadFilePolicy.SKIP, otherFormats).isEmpty()) {
                return DataKind.FOLDER;
            }
            if (containsBin(path)) {
                return DataKind.CIFAR;
            }
            CifarReader.rejectPythonVersion(path);
            Optional<Path> binFolder = subfolderWithBin(path);
            if (binFolder.isPresent()) {
                // tar -xzf cifar-10-binary.tar.gz -C data makes data/cifar-10-batches-bin: data.path=data is near
                throw new Gan4jException(inSubfolder(path, binFolder.get()));
            }
            throw new Gan4jException(
                    "data path " + path + " is a folder with neither images (.png, .jpg, .jpeg, .bmp, .gif) nor CIFAR"
                            + " .bin files"
                            + (otherFormats.isEmpty()
                                    ? ""
                                    : "; it holds " + ImageFolder.describeOtherFormats(otherFormats)
                                            + " files, formats gan4j does not read: convert them to PNG or JPEG"));
        }
        Optional<Integer> magic = IdxReader.magic(path);
        if (magic.isPresent() && magic.get() == IdxReader.IMAGES_MAGIC) {
            return DataKind.IDX;
        }
        if (magic.isPresent() && magic.get() == IdxReader.LABELS_MAGIC) {
            throw new Gan4jException(
                    "data path " + path + " is an IDX label file; point data.path to the images file next to it");
        }
        CifarReader.rejectPythonVersion(path);
        rejectArchive(path);
        if (CifarReader.hasCifarSize(path) || hasBinExtension(path)) {
            // a .bin file of the wrong size is a truncated CIFAR batch far more often than anything else: the CIFAR
            // reader then says so, naming the record sizes
            return DataKind.CIFAR;
        }
        if (ImageFolder.hasImageExtension(path)) {
            Path parent = path.toAbsolutePath().getParent();
            throw new Gan4jException(
                    "data path " + path + " is a single image; point data.path to the folder that holds the images ("
                            + (parent == null ? "its folder" : parent) + ")");
        }
        String lower = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("idx") || lower.endsWith(".gz")) {
            // named like an IDX file (train-images-idx3-ubyte.gz) but neither one nor gzip: say what it starts with
            throw new Gan4jException(
                    "data path " + path + " is named like an IDX file but is not one: it starts with " + firstBytes(path)
                            + ", not the gzip magic 1f 8b nor the IDX image magic 00 00 08 03 (a failed or partial"
                            + " download, or an HTML error page?)");
        }
        if (lower.endsWith(".csv") || lower.endsWith(".tsv") || lower.endsWith(".npy") || lower.endsWith(".npz")) {
            throw new Gan4jException(
                    "data path " + path + " looks like a table or array of points: gan4j does not read point data"
                            + " from files; its 2-D data is drawn by data.kind gaussian, ring or grid, and data.path"
                            + " takes IDX files, CIFAR .bin files or image folders");
        }
        throw new Gan4jException(
                "cannot tell the kind of data path " + path + ": not an IDX image file, a CIFAR .bin file or an image"
                        + " folder; set data.kind");
    }

    /**
     * Reads a path as the kind {@code data.kind} named; when that fails and the path is plainly data of another kind
     * ({@link #infer}: a CIFAR folder read as IDX, an image folder as CIFAR …), the error says so.
     */
    private static <T> T readAs(DataKind named, Path path, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (Gan4jException e) {
            if (named == DataKind.AUTO) {
                throw e;
            }
            DataKind actual;
            try {
                actual = infer(path);
            } catch (Gan4jException notData) {
                throw e;
            }
            if (actual == named) {
                throw e;
            }
            String name = actual.name().toLowerCase(java.util.Locale.ROOT);
            throw new Gan4jException(e.getMessage() + "; " + path + " looks like " + describe(actual)
                    + ": set data.kind to " + name + " or auto", e);
        }
    }

    private static String describe(DataKind kind) {
        return switch (kind) {
            case IDX -> "an IDX image file";
            case CIFAR -> "CIFAR binary data";
            case FOLDER -> "a folder of images";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * Whether {@link #infer} takes a path for CIFAR binary data (a {@code .bin} file or a folder of them); false for
     * anything else, including paths it refuses.
     *
     * @param path a file or folder
     * @return true for CIFAR data
     */
    public static boolean isCifar(Path path) {
        try {
            return infer(path) == DataKind.CIFAR;
        } catch (Gan4jException e) {
            return false;
        }
    }

    /**
     * Reads CIFAR binary data (a {@code .bin} file or a folder of them, the variant inferred) at a given shape:
     * resized and converted as a run's {@code data.imageSize} and {@code data.channels} would, so that real images
     * given to an evaluation match the run's generated ones.
     *
     * @param path the CIFAR file or folder
     * @param channels 1 or 3
     * @param side the square side
     * @return the images, scaled to [-1, 1]
     */
    public static GanDataset openCifar(Path path, int channels, int side) {
        DataConfig d = org.gan4j.config.Defaults.config().data();
        DataConfig cifar = new DataConfig(DataKind.CIFAR, path.toString(), d.samples(), d.gaussian(), d.ring(),
                d.grid(), side, channels, DataConfig.CifarVariant.AUTO, d.onBadFile(), 0);
        return open(cifar, 0).dataset();
    }

    private static Path resolvePath(DataConfig config, DataKind kind) {
        String text = config.path();
        if (text == null || text.isBlank()) {
            throw new Gan4jException(
                    "data.path is required for data.kind=" + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        Path path = Paths.get(text);
        if (!Files.exists(path)) {
            throw new Gan4jException("data path " + path + " does not exist");
        }
        if (!Files.isReadable(path)) {
            throw new Gan4jException("data path " + path + " is not readable (check its permissions)");
        }
        return path;
    }

    private static GanDataset adjust(ImageDataset images, DataConfig config, DataKind kind, Path path) {
        ImageDataset out = images.limited(config.limit());
        int side = config.imageSize() != 0 ? config.imageSize() : out.side();
        int channels = config.channels() != 0 ? config.channels() : out.channels();
        boolean resize = side != out.side();
        boolean convert = channels != out.channels();
        if (resize || convert) {
            // the resized copy (native channels) exists while the converted one is made
            long intermediate = resize && convert ? DataMemory.imageBytes(out.size(), out.channels(), side) : 0;
            DataMemory.require(kind.name().toLowerCase(java.util.Locale.ROOT) + " " + path, out.size(), channels,
                    side, intermediate);
        }
        if (config.imageSize() != 0) {
            out = out.resized(config.imageSize());
        }
        if (config.channels() != 0) {
            out = out.withChannels(config.channels());
        }
        return out;
    }

    private static OpenedDataset openPoints(DataKind kind, DataConfig config, long seed) {
        int samples = config.samples();
        if (samples < 1) {
            throw new Gan4jException("data.samples must be at least 1, got " + samples);
        }
        if (config.limit() > 0) {
            samples = Math.min(samples, config.limit());
        }
        GanDataset dataset;
        switch (kind) {
            case GAUSSIAN:
                dataset = Gaussians.affine(samples, matrix(config), vector(config), seed);
                break;
            case RING:
                DataConfig.RingConfig ring = required(config.ring(), "data.ring");
                requirePositive(ring.modes(), "data.ring.modes");
                requireStd(ring.std(), "data.ring.std");
                dataset = Gaussians.ring(samples, ring.modes(), ring.radius(), ring.std(), seed);
                break;
            case GRID:
                DataConfig.GridConfig grid = required(config.grid(), "data.grid");
                requirePositive(grid.side(), "data.grid.side");
                requireStd(grid.std(), "data.grid.std");
                dataset = Gaussians.grid(samples, grid.side(), grid.spacing(), grid.std(), seed);
                break;
            default:
                throw new IllegalStateException("unexpected kind " + kind);
        }
        return new OpenedDataset(dataset, kind, kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static double[][] matrix(DataConfig config) {
        DataConfig.GaussianConfig gaussian = required(config.gaussian(), "data.gaussian");
        List<List<Double>> a = gaussian.a();
        if (a == null || a.size() != 2 || a.stream().anyMatch(row -> row == null || row.size() != 2
                || row.stream().anyMatch(v -> v == null || !Double.isFinite(v)))) {
            throw new Gan4jException(
                    "data.gaussian.a must be a 2×2 matrix of finite numbers, e.g. [[1, 2], [-0.1, 0.5]], got " + a);
        }
        return new double[][] {{a.get(0).get(0), a.get(0).get(1)}, {a.get(1).get(0), a.get(1).get(1)}};
    }

    private static double[] vector(DataConfig config) {
        List<Double> b = config.gaussian().b();
        if (b == null || b.size() != 2 || b.stream().anyMatch(v -> v == null || !Double.isFinite(v))) {
            throw new Gan4jException("data.gaussian.b must be 2 finite numbers, e.g. [1, 2], got " + b);
        }
        return new double[] {b.get(0), b.get(1)};
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new Gan4jException(field + " is required");
        }
        return value;
    }

    private static void requirePositive(int value, String field) {
        if (value < 1) {
            throw new Gan4jException(field + " must be at least 1, got " + value);
        }
    }

    private static void requireStd(double value, String field) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new Gan4jException(field + " must be a finite number ≥ 0, got " + value);
        }
    }

    private static String firstBytes(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            if (head.length == 0) {
                return "nothing (the file is empty)";
            }
            StringBuilder text = new StringBuilder("bytes");
            for (byte b : head) {
                text.append(String.format(" %02x", b & 0xFF));
            }
            return text.toString();
        } catch (IOException e) {
            return "unreadable bytes (" + IdxReader.oneLine(e) + ")";
        }
    }

    private static boolean hasBinExtension(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".bin");
    }

    /** The error for a folder whose CIFAR .bin files lie one level down, in {@code subfolder}. */
    static String inSubfolder(Path path, Path subfolder) {
        return "data path " + path + " holds no images nor CIFAR .bin files of its own, but its subfolder " + subfolder
                + " holds .bin files: point data.path there (--data " + subfolder + ")";
    }

    /** The first subfolder (in sorted order) directly inside a folder that holds {@code .bin} files, if any. */
    static Optional<Path> subfolderWithBin(Path folder) {
        List<Path> subfolders = new java.util.ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, Files::isDirectory)) {
            entries.forEach(subfolders::add);
        } catch (IOException e) {
            throw new Gan4jException("cannot list data folder " + folder + ": " + IdxReader.oneLine(e), e);
        }
        subfolders.sort(null);
        for (Path subfolder : subfolders) {
            if (Files.isReadable(subfolder) && containsBin(subfolder)) {
                return Optional.of(subfolder);
            }
        }
        return Optional.empty();
    }

    private static boolean containsBin(Path folder) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.bin")) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            throw new Gan4jException("cannot list data folder " + folder + ": " + IdxReader.oneLine(e), e);
        }
    }
}
