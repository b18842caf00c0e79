package org.gan4j.cli;

/**
 * Settings that must reach libtorch before the engine loads: offline mode and the number of threads.
 */
final class EngineSetup {

    private EngineSetup() {}

    /**
     * Configures the engine; call before anything touches DJL.
     *
     * @param threads intra-op threads, 0 for the number of available cores
     * @return the number of intra-op threads in use
     */
    static int configure(int threads) {
        System.setProperty("ai.djl.offline", "true");
        int resolved = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(resolved));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        // libtorch's graph executor optimiser only matters for TorchScript models; skip its startup note
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
        return Integer.getInteger("ai.djl.pytorch.num_threads", resolved);
    }
}
