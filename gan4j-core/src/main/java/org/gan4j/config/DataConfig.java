package org.gan4j.config;

import java.util.List;

/**
 * Where the real samples come from and how they are prepared.
 *
 * @param kind the dataset kind; {@code auto} infers it from {@link #path()}
 * @param path file or folder for {@code idx}, {@code cifar} and {@code folder}; unused for synthetic kinds
 * @param samples number of points drawn once for the synthetic kinds (gaussian, ring, grid)
 * @param gaussian the affine Gaussian X = Z·A + b (d2l's toy)
 * @param ring the ring mixture (PacGAN: 8 modes on the unit circle)
 * @param grid the grid mixture (PacGAN: 25 modes on {-4,-2,0,2,4}²)
 * @param imageSize side of the square images fed to the networks; 0 = the dataset's native size
 *     (28 for IDX, 32 for CIFAR; required for folders)
 * @param channels 1 (grey) or 3 (RGB); 0 = the dataset's native channel count (required for folders)
 * @param cifarVariant which CIFAR binary layout: auto, cifar10 (1 label byte) or cifar100 (2 label bytes)
 * @param onBadFile what to do with an unreadable image in a folder: skip it (and count it) or fail
 * @param limit use only the first N examples (0 = all)
 */
public record DataConfig(
        DataKind kind,
        String path,
        int samples,
        GaussianConfig gaussian,
        RingConfig ring,
        GridConfig grid,
        int imageSize,
        int channels,
        CifarVariant cifarVariant,
        BadFilePolicy onBadFile,
        int limit) {

    /** Dataset kinds. */
    public enum DataKind {
        /** Infer from the path: IDX by magic number, CIFAR binary by size, folder of images. */
        AUTO,
        /** The textbook affine Gaussian (d2l). */
        GAUSSIAN,
        /** A mixture of Gaussians on a circle (PacGAN/VEEGAN). */
        RING,
        /** A mixture of Gaussians on a square grid (PacGAN/VEEGAN). */
        GRID,
        /** MNIST-format IDX files, raw or gzipped. */
        IDX,
        /** CIFAR-10/100 binary batches. */
        CIFAR,
        /** PNG/JPEG/BMP images under a directory. */
        FOLDER;

        /**
         * Whether this kind yields 2-D points rather than images.
         *
         * @return true for gaussian, ring and grid
         */
        public boolean isPoints() {
            return this == GAUSSIAN || this == RING || this == GRID;
        }
    }

    /** CIFAR binary layouts. */
    public enum CifarVariant {
        /** Infer from the record size. */
        AUTO,
        /** 1 label byte + 3072 pixel bytes per record. */
        CIFAR10,
        /** 2 label bytes (coarse, fine) + 3072 pixel bytes per record. */
        CIFAR100
    }

    /** What to do with an unreadable file in an image folder. */
    public enum BadFilePolicy {
        /** Skip it, count it, and report the count and the first few files. */
        SKIP,
        /** Stop with an error naming the file. */
        FAIL
    }

    /**
     * The affine Gaussian X = Z·A + b, Z ~ N(0, I₂).
     *
     * @param a the 2×2 matrix A, row-major as a list of rows
     * @param b the offset b
     */
    public record GaussianConfig(List<List<Double>> a, List<Double> b) {}

    /**
     * A ring of equally weighted Gaussians.
     *
     * @param modes number of components, evenly spaced on the circle
     * @param radius the circle's radius
     * @param std each component's standard deviation
     */
    public record RingConfig(int modes, double radius, double std) {}

    /**
     * A square grid of equally weighted Gaussians centred on the origin.
     *
     * @param side components per side (5 gives 25 modes)
     * @param spacing distance between neighbouring components
     * @param std each component's standard deviation
     */
    public record GridConfig(int side, double spacing, double std) {}
}
