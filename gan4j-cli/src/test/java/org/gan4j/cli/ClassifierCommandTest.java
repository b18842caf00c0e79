package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import org.gan4j.cli.CliTest.Result;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gan4j classifier train} on small datasets, and its messages for bad options and missing files. */
class ClassifierCommandTest {

    @TempDir Path temp;

    /** Writes {@code count} labelled 28×28 images (three classes) as an IDX image file and its label file. */
    private Path labelled(String prefix, int count) throws IOException {
        Path images = CliTest.writeIdx(temp.resolve(prefix + "-images-idx3-ubyte"), count, count);
        try (OutputStream stream = Files.newOutputStream(temp.resolve(prefix + "-labels-idx1-ubyte"));
                DataOutputStream out = new DataOutputStream(stream)) {
            out.writeInt(0x00000801);
            out.writeInt(count);
            for (int n = 0; n < count; n++) {
                out.writeByte(n % 3);
            }
        }
        return images;
    }

    /**
     * {@code --threads N} is the count the reproduction command in NAME.json records: it wins over GAN4J_THREADS
     * ({@code -Dai.djl.pytorch.num_threads}), which used to replace it silently.
     */
    @Test
    void threadsWinsOverGan4jThreads() throws IOException {
        Path train = labelled("train", 20);
        labelled("t10k", 12);
        String property = "ai.djl.pytorch.num_threads";
        int cores = Runtime.getRuntime().availableProcessors();
        CliTest.restoringProperty(property, () -> {
            System.setProperty(property, Integer.toString(cores + 1));
            Result result = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1", "--threads",
                    Integer.toString(cores), "--name", "tiny-v1", "--out", temp.resolve("out").toString());
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.out()).contains(", " + cores + (cores == 1 ? " thread" : " threads"));
            // singular for one: it said "1 epochs"
            assertThat(result.out()).contains(" 1 epoch of batch ").doesNotContain("epochs");
            assertThat(Files.readString(temp.resolve("out/tiny-v1.json"))).contains("--threads " + cores);
        });
    }

    /**
     * {@code --threads} outside 0 … 1024 is a one-line error that writes nothing: -1 trained on all cores without a
     * word, and a huge count made libtorch start that many threads.
     */
    @Test
    void threadsOutsideItsRangeIsAOneLineError() throws IOException {
        Path train = labelled("train", 20);
        labelled("t10k", 12);
        for (String bad : new String[] {"-1", "1025"}) {
            Result result = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1",
                    "--threads", bad, "--name", "tiny-v1", "--out", temp.resolve("out").toString());
            CliTest.assertUserError(result,
                    "--threads must be between 0 and 1024 (0 = GAN4J_THREADS if set, else all cores), got " + bad);
        }
        assertThat(temp.resolve("out")).doesNotExist();
    }

    @Test
    void trainsOnFewerImagesThanTheDefaultBatch() throws IOException {
        Path train = labelled("train", 20);
        labelled("t10k", 12);
        Path out = temp.resolve("out");
        Result result = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1", "--threads",
                "1", "--name", "tiny-v1", "--out", out.toString());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("(20 images of shape [1, 28, 28]), testing on 12 images, 1 epoch of batch 20");
        assertThat(out.resolve("tiny-v1.params")).isRegularFile();
        assertThat(Files.readString(out.resolve("tiny-v1.json"))).contains("--batch-size 20");

        Result explicit = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1",
                "--batch-size", "8", "--threads", "1", "--name", "tiny-v2", "--out", out.toString());
        assertThat(explicit.code()).as(explicit.err()).isZero();
        assertThat(explicit.out()).contains("1 epoch of batch 8");
    }

    @Test
    void anExistingClassifierIsKeptUnlessReplacedAndABadOutIsRefusedBeforeTraining() throws IOException {
        Path train = labelled("train", 20);
        labelled("t10k", 12);
        Path out = temp.resolve("out");
        Result first = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1", "--threads", "1",
                "--name", "tiny-v1", "--out", out.toString());
        assertThat(first.code()).as(first.err()).isZero();
        byte[] weights = Files.readAllBytes(out.resolve("tiny-v1.params"));
        String info = Files.readString(out.resolve("tiny-v1.json"));

        Result again = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1", "--threads", "1",
                "--seed", "7", "--name", "tiny-v1", "--out", out.toString());
        CliTest.assertUserError(again, "--out " + out, "already holds tiny-v1.params", "--replace");
        assertThat(again.out()).doesNotContain("training tiny-v1");
        assertThat(Files.readAllBytes(out.resolve("tiny-v1.params"))).isEqualTo(weights);
        assertThat(Files.readString(out.resolve("tiny-v1.json"))).isEqualTo(info);

        Result replaced = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1", "--threads",
                "1", "--seed", "7", "--name", "tiny-v1", "--out", out.toString(), "--replace");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(Files.readString(out.resolve("tiny-v1.json"))).contains("--seed 7");

        Path file = Files.writeString(temp.resolve("a-file"), "x");
        Result badOut = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1", "--threads",
                "1", "--out", file.resolve("sub").toString());
        CliTest.assertUserError(badOut, file.toString(), "is a file, not a folder");
        assertThat(badOut.out()).doesNotContain("training");

        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString(), "--name", "../up",
                "--out", out.toString()), "--name", "got ../up");
    }

    @Test
    void eachBadOptionIsNamedWithItsValue() throws IOException {
        Path train = labelled("train", 20);
        labelled("t10k", 12);
        Result epochs = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "0");
        CliTest.assertUserError(epochs, "--epochs", "between 1 and 1000", "got 0");
        assertThat(epochs.err()).doesNotContain("batch");

        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString(), "--batch-size", "0"),
                "--batch-size", "got 0");
        Result tooBig = CliTest.run("classifier", "train", "--data", train.toString(), "--batch-size", "21",
                "--out", temp.resolve("out").toString());
        CliTest.assertUserError(tooBig, "--batch-size 21", "20 training images", "at most 20");
        assertThat(temp.resolve("out")).doesNotExist();
    }

    @Test
    void missingFilesSayTheyDoNotExistAndWhichOptionNamesThem() throws IOException {
        Path train = labelled("train", 20);
        Path defaultTest = temp.resolve("t10k-images-idx3-ubyte");
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString()), defaultTest.toString(),
                "does not exist", "--test");
        Path test = temp.resolve("held-out-images-idx3-ubyte");
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString(), "--test", test.toString()),
                "--test " + test, "does not exist");
        Path data = temp.resolve("train-nothing-idx3-ubyte");
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", data.toString()), "--data " + data,
                "does not exist");
    }

    /**
     * The data readers are shared with training, whose messages name its config keys: classifier train's errors name
     * its own options instead (--data, --test) and a way out it has, --cifar-variant for a CIFAR file whose size fits
     * both layouts (3073 × 3074 bytes: 3074 CIFAR-10 records or 3073 CIFAR-100 ones).
     */
    @Test
    void dataErrorsNameThisCommandsOptions() throws IOException {
        Path image = temp.resolve("some.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", image.toFile());
        Result single = CliTest.run("classifier", "train", "--data", image.toString());
        CliTest.assertUserError(single, "is a single image; point --data to the folder that holds the images");
        assertThat(single.err()).doesNotContain("data.");

        Path ambiguous = temp.resolve("ambiguous.bin");
        try (var channel = java.nio.channels.FileChannel.open(ambiguous, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(1), 3073L * 3074 - 1);
        }
        Result unsure = CliTest.run("classifier", "train", "--data", ambiguous.toString(), "--test",
                ambiguous.toString());
        CliTest.assertUserError(unsure, "--data: " + ambiguous, "cannot tell CIFAR-10 from CIFAR-100",
                "give --cifar-variant cifar10 or cifar100");
        assertThat(unsure.err()).doesNotContain("data.");
        // the option resolves it, for --data and --test alike: 3074 CIFAR-10 records, 3073 CIFAR-100 ones
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", ambiguous.toString(), "--test",
                ambiguous.toString(), "--cifar-variant", "cifar10", "--batch-size", "5000"),
                "--batch-size 5000 is more than the 3074 training images");
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", ambiguous.toString(), "--test",
                ambiguous.toString(), "--cifar-variant", "cifar100", "--batch-size", "5000"),
                "--batch-size 5000 is more than the 3073 training images");

        Path train = labelled("train", 20);
        labelled("t10k", 12);
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString(), "--cifar-variant",
                "cifar10"), "--cifar-variant applies only to CIFAR binary --data", "is an IDX file");
    }

    /** A CIFAR-10 binary folder as the archive unpacks: two training batches of 12 records and a test batch of 10. */
    static Path cifarBatches(Path temp) throws IOException {
        Path batches = temp.resolve("cifar-10-batches-bin");
        EvaluateCommandTest.cifarBatch(batches.resolve("data_batch_1.bin"), 12, 0);
        EvaluateCommandTest.cifarBatch(batches.resolve("data_batch_2.bin"), 12, 40);
        EvaluateCommandTest.cifarBatch(batches.resolve("test_batch.bin"), 10, 90);
        return batches;
    }

    /**
     * A colour classifier from CIFAR-10's binary batches: the test batch next to them is the default --test, the
     * sidecar records the 3×32×32 input shape, the data and the command; the same seed gives the same weights; and a
     * tiny CIFAR run evaluated with it (evaluate --reference) gets the classifier's metrics, which the shipped grey
     * classifier cannot give it.
     */
    @Test
    void aCifarClassifierScoresACifarRun() throws IOException {
        Path batches = cifarBatches(temp);
        Path out = temp.resolve("classifiers");
        Result trained = CliTest.run("classifier", "train", "--data", batches.toString(), "--epochs", "1",
                "--batch-size", "8", "--threads", "1", "--name", "cifar-tiny-v1", "--out", out.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("(24 images of shape [3, 32, 32]), testing on 10 images");
        JsonNode info = Json.MAPPER.readTree(out.resolve("cifar-tiny-v1.json").toFile());
        assertThat(info.get("imageShape").toString()).isEqualTo("[3,32,32]");
        assertThat(info.get("classes").asInt()).isEqualTo(10);
        assertThat(info.get("classNames").toString()).isEqualTo("[\"airplane\",\"automobile\",\"bird\",\"cat\","
                + "\"deer\",\"dog\",\"frog\",\"horse\",\"ship\",\"truck\"]");
        assertThat(info.get("trainExamples").asInt()).isEqualTo(24);
        assertThat(info.get("testExamples").asInt()).isEqualTo(10);
        assertThat(info.get("dataset").asText()).startsWith("cifar-10 " + batches);
        assertThat(info.get("command").asText()).contains("classifier train --data " + batches)
                .contains("--test " + batches.resolve("test_batch.bin")).contains("--seed 1").doesNotContain("--size");

        Result again = CliTest.run("classifier", "train", "--data", batches.toString(), "--epochs", "1",
                "--batch-size", "8", "--threads", "1", "--name", "cifar-tiny-v2", "--out", out.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Json.MAPPER.readTree(out.resolve("cifar-tiny-v2.json").toFile()).get("sha256"))
                .isEqualTo(info.get("sha256"));

        Path run = temp.resolve("cifar-run");
        Result run1 = CliTest.run("train", "--data", batches.toString(), "--set", "training.batchSize=8",
                "--set", "model.dcgan.generatorFeatures=4", "--set", "model.dcgan.discriminatorFeatures=4",
                "--set", "training.steps=2", "--no-progress", "--out", run.toString());
        assertThat(run1.code()).as(run1.err() + run1.out()).isZero();
        Path params = out.resolve("cifar-tiny-v1.params");
        Result evaluated = CliTest.run("evaluate", "--run", run.toString(), "-n", "12", "--reference",
                params.toString(), "--no-cache", "--out", temp.resolve("eval.json").toString());
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).doesNotContain("only the metrics that need no classifier");
        JsonNode result = Json.MAPPER.readTree(temp.resolve("eval.json").toFile());
        assertThat(result.at("/reference/name").asText()).isEqualTo("cifar-tiny-v1");
        assertThat(result.at("/reference/sha256")).isEqualTo(info.get("sha256"));
        for (String metric : new String[] {"fd", "kid", "precision", "recall", "classifierScore"}) {
            assertThat(result.at("/metrics/" + metric).isNumber()).as(metric + " in " + result).isTrue();
        }

        // samples from elsewhere (a colour folder) against the CIFAR batches, with the same classifier
        Path samples = EvaluateCommandTest.colourFolder(temp.resolve("samples"), 12, false);
        Result images = CliTest.run("evaluate", "--images", samples.toString(), "--real", batches.toString(),
                "--reference", params.toString(), "--metrics", "fd,kid", "--no-cache", "--out",
                temp.resolve("images.json").toString());
        assertThat(images.code()).as(images.err()).isZero();
        JsonNode imagesResult = Json.MAPPER.readTree(temp.resolve("images.json").toFile());
        assertThat(imagesResult.at("/metrics/fd").isNumber()).as(imagesResult.toString()).isTrue();
        assertThat(imagesResult.at("/reference/name").asText()).isEqualTo("cifar-tiny-v1");

        // the shipped grey classifier cannot score the run's colour images: its metrics are refused by name
        Result shipped = CliTest.run("evaluate", "--run", run.toString(), "-n", "12", "--metrics", "fd", "--no-cache",
                "--out", temp.resolve("shipped.json").toString());
        CliTest.assertUserError(shipped, "[3, 32, 32]", "fashion-mnist-v1", "[1, 28, 28]");
    }

    /** One .bin file is CIFAR data too; without a test split next to it --test must name one. */
    @Test
    void aCifarFileWithoutATestSplitNeedsTest() throws IOException {
        Path single = EvaluateCommandTest.cifarBatch(temp.resolve("mine/batch.bin"), 12, 0);
        Result missing = CliTest.run("classifier", "train", "--data", single.toString(), "--epochs", "1",
                "--out", temp.resolve("out").toString());
        CliTest.assertUserError(missing, "no test split next to --data " + single, "--test FILE");
        assertThat(temp.resolve("out")).doesNotExist();

        Path testFile = EvaluateCommandTest.cifarBatch(temp.resolve("held/test.bin"), 10, 50);
        Result given = CliTest.run("classifier", "train", "--data", single.toString(), "--test", testFile.toString(),
                "--epochs", "1", "--threads", "1", "--name", "one-file-v1", "--out", temp.resolve("out").toString());
        assertThat(given.code()).as(given.err()).isZero();
        assertThat(Files.readString(temp.resolve("out/one-file-v1.json"))).contains("--test " + testFile);

        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", single.toString(), "--test",
                testFile.toString(), "--size", "64"), "--size applies only to an image folder", "CIFAR");
    }

    /**
     * A --test folder of CIFAR training batches without a test batch (a partial copy of cifar-10-batches-bin) was read
     * through its data_batch_*.bin files: the recorded test accuracy was measured on training images.
     */
    @Test
    void aTestFolderOfTrainingBatchesWithoutATestBatchIsRefused() throws IOException {
        Path batches = cifarBatches(temp);
        Path partial = temp.resolve("partial/cifar-10-batches-bin");
        EvaluateCommandTest.cifarBatch(partial.resolve("data_batch_1.bin"), 10, 0);
        Result refused = CliTest.run("classifier", "train", "--data", batches.toString(), "--test", partial.toString(),
                "--epochs", "1", "--out", temp.resolve("out").toString());
        CliTest.assertUserError(refused, "--test " + partial, "no test batch", "name the test .bin file");
        assertThat(temp.resolve("out")).doesNotExist();
    }

    /**
     * A labelled colour photo set of two classes, {@code plain} (one colour) and {@code varied}: photos/train with
     * {@code each} images per class and photos/test with {@code testEach}.
     *
     * @return the training folder
     */
    private Path photos(int each, int testEach) throws IOException {
        Path train = temp.resolve("photos/train");
        Path test = temp.resolve("photos/test");
        EvaluateCommandTest.colourFolder(train.resolve("plain"), each, true);
        EvaluateCommandTest.colourFolder(train.resolve("varied"), each, false);
        EvaluateCommandTest.colourFolder(test.resolve("plain"), testEach, true);
        EvaluateCommandTest.colourFolder(test.resolve("varied"), testEach, false);
        return train;
    }

    /** A labelled colour image folder (class subfolders) read at --size, tested on a second folder. */
    @Test
    void aLabelledColourFolderMakesAClassifierOfItsSize() throws IOException {
        Path train = photos(10, 4);
        Path test = temp.resolve("photos/test");
        Path out = temp.resolve("out");
        Result trained = CliTest.run("classifier", "train", "--data", train.toString(), "--test", test.toString(),
                "--size", "16", "--epochs", "1", "--threads", "1", "--name", "photos-v1", "--out", out.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("(20 images of shape [3, 16, 16]), testing on 8 images");
        JsonNode info = Json.MAPPER.readTree(out.resolve("photos-v1.json").toFile());
        assertThat(info.get("imageShape").toString()).isEqualTo("[3,16,16]");
        assertThat(info.get("classes").asInt()).isEqualTo(2);
        assertThat(info.get("command").asText()).contains("--data " + train).contains("--test " + test)
                .contains("--size 16 --channels 3");

        // the default size is 32, CIFAR's
        Result defaults = CliTest.run("classifier", "train", "--data", train.toString(), "--test", test.toString(),
                "--epochs", "1", "--threads", "1", "--name", "photos-v2", "--out", out.toString());
        assertThat(defaults.code()).as(defaults.err()).isZero();
        assertThat(Files.readString(out.resolve("photos-v2.json"))).contains("--size 32");

        // a grey classifier of the same folder
        Result grey = CliTest.run("classifier", "train", "--data", train.toString(), "--test", test.toString(),
                "--size", "16", "--channels", "1", "--epochs", "1", "--threads", "1", "--name", "photos-grey-v1",
                "--out", out.toString());
        assertThat(grey.code()).as(grey.err()).isZero();
        assertThat(Json.MAPPER.readTree(out.resolve("photos-grey-v1.json").toFile()).get("imageShape").toString())
                .isEqualTo("[1,16,16]");
    }

    /**
     * A folder's class subfolders name its classes: the sidecar records them in label order (sorted), train says them,
     * and show prints them with the sidecar; an IDX classifier has no names (no classNames field), which show notes
     * aside, keeping its output the sidecar's JSON.
     */
    @Test
    void aLabelledFolderRecordsItsClassNamesAndShowPrintsThem() throws IOException {
        Path train = photos(6, 2);
        Path test = temp.resolve("photos/test");
        Path out = temp.resolve("out");
        Result trained = CliTest.run("classifier", "train", "--data", train.toString(), "--test", test.toString(),
                "--size", "8", "--epochs", "1", "--threads", "1", "--name", "photos-v1", "--out", out.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("classes (2): plain, varied");
        JsonNode info = Json.MAPPER.readTree(out.resolve("photos-v1.json").toFile());
        assertThat(info.get("classNames").toString()).isEqualTo("[\"plain\",\"varied\"]");

        Result shown = CliTest.run("classifier", "show", "--reference", out.resolve("photos-v1.params").toString());
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(Json.MAPPER.readTree(shown.out()).get("classNames").toString())
                .isEqualTo("[\"plain\",\"varied\"]");
        assertThat(shown.err()).doesNotContain("not named");

        Path idx = labelled("train", 20);
        labelled("t10k", 12);
        Result numbered = CliTest.run("classifier", "train", "--data", idx.toString(), "--epochs", "1", "--threads",
                "1", "--name", "tiny-v1", "--out", out.toString());
        assertThat(numbered.code()).as(numbered.err()).isZero();
        assertThat(numbered.out()).contains("classes (3): not named in the sidecar");
        assertThat(Json.MAPPER.readTree(out.resolve("tiny-v1.json").toFile()).has("classNames")).isFalse();
        Result unnamed = CliTest.run("classifier", "show", "--reference", out.resolve("tiny-v1.params").toString());
        assertThat(unnamed.code()).as(unnamed.err()).isZero();
        assertThat(Json.MAPPER.readTree(unnamed.out()).get("name").asText()).isEqualTo("tiny-v1");
        assertThat(unnamed.err()).contains("note: classes (3): not named in the sidecar (evaluations call them class 0"
                + " to class 2");
    }

    /** One epoch on an IDX file with {@code --class-names}, into temp/out as NAME; it must succeed. */
    private Result trainNamed(Path idx, String classNames, String name) {
        Result result = CliTest.run("classifier", "train", "--data", idx.toString(), "--epochs", "1", "--threads", "1",
                "--class-names", classNames, "--name", name, "--out", temp.resolve("out").toString());
        assertThat(result.code()).as(result.err()).isZero();
        return result;
    }

    /**
     * {@code --class-names} names an IDX classifier's classes (its labels are numbers), as the shipped reference's
     * reproduction command does, and replaces a folder's subfolder names; the sidecar's command repeats it, quoted
     * for the shell. A wrong count, a blank or a repeated name is a one-line error before anything is trained.
     */
    @Test
    void classNamesNameAnIdxClassifierAndAreCheckedBeforeTraining() throws IOException {
        Path idx = labelled("train", 20);
        labelled("t10k", 12);
        Path out = temp.resolve("out");
        Result named = trainNamed(idx, "T-shirt/top,Ankle boot, Bag", "named-v1");
        assertThat(named.out()).contains("classes (3): T-shirt/top, Ankle boot, Bag");
        JsonNode info = Json.MAPPER.readTree(out.resolve("named-v1.json").toFile());
        assertThat(info.get("classNames").toString()).isEqualTo("[\"T-shirt/top\",\"Ankle boot\",\"Bag\"]");
        assertThat(info.get("command").asText()).contains(" --class-names 'T-shirt/top,Ankle boot,Bag' ");

        for (String[] mistake : new String[][] {
            {"a,b", "--class-names lists 2 names, but the training data has 3 classes: give one name per class, in"
                    + " label order, separated by commas"},
            {"a,,c", "--class-names: name 2 (label 1) is blank"},
            {"a,b,a", "--class-names names 'a' twice (labels 0 and 2): each class needs its own name"}}) {
            CliTest.assertUserError(CliTest.run("classifier", "train", "--data", idx.toString(), "--epochs", "1",
                    "--class-names", mistake[0], "--name", "wrong-v1", "--out", out.toString()), mistake[1]);
            assertThat(out.resolve("wrong-v1.json")).doesNotExist();
        }
        assertThat(ClassifierCommand.Train.shellWord("it's")).isEqualTo("'it'\\''s'");
        assertThat(ClassifierCommand.Train.shellWord("a,b")).isEqualTo("a,b");
    }

    /**
     * A class name with a comma is given in double quotes: picocli's split keeps a quoted section whole, quotes and
     * all, and the name went into the sidecar as "\"Top, T-shirt\"" (and the train output and every verdict) with its
     * quotes. The quotes are removed now, and the sidecar's command gives them back.
     */
    @Test
    void aClassNameWithACommaIsGivenInDoubleQuotes() throws IOException {
        labelled("t10k", 12);
        Path out = temp.resolve("out");
        Result named = trainNamed(labelled("train", 20), "\"Top, T-shirt\",Trouser,Bag", "comma-v1");
        // in double quotes in the classes line too: "classes (3): Top, T-shirt, Trouser, Bag" read as four classes
        assertThat(named.out()).contains("classes (3): \"Top, T-shirt\", Trouser, Bag");
        JsonNode info = Json.MAPPER.readTree(out.resolve("comma-v1.json").toFile());
        assertThat(info.get("classNames").toString()).isEqualTo("[\"Top, T-shirt\",\"Trouser\",\"Bag\"]");
        assertThat(info.get("command").asText()).contains(" --class-names '\"Top, T-shirt\",Trouser,Bag' ");
    }

    /**
     * The help shows --class-names as a list of names: its parameter label "A,B,..." with the split came out as
     * "--class-names=A,B,...[,A,B,......]".
     */
    @Test
    void theHelpShowsClassNamesAsAListOfNames() {
        Result help = CliTest.run("classifier", "train", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--class-names=NAME[,NAME...]").doesNotContain("A,B,...[");
    }

    /** The labelled folder of two classes that the empty-subfolder case trains on. */
    private static Path other(Path temp) throws IOException {
        Path two = temp.resolve("two");
        EvaluateCommandTest.colourFolder(two.resolve("a"), 3, true);
        EvaluateCommandTest.colourFolder(two.resolve("b"), 3, false);
        return two;
    }

    /**
     * Unlabelled folders, a folder without --test, other class subfolders or shapes, a class subfolder without images:
     * one line each, no training.
     */
    @Test
    void folderMistakesAreOneLineErrors() throws IOException {
        Path train = temp.resolve("train");
        EvaluateCommandTest.colourFolder(train.resolve("a"), 6, true);
        EvaluateCommandTest.colourFolder(train.resolve("b"), 6, false);
        Path flat = EvaluateCommandTest.colourFolder(temp.resolve("flat"), 6, false);
        Path out = temp.resolve("out");

        Result noTest = CliTest.run("classifier", "train", "--data", train.toString(), "--out", out.toString());
        CliTest.assertUserError(noTest, "--data " + train + " is an image folder", "--test FOLDER");

        Result unlabelled = CliTest.run("classifier", "train", "--data", flat.toString(), "--test", train.toString(),
                "--out", out.toString());
        CliTest.assertUserError(unlabelled, "--data " + flat + " has no class subfolders", "one subfolder per class");

        Result unlabelledTest = CliTest.run("classifier", "train", "--data", train.toString(), "--test",
                flat.toString(), "--out", out.toString());
        CliTest.assertUserError(unlabelledTest, "--test " + flat + " has no class subfolders");

        Path oneClass = temp.resolve("one");
        EvaluateCommandTest.colourFolder(oneClass.resolve("only"), 4, true);
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", oneClass.toString(), "--test",
                train.toString()), "--data " + oneClass + " has only one class subfolder", "at least 2");

        // an empty class subfolder is not a class: it would drop a class and renumber the labels after it
        Path withEmpty = temp.resolve("with-empty");
        EvaluateCommandTest.colourFolder(withEmpty.resolve("a"), 3, true);
        java.nio.file.Files.createDirectories(withEmpty.resolve("b"));
        java.nio.file.Files.writeString(withEmpty.resolve("b").resolve("notes.txt"), "not an image");
        EvaluateCommandTest.colourFolder(withEmpty.resolve("c"), 3, false);
        java.nio.file.Files.createDirectories(withEmpty.resolve(".thumbnails"));
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", withEmpty.toString(), "--test",
                train.toString(), "--out", out.toString()), "--data " + withEmpty + ": class subfolder b holds no"
                + " readable images, so it is not a class (the classes would be [a, c]); add images to it or move it"
                + " out of " + withEmpty);
        java.nio.file.Files.createDirectories(train.resolve("d"));
        java.nio.file.Files.createDirectories(train.resolve("e"));
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", other(temp).toString(), "--test",
                train.toString(), "--out", out.toString()), "--test " + train + ": class subfolders d, e hold no"
                + " readable images");
        java.nio.file.Files.delete(train.resolve("d"));
        java.nio.file.Files.delete(train.resolve("e"));
        assertThat(out).doesNotExist();

        Path other = temp.resolve("other");
        EvaluateCommandTest.colourFolder(other.resolve("a"), 3, true);
        EvaluateCommandTest.colourFolder(other.resolve("c"), 3, false);
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString(), "--test",
                other.toString()), "--test " + other + " has the class subfolders [a, c]", "[a, b]");

        // a CIFAR test split for a folder read at 64: the shapes differ
        Path batches = cifarBatches(temp);
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString(), "--test",
                batches.toString(), "--size", "64"), "--test " + batches.resolve("test_batch.bin"),
                "shape [3, 32, 32]", "[3, 64, 64]");
        // grey IDX training images with a colour CIFAR test split
        Path idx = labelled("train", 20);
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", idx.toString(), "--test",
                batches.toString()), "shape [3, 32, 32]", "[1, 28, 28]");

        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString(), "--test",
                train.toString(), "--size", "4"), "--size must be between 8 and 256, got 4");
        CliTest.assertUserError(CliTest.run("classifier", "train", "--data", train.toString(), "--test",
                train.toString(), "--channels", "2"), "--channels must be 1 (grey) or 3 (colour), got 2");
        assertThat(out).doesNotExist();
    }
    /**
     * Test images whose labels mean other classes than the training images' were accepted when the shapes agreed: a
     * 2-class folder tested on CIFAR-10 batches (labels 2..9 it can never predict) or CIFAR batches tested on a
     * folder (labels: sorted subfolder names, not CIFAR's classes) wrote a sidecar with a meaningless test accuracy.
     * A folder's test images must be a folder with the same class subfolders, and CIFAR data's must have its classes.
     */
    @Test
    void testImagesOfOtherClassesAreRefusedBeforeTraining() throws IOException {
        Path train = temp.resolve("train");
        EvaluateCommandTest.colourFolder(train.resolve("a"), 6, true);
        EvaluateCommandTest.colourFolder(train.resolve("b"), 6, false);
        Path batches = cifarBatches(temp);
        Path out = temp.resolve("out");

        Result folderOnCifar = CliTest.run("classifier", "train", "--data", train.toString(), "--test",
                batches.toString(), "--epochs", "1", "--threads", "1", "--out", out.toString());
        CliTest.assertUserError(folderOnCifar, "--test " + batches.resolve("test_batch.bin"), "--data " + train,
                "image folder", "same class subfolders");
        assertThat(folderOnCifar.out()).doesNotContain("training");

        Path test = temp.resolve("test");
        EvaluateCommandTest.colourFolder(test.resolve("a"), 3, true);
        EvaluateCommandTest.colourFolder(test.resolve("b"), 3, false);
        Result cifarOnFolder = CliTest.run("classifier", "train", "--data", batches.toString(), "--test",
                test.toString(), "--epochs", "1", "--threads", "1", "--out", out.toString());
        CliTest.assertUserError(cifarOnFolder, "--test " + test, "--data " + batches, "10 classes");
        assertThat(cifarOnFolder.out()).doesNotContain("training");

        // CIFAR-10 batches tested on a CIFAR-100 test.bin: 100 classes against 10
        Path hundred = temp.resolve("cifar-100-binary/test.bin");
        Files.createDirectories(hundred.getParent());
        byte[] records = new byte[10 * 3074];
        for (int r = 0; r < 10; r++) {
            records[r * 3074 + 1] = (byte) (50 + r); // fine label; the coarse one is byte 0
        }
        Files.write(hundred, records);
        Result otherCifar = CliTest.run("classifier", "train", "--data", batches.toString(), "--test",
                hundred.toString(), "--epochs", "1", "--threads", "1", "--out", out.toString());
        CliTest.assertUserError(otherCifar, "--test " + hundred, "100 classes", "10");
        assertThat(out).doesNotExist();
    }
}
