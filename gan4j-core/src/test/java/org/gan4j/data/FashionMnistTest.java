package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.gan4j.config.DataConfig.DataKind;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST files when they are installed. */
class FashionMnistTest {

    private static final Path FOLDER = Paths.get("/usr/share/datasets/fashion-mnist");

    @Test
    void trainingSetIs60000GreyImagesOf28By28InTenBalancedClasses() {
        Path images = FOLDER.resolve("train-images-idx3-ubyte.gz");
        assumeTrue(Files.isRegularFile(images), "Fashion-MNIST is not installed at " + FOLDER);

        assertThat(Datasets.infer(images)).isEqualTo(DataKind.IDX);
        ImageDataset data = IdxReader.read(images);

        assertThat(data.size()).isEqualTo(60000);
        assertThat(data.exampleShape()).containsExactly(1, 28, 28);
        assertThat(data.classCount()).isEqualTo(10);
        int[] counts = new int[10];
        for (int i = 0; i < data.size(); i++) {
            counts[data.label(i)]++;
        }
        assertThat(counts).containsOnly(6000);
        // The first training image is an ankle boot (label 9) with a black border.
        assertThat(data.label(0)).isEqualTo(9);
        float[] first = new float[784];
        data.copyExample(0, first, 0);
        assertThat(first[0]).isEqualTo(-1f);
        float minimum = Float.MAX_VALUE;
        float maximum = -Float.MAX_VALUE;
        for (float value : first) {
            minimum = Math.min(minimum, value);
            maximum = Math.max(maximum, value);
        }
        assertThat(minimum).isEqualTo(-1f);
        assertThat(maximum).isEqualTo(1f); // the boot's brightest pixels are 255
    }
}
