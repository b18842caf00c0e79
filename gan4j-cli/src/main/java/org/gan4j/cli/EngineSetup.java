package org.gan4j.cli;

import ai.djl.Device;
import org.gan4j.Gan4jException;
import org.gan4j.nn.Activation;
import org.gan4j.nn.layers.MemoryFormat;
import org.gan4j.training.GanAdam;

/**
 * Settings that must reach libtorch before the engine loads: offline mode, the number of threads, and cuDNN's
 * autotuner on GPUs.
 */
final class EngineSetup {

    private EngineSetup() {}

    private static final String NUM_THREADS = "ai.djl.pytorch.num_threads";

    /** The most intra-op threads, as {@code training.threads} allows: libtorch starts every one of them. */
    static final int MAX_THREADS = 1024;

    /**
     * Configures the engine; call before anything touches DJL. {@code -Dai.djl.pytorch.num_threads} (which the
     * launcher sets from {@code GAN4J_THREADS}) wins over {@code threads}, the value of a config.
     *
     * @param threads intra-op threads, 0 for the number of available cores
     * @return the number of intra-op threads in use
     */
    static int configure(int threads) {
        return configure(threads, false);
    }

    /**
     * Configures the engine; call before anything touches DJL.
     *
     * @param threads intra-op threads, 0 for the number of available cores
     * @param explicit whether {@code threads} was given on this command's line ({@code gan4j bench --threads N}): a
     *     value above 0 then wins over {@code -Dai.djl.pytorch.num_threads} / {@code GAN4J_THREADS}
     * @return the number of intra-op threads in use
     * @throws Gan4jException if {@code -Dai.djl.pytorch.num_threads} is not a whole number between 1 and
     *     {@link #MAX_THREADS} (libtorch would stop with a stack trace, DJL would ignore it, or libtorch would start
     *     that many threads: 99999 kept two cores busy for minutes before anything ran), or an explicit
     *     {@code threads} (a command's {@code --threads}) is outside 0 … {@link #MAX_THREADS}
     */
    static int configure(int threads, boolean explicit) {
        if (explicit && (threads < 0 || threads > MAX_THREADS)) {
            throw new Gan4jException("--threads must be between 0 and " + MAX_THREADS + " (0 = GAN4J_THREADS if set,"
                    + " else all cores), got " + threads);
        }
        System.setProperty("ai.djl.offline", "true");
        int resolved = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        String property = System.getProperty(NUM_THREADS);
        if (property == null || (explicit && threads > 0)) {
            System.setProperty(NUM_THREADS, Integer.toString(resolved));
        } else {
            resolved = parseThreads(property);
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        // libtorch's graph executor optimiser only matters for TorchScript models; skip its startup note
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
        // on a GPU, let cuDNN time its algorithms once for each new shape (torch.backends.cudnn.benchmark, as
        // pytorch/examples' DCGAN does): training shapes never change. On an H200 (two rounds, order swapped) the
        // DCGAN steps were 2–4 % faster with it, within that machine's noise (docs/PERFORMANCE.md, "On a GPU");
        // -Dai.djl.pytorch.cudnn_benchmark=false turns it off. No effect on the CPU.
        if (System.getProperty("ai.djl.pytorch.cudnn_benchmark") == null) {
            System.setProperty("ai.djl.pytorch.cudnn_benchmark", "true");
        }
        // a wrong -Dgan4j.adam, -Dgan4j.memory_format or -Dgan4j.inplace_activations is a one-line error here,
        // before a command writes anything
        GanAdam.configuredUpdate();
        MemoryFormat.channelsLast(Device.cpu());
        Activation.inPlaceEnabled();
        return resolved;
    }

    private static int parseThreads(String value) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= MAX_THREADS) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Gan4jException("-D" + NUM_THREADS + " (GAN4J_THREADS) must be a whole number between 1 and " + MAX_THREADS
                + ", got '" + value + "'");
    }
}
