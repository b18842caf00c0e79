package org.gan4j.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The small TorchScript modules that gan4j ships as resources to reach libtorch operators DJL does not expose
 * ({@code conv_transpose2d}, the fused Adam kernel, {@code torch.autograd.grad}). Each is made by a script in
 * {@code gan4j-core/src/main/torchscript} and loaded once per device, on first use; the modules live as long as the
 * process.
 */
public final class TorchScriptModules {

    private static final Map<List<Object>, PtSymbolBlock> LOADED = new ConcurrentHashMap<>();

    private TorchScriptModules() {}

    /**
     * Returns the module stored as a resource next to a class, loaded on a device.
     *
     * @param anchor the class whose package holds the resource
     * @param resource the file name, for example {@code adam.pt}
     * @param device where the module's operators run
     * @return the loaded module, shared by all callers
     * @throws IllegalStateException if the resource is missing from gan4j-core
     */
    public static PtSymbolBlock get(Class<?> anchor, String resource, Device device) {
        return LOADED.computeIfAbsent(List.of(anchor, resource, device), key -> load(anchor, resource, device));
    }

    private static PtSymbolBlock load(Class<?> anchor, String resource, Device device) {
        PtNDManager manager = (PtNDManager) NDManager.newBaseManager(device);
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("gan4j-core is missing its resource " + resource);
            }
            return JniUtils.loadModule(manager, in, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
