package org.gan4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.data.BatchLoader;
import org.gan4j.data.Datasets;
import org.gan4j.data.GanDataset;
import org.gan4j.io.Json;
import org.gan4j.io.RunDirectory;
import org.gan4j.loss.GanLoss;
import org.gan4j.nn.FlopCounter;
import org.gan4j.nn.GanModels;
import org.gan4j.training.GanTrainer;
import org.gan4j.training.Noise;
import org.gan4j.training.RealBatches;
import org.gan4j.training.StepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gan4j bench}: times training steps, generation and matrix multiplication, one JSON line per model.
 *
 * <p>Each model is built exactly as {@code gan4j train} builds it (config → {@link GanModels} → {@link GanTrainer},
 * real batches from the background {@link BatchLoader}), warmed up, then timed step by step. bench/run.sh runs it
 * next to the PyTorch reference bench/torch_bench.py and writes the comparison table.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark training steps, generation and the machine's matrix multiplication rate (one JSON line per model).",
            "Models: toy (d2l's toy GAN, batch 8), dcgan28 (Fashion-MNIST DCGAN, batch 64), dcgan64 (pytorch/examples"
                + " DCGAN, 3×64×64, ngf = ndf = 64, batch 64), generate (28×28 generator, batches of 500), matmul (libtorch GEMM, as matMul and as a 1×1 convolution).",
            "On a GPU every timed step ends with a synchronisation with the device (bench/gpu/, docs/PERFORMANCE.md)."
        },
        footer = {
            "",
            "Examples:",
            "  gan4j bench --model toy --model dcgan28",
            "  gan4j bench --model dcgan64 --batch 128 --steps 50",
            "  gan4j bench --model dcgan28 --steps 10000 --warmup 0 --rss-every 250 (memory flatness: docs/PERFORMANCE.md, Memory)",
            "  bench/run.sh (gan4j and PyTorch side by side, writes the table)"
        })
public final class BenchCommand implements Callable<Integer> {

