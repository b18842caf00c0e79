package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.cli.CliTest.Result;
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
            assertThat(result.out()).contains(", " + cores + " threads");
            assertThat(Files.readString(temp.resolve("out/tiny-v1.json"))).contains("--threads " + cores);
        });
    }

    @Test
    void trainsOnFewerImagesThanTheDefaultBatch() throws IOException {
        Path train = labelled("train", 20);
        labelled("t10k", 12);
        Path out = temp.resolve("out");
        Result result = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1", "--threads",
                "1", "--name", "tiny-v1", "--out", out.toString());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("(20 images), testing on 12 images, 1 epochs of batch 20");
        assertThat(out.resolve("tiny-v1.params")).isRegularFile();
        assertThat(Files.readString(out.resolve("tiny-v1.json"))).contains("--batch-size 20");

        Result explicit = CliTest.run("classifier", "train", "--data", train.toString(), "--epochs", "1",
                "--batch-size", "8", "--threads", "1", "--name", "tiny-v2", "--out", out.toString());
        assertThat(explicit.code()).as(explicit.err()).isZero();
        assertThat(explicit.out()).contains("1 epochs of batch 8");
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
}
