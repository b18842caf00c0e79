package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.Arrays;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.CifarVariant;
import org.gan4j.config.DataConfig.DataKind;
import org.gan4j.data.CifarReader;
import org.gan4j.data.Datasets;
import org.gan4j.data.GanDataset;
import org.gan4j.data.IdxReader;
import org.gan4j.data.ImageFolder;
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

    /**
     * {@code gan4j classifier train}: trains a reference classifier on labelled images: an IDX file (labels next to it),
     * CIFAR-10/100 binary batches, or an image folder with one subfolder per class.
     */
    @Command(
            name = "train",
            mixinStandardHelpOptions = true,
            description = {
                "Train the small reference CNN on labelled images and report its accuracy on the test images.",
                "--data takes an IDX image file (labels found next to it), CIFAR-10/100 binary batches (a"
                        + " cifar-10-batches-bin folder or a .bin file) or an image folder with one subfolder per class"
                        + " (read in colour at --size).",
                "Writes NAME.params plus NAME.json (input shape, class names of a folder or CIFAR, SHA-256, accuracy, this"
                        + " command); use it with"
                        + " gan4j evaluate --reference NAME.params and gan4j train --eval-reference NAME.params."
            },
            footer = {
                "",
                "The shipped Fashion-MNIST reference was made with:",
                "  ./gan4j classifier train --epochs 5 --seed 1 --threads 1 --class-names " + Train.FASHION_MNIST_NAMES
                        + " --out gan4j-core/src/main/resources/org/gan4j/evaluation/reference",
                "(add --replace to overwrite the shipped files)",
                "A CIFAR-10 reference (3×32×32), its test split test_batch.bin found next to the training batches:",
                "  ./gan4j classifier train --data data/cifar-10-batches-bin --name cifar10-v1 --out classifiers",
                "A reference for a labelled image folder (class subfolders), tested on a second such folder:",
                "  ./gan4j classifier train --data photos/train --test photos/test --size 64 --name photos-v1 --out classifiers"
            })
    static final class Train implements Callable<Integer> {

        /** Fashion-MNIST's class names as the shipped reference's reproduction command gives them. */
        static final String FASHION_MNIST_NAMES =
                "'T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot'";

        /** Images per training step unless --batch-size says otherwise (or the training set is smaller). */
        static final int DEFAULT_BATCH_SIZE = 100;

        /** The most epochs --epochs accepts. */
        static final int MAX_EPOCHS = 1000;

        /** The side an image folder is read at unless --size says otherwise (CIFAR's). */
        static final int DEFAULT_FOLDER_SIZE = 32;

        /** The smallest and largest --size. */
        static final int MIN_SIZE = 8;

        static final int MAX_SIZE = 256;

        @Spec CommandSpec spec;

        @Option(names = "--data", paramLabel = "PATH", description = "Labelled training images: an IDX file (labels found next to it), CIFAR-10/100 binary data (a folder of data_batch_*.bin or train.bin, or one .bin file) or an image folder with one subfolder per class (default: ${DEFAULT-VALUE}).")
        Path data = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

        @Option(names = "--test", paramLabel = "PATH", description = "Labelled test images of the same kind and shape (default: for IDX the t10k file next to --data, e.g. t10k-images-idx3-ubyte.gz next to train-images-idx3-ubyte.gz; for CIFAR test_batch.bin, or CIFAR-100's test.bin, next to the training batches; an image folder needs --test FOLDER with the same class subfolders).")
        Path test;

        @Option(names = "--size", paramLabel = "N", description = "Side an image folder is read at, " + MIN_SIZE + ".." + MAX_SIZE + " (default: " + DEFAULT_FOLDER_SIZE + "; use the data.imageSize of the runs it will evaluate; IDX and CIFAR images keep their own size).")
        Integer size;

        @Option(names = "--channels", paramLabel = "C", description = "Channels an image folder is read with: 3 (colour, the default) or 1 (grey; use the data.channels of the runs it will evaluate).")
        Integer channels;

        @Option(names = "--cifar-variant", paramLabel = "cifar10|cifar100", description = "Record layout of CIFAR binary --data and --test: cifar10 (1 label byte) or cifar100 (2); needed only when the file sizes fit both (default: inferred from the sizes).")
        CifarVariant cifarVariant;

        @Option(names = "--class-names", paramLabel = "NAME", split = ",", description = "Names of the classes in label order, one per class, separated by commas (a name with a comma in double quotes), recorded in NAME.json (default: an image folder's class subfolders, CIFAR's standard names; IDX labels are numbers, so an IDX classifier has none unless given here).")
        List<String> givenClassNames;

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
            if (size != null && (size < MIN_SIZE || size > MAX_SIZE)) {
                throw new Gan4jException("--size must be between " + MIN_SIZE + " and " + MAX_SIZE + ", got " + size);
            }
            if (channels != null && channels != 1 && channels != 3) {
                throw new Gan4jException("--channels must be 1 (grey) or 3 (colour), got " + channels);
            }
            if (!Files.exists(data)) {
                throw new Gan4jException("--data " + data + " does not exist");
            }
            if (test != null && !Files.exists(test)) {
                throw new Gan4jException("--test " + test + " does not exist");
            }
            DataKind kind = kindOf(data, "--data");
            if (kind != DataKind.FOLDER && (size != null || channels != null)) {
                // they would be ignored without a word: IDX and CIFAR images have their own shape
                throw new Gan4jException((size != null ? "--size" : "--channels") + " applies only to an image folder"
                        + " --data; " + data + " is " + describe(kind) + ", whose images keep their own shape");
            }
            if (cifarVariant == CifarVariant.AUTO) {
                cifarVariant = null;
            }
            if (cifarVariant != null && kind != DataKind.CIFAR) {
                throw new Gan4jException("--cifar-variant applies only to CIFAR binary --data; " + data + " is "
                        + (kind == DataKind.FOLDER ? "an image folder" : describe(kind)));
            }
            Path testFile = testFile(kind);
            DataKind testKind = kindOf(testFile, "--test");
            int used = EngineSetup.configure(threads, true);
            int side = size != null ? size : DEFAULT_FOLDER_SIZE;
            int colour = channels != null ? channels : 3;
            GanDataset train = read(data, "--data", kind, side, colour);
            GanDataset testSet = read(testFile, "--test", testKind, side, colour);
            checkLabelled(train, data, "--data", kind);
            checkLabelled(testSet, testFile, "--test", testKind);
            if (!Arrays.equals(train.exampleShape(), testSet.exampleShape())) {
                throw new Gan4jException("--test " + testFile + " has images of shape "
                        + Arrays.toString(testSet.exampleShape()) + ", --data " + data + " of shape "
                        + Arrays.toString(train.exampleShape()) + ": the test images must have the training images'"
                        + " shape");
            }
            if (train instanceof ImageFolder trainFolder && testSet instanceof ImageFolder testFolder
                    && !trainFolder.classNames().equals(testFolder.classNames())) {
                // labels are indices into the sorted subfolder names: other names would mislabel the test images
                throw new Gan4jException("--test " + testFile + " has the class subfolders " + testFolder.classNames()
                        + ", --data " + data + " " + trainFolder.classNames() + ": both need the same class subfolders");
            }
            checkSameClasses(train, kind, testSet, testKind, testFile);
            List<String> names = givenClassNames != null ? checkedClassNames(givenClassNames, train.classCount())
                    : classNames(train, kind);
            if (batchSize != null && batchSize > train.size()) {
                throw new Gan4jException("--batch-size " + batchSize + " is more than the " + train.size()
                        + " training images in " + data + ": use at most " + train.size());
            }
            int batch = batchSize != null ? batchSize : Math.min(DEFAULT_BATCH_SIZE, train.size());
            checkOutput();
            String shapeOptions = kind == DataKind.FOLDER ? " --size " + side + " --channels " + colour
                    : cifarVariant != null ? " --cifar-variant " + cifarVariant.name().toLowerCase(Locale.ROOT) : "";
            String namesOption = givenClassNames == null ? ""
                    : " --class-names " + shellWord(String.join(",", names.stream()
                            .map(n -> n.contains(",") ? '"' + n + '"' : n).toList()));
            String command =
                    String.format(
                            Locale.ROOT, "./gan4j classifier train --data %s --test %s%s%s --name %s --epochs %d"
                                    + " --batch-size %d --seed %d --threads %d",
                            data, testFile, shapeOptions, namesOption, name, epochs, batch, seed, used);
            var console = spec.commandLine().getOut();
            // "1 epochs", "1 threads" with --epochs 1 or the shipped reference's --threads 1
            console.printf("training %s on %s (%d images of shape %s), testing on %d images, %d epoch%s of batch %d,"
                            + " %d thread%s%n",
                    name, data, train.size(), Arrays.toString(train.exampleShape()), testSet.size(), epochs,
                    epochs == 1 ? "" : "s", batch, used, used == 1 ? "" : "s");
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
                            .optClassNames(names)
                            .optProgress(line -> {
                                console.println("  " + line);
                                console.flush();
                            })
                            .build()
                            .trainAndWrite(out);
            console.printf(Locale.ROOT, "test accuracy %.2f %%%nwrote %s and %s%nsha256 %s%n",
                    100 * info.testAccuracy(), out.resolve(name + ".params"), out.resolve(name + ".json"),
                    info.sha256());
            console.println(classesLine(info));
            console.flush();
            return 0;
        }

        /**
         * The names {@code --class-names} gives, checked before anything is trained: one per class of the training
         * data, none blank, no two alike.
         */
        static List<String> checkedClassNames(List<String> names, int classes) {
            // a name with a comma is given in double quotes ("Top, T-shirt"), which picocli's split keeps
            List<String> stripped = names.stream().map(String::strip)
                    .map(n -> n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")
                            ? n.substring(1, n.length() - 1).strip() : n)
                    .toList();
            if (stripped.size() != classes) {
                throw new Gan4jException("--class-names lists " + stripped.size() + " name"
                        + (stripped.size() == 1 ? "" : "s") + ", but the training data has " + classes
                        + " classes: give one name per class, in label order, separated by commas");
            }
            for (int n = 0; n < stripped.size(); n++) {
                if (stripped.get(n).isEmpty()) {
                    throw new Gan4jException("--class-names: name " + (n + 1) + " (label " + n + ") is blank");
                }
                if (stripped.indexOf(stripped.get(n)) != n) {
                    throw new Gan4jException("--class-names names '" + stripped.get(n) + "' twice (labels "
                            + stripped.indexOf(stripped.get(n)) + " and " + n + "): each class needs its own name");
                }
            }
            return stripped;
        }

        /** A word a POSIX shell reads back as itself: as it is when plain, else in single quotes. */
        static String shellWord(String word) {
            return word.matches("[A-Za-z0-9_./,:=+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
        }

        /**
         * The class names the sidecar records, in label order: an image folder's sorted class subfolders, CIFAR's
         * standard names; none for an IDX file (its label file holds numbers only).
         */
        static List<String> classNames(GanDataset train, DataKind kind) {
            if (train instanceof ImageFolder folder) {
                return folder.classNames();
            }
            return kind == DataKind.CIFAR ? CifarReader.classNames(train.classCount()) : List.of();
        }

        /** The kind of an existing data path (IDX file, CIFAR binary data, image folder), or a one-line error. */
        private static DataKind kindOf(Path path, String option) {
            try {
                return Datasets.infer(path);
            } catch (Gan4jException e) {
                throw new Gan4jException(option + ": " + inOwnTerms(e.getMessage(), option), e);
            }
        }

        /**
         * A data reader's message in this command's terms: the readers are shared with training, whose messages name
         * its config keys (data.path, data.cifarVariant, data.kind); this command has --data, --test and
         * --cifar-variant instead, and no data.kind.
         */
        static String inOwnTerms(String message, String option) {
            return message
                    .replace("set data.cifarVariant to cifar10 or cifar100", "give --cifar-variant cifar10 or cifar100")
                    .replace("wrong data.cifarVariant?", "wrong --cifar-variant?")
                    .replace("; its 2-D data is drawn by data.kind gaussian, ring or grid, and data.path takes",
                            "; " + option + " takes")
                    .replace("; set data.kind", "")
                    .replace("data.path", option);
        }

        private static String describe(DataKind kind) {
            return kind == DataKind.CIFAR ? "CIFAR binary data (3×32×32)" : "an IDX file";
        }

        /** The test images: --test, else the split that goes with --data's kind; a one-line error when none is. */
        private Path testFile(DataKind kind) {
            if (test != null) {
                // --test cifar-10-batches-bin: its test batch; one of training batches only is an error (the accuracy
                // would be a training one)
                return EvaluateCommand.testSplitOfCifarFolder("--test", test, "test");
            }
            switch (kind) {
                case CIFAR:
                    return CifarReader.testSplitFor(data).orElseThrow(() -> new Gan4jException("no test split next to"
                            + " --data " + data + " (test_batch.bin next to CIFAR-10's data_batch_*.bin, test.bin next to"
                            + " CIFAR-100's train.bin): name the test images with --test FILE"));
                case FOLDER:
                    throw new Gan4jException("--data " + data + " is an image folder, which has no test split of its"
                            + " own: name held-out images, a folder with the same class subfolders, with --test FOLDER");
                default:
                    Path file = IdxReader.testFileFor(data).orElseThrow(() ->
                            new Gan4jException("--test is required when --data is not a train-* file: " + data));
                    if (!Files.exists(file)) {
                        throw new Gan4jException("test file " + file + " does not exist (without --test, the t10k file"
                                + " next to --data is used): name the test images with --test FILE");
                    }
                    return file;
            }
        }

        private GanDataset read(Path path, String option, DataKind kind, int side, int channels) {
            try {
                switch (kind) {
                    case CIFAR:
                        return CifarReader.read(path, cifarVariant != null ? cifarVariant : CifarVariant.AUTO);
                    case FOLDER:
                        return ImageFolder.builder().setRoot(path).setImageSize(side).setChannels(channels).build();
                    default:
                        return IdxReader.read(path);
                }
            } catch (Gan4jException e) {
                String message = inOwnTerms(e.getMessage(), option);
                throw new Gan4jException(message.contains(option) ? message : option + ": " + message, e);
            }
        }

        /** Refuses images without labels (a folder without class subfolders, an IDX file without its label file). */
        private static void checkLabelled(GanDataset images, Path path, String option, DataKind kind) {
            if (kind == DataKind.FOLDER && images.classCount() == 0) {
                throw new Gan4jException(option + " " + path + " has no class subfolders (its images are unlabelled):"
                        + " a reference classifier needs one subfolder per class, e.g. " + path.resolve("cat")
                        + "/*.png and " + path.resolve("dog") + "/*.png");
            }
            if (images.classCount() == 0 || images.label(0) < 0) {
                throw new Gan4jException(option + " " + path + " has no labels (" + images.description() + "): a"
                        + " reference classifier needs labelled images");
            }
            // the labels are the subfolders that hold images: an empty one would silently drop a class and renumber
            // the ones after it
            if (images instanceof ImageFolder folder) {
                List<String> empty = folder.classFoldersWithoutImages(path);
                if (!empty.isEmpty()) {
                    boolean one = empty.size() == 1;
                    throw new Gan4jException(option + " " + path + ": class subfolder" + (one ? " " : "s ")
                            + String.join(", ", empty) + (one ? " holds" : " hold") + " no readable images, so "
                            + (one ? "it is" : "they are") + " not a class (the classes would be " + folder.classNames()
                            + "); add images to " + (one ? "it" : "them") + " or move " + (one ? "it" : "them")
                            + " out of " + path);
                }
            }
            if (option.equals("--data") && images.classCount() < 2) {
                throw new Gan4jException(option + " " + path + " has only one class"
                        + (kind == DataKind.FOLDER ? " subfolder" : "") + ": a reference classifier needs at least 2");
            }
        }

        /**
         * Refuses test images whose labels name other classes than the training images' (the shapes may agree: a
         * folder read at 32 and CIFAR batches): the test accuracy in the sidecar would mean nothing. A folder's labels
         * are its sorted class subfolders, so only a folder can test a folder; CIFAR batches need CIFAR test images of
         * the same variant; an IDX test file may not have labels beyond the training file's classes.
         */
        private void checkSameClasses(GanDataset train, DataKind kind, GanDataset testSet, DataKind testKind,
                Path testFile) {
            if ((kind == DataKind.FOLDER) != (testKind == DataKind.FOLDER)) {
                throw new Gan4jException("--test " + testFile + " is " + kindWithClasses(testKind, testSet)
                        + ", --data " + data + " " + kindWithClasses(kind, train) + ": a folder's labels are its sorted"
                        + " class subfolders, other data's mean other classes; an image folder is tested on a folder with"
                        + " the same class subfolders, other data on data of its kind");
            }
            if (testSet.classCount() > train.classCount()
                    || (kind == DataKind.CIFAR && testSet.classCount() != train.classCount())) {
                throw new Gan4jException("--test " + testFile + " has " + testSet.classCount() + " classes, --data "
                        + data + " " + train.classCount() + ": the test images need the training images' classes");
            }
        }

        private static String kindWithClasses(DataKind kind, GanDataset images) {
            String classes = images.classCount() + " classes";
            return kind == DataKind.FOLDER ? "an image folder (" + classes + ")"
                    : kind == DataKind.CIFAR ? "CIFAR binary data (3×32×32, " + classes + ")"
                    : "an IDX file (" + classes + ")";
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
    }

    /**
     * One line naming a classifier's classes, e.g. "classes (10): T-shirt/top, Trouser, …", or saying that the sidecar
     * names none (evaluations then call them "class 0", "class 1", …).
     */
    static String classesLine(ReferenceInfo info) {
        if (info.classNames().isEmpty()) {
            return "classes (" + info.classes() + "): not named in the sidecar (evaluations call them class 0 to class "
                    + (info.classes() - 1) + "; add \"classNames\": [...] to the sidecar to name them)";
        }
        // a name with a comma in double quotes, as --class-names takes it: "Top, T-shirt, Trouser, Bag" read as four
        return "classes (" + info.classes() + "): " + info.classNames().stream()
                .map(name -> name.contains(",") ? "\"" + name + "\"" : name)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** {@code gan4j classifier show}: prints a reference classifier's sidecar. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a reference classifier's name, accuracy, SHA-256 (weights verified) and class names.")
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
                if (classifier.info().classNames().isEmpty()) {
                    // the output stays the sidecar's JSON (its classNames, when it has them); the note goes aside
                    spec.commandLine().getErr().println("note: " + classesLine(classifier.info()));
                    spec.commandLine().getErr().flush();
                }
            }
            return 0;
        }
    }
}
