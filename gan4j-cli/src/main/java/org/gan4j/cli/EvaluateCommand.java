package org.gan4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.config.RunConfig;
import org.gan4j.data.CifarReader;
import org.gan4j.data.Datasets;
import org.gan4j.data.GanDataset;
import org.gan4j.data.IdxReader;
import org.gan4j.data.ImageFolder;
import org.gan4j.data.MixtureDataset;
import org.gan4j.evaluation.ClassMix;
import org.gan4j.evaluation.Verdict;
import org.gan4j.evaluation.reference.RealFeatures;
import org.gan4j.evaluation.reference.ReferenceClassifier;
import org.gan4j.evaluation.reference.ReferenceInfo;
import org.gan4j.evaluation.run.RunEvaluator;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.IoFailures;
import org.gan4j.io.Json;
import org.gan4j.io.RunDirectory;
import org.gan4j.nn.GanModels;
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
            "2-D ring/grid runs: modes captured, high-quality samples, reverse KL; the Gaussian toy: mean/covariance error"
                + " and FD; images: FD, KID, classifier score, precision/recall, density/coverage, class histogram, memorisation"
                + " and Parzen log-likelihood in the reference classifier's feature space; images of any shape (colour"
                + " included): pixel diversity against the real images' (mode collapse without a classifier).",
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

    @Option(names = "--metrics", paramLabel = "LIST", description = "Comma-separated metrics (default: all that apply; a metric named here that cannot be computed is an error). Points: modes,gaussian,d. Images: fd,kid,score,pr,dc,classes,memorisation,parzen,diversity,d.")
    String metrics;

    @Option(names = "--real", paramLabel = "PATH", description = "Real training images (IDX, folder, CIFAR binary .bin file or folder); default: the run's data, or Fashion-MNIST's train file for --images.")
    Path real;

    @Option(names = "--real-test", paramLabel = "PATH", description = "Held-out real images (default: the t10k-* file next to a train-* file; for a CIFAR run the test_batch.bin, or CIFAR-100's test.bin, next to its training batches).")
    Path realTest;

    @Option(names = "--reference", paramLabel = "NAME|FILE.params", description = "Reference classifier for images: a shipped name or a NAME.params file from gan4j classifier train, e.g. a CIFAR-10 one for a CIFAR run (default: for a --run trained with --eval-reference the classifier its run.json records, else ${DEFAULT-VALUE}).")
    String reference = ReferenceClassifier.FASHION_MNIST;

    @Option(names = "--seed", paramLabel = "S", description = "Noise seed of the generated samples; with --images, which files (-n) in which order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bn-batches", paramLabel = "N", description = "Before sampling, re-estimate G's batch-norm statistics at the checkpoint's weights from N batches of 500 (precise batch norm, as PacGAN's authors score; default ${DEFAULT-VALUE}: the running averages saved by training).")
    int bnBatches;

    @Option(names = "--cache", paramLabel = "DIR", description = "Cache of real-data features (default: $GAN4J_CACHE or ~/.cache/gan4j).")
    Path cache;

    @Option(names = "--no-cache", description = "Do not read or write the real-feature cache.")
    boolean noCache;

    @Option(names = "--size", paramLabel = "N", description = "With --images and only --metrics diversity, when both --images and --real are folders: the square size both are read at, in colour (default: ${DEFAULT-VALUE}); an IDX file's or CIFAR data's (3×32×32) own shape wins, and --size is then an error.")
    int size = 64;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON here, replacing FILE (never a file gan4j wrote in a run; default: DIR/eval/eval-step-NNNNNN.json for runs, never replacing an earlier evaluation: same settings add their metrics to its file, other settings get eval-step-NNNNNN-2.json, …; nothing for --images).")
    Path out;

    /** The field of an evaluation's JSON holding its per-class mix ({@link ClassMix#toJson}), beside "metrics". */
    static final String CLASS_MIX = ClassMix.KEY;

    static final Path FASHION_MNIST_TRAIN = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

    /**
     * The fields of an evaluation's JSON that must be equal for a later evaluation of the same checkpoint to add its
     * metrics to the same file in the run's {@code eval/} folder (the run's path is left out: the file is in it).
     */
    static final List<String> SETTINGS = List.of(
            "gan4jVersion", "metricsVersion", "step", "checkpoint", "data", "real", "heldOut", "samples", "seed", "bnBatches", "threads",
            "reference");

    /** Colour channels that differ by no more than this many of 255 levels count as grey (lossy compression). */
    static final int GREY_TOLERANCE = 2;

    @Override
    public Integer call() throws IOException {
        if (count != null) {
            // before the run is opened and the engine loaded (RunEvaluator checks the count it is given again)
            RunEvaluator.checkSamples(count);
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--size")
                && (source.run != null || !onlyDiversity(RunEvaluator.parseMetrics(metrics, false)))) {
            // it was ignored without a word: a run's images have the run's size, the classifier's metrics its size
            throw new Gan4jException("--size applies only to --images with --metrics diversity (both sides read at"
                    + " that size); " + (source.run != null ? "a run's images have the run's size"
                            : "the classifier's metrics read images at the classifier's size"));
        }
        if (source.run == null) {
            // they were ignored without a word: --images has no checkpoint and no generator
            for (String[] runOnly : new String[][] {
                    {"--bn-batches", "it re-estimates a generator's batch-norm statistics"},
                    {"--checkpoint", "it chooses the run's checkpoint to sample"}}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(runOnly[0])) {
                    throw new Gan4jException(runOnly[0] + " applies only to --run (" + runOnly[1] + "); --images "
                            + source.images + " are images already: drop " + runOnly[0]);
                }
            }
        }
        if (out != null) {
            // found now, not after minutes of sampling and feature extraction
            checkOutFile(out);
            RunFiles.check("--out", out);
        }
        int threads = EngineSetup.configure(0);
        Path cacheDirectory = noCache ? null : (cache != null ? cache : RealFeatures.defaultCacheDirectory());
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("gan4jVersion", TrainingRun.VERSION);
        result.put("metricsVersion", RunEvaluator.METRICS_VERSION);
        result.put("created", Instant.now().toString());
        Map<String, Double> values;
        ClassMix classMix;
        ReferenceInfo referenceInfo;
        Path evalFolder = null;
        String evalName = null;
        if (source.run != null) {
            RunDirectory runDirectory = RunDirectory.open(source.run);
            if (out == null) {
                try {
                    RunDirectory.checkWritable(runDirectory.eval());
                } catch (Gan4jException e) {
                    throw new Gan4jException(e.getMessage() + " (--out FILE writes the evaluation elsewhere)", e);
                }
            }
            RunConfig config = TrainingRun.readConfig(runDirectory);
            JsonNode recorded = RunInfo.read(runDirectory.runJson()).path(TrainCommand.EVAL_REFERENCE_KEY);
            String recordedReference = recorded.path("reference").asText("");
            if (!recordedReference.isEmpty() && !spec.commandLine().getParseResult().hasMatchedOption("--reference")) {
                // the classifier of the run's own evaluations (train --eval-reference), so the numbers compare: the
                // same weights, not whatever the file holds now
                List<String> asked = RunEvaluator.parseMetrics(metrics, false);
                if (asked == null || asked.stream().anyMatch(org.gan4j.evaluation.MetricSuite.IMAGE_METRICS::contains)) {
                    // (--metrics diversity,d need no classifier: they run without it)
                    checkRecordedReference(runDirectory, recordedReference, recorded.path("sha256").asText(""));
                }
                reference = recordedReference;
                spec.commandLine().getOut().printf("reference classifier %s (recorded in run.json by train"
                        + " --eval-reference; --reference NAME|FILE.params for another)%n", reference);
            }
            GanModels.checkBatchNormOption("--bn-batches", bnBatches, config.model(), config.data().kind().isPoints());
            if (config.data().kind().isPoints() && (real != null || realTest != null)) {
                // they were ignored: a 2-D run's real points are drawn from its config, its held-out ones seeded + 1
                throw new Gan4jException((real != null ? "--real" : "--real-test") + " takes images, but " + source.run
                        + " is a 2-D run (data.kind " + config.data().kind().name().toLowerCase(Locale.ROOT)
                        + "): its real points are drawn from its config, the discriminator test's from the same"
                        + " distribution with seed + 1; drop the option");
            }
            if (config.data().kind().isPoints()
                    && spec.commandLine().getParseResult().hasMatchedOption("--reference")) {
                // it was ignored, even a name no classifier has: a 2-D run's metrics need no classifier
                throw new Gan4jException("--reference applies to image runs, but " + source.run + " is a 2-D run"
                        + " (data.kind " + config.data().kind().name().toLowerCase(Locale.ROOT) + "), whose metrics"
                        + " need no classifier; drop the option");
            }
            String dataPath = config.data().path();
            if (real == null && dataPath != null && !config.data().kind().isPoints()
                    && !Files.exists(Path.of(dataPath))) {
                throw new Gan4jException("data path " + dataPath + " of run " + source.run + " does not exist; name"
                        + " the real images with --real PATH (if they moved)");
            }
            JsonNode data = RunInfo.read(runDirectory.runJson()).path("data");
            CheckpointChoice choice = CheckpointChoice.parse(checkpoint);
            try (GanTrainer trainer = TrainingRun.openForInference(source.run, choice)) {
                boolean points = trainer.models().exampleShape().length == 1;
                int n = count != null ? count : points ? 2500 : 5000;
                List<String> requested = RunEvaluator.parseMetrics(metrics, points);
                if (!points) {
                    checkReferenceUsed(requested);
                }
                if (!points && requested == null) {
                    long[] shape = referenceShape();
                    long[] runShape = trainer.models().exampleShape();
                    if (!Arrays.equals(runShape, shape)
                            && spec.commandLine().getParseResult().hasMatchedOption("--reference")) {
                        // a classifier asked for by name that cannot score the run (one trained at the default
                        // --size 32 for a 64×64 run): it was the note below, and an evaluation without its metrics
                        throw new Gan4jException("--reference " + reference + " scores images of shape "
                                + Arrays.toString(shape) + ", this run's images have shape " + Arrays.toString(runShape)
                                + ": gan4j classifier train makes one of that shape from labelled images"
                                + (runShape.length == 3 ? " (for a folder: --size " + runShape[1] + ")" : "")
                                + ", or --metrics diversity,d computes the metrics that need no classifier"
                                + " (docs/EVALUATION.md)");
                    }
                    if (!Arrays.equals(runShape, shape)) {
                        // RunEvaluator's defaults for images the reference cannot score (a colour run against the
                        // shipped grey classifier) are the classifier-free metrics; say why
                        spec.commandLine().getOut().printf(
                                "note: this run's images have shape %s, the reference classifier %s scores %s: only the"
                                        + " metrics that need no classifier (diversity, d) apply (docs/EVALUATION.md)%n",
                                Arrays.toString(trainer.models().exampleShape()), reference, Arrays.toString(shape));
                    }
                }
                int packing = trainer.models().packing();
                RunEvaluator.Builder builder = RunEvaluator.builder().optSamples(n).optSeed(seed).optReference(reference)
                        .optCacheDirectory(cacheDirectory).optMetrics(requested).optBatchNormBatches(bnBatches);
                Optional<Path> test = Optional.empty();
                if (points) {
                    GanDataset realPoints = Datasets.open(config.data(), config.seed()).dataset();
                    RunEvaluator.checkRequested(requested, new RunEvaluator.Inputs(
                            realPoints.description(), realPoints instanceof MixtureDataset, true, packing, n));
                    builder.setReal(realPoints);
                    // a fresh draw of the same distribution is the held-out real data of the discriminator test
                    builder.optHeldOut(RunEvaluator.heldOutPoints(config), null);
                } else {
                    // the metrics are checked before any images are decoded
                    Path dataSource = Path.of(data.path("source").asText());
                    Path realFile = real != null ? real : Files.isRegularFile(dataSource) ? dataSource : null;
                    test = realFile != null ? heldOut(realFile) : Optional.ofNullable(realTest);
                    Path realSource = real != null ? real : dataSource;
                    if (test.isEmpty() && Datasets.isCifar(realSource)) {
                        // the binary archive's test_batch.bin (CIFAR-100: test.bin) next to the training batches
                        test = CifarReader.testSplitFor(realSource);
                    } else if (test.isPresent()) {
                        test = Optional.of(testSplitOfCifarFolder("--real-test", test.get(), "held-out"));
                    }
                    RunEvaluator.checkRequested(requested, new RunEvaluator.Inputs(
                            real != null ? real.toString() : data.path("description").asText(dataSource.toString()), false,
                            test.isPresent(), packing, n));
                    long[] runShape = trainer.models().exampleShape();
                    builder.setReal(real != null ? openRunImages(real, "--real", runShape)
                            : Datasets.open(config.data(), config.seed()).dataset()).optRealFile(realFile);
                    test.ifPresent(file -> builder.optHeldOut(openRunImages(file, "--real-test", runShape),
                            Datasets.isCifar(file) ? null : file));
                }
                try (RunEvaluator evaluator = builder.build()) {
                    RunEvaluator.Evaluation evaluation = evaluator.evaluateInDetail(trainer);
                    values = evaluation.metrics();
                    classMix = evaluation.classMix();
                    referenceInfo = evaluator.reference();
                    result.put("run", runDirectory.root().toString());
                    result.put("step", trainer.step());
                    result.put("checkpoint", choice.kind() == CheckpointChoice.Kind.BEST ? "best" : "checkpoints");
                    result.put("data", data.path("description").asText(data.path("source").asText()));
                    if (real != null && !points) {
                        result.put("real", real.toAbsolutePath().normalize().toString());
                    }
                    test.ifPresent(file -> result.put("heldOut", file.toAbsolutePath().normalize().toString()));
                    result.put("samples", n);
                    result.put("seed", seed);
                    result.put("bnBatches", bnBatches);
                    result.put("threads", threads);
                    result.set("metricsRequested", Json.MAPPER.valueToTree(evaluator.metrics()));
                }
                if (out == null) {
                    evalFolder = runDirectory.eval();
                    String prefix = choice.kind() == CheckpointChoice.Kind.BEST ? "eval-best-step-" : "eval-step-";
                    evalName = String.format(Locale.ROOT, prefix + "%06d", trainer.step());
                }
            }
        } else {
            List<String> requested = RunEvaluator.parseMetrics(metrics, false);
            Path realFile = real != null ? real : FASHION_MNIST_TRAIN;
            Optional<Path> test = heldOut(realFile);
            RunEvaluator.checkRequested(requested, new RunEvaluator.Inputs(
                    realFile.toString(), false, test.isPresent(), 0, count != null ? count : 0));
            // pixel diversity needs no classifier: images of any shape and colour, both sets read alike
            boolean classifierFree = onlyDiversity(requested);
            checkReferenceUsed(requested);
            if (classifierFree && realTest != null) {
                // it was never read, yet written into the JSON as the evaluation's "heldOut"
                throw new Gan4jException("--real-test " + realTest + " is not used: --metrics diversity compares"
                        + " --images with --real only (held-out images serve memorisation and parzen); drop"
                        + " --real-test");
            }
            GanDataset generated;
            GanDataset realImages;
            if (classifierFree) {
                if (size < 8 || size > 1024) {
                    throw new Gan4jException("--size must be between 8 and 1024, got " + size);
                }
                long[] fixed = ownShape(source.images) != null ? ownShape(source.images) : ownShape(realFile);
                if (fixed != null && spec.commandLine().getParseResult().hasMatchedOption("--size")) {
                    // it was ignored without a word: --size is the size two folders are read at
                    boolean images = ownShape(source.images) != null;
                    throw new Gan4jException("--size " + size + " is not used: " + (images ? "--images " + source.images
                            : "--real " + realFile) + " has a shape of its own, " + Arrays.toString(fixed)
                            + ", which both sides are read at; drop --size");
                }
                generated = openAlike(source.images, fixed);
                realImages = openAlike(realFile, generated.exampleShape());
                if (!Arrays.equals(generated.exampleShape(), realImages.exampleShape())) {
                    throw new Gan4jException("--images " + source.images + " has images of shape "
                            + Arrays.toString(generated.exampleShape()) + ", --real " + realFile + " of shape "
                            + Arrays.toString(realImages.exampleShape()) + "; pixel diversity compares images of one"
                            + " shape");
                }
            } else {
                generated = openImages(source.images, "--images");
                long[] shape = referenceShape();
                if (!Arrays.equals(generated.exampleShape(), shape)) {
                    throw new Gan4jException("--images " + source.images + " has images of shape "
                            + Arrays.toString(generated.exampleShape()) + ", reference " + reference + " expects "
                            + Arrays.toString(shape));
                }
                realImages = openImages(realFile, "--real");
            }
            int n = count != null ? Math.min(count, generated.size()) : generated.size();
            if (n < RunEvaluator.MIN_IMAGE_SAMPLES && (count == null || count >= RunEvaluator.MIN_IMAGE_SAMPLES)) {
                // the file count, not an -n the user did not give
                throw new Gan4jException("--images " + source.images + " holds " + generated.size() + " image"
                        + (generated.size() == 1 ? "" : "s") + "; the image metrics need at least "
                        + RunEvaluator.MIN_IMAGE_SAMPLES);
            }
            RunEvaluator.Builder builder = RunEvaluator.builder().optSamples(n).optSeed(seed).optReference(reference)
                    .optCacheDirectory(cacheDirectory).optMetrics(requested)
                    .setReal(realImages).optRealFile(realFile);
            if (!classifierFree) {
                test.ifPresent(file -> builder.optHeldOut(openImages(file, "--real-test"), file));
            }
            try (RunEvaluator evaluator = builder.build()) {
                // in a seeded random order, as a generator's samples come: files are read in sorted path order, and
                // with class subfolders the first n, or the classifier score's consecutive splits, are single classes
                RunEvaluator.Evaluation evaluation =
                        evaluator.evaluateSamplesInDetail(RunEvaluator.randomExamples(generated, n, seed), n);
                values = evaluation.metrics();
                classMix = evaluation.classMix();
                referenceInfo = evaluator.reference();
                result.put("images", source.images.toAbsolutePath().normalize().toString());
                result.put("data", realFile.toAbsolutePath().normalize().toString());
                test.ifPresent(file -> result.put("heldOut", file.toAbsolutePath().normalize().toString()));
                result.put("samples", n);
            }
        }
        if (referenceInfo != null) {
            result.set("reference", referenceInfo.toJson());
        }
        ObjectNode metricsNode = result.putObject("metrics");
        values.forEach(metricsNode::put);
        if (classMix != null) {
            // beside the flat metrics, not among them: a report charts every number in "metrics"
            result.set(CLASS_MIX, classMix.toJson());
        }
        PrintWriter console = spec.commandLine().getOut();
        printTable(console, result, values, classMix);
        Path target = out;
        EvalFile evalFile = null;
        if (evalFolder != null) {
            // an earlier evaluation of this checkpoint is never replaced: same settings add to its file, others
            // get a file of their own
            try {
                evalFile = evalFile(evalFolder, evalName, result);
            } catch (IOException e) {
                throw IoFailures.wrap("cannot write the evaluation into " + evalFolder, e);
            }
            target = evalFile.file();
        }
        if (target != null) {
            try {
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                AtomicFiles.writeString(target, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
            } catch (IOException e) {
                if (evalFile != null && !evalFile.merged()) {
                    Files.deleteIfExists(target); // the empty file that reserved the name
                }
                throw IoFailures.wrap("cannot write " + target, e);
            }
            boolean merged = evalFile != null && evalFile.merged();
            console.printf("wrote %s%s%n", target, merged ? " (added to the earlier evaluation there: same settings)" : "");
        }
        console.flush();
        return 0;
    }

    /**
     * Refuses {@code --reference} given with a metric list that needs no classifier (pixel diversity, the
     * discriminator test): it was ignored without a word, even a name no classifier has.
     */
    private void checkReferenceUsed(List<String> requested) {
        if (requested != null && requested.stream().noneMatch(org.gan4j.evaluation.MetricSuite.IMAGE_METRICS::contains)
                && spec.commandLine().getParseResult().hasMatchedOption("--reference")) {
            throw new Gan4jException("--reference " + reference + " is not used: --metrics " + String.join(",", requested)
                    + " need no classifier (it scores " + String.join(", ",
                            org.gan4j.evaluation.MetricSuite.IMAGE_METRICS.subList(0,
                                    org.gan4j.evaluation.MetricSuite.IMAGE_METRICS.size() - 1))
                    + " and " + org.gan4j.evaluation.MetricSuite.IMAGE_METRICS.get(
                            org.gan4j.evaluation.MetricSuite.IMAGE_METRICS.size() - 1)
                    + "); drop --reference");
        }
    }

    /**
     * Refuses the classifier run.json records when its file is gone or now holds other weights than the run's
     * evaluations used: its numbers would not compare with metrics.jsonl's, though the output says it is the recorded
     * one. {@code --reference} still scores with whatever the file holds.
     */
    private static void checkRecordedReference(RunDirectory runDirectory, String reference, String sha256) {
        String where = "run.json of " + runDirectory.root() + " records the reference classifier " + reference;
        ReferenceInfo info;
        try (ReferenceClassifier classifier = ReferenceClassifier.open(reference)) {
            info = classifier.info();
        } catch (Gan4jException e) {
            throw new Gan4jException(where + " for its evaluations, which cannot be used now: " + e.getMessage()
                    + " (--reference NAME|FILE.params evaluates with another)", e);
        }
        if (!sha256.isEmpty() && !info.sha256().equals(sha256)) {
            throw new Gan4jException(where + " (sha256 " + abbreviated(sha256) + ") for its evaluations, but that file"
                    + " now holds other weights (" + info.name() + ", sha256 " + abbreviated(info.sha256()) + "): its"
                    + " numbers would not compare with the run's; put the recorded classifier back, or name the file"
                    + " with --reference to evaluate with the new weights");
        }
    }

    private static String abbreviated(String sha256) {
        return sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
    }

    /**
     * Checks that {@code --out FILE} can be written, before anything is evaluated: not a folder, and the nearest
     * existing folder on its path accepts a new file (a probe file is created and deleted there; missing folders are
     * not created now, so a failed evaluation leaves nothing behind).
     */
    private static void checkOutFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new Gan4jException("--out " + file + " is a folder; expected a file name, e.g. scores.json");
        }
        Path folder = file.toAbsolutePath().normalize().getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder == null) {
            throw new Gan4jException("--out " + file + " cannot be written: no existing folder on its path");
        }
        if (!Files.isDirectory(folder)) {
            throw new Gan4jException("--out " + file + " cannot be written: " + folder + " is not a folder");
        }
        try {
            RunDirectory.checkWritable(folder);
        } catch (Gan4jException e) {
            throw new Gan4jException("--out " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * Where a run's evaluation is written.
     *
     * @param file the file in the run's {@code eval/} folder
     * @param merged whether it holds an earlier evaluation with the same settings, merged into the new result
     */
    record EvalFile(Path file, boolean merged) {}

    /**
     * Chooses the file of a run's evaluation in its {@code eval/} folder: {@code NAME.json}, {@code NAME-2.json}, …
     * The first one written with the same {@link #SETTINGS} gets this evaluation's metrics added (its other metrics
     * kept; ones computed again replaced by the new, identical, values) and {@code result} becomes the merged
     * evaluation; otherwise the first free name, reserved at once by creating it empty, so that an evaluation running
     * at the same time takes another one. Files that cannot be read are skipped, never replaced.
     *
     * @param folder the run's {@code eval/} folder
     * @param name the file name without {@code .json}, e.g. {@code eval-step-000500}
     * @param result the new evaluation; earlier metrics are added to it when the settings are the same
     * @return the file to write
     * @throws IOException when the folder cannot be read or written
     */
    static EvalFile evalFile(Path folder, String name, ObjectNode result) throws IOException {
        // as it reads back from the file (an int where the tree holds a long)
        JsonNode written = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(result));
        for (int index = 1; ; index++) {
            Path file = folder.resolve(index == 1 ? name + ".json" : name + "-" + index + ".json");
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createFile(file);
                    return new EvalFile(file, false);
                } catch (FileAlreadyExistsException e) {
                    // taken in the meantime by another evaluation: read it as any other
                }
            }
            JsonNode earlier;
            try {
                earlier = Json.MAPPER.readTree(file.toFile());
            } catch (IOException | RuntimeException e) {
                continue;
            }
            if (earlier instanceof ObjectNode earlierObject && earlier.path("metrics").isObject()
                    && SETTINGS.stream().allMatch(key -> Objects.equals(setting(earlier, key), setting(written, key)))) {
                merge(earlierObject, result);
                return new EvalFile(file, true);
            }
        }
    }

    /**
     * A setting of an evaluation file, as compared by {@link #evalFile}: the reference classifier without its class
     * names and its reproducing command, which change no number (the shipped sidecar got names on 1 December 2026,
     * and its command the {@code --class-names} that gives them; a user may add names by hand), so that an evaluation
     * still adds to a file written before.
     */
    private static JsonNode setting(JsonNode evaluation, String key) {
        JsonNode value = evaluation.get(key);
        if (key.equals("reference") && value instanceof ObjectNode reference
                && (reference.has("classNames") || reference.has("command"))) {
            ObjectNode copy = reference.deepCopy();
            copy.remove("classNames");
            copy.remove("command");
            return copy;
        }
        return value;
    }

    /**
     * Puts an earlier evaluation's metrics and requested metrics into {@code result}, which keeps its new values; the
     * earlier class mix too when this evaluation has none (it did not compute the {@code classes} metric).
     */
    private static void merge(ObjectNode earlier, ObjectNode result) {
        ObjectNode metrics = earlier.get("metrics").deepCopy();
        metrics.setAll((ObjectNode) result.get("metrics"));
        Set<String> requested = new LinkedHashSet<>();
        earlier.path("metricsRequested").forEach(node -> requested.add(node.asText()));
        result.path("metricsRequested").forEach(node -> requested.add(node.asText()));
        if (earlier.hasNonNull("created")) {
            result.put("updated", result.path("created").asText());
            result.set("created", earlier.get("created"));
        }
        result.set("metricsRequested", Json.MAPPER.valueToTree(requested));
        result.remove("metrics");
        result.set("metrics", metrics);
        JsonNode classMix = result.has(CLASS_MIX) ? result.remove(CLASS_MIX) : earlier.get(CLASS_MIX);
        if (classMix != null) {
            result.set(CLASS_MIX, classMix);
        }
    }

    /**
     * Opens images to score or compare with: an IDX file as it is, a folder decoded at the reference classifier's
     * size. A folder of colour images against a grey classifier is refused (converting them would score something
     * else than what was generated); grey images stored as RGB (R = G = B) are read as grey.
     */
    /**
     * Opens images for the classifier-free metrics: an IDX file as it is; a folder in colour at {@code shape}'s size
     * and channels when given (the other side's), else at {@code --size} in colour.
     */
    private GanDataset openAlike(Path path, long[] shape) {
        if (Datasets.isCifar(path)) {
            long[] at = shape == null ? CIFAR_SHAPE : shape;
            return Datasets.openCifar(path, (int) at[0], (int) at[1]);
        }
        if (!isFolder(path)) {
            return IdxReader.read(path);
        }
        ImageFolder folder = colourFolder(path, shape == null ? size : (int) shape[1]);
        return shape == null || shape[0] == 3 ? folder : folder.images().withChannels(1);
    }

    /**
     * The images a held-out or test option stands for: a CIFAR folder ({@code cifar-10-batches-bin}) stands for its
     * test batch ({@code test_batch.bin}, CIFAR-100: {@code test.bin}), not the {@code data_batch_*} files the folder
     * reader reads for training; anything else for itself.
     *
     * @param option the option, for the message ({@code --real-test}, classifier train's {@code --test})
     * @param path the option's value
     * @param what what the images are, for the message ("held-out", "test")
     * @return the test batch, or {@code path}
     * @throws Gan4jException if the folder holds CIFAR training batches but no test batch: its images are training
     *     images
     */
    static Path testSplitOfCifarFolder(String option, Path path, String what) {
        if (!Files.isDirectory(path) || !Datasets.isCifar(path)) {
            return path;
        }
        Optional<Path> split = CifarReader.testSplitFor(path);
        if (split.isEmpty() && holdsCifarTrainingBatches(path)) {
            throw new Gan4jException(option + " " + path + " holds CIFAR training batches (data_batch_*.bin,"
                    + " train.bin) but no test batch (test_batch.bin, test.bin): name the " + what + " .bin file");
        }
        return split.orElse(path);
    }

    /** Whether a folder holds CIFAR's training batches: data_batch_*.bin (CIFAR-10) or train.bin (CIFAR-100). */
    private static boolean holdsCifarTrainingBatches(Path folder) {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .anyMatch(name -> name.matches("data_batch_\\d+\\.bin") || name.equals("train.bin"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a parsed --metrics list asks for the pixel diversity alone (null: the default set, which does not). */
    private static boolean onlyDiversity(List<String> requested) {
        return requested != null && requested.stream().allMatch(RunEvaluator.DIVERSITY::equals);
    }

    /** The shape of CIFAR images: 3×32×32. */
    private static final long[] CIFAR_SHAPE = {3, CifarReader.SIDE, CifarReader.SIDE};

    /**
     * The shape images from a path have of their own, which the other side of a pixel-diversity comparison is read
     * at: an IDX file's, CIFAR data's (3×32×32); null for an image folder, which takes {@code --size}.
     */
    private static long[] ownShape(Path path) {
        if (Datasets.isCifar(path)) {
            return CIFAR_SHAPE;
        }
        return isFolder(path) ? null : IdxReader.read(path).exampleShape();
    }

    /** Whether an existing image path is a folder (else an IDX file); a missing one is a one-line error. */
    private static boolean isFolder(Path path) {
        if (!Files.exists(path)) {
            throw new Gan4jException("image path " + path + " does not exist");
        }
        return Files.isDirectory(path);
    }

    private static ImageFolder colourFolder(Path path, int side) {
        return ImageFolder.builder().setRoot(path).setImageSize(side).setChannels(3).build();
    }

    /**
     * Opens a run's {@code --real} or {@code --real-test} images. A folder is read like the run's own data (its size and
     * channels, colour turned grey by luma for a grey run) when the run's images have another shape than the
     * reference classifier's: a colour run (the emoji preset) is evaluated by the metrics that need no classifier,
     * which compare images of the run's shape; reading the folder for the grey 28×28 classifier refused it as colour.
     * Otherwise as {@link #openImages}.
     */
    private GanDataset openRunImages(Path path, String option, long[] runShape) {
        if (runShape.length == 3 && runShape[1] == runShape[2] && Datasets.isCifar(path)) {
            // CIFAR binary batches (a run's own kind of data, or its test_batch.bin): at the run's shape
            return Datasets.openCifar(path, (int) runShape[0], (int) runShape[1]);
        }
        if (runShape.length == 3 && runShape[1] == runShape[2] && isFolder(path)
                && !Arrays.equals(runShape, referenceShape())) {
            return ImageFolder.builder().setRoot(path).setImageSize((int) runShape[1]).setChannels((int) runShape[0])
                    .build();
        }
        return openImages(path, option);
    }

    private GanDataset openImages(Path path, String option) {
        if (Datasets.isCifar(path) && !Arrays.equals(referenceShape(), CIFAR_SHAPE)) {
            // it was 'not an IDX image file (magic …)' for a .bin file, 'holds no images' for the batches' folder
            throw new Gan4jException(option + " " + path + " is CIFAR data (colour, 3×32×32), reference " + reference
                    + " expects images of shape " + Arrays.toString(referenceShape())
                    + "; the metrics that need no classifier compare it: --metrics diversity (or a CIFAR reference:"
                    + " gan4j classifier train --data CIFAR_FOLDER, then --reference NAME.params)");
        }
        if (Datasets.isCifar(path)) {
            return Datasets.openCifar(path, (int) CIFAR_SHAPE[0], (int) CIFAR_SHAPE[1]);
        }
        if (isFolder(path)) {
            long[] shape = referenceShape();
            ImageFolder folder = colourFolder(path, (int) shape[1]);
            if (shape[0] == 3) {
                return folder;
            }
            int colour = firstColourImage(folder);
            if (colour >= 0) {
                throw new Gan4jException(option + " " + path + " holds colour images (" + folder.files().get(colour)
                        + " is one), reference " + reference + " expects grey images of shape " + Arrays.toString(shape)
                        + " (gan4j classifier train makes a reference from labelled images of the shape to score, an"
                        + " IDX file, CIFAR batches or a folder with class subfolders, for --reference)"
                        // a run's folder reaches this only when the run has the classifier's (grey) shape: its
                        // --metrics diversity,d read the folder the same way (openRunImages), so no advice there
                        + (source.run == null
                                ? "; the metrics that need no classifier run on colour images: --metrics diversity"
                                : ""));
            }
            return folder.images().withChannels(1);
        }
        return IdxReader.read(path);
    }

    /** The index of the first image whose colour channels differ by more than {@link #GREY_TOLERANCE}, or -1. */
    private static int firstColourImage(ImageFolder folder) {
        int size = folder.exampleSize();
        int plane = size / 3;
        float[] pixels = new float[size];
        float tolerance = (GREY_TOLERANCE + 0.5f) / 127.5f;
        for (int n = 0; n < folder.size(); n++) {
            folder.copyExample(n, pixels, 0);
            for (int i = 0; i < plane; i++) {
                float red = pixels[i];
                if (Math.abs(red - pixels[plane + i]) > tolerance || Math.abs(red - pixels[2 * plane + i]) > tolerance) {
                    return n;
                }
            }
        }
        return -1;
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
        return IdxReader.testFileFor(trainFile).filter(Files::isRegularFile);
    }

    private static void printTable(PrintWriter console, ObjectNode result, Map<String, Double> values,
            ClassMix classMix) {
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
        if (classMix != null) {
            console.println("  class mix (samples vs real): " + classMix.summary());
        }
        List<String> verdict = Verdict.of(values, classMix);
        if (!verdict.isEmpty()) {
            console.println("verdict (rules of thumb, docs/EVALUATION.md):");
            for (String line : verdict) {
                console.println("  " + line);
            }
        }
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
