package org.gan4j.cli;

/** Linear and spherical interpolation between latent vectors. */
final class Interpolation {

    private Interpolation() {}

    /**
     * Writes the point at fraction t between vectors a and b into {@code out}.
     *
     * @param data holds both vectors
     * @param a offset of the first vector
     * @param b offset of the second vector
     * @param size vector length
     * @param t fraction in [0, 1]
     * @param spherical slerp (White 2016) instead of a straight line
     * @param out destination
     * @param offset offset in the destination
     */
    static void point(float[] data, int a, int b, int size, double t, boolean spherical, float[] out, int offset) {
        double wa = 1 - t;
        double wb = t;
        if (spherical) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < size; i++) {
                dot += (double) data[a + i] * data[b + i];
                na += (double) data[a + i] * data[a + i];
                nb += (double) data[b + i] * data[b + i];
            }
            double cos = dot / Math.sqrt(na * nb);
            double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
            if (omega > 1e-6) {
                wa = Math.sin((1 - t) * omega) / Math.sin(omega);
                wb = Math.sin(t * omega) / Math.sin(omega);
            }
        }
        for (int i = 0; i < size; i++) {
            out[offset + i] = (float) (wa * data[a + i] + wb * data[b + i]);
        }
    }
}
