package org.gan4j.cli;

import java.util.Arrays;
import org.gan4j.data.GanDataset;
import org.gan4j.training.Noise;

/**
 * Deterministic random images in [-1, 1] for benchmarks of shapes no installed dataset has (e.g. 3×64×64).
 *
 * <p>Examples are stored as bytes, like the real image datasets, so copying a batch costs what it costs in training.
 */
final class SyntheticImages implements GanDataset {

    private final long[] shape;
    private final int size;
    private final byte[] pixels;

    SyntheticImages(long[] shape, int size, long seed) {
        this.shape = shape.clone();
        this.size = size;
        int exampleSize = exampleSize();
        pixels = new byte[Math.multiplyExact(size, exampleSize)];
        java.util.SplittableRandom random = new java.util.SplittableRandom(Noise.mix(seed, 17));
        random.nextBytes(pixels);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long[] exampleShape() {
        return shape.clone();
    }

    @Override
    public void copyExample(int index, float[] destination, int offset) {
        int exampleSize = exampleSize();
        int start = index * exampleSize;
        for (int i = 0; i < exampleSize; i++) {
            destination[offset + i] = (pixels[start + i] & 0xFF) / 127.5f - 1f;
        }
    }

    @Override
    public String description() {
        return "synthetic images " + Arrays.toString(shape) + " × " + size;
    }
}
