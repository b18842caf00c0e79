package org.gan4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gan4j.Gan4jException;
import org.gan4j.io.CheckpointStore.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    private static Map<String, IoWriter> files(long step) {
        Map<String, IoWriter> files = new LinkedHashMap<>();
        files.put("generator.params", out -> out.write(("G" + step).repeat(100).getBytes(StandardCharsets.UTF_8)));
        files.put("discriminator.params", out -> out.write(("D" + step).getBytes(StandardCharsets.UTF_8)));
        return files;
    }

    private static Checkpoint write(CheckpointStore store, long step) {
        return store.write(step, files(step), Map.of("rngSeed", 7, "epoch", step / 100.0));
    }

    @Test
    void writesVerifiableCheckpointWithStateManifestAndLatest() throws IOException {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 3);
        Checkpoint checkpoint = write(store, 500);
        assertThat(checkpoint.step()).isEqualTo(500);
        assertThat(checkpoint.dir()).isEqualTo(dir.resolve("checkpoints/step-000500"));
        assertThat(Files.readString(dir.resolve("checkpoints/latest"))).isEqualTo("step-000500\n");
        assertThat(checkpoint.fileNames())
                .containsExactly("generator.params", "discriminator.params", "state.json");
        assertThat(checkpoint.state().get("step").asLong()).isEqualTo(500);
        assertThat(checkpoint.state().get("rngSeed").asInt()).isEqualTo(7);
        assertThat(checkpoint.state().get("epoch").asDouble()).isEqualTo(5.0);
        try (InputStream in = checkpoint.open("discriminator.params")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("D500");
        }
        assertThat(checkpoint.file("generator.params")).hasSize(400);
        CheckpointStore.verify(checkpoint.dir());
        assertThat(store.find(500)).contains(checkpoint);
        assertThat(store.find(600)).isEmpty();
        assertThat(names(dir.resolve("checkpoints"))).containsExactlyInAnyOrder("step-000500", "latest");
    }

    @Test
    void keepsTheNewestKAndListsNewestFirst() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        for (long step : new long[] {100, 200, 300, 1_500_000}) {
            write(store, step);
        }
        assertThat(store.list()).extracting(Checkpoint::step).containsExactly(1_500_000L, 300L);
        assertThat(Files.readString(dir.resolve("latest")).trim()).isEqualTo("step-1500000");
        assertThat(store.latestValid()).map(Checkpoint::step).contains(1_500_000L);
        assertThat(names(dir)).containsExactlyInAnyOrder("step-1500000", "step-000300", "latest");
    }

    @Test
    void truncatedFileMakesLatestValidFallBack() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5);
        write(store, 100);
        Checkpoint newest = write(store, 200);
        try (RandomAccessFile file = new RandomAccessFile(newest.file("generator.params").toFile(), "rw")) {
            file.setLength(file.length() - 1);
        }
        assertThatThrownBy(() -> CheckpointStore.verify(newest.dir()))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("checkpoint " + newest.dir()
                        + ": file generator.params is truncated (expected 400 bytes, found 399)");
        assertThat(store.latestValid()).map(Checkpoint::step).contains(100L);
        assertThatThrownBy(() -> store.find(200)).isInstanceOf(Gan4jException.class);
    }

    @Test
    void flippedByteMakesLatestValidFallBack() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5);
        write(store, 100);
        Checkpoint newest = write(store, 200);
        Path file = newest.file("discriminator.params");
        byte[] bytes = Files.readAllBytes(file);
        bytes[1] ^= 0x01;
        Files.write(file, bytes);
        assertThatThrownBy(() -> CheckpointStore.verify(newest.dir()))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("file discriminator.params is corrupt (SHA-256");
        assertThat(store.latestValid()).map(Checkpoint::step).contains(100L);
    }

    @Test
    void missingManifestOrFileIsInvalid() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5);
        write(store, 100);
        Checkpoint middle = write(store, 200);
        Checkpoint newest = write(store, 300);
        Files.delete(newest.dir().resolve(CheckpointStore.MANIFEST));
        Files.delete(middle.file("generator.params"));
        assertThatThrownBy(() -> CheckpointStore.verify(newest.dir()))
                .isInstanceOf(Gan4jException.class).hasMessageContaining("has no manifest.json");
        assertThatThrownBy(() -> CheckpointStore.verify(middle.dir()))
                .isInstanceOf(Gan4jException.class).hasMessageContaining("file generator.params is missing");
        assertThat(store.latestValid()).map(Checkpoint::step).contains(100L);
        Files.delete(dir.resolve("step-000100/state.json"));
        assertThat(store.latestValid()).isEmpty();
    }

    @Test
    void writerThrowingMidwayLeavesNoStepFolderAndPreviousIntact() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5);
        Checkpoint previous = write(store, 100);
        Map<String, IoWriter> failing = new LinkedHashMap<>(files(200));
        failing.put("optimizer.state", out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        });
        assertThatThrownBy(() -> store.write(200, failing, Map.of()))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("cannot write checkpoint " + dir.resolve("step-000200") + ": No space left on device");
        assertThat(names(dir)).containsExactlyInAnyOrder("step-000100", "latest");
        assertThat(Files.readString(dir.resolve("latest")).trim()).isEqualTo("step-000100");
        CheckpointStore.verify(previous.dir());
        assertThat(store.latestValid()).contains(previous);
    }

    @Test
    void rewritingTheSameStepReplacesIt() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5);
        write(store, 100);
        Checkpoint again = store.write(100, Map.of("generator.params", out -> out.write(9)), Map.of("v", 2));
        CheckpointStore.verify(again.dir());
        assertThat(again.state().get("v").asInt()).isEqualTo(2);
        assertThat(again.fileNames()).containsExactly("generator.params", "state.json");
        assertThat(names(dir)).containsExactlyInAnyOrder("step-000100", "latest");
    }

    @Test
    void leftoverTempFoldersAreCleanedAndIgnored() throws IOException {
        Files.createDirectories(dir.resolve(".tmp-step-000300-deadbeef"));
        Files.writeString(dir.resolve(".tmp-step-000300-deadbeef/generator.params"), "partial");
        CheckpointStore store = new CheckpointStore(dir, 5);
        assertThat(store.list()).isEmpty();
        write(store, 100);
        assertThat(names(dir)).containsExactlyInAnyOrder("step-000100", "latest");
    }

    @Test
    void deleteAfterDropsAbandonedContinuation() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5);
        write(store, 100);
        write(store, 200);
        write(store, 300);
        store.deleteAfter(100);
        assertThat(store.list()).extracting(Checkpoint::step).containsExactly(100L);
        assertThat(Files.readString(dir.resolve("latest")).trim()).isEqualTo("step-000100");
        store.deleteAfter(50);
        assertThat(store.list()).isEmpty();
        assertThat(dir.resolve("latest")).doesNotExist();
    }

    @Test
    void rejectsReservedNamesAndBadKeep() {
        CheckpointStore store = new CheckpointStore(dir, 1);
        assertThatThrownBy(() -> store.write(1, Map.of("state.json", out -> { }), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write(1, Map.of("../x", out -> { }), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write(1, Map.of(), Map.of("step", 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckpointStore(dir, 0))
                .isInstanceOf(Gan4jException.class).hasMessage("keepCheckpoints must be at least 1, got 0");
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
