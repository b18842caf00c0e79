package org.gan4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * PacGAN packing (Lin et al. 2018, "PacGAN: The power of two samples in generative adversarial networks").
 *
 * <p>The discriminator judges m samples at once: m consecutive samples are concatenated along the feature
 * (channel) axis, so a batch of N samples becomes N/m packed samples, {@code packed[i] = concat(x[i·m], …,
 * x[i·m + m − 1])}. Real and fake batches are packed separately; the packed sample is real only if all m are.
 */
public final class Packing {

    private Packing() {}

    /**
     * Packs m consecutive samples into one.
     *
     * <p>(N, C, H, W) becomes (N/m, C·m, H, W), with sample {@code i·m + j}'s channel c at channel {@code j·C + c};
     * (N, D) becomes (N/m, D·m), with sample {@code i·m + j}'s feature d at {@code j·D + d}. With m = 1 the input is
     * returned unchanged. The result belongs to the input's manager and keeps the autograd graph.
     *
     * @param x a batch of samples, 2-D or 4-D
     * @param m the packing degree, at least 1; must divide N
     * @return the packed batch
     * @throws IllegalArgumentException if m is below 1, does not divide the batch size, or x is not 2-D or 4-D
     */
    public static NDArray pack(NDArray x, int m) {
        if (m < 1) {
            throw new IllegalArgumentException("packing must be >= 1, got " + m);
        }
        Shape shape = x.getShape();
        if (shape.dimension() != 2 && shape.dimension() != 4) {
            throw new IllegalArgumentException("packing expects (N, D) or (N, C, H, W), got " + shape);
        }
        long n = shape.get(0);
        if (n % m != 0) {
            throw new IllegalArgumentException("batch size " + n + " is not divisible by packing " + m);
        }
        if (m == 1) {
            return x;
        }
        if (shape.dimension() == 2) {
            return x.reshape(n / m, shape.get(1) * m);
        }
        return x.reshape(n / m, shape.get(1) * m, shape.get(2), shape.get(3));
    }
}
