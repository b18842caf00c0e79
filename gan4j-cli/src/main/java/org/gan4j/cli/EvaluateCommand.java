package org.gan4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.config.RunConfig;
import org.gan4j.data.Datasets;
import org.gan4j.data.GanDataset;
import org.gan4j.data.IdxReader;
import org.gan4j.data.ImageFolder;
import org.gan4j.evaluation.reference.RealFeatures;
import org.gan4j.evaluation.reference.ReferenceClassifier;
import org.gan4j.evaluation.reference.ReferenceInfo;
import org.gan4j.evaluation.run.RunEvaluator;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.IoFailures;
import org.gan4j.io.Json;
import org.gan4j.io.RunDirectory;
import org.gan4j.io.RunInfo;
import org.gan4j.training.CheckpointChoice;
import org.gan4j.training.GanTrainer;
import org.gan4j.training.TrainingRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gan4j evaluate}: scores a run's generator, or images from any tool, by the same yardstick. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Measure sample quality, diversity and mode collapse of a run's checkpoint or of any folder / IDX file of images.",
            "2-D ring/grid runs: modes captured, high-quality samples, reverse KL; the Gaussian toy: mean/covariance error",
            "and FD; images: FD, KID, classifier score, precision/recall, density/coverage, class histogram, memorisation",
            "and Parzen log-likelihood in the reference classifier's feature space.",
            "Runs also get the discriminator test (D's accuracy and ROC AUC, held-out real vs fresh fakes).",
            "Writes JSON into the run's eval/ folder (or --out FILE) and prints a table."
        },
        footer = {
            "",
            "Examples:",
            "  gan4j evaluate --run runs/grid25",
            "  gan4j evaluate --run runs/dcgan-fashion-mnist --checkpoint 5000 -n 5000 --metrics fd,kid,pr",
            "  gan4j evaluate --images other-tool-samples/ --real /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
        })