    /** Where Debian's dataset-fashion-mnist package puts the training images. */
    static final String FASHION_MNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    private static final List<String> MODELS = List.of("toy", "dcgan28", "dcgan64", "generate", "matmul");

    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "toy, dcgan28, dcgan64, generate or matmul (repeatable; default: all).")
    List<String> models = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", description = "Timed steps (generation: batches; matmul: products), default ${DEFAULT-VALUE}.")
    int steps = 50;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed steps first, default ${DEFAULT-VALUE}.")
    int warmup = 10;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default 0 = the model's: 8, 64, 64, 500).")
    int batch;

    @Option(names = "--features", paramLabel = "N", description = "DCGAN ngf = ndf (default 64).")
    int features = 64;

    @Option(names = "--size", paramLabel = "N", description = "Matrix side for matmul, default ${DEFAULT-VALUE}.")
    int size = 2048;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads (default 0 = GAN4J_THREADS if set, else the available cores; a value above 0 wins over GAN4J_THREADS).")
    int threads;

    @Option(names = "--data", paramLabel = "PATH", description = "Images for dcgan28 (default: Fashion-MNIST when installed, else synthetic).")
    Path data;

    @Option(names = "--synthetic", description = "Use synthetic images for dcgan28 even when Fashion-MNIST is installed.")
    boolean synthetic;

    @Option(names = "--profile", paramLabel = "FILE", description = "Record libtorch's profiler over the timed training steps into FILE (Chrome trace JSON; open in chrome://tracing or summarise with bench/profile_summary.py). Its folder is created if missing.")
    Path profile;

    @Option(names = "--rss-every", paramLabel = "N", description = "Also print resident memory and the median step of the last N every N timed steps, and on the result line RSS's change from step 1,000 (or the first sample) to the end (0 = never; training models only: toy, dcgan28, dcgan64).")
    int rssEvery;

    @Override
    public Integer call() throws IOException {
        List<String> chosen = models.isEmpty() ? MODELS : models;
        for (String model : chosen) {
            if (!MODELS.contains(model)) {
                throw new Gan4jException("--model " + model + " is unknown; expected one of " + MODELS);
            }
        }
        atLeast("--steps", steps, 1);
        atLeast("--warmup", warmup, 0);
        atLeast("--batch", batch, 0);
        atLeast("--threads", threads, 0);
        atLeast("--rss-every", rssEvery, 0);
        if (rssEvery > 0 && chosen.stream().allMatch(model -> model.equals("generate") || model.equals("matmul"))) {
            throw new Gan4jException("--rss-every measures training steps: add --model toy, dcgan28 or dcgan64 (got "
                    + String.join(", ", chosen) + ")");
        }
        atLeast("--features", features, 1);
        atLeast("--size", size, 1);
        if (profile != null) {
            // libtorch writes the trace only after the timed steps: a folder it cannot write to is found now
            Path folder = profile.toAbsolutePath().getParent();
            if (Files.isDirectory(profile)) {
                throw new Gan4jException("--profile " + profile + " is a folder; expected a file name, e.g. trace.json");
            }
            try {
                RunDirectory.checkWritable(folder);
            } catch (Gan4jException e) {
                throw new Gan4jException("--profile " + profile + ": " + e.getMessage(), e);
            }
        }
        int resolvedThreads = EngineSetup.configure(threads, true);
        PrintWriter out = spec.commandLine().getOut();
        for (String model : chosen) {
            Map<String, Object> result =
                    switch (model) {
                        case "matmul" -> matmul();
                        case "generate" -> generate();
                        default -> train(model, out);
                    };
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("side", "gan4j");
            line.put("model", model);
            line.put("threads", resolvedThreads);
            line.put("device", Engine.getInstance().defaultDevice().toString());
            line.putAll(result);
            line.put("peakRssMiB", memoryMiB("VmHWM"));
            out.println(json(line));
            out.flush();
        }
        return 0;
    }

    private RunConfig config(String model) {
        List<String> set = new ArrayList<>();
        if (model.equals("toy")) {
            // d2l's toy GAN, as configs/d2l-gaussian.yaml
            set.addAll(
                    List.of(
                            "model.architecture=mlp",
                            "model.latentSize=2",
                            "model.mlp.initStd=0.02",
                            "model.mlp.initBiases=normal",
                            "loss.reduction=sum",
                            "training.generator.learningRate=0.005",
                            "training.generator.beta1=0.9",
                            "training.discriminator.learningRate=0.05",
                            "training.discriminator.beta1=0.9"));
            set.add("training.batchSize=" + (batch > 0 ? batch : 8));
        } else {
            // pytorch/examples dcgan: Adam lr 2e-4, betas (0.5, 0.999), BCE mean, nz 100 (gan4j's defaults)
            // the image kind only satisfies the config's cross-field rules; the bench chooses the images itself
            set.add("data.kind=idx");
            set.add("data.path=" + FASHION_MNIST);
            set.add("model.architecture=dcgan");
            set.add("model.dcgan.generatorFeatures=" + features);
            set.add("model.dcgan.discriminatorFeatures=" + features);
            set.add("training.batchSize=" + (batch > 0 ? batch : 64));
        }
        try {
            return ConfigLoader.load(null, set);
        } catch (Gan4jException e) {
            // the config is the bench's own: a value out of range came from --batch or --features, so name those
            String message = e.getMessage()
                    .replace("training.batchSize in --set", "--batch")
                    .replace("model.dcgan.generatorFeatures in --set", "--features")
                    .replace("model.dcgan.discriminatorFeatures in --set", "--features");
            throw new Gan4jException(message, e);
        }
    }

    private GanDataset dataset(String model, RunConfig config) {
        return switch (model) {
            case "toy" -> Datasets.open(config.data(), config.seed()).dataset();
            case "dcgan64" -> new SyntheticImages(new long[] {3, 64, 64}, 2048, config.seed());
            default -> {
                Path images = data != null ? data : Path.of(FASHION_MNIST);
                if (synthetic || (data == null && !Files.isReadable(images))) {
                    yield new SyntheticImages(new long[] {1, 28, 28}, 4096, config.seed());
                }
                List<String> set = List.of("data.kind=auto", TrainCommand.setString("data.path", images.toString()));
                yield Datasets.open(ConfigLoader.load(null, set).data(), config.seed()).dataset();
            }
        };
    }

    private Map<String, Object> train(String model, PrintWriter out) throws JsonProcessingException {
        RunConfig config = config(model);
        GanDataset dataset = dataset(model, config);
        GanModels networks = GanModels.create(config.model(), dataset.exampleShape());
        int logEvery = config.output().logEvery();
        double[] seconds = new double[steps];
        double waitSeconds = 0;
        double cpuStart = 0;
        double cpuSeconds;
        double flops;
        List<double[]> rssSamples = new ArrayList<>(); // {step, RSS MiB} every --rss-every timed steps
        try (GanTrainer trainer =
                        GanTrainer.builder()
                                .setModels(networks)
                                .setLoss(GanLoss.from(config.loss()))
                                .setTraining(config.training())
                                .setSeed(config.seed())
                                .build();
                BatchLoader loader =
                        BatchLoader.open(dataset, config.training().batchSize(), config.seed(), 0, 4);
                NDManager probeManager = NDManager.newBaseManager()) {
            flops = FlopCounter.trainingStep(networks, config.training());
            RealBatches batches = RealBatches.of(loader);
            // On a GPU the engine queues kernels and returns: a step is timed up to a 4-byte copy to the host, which
            // waits for everything queued before it (PyTorch's reference calls torch.cuda.synchronize()).
            NDArray syncProbe = gpu() ? probeManager.zeros(new Shape(1)) : null;
            for (int i = 0; i < warmup + steps; i++) {
                if (i == warmup) {
                    if (profile != null) {
                        ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                    }
                    cpuStart = processCpuSeconds();
                }
                // as in training: losses are read back only on logged steps
                boolean measure = (trainer.step() + 1) % logEvery == 0;
                long start = System.nanoTime();
                StepResult result = trainer.trainStep(batches, measure);
                if (syncProbe != null) {
                    syncProbe.toFloatArray();
                }
                if (i >= warmup) {
                    int timed = i - warmup;
                    seconds[timed] = syncProbe != null ? (System.nanoTime() - start) / 1e9 : result.seconds();
                    waitSeconds += result.dataWaitSeconds();
                    if (rssEvery > 0 && (timed + 1) % rssEvery == 0) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("side", "gan4j");
                        line.put("model", model);
                        line.put("step", trainer.step());
                        double rss = memoryMiB("VmRSS");
                        rssSamples.add(new double[] {trainer.step(), rss});
                        line.put("rssMiB", rss);
                        // the median step of this block of N: drift within one process shows here
                        line.put("blockMedianSeconds",
                                median(Arrays.copyOfRange(seconds, timed + 1 - rssEvery, timed + 1)));
                        line.put("heapUsedMiB", heapUsedMiB());
                        // RSS minus the Java heap's committed pages: libtorch, glibc and the JVM's own native memory
                        line.put("heapCommittedMiB", Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0));
                        out.println(json(line));
                        out.flush();
                    }
                }
            }
            cpuSeconds = processCpuSeconds() - cpuStart;
            if (profile != null) {
                try {
                    ai.djl.pytorch.jni.JniUtils.stopProfile(profile.toAbsolutePath().toString());
                } catch (ai.djl.engine.EngineException e) {
                    throw new Gan4jException("--profile " + profile + ": libtorch could not write the trace: "
                            + e.getMessage());
                }
            }
        }
        double median = median(seconds);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("batch", config.training().batchSize());
        result.put("data", dataset.description());
        result.put("warmup", warmup);
        result.put("steps", steps);
        result.put("medianSeconds", median);
        result.put("p10Seconds", percentile(seconds, 0.1));
        result.put("p90Seconds", percentile(seconds, 0.9));
        result.put("dataWaitShare", waitSeconds / Arrays.stream(seconds).sum());
        result.put("cpuSecondsPerStep", cpuSeconds / steps);
        result.put("flopsPerStep", flops);
        result.put("gflopsPerSecond", flops / median / 1e9);
        result.putAll(rssFlatness(rssSamples));
        return result;
    }

    /** The step from which issue 4's memory target counts: RSS flat (± 5 %) from step 1,000 to step 10,000. */
    static final int RSS_BASE_STEP = 1000;

    /**
     * How far resident memory moved over the run, from the first sample at or after step 1,000 (the first sample when
     * the run is shorter) to the last one: the end-to-end change and the largest deviation of any sample in between,
     * in per cent of the base sample. Empty with fewer than two samples from the base on.
     *
     * @param samples {step, RSS MiB} pairs in step order
     * @return rssFromStep, rssToStep, rssFromMiB, rssToMiB, rssChangePercent, rssMaxDeviationPercent
     */
    static Map<String, Object> rssFlatness(List<double[]> samples) {
        Map<String, Object> fields = new LinkedHashMap<>();
        int base = 0;
        while (base < samples.size() && samples.get(base)[0] < RSS_BASE_STEP) {
            base++;
        }
        if (base == samples.size()) {
            base = 0;
        }
        if (samples.size() - base < 2) {
            return fields;
        }
        double from = samples.get(base)[1];
        double[] last = samples.get(samples.size() - 1);
        double maxDeviation = 0;
        for (double[] sample : samples.subList(base, samples.size())) {
            maxDeviation = Math.max(maxDeviation, Math.abs(sample[1] - from) / from * 100);
        }
        fields.put("rssFromStep", (long) samples.get(base)[0]);
        fields.put("rssToStep", (long) last[0]);
        fields.put("rssFromMiB", from);
        fields.put("rssToMiB", last[1]);
        fields.put("rssChangePercent", (last[1] - from) / from * 100);
        fields.put("rssMaxDeviationPercent", maxDeviation);
        return fields;
    }

    private Map<String, Object> generate() {
        RunConfig config = config("dcgan28");
        int count = batch > 0 ? batch : 500;
        GanModels networks = GanModels.create(config.model(), new long[] {1, 28, 28});
        double[] seconds = new double[steps];
        double flops;
        double cpuStart = 0;
        double cpuSeconds;
        try (GanTrainer trainer =
                GanTrainer.builder()
                        .setModels(networks)
                        .setLoss(GanLoss.from(config.loss()))
                        .setTraining(config.training())
                        .setSeed(config.seed())
                        .build()) {
            flops = FlopCounter.forwardPerExample(networks.generator()) * count;
            for (int i = 0; i < warmup + steps; i++) {
                if (i == warmup) {
                    cpuStart = processCpuSeconds();
                }
                long start = System.nanoTime();
                float[] z = Noise.gaussian(config.seed(), Noise.SAMPLING, i, count * networks.latentSize());
                float[] samples = trainer.sample(z, count);
                if (samples.length != count * 28 * 28) {
                    throw new IllegalStateException("generator returned " + samples.length + " floats");
                }
                if (i >= warmup) {
                    seconds[i - warmup] = (System.nanoTime() - start) / 1e9;
                }
            }
            cpuSeconds = processCpuSeconds() - cpuStart;
        }
        double median = median(seconds);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("batch", count);
        result.put("cpuSecondsPerStep", cpuSeconds / steps);
        result.put("warmup", warmup);
        result.put("steps", steps);
        result.put("medianSeconds", median);
        result.put("p10Seconds", percentile(seconds, 0.1));
        result.put("p90Seconds", percentile(seconds, 0.9));
        result.put("samplesPerSecond", count / median);
        result.put("secondsPer10000", 10_000.0 / count * median);
        result.put("flopsPerStep", flops);
        result.put("gflopsPerSecond", flops / median / 1e9);
        return result;
    }

    /**
     * The machine's sustained matrix-multiplication rate through libtorch, measured two ways: {@code matMul} (libtorch's
     * BLAS GEMM: MKL on x86 CPUs, which takes its AVX2 path on processors not Intel's unless the gan4j launcher's
     * library answers its vendor check; cuBLAS on a GPU) and the same product as
     * a 1×1 convolution (oneDNN's GEMM on a CPU, which uses AVX-512 where the processor has it; cuDNN on a GPU). The
     * faster of the two is the physical limit each model's rate is compared with.
     */
    private Map<String, Object> matmul() {
        boolean gpu = gpu();
        double[] seconds = new double[steps];
        double[] convSeconds = new double[steps];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1f, 1f, new Shape(size, size));
            NDArray b = manager.randomUniform(-1f, 1f, new Shape(size, size));
            time(seconds, gpu, () -> a.matMul(b));
            // a·b as a convolution: b's columns are the width of a size-channel image, a the 1×1 kernels
            NDArray image = b.reshape(1, size, 1, size);
            NDArray kernels = a.reshape(size, size, 1, 1);
            time(convSeconds, gpu, () -> ai.djl.nn.convolutional.Conv2d.conv2d(image, kernels).singletonOrThrow());
            try (NDArray product = a.matMul(b);
                    NDArray convolved = ai.djl.nn.convolutional.Conv2d.conv2d(image, kernels).singletonOrThrow()) {
                // within 1 % of the product's largest entry (a GPU's convolutions may round through TF32)
                float error = convolved.reshape(size, size).sub(product).abs().max().getFloat();
                float scale = product.abs().max().getFloat();
                if (!(error <= 0.01f * scale)) {
                    throw new IllegalStateException(
                            "the 1×1 convolution does not reproduce matMul: largest difference " + error);
                }
            }
        }
        double flops = 2.0 * size * size * (double) size;
        double median = median(seconds);
        double convMedian = median(convSeconds);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("size", size);
        result.put("warmup", warmup);
        result.put("steps", steps);
        result.put("medianSeconds", median);
        result.put("p10Seconds", percentile(seconds, 0.1));
        result.put("p90Seconds", percentile(seconds, 0.9));
        result.put("flopsPerStep", flops);
        result.put("gflopsPerSecond", flops / median / 1e9);
        result.put("bestGflopsPerSecond", flops / Arrays.stream(seconds).min().orElse(median) / 1e9);
        result.put("convMedianSeconds", convMedian);
        result.put("convGflopsPerSecond", flops / convMedian / 1e9);
        result.put("sustainedGflopsPerSecond", flops / Math.min(median, convMedian) / 1e9);
        return result;
    }

    private void time(double[] seconds, boolean gpu, java.util.function.Supplier<NDArray> product) {
        long expected = (long) size * size;
        for (int i = 0; i < warmup + steps; i++) {
            long start = System.nanoTime();
            try (NDArray result = product.get()) {
                if (result.getShape().size() != expected) {
                    throw new IllegalStateException("the product has shape " + result.getShape());
                }
                if (gpu) {
                    result.reshape(-1).getFloat(0); // waits for the product (kernels run asynchronously)
                }
            }
            if (i >= warmup) {
                seconds[i - warmup] = (System.nanoTime() - start) / 1e9;
            }
        }
    }

    private static boolean gpu() {
        return Engine.getInstance().defaultDevice().isGpu();
    }

    static double median(double[] values) {
        return percentile(values, 0.5);
    }

    /** Linear-interpolated percentile (numpy's default), q in [0, 1]. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /** A field of /proc/self/status in MiB (VmHWM = peak resident memory, VmRSS = current), or -1 if unknown. */
    static double memoryMiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time of the whole process (all threads), the load-independent companion of wall time. */
    private static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean bean = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (bean instanceof com.sun.management.OperatingSystemMXBean unix) {
            return unix.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static double heapUsedMiB() {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
    }

    private static String json(Map<String, Object> line) throws JsonProcessingException {
        return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(line);
    }

    /** Stops with a one-line error naming the option unless {@code value >= min}. */
    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new Gan4jException(option + " must be >= " + min + ", got " + value);
        }
    }
}
