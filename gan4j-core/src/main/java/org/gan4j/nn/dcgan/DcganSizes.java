package org.gan4j.nn.dcgan;

import org.gan4j.Gan4jException;

/** The image sizes the DCGAN networks support and how each is reached by doubling from a small base. */
final class DcganSizes {

    /** Supported square image sizes, as listed in error messages. */
    static final String SUPPORTED = "28, 32, 64, 128";

    private DcganSizes() {}

    /**
     * Returns the side length of the smallest feature map: 7 for 28×28 images, 4 otherwise.
     *
     * @param imageSize a supported image size
     * @return the base size
     */
    static int base(int imageSize) {
        return imageSize == 28 ? 7 : 4;
    }

    /**
     * Returns how many k4 s2 p1 layers double the base size up to the image size (2, 3, 4 or 5).
     *
     * @param imageSize a supported image size
     * @return the number of stride-2 layers
     */
    static int strided(int imageSize) {
        return Integer.numberOfTrailingZeros(imageSize / base(imageSize));
    }

    /**
     * Validates the image geometry.
     *
     * @param network "generator" or "discriminator", for the message
     * @param imageSize the image side length
     * @param channels the image channels
     * @throws Gan4jException if the size is not supported or channels is below 1
     */
    static void validate(String network, int imageSize, int channels) {
        if (imageSize != 28 && imageSize != 32 && imageSize != 64 && imageSize != 128) {
            throw new Gan4jException(
                    "DCGAN " + network + ": image size " + imageSize + " is not supported; supported sizes: "
                            + SUPPORTED);
        }
        if (channels < 1) {
            throw new Gan4jException("DCGAN " + network + ": channels must be >= 1, got " + channels);
        }
    }

    /**
     * Validates a feature-map width.
     *
     * @param name the setting's name, for the message
     * @param value the value
     * @throws Gan4jException if the value is below 1
     */
    static void validatePositive(String name, int value) {
        if (value < 1) {
            throw new Gan4jException("DCGAN " + name + " must be >= 1, got " + value);
        }
    }
}
