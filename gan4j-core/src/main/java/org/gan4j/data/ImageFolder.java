package org.gan4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.BadFilePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images (PNG, JPEG, BMP, GIF) found recursively under a folder, decoded once into memory.
 *
 * <p>Files are taken in sorted order of their path relative to the root, so the dataset is the same on every run.
 * Each image is centre-cropped to a square, resized to {@code imageSize} (exact area averaging when shrinking,
 * bilinear when growing), converted to grey (ITU-R BT.601 luma) or RGB, and scaled to [-1, 1]. Transparent pixels are
 * composited onto <em>white</em>, which is how image viewers show them (emoji and icon PNGs have alpha). Only the first
 * frame of a GIF is used, on the GIF's logical screen ({@link #onLogicalScreen}). A JPEG's EXIF orientation (phone photos stored sideways) is applied, as viewers do. CMYK and
 * YCCK JPEGs get the colours Pillow's {@code Image.open(path).convert("RGB")} gives them ({@link #convertCmyk}).
 * Embedded ICC colour profiles are not applied (Pillow's {@code convert("RGB")} and torchvision do not apply them
 * either): the samples are taken as sRGB, so a photo saved in Adobe RGB or Display P3 reads a little less saturated
 * than a colour-managed viewer shows it.
 * Symbolic links are followed, to files and to folders (a class folder linked in from
 * elsewhere is read like a real one); a link back to a folder being searched (a cycle) is left out with a warning.
 * Hidden files and folders (names starting with a dot: {@code .DS_Store}, {@code ._x.jpg}, {@code .ipynb_checkpoints})
 * and {@code __MACOSX} folders are left out.
 *
 * <p>Labels are the names of the first-level subfolders, sorted, when every image sits in one; otherwise the dataset
 * is unlabelled. A file that cannot be read (empty, truncated, not an image, dimensions over 16384 or over 100 million
 * pixels, checked before decoding) is skipped and listed in {@link #skippedFiles()} under {@link BadFilePolicy#SKIP},
 * or stops loading with a {@link Gan4jException} under {@link BadFilePolicy#FAIL}. Files with other extensions are
 * ignored; those of other image formats (WebP, TIFF, HEIC …, {@link #OTHER_IMAGE_EXTENSIONS}) are counted in a warning,
 * and named in the error when the folder holds nothing else.
 * Decoding runs on all cores; results keep the sorted order.
 */
public final class ImageFolder implements GanDataset {

    /** File extensions taken as images, lower case. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** Extensions of image formats that are not read, lower case: such files are counted and warned about. */
    public static final Set<String> OTHER_IMAGE_EXTENSIONS =
            Set.of("webp", "tif", "tiff", "heic", "heif", "avif", "jfif", "jpe", "jp2", "ppm", "pgm", "pbm", "pnm",
                    "ico", "svg", "psd", "raw", "cr2", "nef", "dng", "exr", "hdr", "tga", "jxl");

    /** The largest width or height accepted. */
    public static final int MAXIMUM_SIDE = 16384;

    /** The largest number of pixels accepted. */
    public static final long MAXIMUM_PIXELS = 100_000_000L;

    private static final Logger LOGGER = LoggerFactory.getLogger(ImageFolder.class);
    private static final int CHUNK = 128;
    private static final int LISTED_SKIPS = 5;

    /** The size of the blocks the pixels are held in: 64 MiB, and at least one image. */
    static final long BLOCK_BYTES = 1L << 26;

    private final ImageDataset images;
    private final List<Path> files;
    private final List<String> classNames;
    private final List<SkippedFile> skippedFiles;

    /**
     * A file left out of the dataset.
     *
     * @param file the file
     * @param reason why it could not be used, one line
     */
    public record SkippedFile(Path file, String reason) {}

    private ImageFolder(ImageDataset images, List<Path> files, List<String> classNames, List<SkippedFile> skipped) {
        this.images = images;
        this.files = List.copyOf(files);
        this.classNames = List.copyOf(classNames);
        this.skippedFiles = List.copyOf(skipped);
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public long[] exampleShape() {
        return images.exampleShape();
    }

    @Override
    public int exampleSize() {
        return images.exampleSize();
    }

    @Override
    public void copyExample(int index, float[] destination, int offset) {
        images.copyExample(index, destination, offset);
    }

    @Override
    public int label(int index) {
        return images.label(index);
    }

    @Override
    public int classCount() {
        return images.classCount();
    }

    @Override
    public long memoryBytes() {
        return images.memoryBytes();
    }

    @Override
    public String description() {
        return images.description();
    }

    /**
     * Returns the decoded images as a byte-backed dataset.
     *
     * @return the images
     */
    public ImageDataset images() {
        return images;
    }

    /**
     * Returns the file each example was decoded from, in example order.
     *
     * @return the files
     */
    public List<Path> files() {
        return files;
    }

    /**
     * Returns the class names (first-level subfolders, sorted); label i is {@code classNames().get(i)}.
     *
     * @return the names, empty when the dataset is unlabelled
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Returns the first-level subfolders of a labelled folder that gave no image (empty, or holding only files that
     * are not images or could not be read), sorted. They are not classes: the labels are the subfolders that hold
     * images, so a classifier trained on such a folder has fewer classes than the folder has subfolders.
     *
     * @param root the folder this dataset was read from
     * @return the subfolder names, empty when every subfolder gave images or the dataset is unlabelled
     * @throws Gan4jException if the folder can no longer be listed
     */
    public List<String> classFoldersWithoutImages(Path root) {
        if (classNames.isEmpty()) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(entry -> !isHiddenOrMetadata(entry) && Files.isDirectory(entry))
                    .map(entry -> entry.getFileName().toString())
                    .filter(name -> Collections.binarySearch(classNames, name) < 0)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new Gan4jException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the files skipped because they could not be read, in sorted order.
     *
     * @return the skipped files, empty under {@link BadFilePolicy#FAIL}
     */
    public List<SkippedFile> skippedFiles() {
        return skippedFiles;
    }

    /** Configures and loads an {@link ImageFolder}. */
    public static final class Builder {
        private Path root;
        private int imageSize;
        private int channels;
        private BadFilePolicy policy = BadFilePolicy.SKIP;
        private int limit;
        private int threads = Runtime.getRuntime().availableProcessors();
        private long blockBytes = BLOCK_BYTES;

        private Builder() {}

        /**
         * Sets the size of the blocks the pixels are held in (tests use tiny blocks); {@link #BLOCK_BYTES} by default.
         *
         * @param bytes at least 1: a block holds as many whole images as fit, at least one
         * @return this builder
         */
        Builder blockBytes(long bytes) {
            this.blockBytes = bytes;
            return this;
        }

        /**
         * Sets the folder to search, recursively.
         *
         * @param root the folder
         * @return this builder
         */
        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /**
         * Sets the side of the square images produced.
         *
         * @param imageSize the side in pixels, at least 1
         * @return this builder
         */
        public Builder setImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * Sets the number of channels produced.
         *
         * @param channels 1 (grey) or 3 (RGB)
         * @return this builder
         */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets what happens to unreadable files; SKIP by default.
         *
         * @param policy skip or fail
         * @return this builder
         */
        public Builder optBadFilePolicy(BadFilePolicy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * Keeps only the first {@code limit} readable images, decoding no more than needed; 0 (the default) keeps all.
         *
         * @param limit the number of images, 0 for all
         * @return this builder
         */
        public Builder optLimit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * Sets the number of decoding threads; the number of cores by default.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Finds, decodes and converts the images.
         *
         * @return the loaded folder
         */
        public ImageFolder build() {
            if (root == null) {
                throw new IllegalArgumentException("root is required");
            }
            if (imageSize < 1) {
                throw new IllegalArgumentException("imageSize must be at least 1: " + imageSize);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
            }
            if (policy == null || limit < 0 || threads < 1 || blockBytes < 1) {
                throw new IllegalArgumentException("policy is required; limit ≥ 0 and threads ≥ 1");
            }
            return load(this);
        }
    }

    private static ImageFolder load(Builder options) {
        Path root = options.root;
        if (!Files.isDirectory(root)) {
            throw new Gan4jException(
                    Files.exists(root) ? root + " is not a folder" : "image folder " + root + " does not exist");
        }
        Map<String, Integer> otherFormats = new TreeMap<>();
        List<Path> candidates = listImages(root, options.policy, otherFormats);
        if (candidates.isEmpty()) {
            throw new Gan4jException(
                    "folder " + root + " holds no images (looked recursively for ."
                            + String.join(", .", new TreeSet<>(EXTENSIONS)) + ")"
                            + (otherFormats.isEmpty()
                                    ? ""
                                    : "; it holds " + describeOtherFormats(otherFormats)
                                            + " files, formats gan4j does not read: convert them to PNG or JPEG"));
        }
        if (!otherFormats.isEmpty()) {
            LOGGER.warn(
                    "Ignoring {} file(s) under {} in formats gan4j does not read ({}); convert them to PNG or JPEG to"
                            + " use them",
                    otherFormats.values().stream().mapToInt(Integer::intValue).sum(), root,
                    describeOtherFormats(otherFormats));
        }
        List<String> classNames = classNames(root, candidates);
        int exampleSize = options.channels * options.imageSize * options.imageSize;
        long wanted = options.limit == 0 ? candidates.size() : Math.min(options.limit, candidates.size());
        DataMemory.require("folder " + root, wanted, options.channels, options.imageSize, 0);
        // Blocks filled as images decode, not one array for every candidate trimmed at the end: with many unreadable
        // files that trim briefly held both arrays. The last block is trimmed, so the peak is the data plus a block.
        int perBlock = (int) Math.max(1, Math.min(wanted, options.blockBytes / exampleSize));
        List<byte[]> blocks = new ArrayList<>();
        int[] labels = classNames.isEmpty() ? null : new int[(int) wanted];
        List<Path> used = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        Math.min(options.threads, CHUNK),
                        task -> {
                            Thread thread = new Thread(task, "gan4j-image-decoder");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            int next = 0;
            while (next < candidates.size() && used.size() < wanted) {
                int end = (int) Math.min(candidates.size(), next + Math.max(CHUNK, 2 * (wanted - used.size())));
                end = Math.min(end, next + 4 * CHUNK);
                List<Future<Decoded>> futures = new ArrayList<>();
                for (Path file : candidates.subList(next, end)) {
                    futures.add(pool.submit(() -> decode(file, options.imageSize, options.channels)));
                }
                for (int i = 0; i < futures.size() && used.size() < wanted; i++) {
                    Path file = candidates.get(next + i);
                    Decoded decoded = get(futures.get(i));
                    if (decoded.failure != null) {
                        if (options.policy == BadFilePolicy.FAIL) {
                            throw new Gan4jException(
                                    "cannot read image " + file + ": " + decoded.failure
                                            + " (set data.onBadFile=skip to skip unreadable files)");
                        }
                        skipped.add(new SkippedFile(file, decoded.failure));
                        continue;
                    }
                    int index = used.size();
                    if (index % perBlock == 0) {
                        blocks.add(new byte[(int) Math.min(perBlock, wanted - index) * exampleSize]);
                    }
                    System.arraycopy(
                            decoded.pixels, 0, blocks.get(index / perBlock), index % perBlock * exampleSize,
                            exampleSize);
                    if (labels != null) {
                        labels[index] = Collections.binarySearch(classNames, firstFolder(root, file));
                    }
                    used.add(file);
                }
                for (Future<Decoded> future : futures) {
                    future.cancel(true);
                }
                next = end;
            }
        } finally {
            pool.shutdownNow();
        }
        if (!skipped.isEmpty()) {
            LOGGER.warn(
                    "Skipped {} unreadable image file(s) under {}: {}{}",
                    skipped.size(),
                    root,
                    skipped.stream()
                            .limit(LISTED_SKIPS)
                            .map(s -> root.relativize(s.file()) + " (" + s.reason() + ")")
                            .collect(Collectors.joining(", ")),
                    skipped.size() > LISTED_SKIPS ? ", …" : "");
        }
        if (used.isEmpty()) {
            SkippedFile first = skipped.get(0);
            throw new Gan4jException(
                    String.format("folder %s holds no readable images: all %d skipped, first %s (%s)",
                            root, skipped.size(), first.file(), first.reason()));
        }
        int count = used.size();
        if (count < wanted) {
            int last = blocks.size() - 1;
            int lastBytes = (count - last * perBlock) * exampleSize;
            if (blocks.get(last).length != lastBytes) {
                blocks.set(last, Arrays.copyOf(blocks.get(last), lastBytes));
            }
            labels = labels == null ? null : Arrays.copyOf(labels, count);
        }
        String description =
                String.format("folder %s (%d × %d×%d×%d, %s%s)", root, count, options.channels, options.imageSize,
                        options.imageSize, labels == null ? "unlabelled" : classNames.size() + " classes",
                        skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped");
        ImageDataset images =
                new ImageDataset(
                        blocks.toArray(new byte[0][]), perBlock, count, options.channels, options.imageSize, labels,
                        labels == null ? 0 : classNames.size(), description);
        return new ImageFolder(images, used, labels == null ? List.of() : classNames, skipped);
    }

    /**
     * Lists image files under root, sorted by relative path, following links to files and folders but not cycles.
     *
     * @param root the folder (itself possibly a link to a folder)
     * @param policy whether an unreadable subfolder fails or is skipped with a warning
     * @return the files, as paths under {@code root}
     */
    static List<Path> listImages(Path root, BadFilePolicy policy) {
        return listImages(root, policy, new TreeMap<>());
    }

    /**
     * Lists image files under root like {@link #listImages(Path, BadFilePolicy)} and counts, by extension, the image
     * files in formats that are not read ({@link #OTHER_IMAGE_EXTENSIONS}).
     *
     * @param root the folder
     * @param policy whether an unreadable subfolder fails or is skipped with a warning
     * @param otherFormats receives extension (lower case) → number of files left out
     * @return the files, as paths under {@code root}
     */
    static List<Path> listImages(Path root, BadFilePolicy policy, Map<String, Integer> otherFormats) {
        List<Path> found = new ArrayList<>();
        try {
            Path start = root.toRealPath();
            Files.walkFileTree(
                    start,
                    EnumSet.of(FileVisitOption.FOLLOW_LINKS),
                    Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                            return !folder.equals(start) && isHiddenOrMetadata(folder)
                                    ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            if (!isHiddenOrMetadata(file) && hasImageExtension(file) && Files.isRegularFile(file)) {
                                found.add(root.resolve(start.relativize(file)));
                            } else if (!isHiddenOrMetadata(file)) {
                                String extension = extension(file);
                                if (OTHER_IMAGE_EXTENSIONS.contains(extension)) {
                                    otherFormats.merge(extension, 1, Integer::sum);
                                }
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (e instanceof FileSystemLoopException) {
                                // a link back to a folder being walked: its images are listed once, under the folder
                                LOGGER.warn("Not following {}: it links back to a folder already searched", file);
                                return FileVisitResult.CONTINUE;
                            }
                            if (policy == BadFilePolicy.FAIL || file.equals(start)) {
                                throw new Gan4jException("cannot read " + file + ": " + IdxReader.oneLine(e), e);
                            }
                            LOGGER.warn("Skipping unreadable {}: {}", file, IdxReader.oneLine(e));
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new Gan4jException("cannot list image folder " + root + ": " + IdxReader.oneLine(e), e);
        }
        found.sort((a, b) -> relativeName(root, a).compareTo(relativeName(root, b)));
        return found;
    }

    /**
     * Whether a file or folder is hidden or system metadata rather than data: a name starting with a dot
     * ({@code .DS_Store}, macOS's {@code ._photo.jpg} AppleDouble files, {@code .ipynb_checkpoints}, {@code .thumbnails},
     * {@code .git}) or macOS's {@code __MACOSX} folder in zip archives. Such entries are never read, so they neither add
     * duplicate images nor become class labels.
     *
     * @param path the file or folder
     * @return whether it is left out of the dataset
     */
    static boolean isHiddenOrMetadata(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return false;
        }
        String text = name.toString();
        return text.startsWith(".") || text.equals("__MACOSX");
    }

    private static String relativeName(Path root, Path file) {
        StringBuilder name = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    /** Returns the sorted first-level folder names when every image sits in one, else an empty list. */
    private static List<String> classNames(Path root, List<Path> files) {
        TreeSet<String> names = new TreeSet<>();
        for (Path file : files) {
            if (root.relativize(file).getNameCount() < 2) {
                return List.of();
            }
            names.add(firstFolder(root, file));
        }
        return new ArrayList<>(names);
    }

    private static String firstFolder(Path root, Path file) {
        return root.relativize(file).getName(0).toString();
    }

    /**
     * Whether a file name ends with one of the accepted image extensions, ignoring case.
     *
     * @param file the file
     * @return true for .png, .jpg, .jpeg, .bmp and .gif
     */
    public static boolean hasImageExtension(Path file) {
        return EXTENSIONS.contains(extension(file));
    }

    private static String extension(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return "";
        }
        String text = name.toString();
        int dot = text.lastIndexOf('.');
        return dot < 0 ? "" : text.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Describes image files left out for their format, for a warning or an error: {@code "4 .webp, 1 .tiff"}.
     *
     * @param otherFormats extension → count, as {@link #listImages(Path, BadFilePolicy, Map)} fills it
     * @return the text, empty when there are none
     */
    static String describeOtherFormats(Map<String, Integer> otherFormats) {
        return otherFormats.entrySet().stream()
                .map(e -> e.getValue() + " ." + e.getKey())
                .collect(Collectors.joining(", "));
    }

    private static Decoded get(Future<Decoded> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DecodeOutOfMemory memory) {
                throw new Gan4jException(memory.getMessage(), memory);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * The outcome of decoding one file.
     *
     * @param pixels the CHW bytes, or null on failure
     * @param failure a one-line reason, or null on success
     */
    record Decoded(byte[] pixels, String failure) {}

    /**
     * Thrown by {@link #decode} when the Java heap cannot hold a decoded image: a good file, not an unreadable one,
     * so it is never skipped.
     */
    static final class DecodeOutOfMemory extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DecodeOutOfMemory(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Decoding memory shared by the decoding threads, in MiB: half the Java heap. A decode takes about 8 bytes per
     * pixel of the source image (its raster, 4 bytes for 8-bit RGBA, 8 for 16-bit) for as long as it runs; an image
     * larger than the whole budget runs alone. Without it, N threads each decoding a 100-megapixel photo ran out of
     * heap together.
     */
    private static final int BUDGET_MIB =
            (int) Math.max(1, Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 2 / (1 << 20)));

    private static final java.util.concurrent.Semaphore BUDGET = new java.util.concurrent.Semaphore(BUDGET_MIB, true);

    private static int decodeCostMib(int width, int height) {
        long mib = ((long) width * height * 8 + (1 << 20) - 1) >> 20;
        return (int) Math.max(1, Math.min(BUDGET_MIB, mib));
    }

    private static boolean causedByOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /**
     * Decodes, crops, resizes and converts one file.
     *
     * @param file the file
     * @param imageSize the target side
     * @param channels 1 or 3
     * @return the CHW bytes, or a failure reason
     */
    static Decoded decode(Path file, int imageSize, int channels) {
        try {
            if (Files.size(file) == 0) {
                return new Decoded(null, "empty file");
            }
            try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
                if (input == null) {
                    return new Decoded(null, "cannot open file");
                }
                Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
                if (!readers.hasNext()) {
                    return new Decoded(null, "not a PNG, JPEG, BMP or GIF image");
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(input, true, true);
                    int width = reader.getWidth(0);
                    int height = reader.getHeight(0);
                    if (width < 1 || height < 1 || width > MAXIMUM_SIDE || height > MAXIMUM_SIDE
                            || (long) width * height > MAXIMUM_PIXELS) {
                        return new Decoded(
                                null,
                                String.format("declared size %d×%d is over the limit (%d per side, %d pixels)",
                                        width, height, MAXIMUM_SIDE, MAXIMUM_PIXELS));
                    }
                    int cost = decodeCostMib(width, height);
                    BUDGET.acquireUninterruptibly(cost);
                    try {
                        JpegHeader header = jpegHeader(file);
                        Raster cmyk = header.components() == 4 ? reader.readRaster(0, null) : null;
                        byte[] pixels =
                                cmyk != null && cmyk.getNumBands() == 4
                                        ? convertCmyk(cmyk, header.adobeTransform() > 0, imageSize, channels,
                                                header.orientation())
                                        : convert(onLogicalScreen(reader,
                                                        reader.read(0, keepingProfiledSamples(reader, header))),
                                                imageSize, channels, header.orientation());
                        return new Decoded(orient(pixels, imageSize, channels, header.orientation()), null);
                    } catch (OutOfMemoryError | IOException | RuntimeException e) {
                        // image readers wrap an OutOfMemoryError in an IIOException ("Caught exception during read")
                        if (causedByOutOfMemory(e)) {
                            throw new DecodeOutOfMemory(
                                    String.format(Locale.ROOT,
                                            "image %s is %d×%d: decoding it needs up to %d MB, more than the Java heap"
                                                    + " (%d MB) can spare; raise it with JAVA_OPTS=-Xmx%dg or shrink"
                                                    + " the image",
                                            file, width, height, (long) width * height * 8 / 1_000_000,
                                            Runtime.getRuntime().maxMemory() / 1_000_000,
                                            Math.max(2, Runtime.getRuntime().maxMemory() / (1L << 30) * 2)),
                                    e);
                        }
                        throw e;
                    } finally {
                        BUDGET.release(cost);
                    }
                } finally {
                    reader.dispose();
                }
            }
        } catch (DecodeOutOfMemory e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Image decoders signal corrupt input with IIOException but also with assorted runtime exceptions.
            return new Decoded(null, plainReason(file, e));
        }
    }

    /**
     * Says in plain words why a file could not be decoded (no exception class names): it cannot be read, it ends too
     * early, or its data is damaged; the decoder's own words follow when it gave any.
     *
     * @param file the image file
     * @param failure what the file system or the decoder threw
     * @return one line
     */
    static String plainReason(Path file, Exception failure) {
        String format = org.gan4j.io.ImageGrid.formatOf(file).map(name -> name.toUpperCase(Locale.ROOT)).orElse("image");
        if (failure instanceof java.nio.file.AccessDeniedException) {
            return "the file cannot be read: permission denied";
        }
        if (failure instanceof java.nio.file.NoSuchFileException) {
            return "the file disappeared while it was being read";
        }
        String detail = null;
        boolean cutShort = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            cutShort |= cause instanceof java.io.EOFException;
            String message = cause.getMessage();
            if (detail == null && message != null && !message.isBlank()) {
                detail = IdxReader.oneLine(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        String lowered = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
        cutShort |= lowered.contains("premature end") || lowered.contains("unexpected end") || lowered.contains("eof")
                || lowered.contains("truncated");
        String what = cutShort
                ? "the " + format + " file ends too early, cut short or damaged (an interrupted download or copy?)"
                : "the " + format + " data is damaged and cannot be decoded";
        return detail == null ? what : what + "; the decoder says: " + detail;
    }

    /**
     * Places a GIF's first frame on the GIF's logical screen, as viewers and Pillow show it: a frame may be smaller
     * than the screen and sit at an offset in it, and the reader returns the frame alone (a 32×32 frame in the middle
     * of a 64×64 screen was read as the whole picture, enlarged). The rest of the screen is transparent, so it becomes
     * white like every transparent pixel. Any other image, a frame that fills the screen, one that does not fit in it,
     * a screen over the size limits or unreadable metadata: the frame as it is.
     *
     * @param reader the reader, its input set
     * @param frame image 0 as read
     * @return the picture to convert
     */
    static BufferedImage onLogicalScreen(ImageReader reader, BufferedImage frame) {
        try {
            if (!"gif".equalsIgnoreCase(reader.getFormatName())) {
                return frame;
            }
            org.w3c.dom.Node screen = child(reader.getStreamMetadata().getAsTree("javax_imageio_gif_stream_1.0"),
                    "LogicalScreenDescriptor");
            org.w3c.dom.Node descriptor = child(reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0"),
                    "ImageDescriptor");
            if (screen == null || descriptor == null) {
                return frame;
            }
            int screenWidth = attribute(screen, "logicalScreenWidth");
            int screenHeight = attribute(screen, "logicalScreenHeight");
            int left = attribute(descriptor, "imageLeftPosition");
            int top = attribute(descriptor, "imageTopPosition");
            boolean fills = left == 0 && top == 0 && screenWidth == frame.getWidth()
                    && screenHeight == frame.getHeight();
            boolean fits = left >= 0 && top >= 0 && left + frame.getWidth() <= screenWidth
                    && top + frame.getHeight() <= screenHeight;
            if (fills || !fits || screenWidth > MAXIMUM_SIDE || screenHeight > MAXIMUM_SIDE
                    || (long) screenWidth * screenHeight > MAXIMUM_PIXELS) {
                return frame;
            }
            BufferedImage canvas = new BufferedImage(screenWidth, screenHeight, BufferedImage.TYPE_INT_ARGB);
            java.awt.Graphics2D graphics = canvas.createGraphics();
            try {
                graphics.drawImage(frame, left, top, null);
            } finally {
                graphics.dispose();
            }
            return canvas;
        } catch (IOException | RuntimeException e) {
            return frame; // no screen to place it on: the frame, as before
        }
    }

    private static org.w3c.dom.Node child(org.w3c.dom.Node parent, String name) {
        for (org.w3c.dom.Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node.getNodeName().equals(name)) {
                return node;
            }
        }
        return null;
    }

    private static int attribute(org.w3c.dom.Node node, String name) {
        return Integer.parseInt(node.getAttributes().getNamedItem(name).getNodeValue());
    }

    /**
     * For an RGB JPEG with an embedded ICC profile, asks the reader for its samples as stored, in an image of the
     * profile's colour space, instead of converted to sRGB: Pillow's {@code convert("RGB")} does not apply profiles,
     * and gan4j reads what Pillow reads ({@link #convert} then takes the samples as they are).
     *
     * @param reader the reader, its input set
     * @param header the file's JPEG header
     * @return the parameters, or null (the defaults) for any other image
     */
    private static javax.imageio.ImageReadParam keepingProfiledSamples(ImageReader reader, JpegHeader header) {
        if (header.components() != 3) {
            return null;
        }
        try {
            for (Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0); types.hasNext(); ) {
                javax.imageio.ImageTypeSpecifier type = types.next();
                ColorSpace space = type.getColorModel().getColorSpace();
                if (space.getType() == ColorSpace.TYPE_RGB && !space.isCS_sRGB()
                        && type.getColorModel().getNumComponents() == 3) {
                    javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
                    // a destination image, not a destination type: the reader makes a new, unequal colour space for
                    // the profile each time it lists its types, and would refuse its own type as "does not match"
                    param.setDestination(type.createBufferedImage(reader.getWidth(0), reader.getHeight(0)));
                    return param;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no type to ask for: the default read converts to sRGB, as before
        }
        return null;
    }

    /**
     * Reads the EXIF orientation of a JPEG file (tag 0x0112 in IFD0 of its APP1 "Exif" segment): how a camera or phone
     * that stored the pixels sideways wants them shown.
     *
     * @param file the file
     * @return 1 … 8, or 1 (as stored) for anything else: not a JPEG, no EXIF, no or an invalid tag, unreadable
     */
    static int exifOrientation(Path file) {
        return jpegHeader(file).orientation();
    }

    /**
     * What a JPEG file's segments before its image data say about how to show it.
     *
     * @param orientation the EXIF orientation, 1 … 8 (1: as stored)
     * @param components the number of colour planes in the frame header (1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK),
     *     0 when unknown or not a JPEG
     * @param adobeTransform the transform flag of an Adobe APP14 marker (0: CMYK or RGB as stored, 1: YCbCr, 2: YCCK),
     *     -1 when there is no such marker
     */
    record JpegHeader(int orientation, int components, int adobeTransform) {
        static final JpegHeader NONE = new JpegHeader(1, 0, -1);
    }

    /**
     * Reads a JPEG file's segments up to the image data: the EXIF orientation (tag 0x0112 in IFD0 of the APP1 "Exif"
     * segment), the frame header's number of components and the Adobe APP14 marker's transform flag.
     *
     * @param file the file
     * @return what was found; {@link JpegHeader#NONE} for a file that is not a JPEG or whose segments cannot be read
     *     (a broken header never makes a readable image unreadable)
     */
    static JpegHeader jpegHeader(Path file) {
        int orientation = 1;
        int components = 0;
        int adobeTransform = -1;
        try (java.io.DataInputStream in =
                new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 13))) {
            if (in.readUnsignedShort() != 0xFFD8) {
                return JpegHeader.NONE;
            }
            while (true) {
                int marker = in.readUnsignedShort();
                if ((marker & 0xFF00) != 0xFF00 || marker == 0xFFDA || marker == 0xFFD9) {
                    break; // start of scan (image data) or not a marker: the header is over
                }
                int length = in.readUnsignedShort() - 2;
                if (length < 0) {
                    break;
                }
                boolean frame = marker >= 0xFFC0 && marker <= 0xFFCF
                        && marker != 0xFFC4 && marker != 0xFFC8 && marker != 0xFFCC; // SOFn, not DHT, JPG, DAC
                if (marker != 0xFFE1 && marker != 0xFFEE && !frame) {
                    in.skipNBytes(length);
                    continue;
                }
                byte[] segment = in.readNBytes(length);
                if (frame && segment.length >= 6) {
                    components = segment[5] & 0xFF; // precision (1), height (2), width (2), components (1)
                } else if (marker == 0xFFEE && segment.length >= 12 && segment[0] == 'A' && segment[1] == 'd'
                        && segment[2] == 'o' && segment[3] == 'b' && segment[4] == 'e') {
                    adobeTransform = segment[11] & 0xFF; // "Adobe", version (2), flags0 (2), flags1 (2), transform
                } else if (marker == 0xFFE1 && orientation == 1) {
                    orientation = exifOrientation(segment);
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep what was read before the damage
        }
        return new JpegHeader(orientation, components, adobeTransform);
    }

    private static int exifOrientation(byte[] segment) {
        if (segment.length < 14 || segment[0] != 'E' || segment[1] != 'x' || segment[2] != 'i'
                || segment[3] != 'f' || segment[4] != 0 || segment[5] != 0) {
            return 1; // an XMP APP1 segment
        }
        try {
            java.nio.ByteBuffer tiff = java.nio.ByteBuffer.wrap(segment, 6, segment.length - 6).slice();
            tiff.order(segment[6] == 'I' ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
            int ifd = tiff.getInt(4);
            if (ifd < 8 || ifd + 2 > tiff.limit()) {
                return 1;
            }
            int entries = tiff.getShort(ifd) & 0xFFFF;
            for (int i = 0; i < entries && ifd + 2 + 12 * (i + 1) <= tiff.limit(); i++) {
                int entry = ifd + 2 + 12 * i;
                if ((tiff.getShort(entry) & 0xFFFF) == 0x0112) {
                    int value = tiff.getShort(entry + 8) & 0xFFFF;
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
            return 1;
        } catch (RuntimeException e) {
            return 1; // a broken EXIF block never makes a readable image unreadable
        }
    }

    /**
     * Turns a converted square image (CHW bytes) the way its EXIF orientation says it is shown. The centre crop of the
     * turned image is the turned crop cut where {@link #cropOffset} says, so turning the small result is the same as
     * turning the source.
     *
     * @param pixels CHW bytes of {@code channels} planes of {@code side × side}
     * @param side the side
     * @param channels the planes
     * @param orientation the EXIF orientation, 1 … 8
     * @return the shown image's bytes ({@code pixels} itself for orientation 1)
     */
    static byte[] orient(byte[] pixels, int side, int channels, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return pixels;
        }
        byte[] out = new byte[pixels.length];
        int n = side - 1;
        for (int c = 0; c < channels; c++) {
            int plane = c * side * side;
            for (int r = 0; r < side; r++) {
                for (int k = 0; k < side; k++) {
                    int sr;
                    int sc;
                    switch (orientation) {
                        case 2: sr = r; sc = n - k; break; // mirrored left-right
                        case 3: sr = n - r; sc = n - k; break; // upside down
                        case 4: sr = n - r; sc = k; break; // mirrored top-bottom
                        case 5: sr = k; sc = r; break; // transposed
                        case 6: sr = n - k; sc = r; break; // shown turned 90° clockwise
                        case 7: sr = n - k; sc = n - r; break; // transversed
                        default: sr = k; sc = n - r; break; // 8: shown turned 90° anticlockwise
                    }
                    out[plane + r * side + k] = pixels[plane + sr * side + sc];
                }
            }
        }
        return out;
    }

    /**
     * Centre-crops an image to a square, composites alpha onto white, resizes and converts it.
     *
     * @param image the decoded image
     * @param imageSize the target side
     * @param channels 1 or 3
     * @return the CHW bytes
     */
    static byte[] convert(BufferedImage image, int imageSize, int channels) {
        return convert(image, imageSize, channels, 1);
    }

    /**
     * Like {@link #convert(BufferedImage, int, int)} for an image that {@link #orient} turns afterwards: the square
     * is cut where the centre crop of the turned image lies ({@link #cropOffset}).
     *
     * @param image the decoded image, as stored
     * @param imageSize the target side
     * @param channels 1 or 3
     * @param orientation the EXIF orientation the result will be turned by, 1 … 8
     * @return the CHW bytes, as stored (not yet turned)
     */
    static byte[] convert(BufferedImage image, int imageSize, int channels, int orientation) {
        int width = image.getWidth();
        int height = image.getHeight();
        ColorModel model = image.getColorModel();
        boolean grey =
                model instanceof ComponentColorModel
                        && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                        && model.getNumColorComponents() == 1;
        if (grey) {
            int side = Math.min(width, height);
            int left = cropOffset(width - side, reversesColumns(orientation));
            int top = cropOffset(height - side, reversesRows(orientation));
            Resampler resampler = new Resampler(side, imageSize, channels);
            float[][] row = new float[channels][side];
            // Read grey samples directly: getRGB would apply the linear-grey to sRGB conversion and brighten them.
            Raster raster = image.getRaster();
            int greyMaximum = (1 << model.getComponentSize(0)) - 1;
            boolean alpha = model.hasAlpha();
            int alphaMaximum = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
            boolean premultiplied = model.isAlphaPremultiplied();
            int[] values = new int[side];
            int[] alphas = new int[side];
            for (int y = 0; y < side; y++) {
                raster.getSamples(left, top + y, side, 1, 0, values);
                if (alpha) {
                    raster.getSamples(left, top + y, side, 1, 1, alphas);
                }
                for (int x = 0; x < side; x++) {
                    double value = values[x] * 255.0 / greyMaximum;
                    if (alpha) {
                        double opacity = (double) alphas[x] / alphaMaximum;
                        value = (premultiplied ? value : value * opacity) + 255.0 * (1 - opacity);
                    }
                    for (int c = 0; c < channels; c++) {
                        row[c][x] = (float) value;
                    }
                }
                resampler.addRow(y, row);
            }
            return toBytes(resampler.result());
        }
        boolean profiledRgb =
                model instanceof ComponentColorModel
                        && model.getColorSpace().getType() == ColorSpace.TYPE_RGB
                        && !model.getColorSpace().isCS_sRGB()
                        && model.getNumComponents() == 3
                        && model.getTransferType() == java.awt.image.DataBuffer.TYPE_BYTE;
        if (profiledRgb) {
            // An RGB JPEG with an embedded ICC profile: take its samples as they are, as Pillow's convert("RGB") does
            // (getRGB would convert them from the profile to sRGB), so JPEGs and PNGs alike ignore their profiles.
            Raster raster = image.getRaster();
            int[] samples = new int[3 * width];
            return resampleArgb(width, height, imageSize, channels, orientation, (x, y, count, argb) -> {
                raster.getPixels(x, y, count, 1, samples);
                for (int i = 0; i < count; i++) {
                    argb[i] = 0xFF000000 | samples[3 * i] << 16 | samples[3 * i + 1] << 8 | samples[3 * i + 2];
                }
            });
        }
        return resampleArgb(width, height, imageSize, channels, orientation,
                (x, y, count, argb) -> image.getRGB(x, y, count, 1, argb, 0, count));
    }

    /** Reads {@code count} pixels of row {@code y} from column {@code x} on as packed ARGB (8 bits each). */
    @FunctionalInterface
    private interface ArgbRows {
        void read(int x, int y, int count, int[] argb);
    }

    /**
     * Centre-crops an image given as ARGB rows to a square, composites alpha onto white, resizes and converts it.
     *
     * @param width the image width
     * @param height the image height
     * @param imageSize the target side
     * @param channels 1 or 3
     * @param orientation the EXIF orientation the result will be turned by, 1 … 8 (where to crop)
     * @param rows the pixels
     * @return the CHW bytes
     */
    private static byte[] resampleArgb(
            int width, int height, int imageSize, int channels, int orientation, ArgbRows rows) {
        int side = Math.min(width, height);
        int left = cropOffset(width - side, reversesColumns(orientation));
        int top = cropOffset(height - side, reversesRows(orientation));
        Resampler resampler = new Resampler(side, imageSize, channels);
        float[][] row = new float[channels][side];
        int[] argb = new int[side];
        for (int y = 0; y < side; y++) {
            rows.read(left, top + y, side, argb);
            for (int x = 0; x < side; x++) {
                int pixel = argb[x];
                double opacity = (pixel >>> 24) / 255.0;
                double background = 255.0 * (1 - opacity);
                double red = ((pixel >> 16) & 0xFF) * opacity + background;
                double green = ((pixel >> 8) & 0xFF) * opacity + background;
                double blue = (pixel & 0xFF) * opacity + background;
                if (channels == 1) {
                    row[0][x] = (float) Resampler.luma(red, green, blue);
                } else {
                    row[0][x] = (float) red;
                    row[1][x] = (float) green;
                    row[2][x] = (float) blue;
                }
            }
            resampler.addRow(y, row);
        }
        return toBytes(resampler.result());
    }

    /**
     * Where a centre crop starts along one side: {@code extra / 2} pixels in, as PIL's and torchvision's centre crops
     * round. When the image is shown with that side reversed (EXIF orientations that mirror or turn it), the crop of
     * the shown image starts {@code extra / 2} pixels in from the other end, which is {@code ceil(extra / 2)} from
     * this one: cropping the stored image there and then turning it gives exactly the centre crop of the turned image
     * (with an odd {@code extra} the floor was one pixel off).
     *
     * @param extra the side's length minus the square's
     * @param reversed whether the shown image runs along this side the other way
     * @return the offset of the crop
     */
    static int cropOffset(int extra, boolean reversed) {
        return reversed ? (extra + 1) / 2 : extra / 2;
    }

    /** Whether an EXIF orientation shows the stored columns (x) reversed: mirrored, upside down, 7 and 8. */
    private static boolean reversesColumns(int orientation) {
        return orientation == 2 || orientation == 3 || orientation == 7 || orientation == 8;
    }

    /** Whether an EXIF orientation shows the stored rows (y) reversed: upside down, mirrored top-bottom, 6 and 7. */
    private static boolean reversesRows(int orientation) {
        return orientation == 3 || orientation == 4 || orientation == 6 || orientation == 7;
    }

    private static byte[] toBytes(float[] resized) {
        byte[] out = new byte[resized.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Resampler.toByte(resized[i]);
        }
        return out;
    }

    /** libjpeg's fixed-point YCbCr → RGB tables (jdcolor.c, 16 fraction bits), indexed by the Cb or Cr sample. */
    private static final int[] CR_RED = new int[256];
    private static final int[] CB_BLUE = new int[256];
    private static final int[] CR_GREEN = new int[256];
    private static final int[] CB_GREEN = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_RED[i] = (fixed(1.40200) * x + (1 << 15)) >> 16;
            CB_BLUE[i] = (fixed(1.77200) * x + (1 << 15)) >> 16;
            CR_GREEN[i] = -fixed(0.71414) * x;
            CB_GREEN[i] = -fixed(0.34414) * x + (1 << 15);
        }
    }

    private static int fixed(double value) {
        return (int) (value * (1 << 16) + 0.5);
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    /** {@code round(a · b / 255)} for bytes, as Pillow computes it ({@code MULDIV255}). */
    private static int multiplyDivide255(int a, int b) {
        int product = a * b + 128;
        return ((product >> 8) + product) >> 8;
    }

    /**
     * Converts a CMYK or YCCK JPEG's planes, as stored, to RGB the way Pillow does
     * ({@code Image.open(path).convert("RGB")}), then crops, resizes and converts like {@link #convert}.
     *
     * <p>Photoshop writes CMYK JPEGs inverted (255 = no ink), and Pillow reads every CMYK JPEG so; a YCCK JPEG (Adobe
     * marker transform 1 or 2) stores the inverted C, M, Y planes as YCbCr, which libjpeg turns back with its
     * YCbCr → RGB formula. Pillow then takes {@code R = (255 − C)(255 − K) / 255} from the ink amounts, without a
     * colour profile: the JDK's own CMYK conversion gives much lighter colours (a mean error of about 54 levels).
     *
     * @param planes the four stored planes, from {@link ImageReader#readRaster}
     * @param ycck whether the planes are Y, Cb, Cr, K (an Adobe marker with a transform other than 0)
     * @param imageSize the target side
     * @param channels 1 or 3
     * @return the CHW bytes
     */
    static byte[] convertCmyk(Raster planes, boolean ycck, int imageSize, int channels) {
        return convertCmyk(planes, ycck, imageSize, channels, 1);
    }

    /**
     * Like {@link #convertCmyk(Raster, boolean, int, int)} for an image that {@link #orient} turns afterwards.
     *
     * @param planes the four stored planes
     * @param ycck whether the planes are Y, Cb, Cr, K
     * @param imageSize the target side
     * @param channels 1 or 3
     * @param orientation the EXIF orientation the result will be turned by, 1 … 8 (where to crop)
     * @return the CHW bytes, as stored (not yet turned)
     */
    static byte[] convertCmyk(Raster planes, boolean ycck, int imageSize, int channels, int orientation) {
        int[] samples = new int[4 * planes.getWidth()];
        int minX = planes.getMinX();
        int minY = planes.getMinY();
        return resampleArgb(planes.getWidth(), planes.getHeight(), imageSize, channels, orientation,
                (x, y, count, argb) -> {
            planes.getPixels(minX + x, minY + y, count, 1, samples);
            for (int i = 0; i < count; i++) {
                int first = samples[4 * i];
                int second = samples[4 * i + 1];
                int third = samples[4 * i + 2];
                int black = samples[4 * i + 3]; // stored inverted: 255 − K, Pillow's 255 − k
                int cyan; // ink amounts, 0 … 255
                int magenta;
                int yellow;
                if (ycck) {
                    cyan = clamp(first + CR_RED[third]);
                    magenta = clamp(first + ((CB_GREEN[second] + CR_GREEN[third]) >> 16));
                    yellow = clamp(first + CB_BLUE[second]);
                } else {
                    cyan = 255 - first;
                    magenta = 255 - second;
                    yellow = 255 - third;
                }
                int red = black - multiplyDivide255(cyan, black);
                int green = black - multiplyDivide255(magenta, black);
                int blue = black - multiplyDivide255(yellow, black);
                argb[i] = 0xFF000000 | red << 16 | green << 8 | blue;
            }
        });
    }
}
