package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig;
import org.gan4j.config.DataConfig.BadFilePolicy;
import org.gan4j.config.DataConfig.CifarVariant;
import org.gan4j.config.DataConfig.DataKind;
import org.gan4j.config.Defaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir Path folder;

    private static DataConfig config(DataKind kind, Path path, int imageSize, int channels, int limit) {
        DataConfig d = Defaults.config().data();
        return new DataConfig(
                kind, path == null ? null : path.toString(), d.samples(), d.gaussian(), d.ring(), d.grid(), imageSize,
                channels, CifarVariant.AUTO, BadFilePolicy.SKIP, limit);
    }

    private Path idx() {
        byte[] pixels = new byte[3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (20 * i);
        }
        Path images =
                TestData.write(
                        folder.resolve("idx/train-images-idx3-ubyte.gz"),
                        TestData.gzip(TestData.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 2, pixels)));
        TestData.write(
                folder.resolve("idx/train-labels-idx1-ubyte.gz"),
                TestData.gzip(TestData.idxLabels(3, new byte[] {0, 1, 2})));
        return images;
    }

    @Test
    void syntheticKindsDrawFromTheSeed() {
        OpenedDataset gaussian = Datasets.open(Defaults.config().data(), 42);
        assertThat(gaussian.resolvedKind()).isEqualTo(DataKind.GAUSSIAN);
        assertThat(gaussian.source()).isEqualTo("gaussian");
        assertThat(gaussian.dataset().size()).isEqualTo(1000);
        assertThat(gaussian.dataset().exampleShape()).containsExactly(2);
        float[] one = new float[2];
        float[] two = new float[2];
        gaussian.dataset().copyExample(3, one, 0);
        Datasets.open(Defaults.config().data(), 42).dataset().copyExample(3, two, 0);
        assertThat(two).containsExactly(one);

        OpenedDataset ring = Datasets.open(config(DataKind.RING, null, 0, 0, 100), 1);
        assertThat(ring.dataset()).isInstanceOf(MixtureDataset.class);
        assertThat(ring.dataset().size()).isEqualTo(100);
        assertThat(ring.dataset().classCount()).isEqualTo(8);
        OpenedDataset grid = Datasets.open(config(DataKind.GRID, null, 0, 0, 0), 1);
        assertThat(((MixtureDataset) grid.dataset()).centres()).hasNumberOfRows(25);
    }

    @Test
    void autoRecognisesIdxAndAppliesSizeChannelsAndLimit() {
        Path images = idx();

        OpenedDataset opened = Datasets.open(config(DataKind.AUTO, images, 0, 0, 0), 1);
        assertThat(opened.resolvedKind()).isEqualTo(DataKind.IDX);
        assertThat(opened.source()).isEqualTo(images.toAbsolutePath().toString());
        assertThat(opened.dataset().exampleShape()).containsExactly(1, 2, 2);
        assertThat(opened.dataset().classCount()).isEqualTo(3);

        OpenedDataset adjusted = Datasets.open(config(DataKind.IDX, images, 1, 3, 2), 1);
        assertThat(adjusted.dataset().size()).isEqualTo(2);
        assertThat(adjusted.dataset().exampleShape()).containsExactly(3, 1, 1);
        ImageDataset data = (ImageDataset) adjusted.dataset();
        assertThat(data.pixel(1, 2, 0, 0)).isEqualTo((80 + 100 + 120 + 140) / 4);
        assertThat(data.label(1)).isEqualTo(1);
    }

    @Test
    void autoRecognisesCifarFilesAndFolders() {
        Path cifar = folder.resolve("cifar");
        Path batch = TestData.write(cifar.resolve("data_batch_1.bin"), TestData.cifar(3, 1, 10));
        TestData.write(cifar.resolve("batches.meta.txt"), "cat\n".getBytes());

        assertThat(Datasets.infer(cifar)).isEqualTo(DataKind.CIFAR);
        assertThat(Datasets.infer(batch)).isEqualTo(DataKind.CIFAR);
        OpenedDataset opened = Datasets.open(config(DataKind.AUTO, cifar, 16, 1, 0), 1);
        assertThat(opened.resolvedKind()).isEqualTo(DataKind.CIFAR);
        assertThat(opened.dataset().exampleShape()).containsExactly(1, 16, 16);
        assertThat(opened.dataset().size()).isEqualTo(3);
    }

    @Test
    void aTruncatedBinFileIsReadAsCifarAndReportedAsTruncated() {
        byte[] whole = TestData.cifar(3, 1, 10);
        Path batch =
                TestData.write(
                        folder.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(whole, whole.length - 1000));

        assertThat(Datasets.infer(batch)).isEqualTo(DataKind.CIFAR);
        assertThatThrownBy(() -> Datasets.open(config(DataKind.AUTO, batch, 0, 0, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(batch.toString())
                .hasMessageContaining("neither whole 3073-byte CIFAR-10 records nor whole 3074-byte CIFAR-100")
                .hasMessageContaining("truncated?");
    }

    @Test
    void aFileNamedLikeIdxThatIsNeitherIdxNorGzipSaysWhatItStartsWith() {
        Path html = TestData.write(folder.resolve("train-images-idx3-ubyte.gz"), "<html>404</html>".getBytes());
        Path empty = TestData.write(folder.resolve("t10k-images-idx3-ubyte"), new byte[0]);

        assertThatThrownBy(() -> Datasets.infer(html))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(html + " is named like an IDX file but is not one: it starts with bytes 3c 68 74 6d,"
                        + " not the gzip magic 1f 8b nor the IDX image magic 00 00 08 03");
        assertThatThrownBy(() -> Datasets.infer(empty))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("it starts with nothing (the file is empty)");
    }

    @Test
    void aCsvOfPointsIsRefusedSayingWhichKindsDrawPoints() {
        Path csv = TestData.write(folder.resolve("points.csv"), "x,y\n1,2\n3,4\n".getBytes());

        assertThatThrownBy(() -> Datasets.infer(csv))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(csv.toString())
                .hasMessageContaining("does not read point data from files")
                .hasMessageContaining("data.kind gaussian, ring or grid")
                .hasMessageNotContaining("set data.kind");
    }

    @Test
    void autoRecognisesImageFoldersWhichNeedSizeAndChannels() {
        Path images = folder.resolve("pictures");
        Path picture = TestData.solid(images.resolve("cats/a.png"), "png", 8, 8, 0xFF0000);
        TestData.solid(images.resolve("dogs/b.jpg"), "jpg", 8, 8, 0x00FF00);

        assertThat(Datasets.infer(images)).isEqualTo(DataKind.FOLDER);
        OpenedDataset opened = Datasets.open(config(DataKind.AUTO, images, 4, 3, 0), 1);
        assertThat(opened.resolvedKind()).isEqualTo(DataKind.FOLDER);
        assertThat(opened.dataset()).isInstanceOf(ImageFolder.class);
        assertThat(opened.dataset().exampleShape()).containsExactly(3, 4, 4);
        assertThat(opened.dataset().classCount()).isEqualTo(2);
        assertThat(Datasets.open(config(DataKind.FOLDER, images, 4, 3, 1), 1).dataset().size()).isEqualTo(1);

        assertThatThrownBy(() -> Datasets.open(config(DataKind.FOLDER, images, 0, 3, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("data.imageSize is required for data.kind=folder");
        assertThatThrownBy(() -> Datasets.open(config(DataKind.AUTO, images, 4, 0, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("data.channels is required for data.kind=folder");
        assertThatThrownBy(() -> Datasets.infer(picture))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(picture.toString())
                .hasMessageContaining("single image")
                .hasMessageContaining(picture.getParent().toString());
    }

    @Test
    void pathErrorsNameTheFieldOrThePath() throws IOException {
        assertThatThrownBy(() -> Datasets.open(config(DataKind.IDX, null, 0, 0, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("data.path is required for data.kind=idx");
        Path missing = folder.resolve("x/y");
        assertThatThrownBy(() -> Datasets.open(config(DataKind.AUTO, missing, 0, 0, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("data path " + missing + " does not exist");
        Path labels = TestData.write(folder.resolve("labels"), TestData.idxLabels(1, new byte[] {0}));
        assertThatThrownBy(() -> Datasets.infer(labels))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(labels + " is an IDX label file");
        Path other = TestData.write(folder.resolve("notes.txt"), "hello".getBytes());
        assertThatThrownBy(() -> Datasets.infer(other))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("cannot tell the kind of data path " + other);
        Path nothing = Files.createDirectories(folder.resolve("nothing"));
        assertThatThrownBy(() -> Datasets.infer(nothing))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(nothing + " is a folder with neither images");
        assertThatThrownBy(() -> Datasets.open(config(DataKind.GAUSSIAN, null, 0, 0, -1), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("data.limit");
        assertThatThrownBy(() -> Datasets.open(config(DataKind.IDX, idx(), 0, 2, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("data.channels must be 1 (grey), 3 (RGB) or 0 (native), got 2");
    }

    @Test
    void unreadablePathIsReported() throws IOException {
        Path secret = TestData.write(folder.resolve("secret.idx"), new byte[] {0, 0, 8, 3});
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(secret)).as("permissions are ignored for root").isFalse();

        assertThatThrownBy(() -> Datasets.open(config(DataKind.AUTO, secret, 0, 0, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("data path " + secret + " is not readable (check its permissions)");
    }

    /**
     * data.kind naming the wrong kind for what the path plainly holds (a CIFAR batch read as IDX, the batches' folder
     * as an image folder, an image folder as CIFAR) said only what the reader missed; it now says what the path
     * looks like and which data.kind reads it.
     */
    @Test
    void aWrongDataKindSaysWhichKindThePathLooksLike() {
        Path cifar = folder.resolve("cifar-10-batches-bin");
        Path batch = TestData.write(cifar.resolve("data_batch_1.bin"), TestData.cifar(3, 1, 10));
        Path images = folder.resolve("photos");
        TestData.solid(images.resolve("a.png"), "png", 8, 8, 0xff0000);

        assertThatThrownBy(() -> Datasets.open(config(DataKind.IDX, batch, 0, 0, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("not an IDX image file")
                .hasMessageEndingWith("; " + batch + " looks like CIFAR binary data: set data.kind to cifar or auto");
        assertThatThrownBy(() -> Datasets.open(config(DataKind.FOLDER, cifar, 32, 3, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageEndingWith("; " + cifar + " looks like CIFAR binary data: set data.kind to cifar or auto");
        assertThatThrownBy(() -> Datasets.open(config(DataKind.CIFAR, images, 0, 0, 0), 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("folder " + images + " holds no CIFAR .bin files; " + images
                        + " looks like a folder of images: set data.kind to folder or auto");
    }
}
