package org.gan4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesNewFileAndReplacesExistingOne() throws IOException {
        Path target = dir.resolve("a.txt");
        AtomicFiles.writeString(target, "first");
        assertThat(Files.readString(target)).isEqualTo("first");
        AtomicFiles.writeBytes(target, "second".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(target)).isEqualTo("second");
        assertThat(entries()).containsExactly("a.txt");
    }

    @Test
    void writerThrowingMidwayLeavesOldContentAndNoTempFile() throws IOException {
        Path target = dir.resolve("a.txt");
        AtomicFiles.writeString(target, "old");
        byte[] big = new byte[200_000];
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(big);
            throw new IOException("disk on fire");
        })).isInstanceOf(IOException.class).hasMessage("disk on fire");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(entries()).containsExactly("a.txt");
    }

    @Test
    void runtimeExceptionFromWriterAlsoCleansUp() throws IOException {
        Path target = dir.resolve("b.txt");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(target).doesNotExist();
        assertThat(entries()).isEmpty();
    }

    @Test
    void aFileWhereAFolderIsNeededIsNamedInTheError() throws IOException {
        Path file = dir.resolve("notes.md");
        Files.writeString(file, "keep");
        assertThatThrownBy(() -> AtomicFiles.writeString(file.resolve("sub/x.csv"), "1,2"))
                .isInstanceOf(java.nio.file.NotDirectoryException.class)
                .satisfies(e -> assertThat(IoFailures.reason((IOException) e)).isEqualTo(file + " is not a folder"));
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    @Test
    void writerThatClosesTheStreamStillProducesTheFile() throws IOException {
        Path target = dir.resolve("sub/dir/c.bin");
        AtomicFiles.write(target, out -> {
            out.write(new byte[] {1, 2, 3});
            out.close();
        });
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
    }

    private Stream<String> entriesStream() throws IOException {
        return Files.list(dir).map(p -> p.getFileName().toString());
    }

    private java.util.List<String> entries() throws IOException {
        try (Stream<String> names = entriesStream()) {
            return names.toList();
        }
    }
}
