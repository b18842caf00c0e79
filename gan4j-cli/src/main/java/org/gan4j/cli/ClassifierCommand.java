package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.data.IdxReader;
import org.gan4j.data.ImageDataset;
import org.gan4j.evaluation.reference.ClassifierTraining;
import org.gan4j.evaluation.reference.ReferenceClassifier;
import org.gan4j.evaluation.reference.ReferenceInfo;
import org.gan4j.io.RunDirectory;
import org.gan4j.training.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gan4j classifier}: the reference classifiers whose features image metrics use. */
@Command(
        name = "classifier",
        mixinStandardHelpOptions = true,
        description = "Train or inspect the reference classifier whose features FD, KID, precision/recall … use.",
        subcommands = {ClassifierCommand.Train.class, ClassifierCommand.Show.class})
public final class ClassifierCommand implements Runnable {

    @Spec CommandSpec spec;

    /** Prints the usage: a subcommand is needed. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code gan4j classifier train}: trains a reference classifier on a labelled IDX dataset. */
    @Command(
            name = "train",
            mixinStandardHelpOptions = true,
            description = {
                "Train the small reference CNN on a labelled IDX training file and report its accuracy on the test file.",
                "Writes NAME.params plus NAME.json (SHA-256, accuracy, this command)."
            },
            footer = {
                "",
                "The shipped Fashion-MNIST reference was made with:",
                "  ./gan4j classifier train --epochs 5 --seed 1 --threads 1 --out gan4j-core/src/main/resources/org/gan4j/evaluation/reference",
                "(add --replace to overwrite the shipped files)"
            })
    static final class Train implements Callable<Integer> {

        /** Images per training step unless --batch-size says otherwise (or the training set is smaller). */
        static final int DEFAULT_BATCH_SIZE = 100;

        /** The most epochs --epochs accepts. */
        static final int MAX_EPOCHS = 1000;

        @Spec CommandSpec spec;

        @Option(names = "--data", paramLabel = "FILE", description = "Training images (IDX, labels found next to it; default: ${DEFAULT-VALUE}).")
        Path data = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

        @Option(names = "--test", paramLabel = "FILE", description = "Test images (IDX with labels; default: the t10k file next to --data, e.g. t10k-images-idx3-ubyte.gz next to train-images-idx3-ubyte.gz).")
        Path test;

        @Option(names = "--name", paramLabel = "NAME", description = "Versioned name, the file stem (default: ${DEFAULT-VALUE}).")
        String name = ReferenceClassifier.FASHION_MNIST;

        @Option(names = "--epochs", paramLabel = "N", description = "Training epochs, 1..1000 (default: ${DEFAULT-VALUE}).")
        int epochs = 5;

        @Option(names = "--batch-size", paramLabel = "N", description = "Images per training step, at most the number of training images (default: " + DEFAULT_BATCH_SIZE + ", or all the training images when there are fewer).")
        Integer batchSize;

        @Option(names = "--seed", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads (0 = GAN4J_THREADS if set, else all cores; default: ${DEFAULT-VALUE}; a value above 0 wins over GAN4J_THREADS); results are bit-identical only for the same count.")
        int threads = 0;

        @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the current folder).")
        Path out = Path.of(".");

        @Option(names = "--replace", description = "Overwrite a classifier of the same --name in --out (refused without it: evaluations name the classifier they used).")
        boolean replace;

        @Override
        public Integer call() {
            if (epochs < 1 || epochs > MAX_EPOCHS) {
                throw new Gan4jException("--epochs must be between 1 and " + MAX_EPOCHS + ", got " + epochs);
            }
            if (batchSize != null && batchSize < 1) {
                throw new Gan4jException("--batch-size must be at least 1, got " + batchSize);
            }
            if (!Files.exists(data)) {
                throw new Gan4jException("--data " + data + " does not exist");
            }
            Path testFile = test != null ? test : defaultTest(data);
            if (test != null && !Files.exists(test)) {
                throw new Gan4jException("--test " + test + " does not exist");
            }
            if (test == null && !Files.exists(testFile)) {
                throw new Gan4jException("test file " + testFile + " does not exist (without --test, the t10k file next "
                        + "to --data is used): name the test images with --test FILE");
            }
            int used = EngineSetup.configure(threads, true);
            ImageDataset train = IdxReader.read(data);
            ImageDataset testSet = IdxReader.read(testFile);
            if (batchSize != null && batchSize > train.size()) {
                throw new Gan4jException("--batch-size " + batchSize + " is more than the " + train.size()
                        + " training images in " + data + ": use at most " + train.size());
            }
            int batch = batchSize != null ? batchSize : Math.min(DEFAULT_BATCH_SIZE, train.size());
            checkOutput();
            String command =
                    String.format(
                            Locale.ROOT, "./gan4j classifier train --data %s --test %s --name %s --epochs %d"
                                    + " --batch-size %d --seed %d --threads %d",
                            data, testFile, name, epochs, batch, seed, used);
            var console = spec.commandLine().getOut();
            console.printf("training %s on %s (%d images), testing on %d images, %d epochs of batch %d, %d threads%n",
                    name, data, train.size(), testSet.size(), epochs, batch, used);
            console.flush();
            ReferenceInfo info =
                    ClassifierTraining.builder()
                            .setTrain(train)
                            .setTest(testSet)
                            .setName(name)
                            .optEpochs(epochs)
                            .optBatchSize(batch)
                            .optSeed(seed)
                            .optCommand(command)
                            .optVersion(TrainingRun.VERSION)
                            .optProgress(line -> {
                                console.println("  " + line);
                                console.flush();
                            })
                            .build()
                            .trainAndWrite(out);
            console.printf(Locale.ROOT, "test accuracy %.2f %%%nwrote %s and %s%nsha256 %s%n",
                    100 * info.testAccuracy(), out.resolve(name + ".params"), out.resolve(name + ".json"),
                    info.sha256());
            console.flush();
            return 0;
        }

        /** Before any training: the name is a file stem, --out takes files, and no classifier is overwritten unasked. */
        private void checkOutput() {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new Gan4jException("--name must be letters, digits, '.', '_' or '-' (it is the file stem), got "
                        + name);
            }
            for (String file : List.of(name + ".params", name + ".json")) {
                Path existing = out.resolve(file);
                if (Files.exists(existing) && !replace) {
                    throw new Gan4jException("--out " + out + " already holds " + file + ": choose another --name (e.g. "
                            + "a new version), or add --replace to overwrite that classifier");
                }
            }
            RunDirectory.checkWritable(out);
        }

        private static Path defaultTest(Path data) {
            return IdxReader.testFileFor(data).orElseThrow(() ->
                    new Gan4jException("--test is required when --data is not a train-* file: " + data));
        }
    }

    /** {@code gan4j classifier show}: prints a reference classifier's sidecar. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a reference classifier's name, accuracy and SHA-256 (weights verified).")
    static final class Show implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(names = "--reference", paramLabel = "NAME|FILE.params", description = "Shipped name or weights file (default: ${DEFAULT-VALUE}).")
        String reference = ReferenceClassifier.FASHION_MNIST;

        @Override
        public Integer call() throws Exception {
            EngineSetup.configure(0);
            try (ReferenceClassifier classifier = ReferenceClassifier.open(reference)) {
                spec.commandLine().getOut().println(
                        org.gan4j.io.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(classifier.info().toJson()));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
