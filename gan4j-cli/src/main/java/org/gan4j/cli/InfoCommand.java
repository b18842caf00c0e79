package org.gan4j.cli;

import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gan4j.nn.Activation;
import org.gan4j.nn.layers.MemoryFormat;
import org.gan4j.training.GanAdam;
import org.gan4j.training.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gan4j info}: versions, engine, threads, device and known datasets. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Print gan4j, DJL, libtorch and Java versions, the engine's threads and device, the kernel and memory settings in use, and the datasets found.")
public final class InfoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        int threads = EngineSetup.configure(0);
        PrintWriter out = spec.commandLine().getOut();
        Engine engine = Engine.getInstance();
        for (Map.Entry<String, String> entry : TrainingRun.versions().entrySet()) {
            out.printf("%-18s %s%n", entry.getKey(), entry.getValue());
        }
        out.printf("%-18s %s%n", "device", engine.defaultDevice());
        out.printf("%-18s %d%n", "gpus", engine.getGpuCount());
        out.printf("%-18s %d intra-op (override: GAN4J_THREADS=N, -Dai.djl.pytorch.num_threads=N or training.threads)%n", "threads", threads);
        out.printf(
                "%-18s %s (override: -Dgan4j.adam=fused, foreach or per-parameter)%n",
                "adam",
                GanAdam.configuredUpdate().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        out.printf(
                "%-18s %s (DCGAN activations; override: -D%s=channels-last or contiguous)%n",
                "memory format",
                MemoryFormat.channelsLast(engine.defaultDevice()) ? "channels-last" : "contiguous",
                MemoryFormat.PROPERTY);
        out.printf(
                "%-18s %s (DCGAN ReLU and LeakyReLU; override: -D%s=true or false)%n",
                "in-place relu",
                Activation.inPlaceEnabled() ? "on" : "off",
                Activation.IN_PLACE_PROPERTY);
        out.printf(
                "%-18s %s (GPUs only; override: -Dai.djl.pytorch.cudnn_benchmark=true or false)%n",
                "cudnn autotuner",
                Boolean.getBoolean("ai.djl.pytorch.cudnn_benchmark") ? "on" : "off");
        out.printf("%-18s %s%n", "allocator", allocator());
        out.printf("%-18s %s%n", "mkl code", mklCode());
        out.printf("%-18s %s%n", "onednn caches", onednnCaches(
                System.getenv("LD_PRELOAD"), Path.of("/proc/cpuinfo"), Path.of("/sys/devices/system/cpu/cpu0/cache")));
        out.printf("%-18s %s%n", "java collector", collector());
        String convolutions = org.gan4j.nn.ConvolutionCheck.problem();
        out.printf("%-18s %s%n", "convolutions", convolutions == null
                ? "input gradients checked on this CPU: correct"
                : convolutions + " (docs/RELIABILITY.md)");
        out.printf("%-18s %d%n", "cores", Runtime.getRuntime().availableProcessors());
        out.printf("%-18s %d MiB%n", "max heap", Runtime.getRuntime().maxMemory() >> 20);
        out.printf("%-18s %s%n", "offline", System.getProperty("ai.djl.offline"));
        String cache = System.getenv("ENGINE_CACHE_DIR");
        out.printf(
                "%-18s %s%n",
                "native cache",
                cache != null ? cache : Path.of(System.getProperty("user.home"), ".djl.ai", "pytorch"));
        Path fashion = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
        out.printf(
                "%-18s %s%n",
                "fashion-mnist",
                Files.isReadable(fashion)
                        ? fashion
                        : "not installed (as root: apt-get install dataset-fashion-mnist)");
        // the data folders the image presets name, relative to the current folder as the presets resolve them
        for (String[] preset : PRESET_DATA) {
            Path folder = Path.of(preset[1]);
            out.printf("%-18s %s%n", preset[0], Files.isDirectory(folder)
                    ? folder.toAbsolutePath().normalize() + " (" + preset[2] + ")"
                    : "not in " + preset[1] + " (" + preset[2] + "; how to get it: docs/configuration.md)");
        }
        out.flush();
        return 0;
    }

    /** Name, data folder and preset of the image presets whose data is not a Debian package. */
    static final String[][] PRESET_DATA = {
        {"cifar-10", "data/cifar-10-batches-bin", "configs/dcgan-cifar10.yaml"},
        {"emoji64", "data/emoji64", "configs/dcgan-emoji64.yaml"},
    };

    /** How MKL (libtorch's BLAS) chooses its code in this process: the launcher may preload its vendor-check library. */
    static String mklCode() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains(MKL_LIBRARY)
                ? "by instruction set (the launcher's " + MKL_LIBRARY + "; GAN4J_MKL=vendor for MKL's own check)"
                : "MKL's own vendor check (AVX2 code on processors not Intel's; GAN4J_MKL=auto or isa in the launcher"
                        + " changes it: docs/PERFORMANCE.md)";
    }

    /**
     * The JVM's garbage collector in this process: the {@code gan4j} launcher chooses the parallel one unless
     * {@code JAVA_OPTS} names another (docs/PERFORMANCE.md, "The JVM's garbage collector").
     */
    static String collector() {
        String names = String.join(", ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName)
                .toList());
        String name = names.startsWith("PS ") ? "parallel"
                : names.startsWith("G1 ") ? "G1"
                : names.startsWith("Copy") ? "serial"
                : names.isEmpty() ? "none reported" : names;
        return name + (name.equals("parallel")
                ? " (the launcher's default; JAVA_OPTS=-XX:+UseG1GC or another collector replaces it)"
                : " (the launcher chooses parallel unless JAVA_OPTS names a collector: docs/PERFORMANCE.md)");
    }

    /**
     * Which cache sizes oneDNN (libtorch's convolutions) sizes its kernels by in this process: on AMD processors whose
     * CPUID leaf 0x8000001D is empty (Linux then lists no caches) it reads three 1-byte caches, unless the launcher
     * preloads its correction (docs/PERFORMANCE.md, "Machines that hide their cache sizes").
     *
     * @param preload the process's LD_PRELOAD, or null
     * @param cpuinfo /proc/cpuinfo
     * @param caches the first processor's cache folder in sysfs
     * @return the line's text
     */
    static String onednnCaches(String preload, Path cpuinfo, Path caches) {
        if (preload != null && preload.contains(ONEDNN_LIBRARY)) {
            return "CPUID's, corrected where impossible (the launcher's " + ONEDNN_LIBRARY + ": L1 and L2 from AMD's"
                    + " older cache leaves, L3 1 MiB per core; GAN4J_ONEDNN_CACHES=off keeps CPUID's)";
        }
        return cachesHidden(cpuinfo, caches)
                ? "CPUID's, which this processor leaves empty and oneDNN takes for 1-byte caches: slower convolutions,"
                        + " wrong input gradients (the gan4j launcher corrects it: GAN4J_ONEDNN_CACHES=auto)"
                : "CPUID's";
    }

    /**
     * The launcher's test for a processor whose caches oneDNN reads as 1-byte ones: AMD's or Hygon's, with no cache
     * folder in sysfs (Linux found none in CPUID).
     *
     * @param cpuinfo /proc/cpuinfo
     * @param caches the first processor's cache folder in sysfs
     * @return true on such a processor; false when cpuinfo cannot be read
     */
    static boolean cachesHidden(Path cpuinfo, Path caches) {
        try (java.util.stream.Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(line -> line.startsWith("vendor_id"))
                    .findFirst()
                    .map(line -> line.contains("AuthenticAMD") || line.contains("HygonGenuine"))
                    .orElse(false) && !Files.isDirectory(caches);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The library the {@code gan4j} launcher preloads so that oneDNN does not size its kernels for 1-byte caches. */
    static final String ONEDNN_LIBRARY = "libgan4j-onednn-caches.so";

    /** The library the {@code gan4j} launcher preloads to answer MKL's vendor check. */
    static final String MKL_LIBRARY = "libgan4j-mkl-cpu.so";

    /** The glibc allocator settings this process was started with (the {@code gan4j} launcher sets them). */
    static String allocator() {
        StringBuilder settings = new StringBuilder();
        for (String name : new String[] {"MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"}) {
            String value = System.getenv(name);
            if (value != null) {
                settings.append(settings.length() > 0 ? " " : "").append(name).append('=').append(value);
            }
        }
        return settings.length() > 0
                ? "glibc " + settings + " (GAN4J_MALLOC=system for glibc's defaults)"
                : "glibc defaults (GAN4J_MALLOC=system, or not started by the gan4j launcher: docs/PERFORMANCE.md)";
    }
}