public final class EvaluateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--run", paramLabel = "DIR", description = "Run directory written by gan4j train.")
        Path run;

        @Option(names = "--images", paramLabel = "PATH", description = "Folder of images (PNG, JPEG, …) or an IDX file to score.")
        Path images;
    }

    @Option(names = "--checkpoint", paramLabel = "STEP|latest|best", description = "Checkpoint to evaluate: a step, latest (the newest valid one, default) or best (the one train --best-by kept).")
    String checkpoint = "latest";

    @Option(names = "-n", paramLabel = "N", description = "Generated samples to score (default: 2500 for 2-D runs, 5000 for images).")
    Integer count;

    @Option(names = "--metrics", paramLabel = "LIST", description = "Comma-separated metrics (default: all). Points: modes,gaussian,d. Images: fd,kid,score,pr,dc,classes,memorisation,parzen,d.")
    String metrics;

    @Option(names = "--real", paramLabel = "PATH", description = "Real training images (IDX, folder); default: the run's data, or Fashion-MNIST's train file for --images.")
    Path real;

    @Option(names = "--real-test", paramLabel = "PATH", description = "Held-out real images (default: the t10k-* file next to a train-* file).")
    Path realTest;

    @Option(names = "--reference", paramLabel = "NAME|FILE.params", description = "Reference classifier for images (default: ${DEFAULT-VALUE}).")
    String reference = ReferenceClassifier.FASHION_MNIST;

    @Option(names = "--seed", paramLabel = "S", description = "Noise seed of the generated samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bn-batches", paramLabel = "N", description = "Before sampling, re-estimate G's batch-norm statistics at the checkpoint's weights from N batches of 500 (precise batch norm, as PacGAN's authors score; default ${DEFAULT-VALUE}: the running averages saved by training).")
    int bnBatches;

    @Option(names = "--cache", paramLabel = "DIR", description = "Cache of real-data features (default: $GAN4J_CACHE or ~/.cache/gan4j).")
    Path cache;

    @Option(names = "--no-cache", description = "Do not read or write the real-feature cache.")
    boolean noCache;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON here (default: DIR/eval/eval-step-NNNNNN.json for runs; nothing for --images).")
    Path out;

    static final Path FASHION_MNIST_TRAIN = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

    @Override
    public Integer call() throws IOException {
        if (count != null) {
            // before the run is opened and the engine loaded (RunEvaluator checks the count it is given again)
            RunEvaluator.checkSamples(count);
        }
        EngineSetup.configure(0);
        Path cacheDirectory = noCache ? null : (cache != null ? cache : RealFeatures.defaultCacheDirectory());
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("gan4jVersion", TrainingRun.VERSION);
        result.put("created", Instant.now().toString());
        Map<String, Double> values;
        ReferenceInfo referenceInfo;
        Path target = out;
        if (source.run != null) {
            RunDirectory runDirectory = RunDirectory.open(source.run);
            RunConfig config = TrainingRun.readConfig(runDirectory);
            JsonNode data = RunInfo.read(runDirectory.runJson()).path("data");
            CheckpointChoice choice = CheckpointChoice.parse(checkpoint);
            try (GanTrainer trainer = TrainingRun.openForInference(source.run, choice)) {
                boolean points = trainer.models().exampleShape().length == 1;
                int n = count != null ? count : points ? 2500 : 5000;
                RunEvaluator.Builder builder = RunEvaluator.builder().optSamples(n).optSeed(seed).optReference(reference)
                        .optCacheDirectory(cacheDirectory).optMetrics(RunEvaluator.parseMetrics(metrics, points))
                        .optBatchNormBatches(bnBatches);
                if (points) {
                    builder.setReal(Datasets.open(config.data(), config.seed()).dataset());
                    // a fresh draw of the same distribution is the held-out real data of the discriminator test
                    builder.optHeldOut(Datasets.open(config.data(), config.seed() + 1).dataset(), null);
                } else if (real != null) {
                    builder.setReal(openImages(real)).optRealFile(real);
                    heldOut(real).ifPresent(test -> builder.optHeldOut(openImages(test), test));
                } else {
                    builder.setReal(Datasets.open(config.data(), config.seed()).dataset());
                    Path file = Path.of(data.path("source").asText());
                    if (Files.isRegularFile(file)) {
                        builder.optRealFile(file);
                        heldOut(file).ifPresent(test -> builder.optHeldOut(IdxReader.read(test), test));
                    }
                }
                try (RunEvaluator evaluator = builder.build()) {
                    values = evaluator.evaluate(trainer);
                    referenceInfo = evaluator.reference();
                    result.put("run", runDirectory.root().toString());
                    result.put("step", trainer.step());
                    result.put("checkpoint", choice.kind() == CheckpointChoice.Kind.BEST ? "best" : "checkpoints");
                    result.put("data", data.path("description").asText(data.path("source").asText()));
                    result.put("samples", n);
                    result.put("seed", seed);
                    result.put("bnBatches", bnBatches);
                    result.set("metricsRequested", Json.MAPPER.valueToTree(evaluator.metrics()));
                }
                if (target == null) {
                    String prefix = choice.kind() == CheckpointChoice.Kind.BEST ? "eval-best-step-" : "eval-step-";
                    target = runDirectory.eval().resolve(String.format(Locale.ROOT, prefix + "%06d.json", trainer.step()));
                }
            }
        } else {
            Path realFile = real != null ? real : FASHION_MNIST_TRAIN;
            GanDataset generated = openImages(source.images);
            int n = count != null ? Math.min(count, generated.size()) : generated.size();
            RunEvaluator.Builder builder = RunEvaluator.builder().optSamples(n).optSeed(seed).optReference(reference)
                    .optCacheDirectory(cacheDirectory).optMetrics(RunEvaluator.parseMetrics(metrics, false))
                    .setReal(openImages(realFile)).optRealFile(realFile);
            heldOut(realFile).ifPresent(test -> builder.optHeldOut(openImages(test), test));
            try (RunEvaluator evaluator = builder.build()) {
                float[] values2 = new float[n * generated.exampleSize()];
                for (int i = 0; i < n; i++) {
                    generated.copyExample(i, values2, i * generated.exampleSize());
                }
                values = evaluator.evaluateSamples(values2, n);
                referenceInfo = evaluator.reference();
                result.put("images", source.images.toAbsolutePath().normalize().toString());
                result.put("data", realFile.toAbsolutePath().normalize().toString());
                result.put("samples", n);
            }
        }
        if (referenceInfo != null) {
            result.set("reference", referenceInfo.toJson());
        }
        ObjectNode metricsNode = result.putObject("metrics");
        values.forEach(metricsNode::put);
        PrintWriter console = spec.commandLine().getOut();
        printTable(console, result, values);
        if (target != null) {
            try {
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                AtomicFiles.writeString(target, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
            } catch (IOException e) {
                throw IoFailures.wrap("cannot write " + target, e);
            }
            console.printf("wrote %s%n", target);
        }
        console.flush();
        return 0;
    }

    private GanDataset openImages(Path path) {
        if (!Files.exists(path)) {
            throw new Gan4jException("image path " + path + " does not exist");
        }
        if (Files.isDirectory(path)) {
            long[] shape = referenceShape();
            return ImageFolder.builder().setRoot(path).setImageSize((int) shape[1]).setChannels((int) shape[0]).build();
        }
        return IdxReader.read(path);
    }

    private long[] referenceShape() {
        try (ReferenceClassifier classifier = ReferenceClassifier.open(reference)) {
            return classifier.info().imageShape();
        }
    }

    private Optional<Path> heldOut(Path trainFile) {
        if (realTest != null) {
            return Optional.of(realTest);
        }
        String name = trainFile.getFileName().toString();
        if (name.startsWith("train-")) {
            Path test = trainFile.resolveSibling("t10k-" + name.substring("train-".length()));
            if (Files.isRegularFile(test)) {
                return Optional.of(test);
            }
        }
        return Optional.empty();
    }

    private static void printTable(PrintWriter console, ObjectNode result, Map<String, Double> values) {
        String what = result.has("run") ? result.get("run").asText() + " at step " + result.get("step").asLong()
                : result.get("images").asText();
        console.printf("evaluation of %s (%d samples)%n", what, result.get("samples").asInt());
        if (result.has("reference")) {
            JsonNode reference = result.get("reference");
            console.printf(Locale.ROOT, "  reference %s (test accuracy %.2f %%, sha256 %s…)%n",
                    reference.get("name").asText(), 100 * reference.get("testAccuracy").asDouble(),
                    reference.get("sha256").asText().substring(0, 12));
        }
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            console.printf(Locale.ROOT, "  %-22s %s%n", entry.getKey(), format(entry.getValue()));
        }
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
