package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import org.gan4j.Gan4jException;
import org.gan4j.config.DataConfig.CifarVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir Path folder;

    @Test
    void readsCifar10RecordsAsChwWithLabels() {
        Path file = TestData.write(folder.resolve("test_batch.bin"), TestData.cifar(4, 1, 10));

        ImageDataset data = CifarReader.read(file, CifarVariant.AUTO);

        assertThat(data.size()).isEqualTo(4);
        assertThat(data.exampleShape()).containsExactly(3, 32, 32);
        assertThat(data.classCount()).isEqualTo(10);
        assertThat(new int[] {data.label(0), data.label(1), data.label(2), data.label(3)}).containsExactly(0, 3, 6, 9);
        // Record 2, pixel p = (2 + p) % 256: red plane first, then green (p = 1024 + …), then blue.
        assertThat(data.pixel(2, 0, 0, 0)).isEqualTo(2);
        assertThat(data.pixel(2, 0, 1, 3)).isEqualTo((2 + 35) % 256);
        assertThat(data.pixel(2, 1, 0, 0)).isEqualTo((2 + 1024) % 256);
        assertThat(data.pixel(2, 2, 31, 31)).isEqualTo((2 + 3071) % 256);
        float[] values = new float[3072];
        data.copyExample(1, values, 0);
        assertThat(values[0]).isCloseTo(1 / 127.5f - 1, within(1e-6f));
        assertThat(values[254]).isEqualTo(1f); // (1 + 254) = 255
        assertThat(values[255]).isEqualTo(-1f); // (1 + 255) % 256 = 0
    }

    @Test
    void readsCifar100FineLabels() {
        Path file = TestData.write(folder.resolve("train.bin"), TestData.cifar(40, 2, 100));

        ImageDataset data = CifarReader.read(file, CifarVariant.AUTO);

        assertThat(data.size()).isEqualTo(40);
        assertThat(data.classCount()).isEqualTo(100);
        assertThat(data.label(39)).isEqualTo(39 * 3 % 100);
        assertThat(data.pixel(5, 0, 0, 0)).isEqualTo(5);
    }

    @Test
    void folderUsesTrainingBatchesInSortedOrder() {
        TestData.write(folder.resolve("data_batch_2.bin"), TestData.cifar(2, 1, 10));
        byte[] first = TestData.cifar(3, 1, 10);
        first[0] = 9; // label of the very first record
        TestData.write(folder.resolve("data_batch_1.bin"), first);
        TestData.write(folder.resolve("test_batch.bin"), TestData.cifar(5, 1, 10));
        TestData.write(folder.resolve("batches.meta.txt"), "airplane\n".getBytes());

        ImageDataset data = CifarReader.read(folder, CifarVariant.AUTO);

        assertThat(CifarReader.batchFiles(folder))
                .containsExactly(folder.resolve("data_batch_1.bin"), folder.resolve("data_batch_2.bin"));
        assertThat(data.size()).isEqualTo(5);
        assertThat(data.label(0)).isEqualTo(9);
        assertThat(data.pixel(3, 0, 0, 0)).isZero(); // record 0 of data_batch_2
    }

    @Test
    void folderFallsBackToTrainBinThenToAllBinFiles() {
        Path hundred = folder.resolve("c100");
        TestData.write(hundred.resolve("train.bin"), TestData.cifar(2, 2, 100));
        TestData.write(hundred.resolve("test.bin"), TestData.cifar(1, 2, 100));
        assertThat(CifarReader.batchFiles(hundred)).containsExactly(hundred.resolve("train.bin"));

        Path other = folder.resolve("other");
        TestData.write(other.resolve("b.bin"), TestData.cifar(1, 1, 10));
        TestData.write(other.resolve("a.bin"), TestData.cifar(2, 1, 10));
        assertThat(CifarReader.batchFiles(other)).containsExactly(other.resolve("a.bin"), other.resolve("b.bin"));
        assertThat(CifarReader.read(other, CifarVariant.CIFAR10).size()).isEqualTo(3);
    }

    @Test
    void truncatedFileIsRejectedWithSizes() {
        byte[] whole = TestData.cifar(3, 1, 10);
        Path file = TestData.write(folder.resolve("cut.bin"), Arrays.copyOf(whole, whole.length - 100));

        assertThatThrownBy(() -> CifarReader.read(file, CifarVariant.CIFAR10))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("holds 9119 bytes, not a whole number of 3073-byte records");
        assertThatThrownBy(() -> CifarReader.read(file, CifarVariant.AUTO))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated?")
                .hasMessageContaining("set data.cifarVariant");
    }

    @Test
    void ambiguousSizeAsksForTheVariant() {
        // 3074 CIFAR-10 records = 3073 CIFAR-100 records.
        Path file = TestData.write(folder.resolve("both.bin"), new byte[3073 * 3074]);

        assertThatThrownBy(() -> CifarReader.read(file, CifarVariant.AUTO))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("set data.cifarVariant to cifar10 or cifar100");
        assertThat(CifarReader.read(file, CifarVariant.CIFAR100).size()).isEqualTo(3073);
    }

    @Test
    void labelOutOfRangeSuggestsTheWrongVariant() {
        byte[] records = TestData.cifar(2, 1, 10);
        records[3073] = 42;
        Path file = TestData.write(folder.resolve("odd.bin"), records);

        assertThatThrownBy(() -> CifarReader.read(file, CifarVariant.CIFAR10))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("record 1 has label 42");
    }

    @Test
    void pythonVersionIsRefusedWithTheArchiveToGetInstead() {
        // a pickle of protocol 2, as cifar-10-python.tar.gz holds: its size may even fit whole records
        byte[] pickle = new byte[3073 * 2];
        pickle[0] = (byte) 0x80;
        pickle[1] = 2;
        Path python = folder.resolve("cifar-10-batches-py");
        Path batch = TestData.write(python.resolve("data_batch_1"), pickle);

        for (Path source : new Path[] {python, batch}) {
            assertThatThrownBy(() -> CifarReader.read(source, CifarVariant.AUTO))
                    .isInstanceOf(Gan4jException.class)
                    .hasMessageStartingWith(source + " is the CIFAR python version (data_batch_1 is a pickled Python"
                            + " object)")
                    .hasMessageContaining("cifar-10-binary.tar.gz");
        }
        assertThatThrownBy(() -> Datasets.infer(python)).hasMessageContaining("CIFAR python version");
        assertThatThrownBy(() -> Datasets.infer(batch)).hasMessageContaining("CIFAR python version");
        // a binary batch whose first label is 8 and second byte 2 is not a pickle
        byte[] binary = TestData.cifar(2, 1, 10);
        binary[0] = 8;
        binary[1] = 2;
        assertThat(CifarReader.read(TestData.write(folder.resolve("data_batch_1.bin"), binary), CifarVariant.AUTO)
                .size()).isEqualTo(2);
    }

    /**
     * A CIFAR-style batch as Python 3.8+ pickles it by default (protocol 5): {@code pickle.dumps({b"batch_label":
     * b"training batch 1 of 5", b"labels": [6, 9], b"data": data}, protocol=5)}, the bytes Python wrote around
     * {@code data} (PROTO 5, FRAME, the dict, BINBYTES) and after it (MEMOIZE, SETITEMS, STOP).
     */
    private static byte[] protocolFivePickle(int dataBytes) {
        byte[] head = java.util.HexFormat.of().parseHex(
                "80059549180000000000007d9428430b62617463685f6c6162656c944315747261696e696e672062617463682031206f6620"
                        + "359443066c6162656c73945d94284b064b0965430464617461944200180000");
        byte[] tail = java.util.HexFormat.of().parseHex("94752e");
        java.nio.ByteBuffer pickle = java.nio.ByteBuffer.allocate(head.length + dataBytes + tail.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        pickle.put(head);
        pickle.putLong(3, head.length - 11 + dataBytes + tail.length); // FRAME's length (6217 as Python wrote it)
        pickle.putInt(head.length - 4, dataBytes); // BINBYTES' length (6144)
        pickle.position(head.length + dataBytes);
        pickle.put(tail);
        return pickle.array();
    }

    @Test
    void pythonVersionPickledWithProtocolFiveIsRefusedToo() {
        // Python 3.8+ pickles with protocol 5 by default: a batch re-saved by a user's script starts 0x80 0x05; sized
        // here to exactly three CIFAR-10 records, so only the pickle check can refuse it
        byte[] pickle = protocolFivePickle(3 * 3073 - 81 - 3);
        assertThat(pickle).hasSize(3 * 3073);
        assertThat(pickle[0] & 0xFF).isEqualTo(0x80);
        assertThat(pickle[1]).isEqualTo((byte) 5);
        Path python = folder.resolve("cifar-100-python");
        Path batch = TestData.write(python.resolve("train"), pickle);

        for (Path source : new Path[] {python, batch}) {
            assertThatThrownBy(() -> CifarReader.read(source, CifarVariant.AUTO))
                    .isInstanceOf(Gan4jException.class)
                    .hasMessageStartingWith(source + " is the CIFAR python version (train is a pickled Python object)");
        }
        assertThatThrownBy(() -> Datasets.infer(batch)).hasMessageContaining("CIFAR python version");
    }

    @Test
    void aDownloadedArchiveIsRefusedWithHowToUnpackIt() {
        // cifar-10-binary.tar.gz given as the data path, by the preset (data.kind cifar) or by --data (inferred)
        Path archive = TestData.write(folder.resolve("cifar-10-binary.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
        assertThatThrownBy(() -> CifarReader.read(archive, CifarVariant.AUTO))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("data path " + archive + " is an archive; unpack it first (tar -xf " + archive + ") and"
                        + " point data.path to the folder it creates (for CIFAR-10: cifar-10-batches-bin)");
        assertThatThrownBy(() -> Datasets.infer(archive)).hasMessageContaining("is an archive; unpack it first");
        Path zip = TestData.write(folder.resolve("photos.ZIP"), new byte[] {'P', 'K', 3, 4});
        assertThatThrownBy(() -> Datasets.infer(zip)).hasMessageContaining("(unzip " + zip + ")");
    }

    @Test
    void emptyFolderAndMissingFileAreRejected() {
        Path empty = folder.resolve("empty");
        TestData.write(empty.resolve("readme.txt"), new byte[1]);

        assertThatThrownBy(() -> CifarReader.read(empty, CifarVariant.AUTO))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining(empty.toString());
        assertThatThrownBy(() -> CifarReader.read(folder.resolve("nope.bin"), CifarVariant.AUTO))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("nope.bin");
    }

    @Test
    void theParentOfTheUnpackedFolderNamesTheFolderToPointTo() {
        // tar -xzf cifar-10-binary.tar.gz -C data makes data/cifar-10-batches-bin; --data data is the near miss
        Path data = folder.resolve("data");
        Path batches = data.resolve("cifar-10-batches-bin");
        TestData.write(batches.resolve("data_batch_1.bin"), TestData.cifar(2, 1, 10));
        TestData.write(data.resolve("cifar-10-binary.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
        String expected = "data path " + data + " holds no images nor CIFAR .bin files of its own, but its subfolder "
                + batches + " holds .bin files: point data.path there (--data " + batches + ")";

        assertThatThrownBy(() -> Datasets.infer(data)).isInstanceOf(Gan4jException.class).hasMessage(expected);
        assertThatThrownBy(() -> CifarReader.read(data, CifarVariant.AUTO))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(expected);
    }

    @Test
    void aShortBatchAmongWholeOnesIsNamed() {
        // one of five data_batch files cut short (an interrupted download or copy): name it, not just the folder
        Path batches = folder.resolve("cifar-10-batches-bin");
        for (int i = 1; i <= 5; i++) {
            byte[] records = TestData.cifar(3, 1, 10);
            TestData.write(batches.resolve("data_batch_" + i + ".bin"),
                    i == 3 ? Arrays.copyOf(records, records.length - 100) : records);
        }
        Path short3 = batches.resolve("data_batch_3.bin");

        assertThatThrownBy(() -> CifarReader.read(batches, CifarVariant.AUTO))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(short3 + ": truncated or not CIFAR-10: the file holds 9119 bytes, not a whole number of"
                        + " 3073-byte records like the other 4 files in its folder (2 records would be 6146 bytes)");
    }

    @Test
    void theTestSplitIsTheBinaryArchivesTestBatchNextToTheTrainingBatches() {
        Path ten = folder.resolve("cifar-10-batches-bin");
        Path batch = TestData.write(ten.resolve("data_batch_1.bin"), TestData.cifar(2, 1, 10));
        assertThat(CifarReader.testSplitFor(ten)).isEmpty(); // no test_batch.bin yet
        Path test = TestData.write(ten.resolve("test_batch.bin"), TestData.cifar(1, 1, 10));
        assertThat(CifarReader.testSplitFor(ten)).contains(test);
        assertThat(CifarReader.testSplitFor(batch)).contains(test.toAbsolutePath());
        assertThat(CifarReader.testSplitFor(test)).isEmpty(); // the test batch has no test split of its own

        Path hundred = folder.resolve("cifar-100-binary");
        TestData.write(hundred.resolve("train.bin"), TestData.cifar(2, 2, 100));
        Path hundredTest = TestData.write(hundred.resolve("test.bin"), TestData.cifar(1, 2, 100));
        assertThat(CifarReader.testSplitFor(hundred)).contains(hundredTest);

        // read at a run's shape, as evaluate reads it for the discriminator test
        assertThat(Datasets.openCifar(test, 1, 16).exampleShape()).containsExactly(1, 16, 16);
        assertThat(Datasets.isCifar(ten)).isTrue();
        assertThat(Datasets.isCifar(folder.resolve("nothing-here"))).isFalse();
    }
}
