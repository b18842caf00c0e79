package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig;
import org.gan4j.config.DataConfig.BadFilePolicy;
import org.gan4j.config.DataConfig.CifarVariant;
import org.gan4j.config.DataConfig.DataKind;
import org.gan4j.config.Defaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataMemoryTest {

    @TempDir Path folder;

    @Test
    void resizingIdxBeyondOneArrayIsAOneLineErrorNamingTheLimit() {
        // 130 tiny images resized to 4096×4096 would be 2.18 GB: before, an IllegalArgumentException (a stack trace)
        Path images =
                TestData.write(
                        folder.resolve("train-images-idx3-ubyte"),
                        TestData.idxImages(IdxReader.IMAGES_MAGIC, 130, 2, 2, new byte[130 * 4]));
        DataConfig d = Defaults.config().data();
        DataConfig config =
                new DataConfig(
                        DataKind.AUTO, images.toString(), d.samples(), d.gaussian(), d.ring(), d.grid(), 4096, 1,
                        CifarVariant.AUTO, BadFilePolicy.SKIP, 0);

        assertThatThrownBy(() -> Datasets.open(config, 1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(images.toString())
                .hasMessageContaining("130 images of 1×4096×4096 are 2.18 GB")
                .hasMessageContaining("set data.limit to at most 127");
    }

    @Test
    void moreThanTheFreeHeapIsRefusedWithTheSizeNeededAndTheFix() {
        long max = Runtime.getRuntime().maxMemory();

        assertThatThrownBy(() -> DataMemory.require("folder /data/photos", 1000, 3, 128, max))
                .isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith("folder /data/photos: 1000 images of 3×128×128 need ")
                .hasMessageContaining("of Java heap, but only ")
                .hasMessageContaining("JAVA_OPTS=-Xmx")
                .hasMessageContaining("set data.limit to at most 0");
    }

    @Test
    void whatFitsPassesAndImageDatasetsReportTheirBytes() {
        DataMemory.require("folder x", 10, 3, 64, 0);

        ImageDataset images = new ImageDataset(new byte[2 * 3 * 4 * 4], 2, 3, 4, null, 0, "test");
        assertThat(images.memoryBytes()).isEqualTo(96);
        assertThat(DataMemory.size(46_522_368L)).isEqualTo("46.5 MB");
        assertThat(DataMemory.size(2_181_038_080L)).isEqualTo("2.18 GB");
    }
}
