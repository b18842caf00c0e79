package org.gan4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @TempDir
    Path base;

    @Test
    void createMakesLayoutAndNeverReusesAFolder() throws IOException {
        RunDirectory first = RunDirectory.create(base.resolve("runs"), "mnist");
        assertThat(first.root()).isEqualTo(base.resolve("runs/mnist"));
        assertThat(first.samples()).isDirectory().isEqualTo(first.root().resolve("samples"));
        assertThat(first.plots()).isDirectory().isEqualTo(first.root().resolve("plots"));
        assertThat(first.checkpoints()).isDirectory().isEqualTo(first.root().resolve("checkpoints"));
        assertThat(first.eval()).isDirectory().isEqualTo(first.root().resolve("eval"));
        assertThat(first.runJson()).isEqualTo(first.root().resolve("run.json"));
        assertThat(first.metrics()).isEqualTo(first.root().resolve("metrics.jsonl"));
        assertThat(first.sample(500)).isEqualTo(first.samples().resolve("step-000500.png"));
        Files.writeString(first.runJson(), "{}");

        RunDirectory second = RunDirectory.create(base.resolve("runs"), "mnist");
        RunDirectory third = RunDirectory.create(base.resolve("runs"), "mnist");
        assertThat(second.root().getFileName().toString()).isEqualTo("mnist-2");
        assertThat(third.root().getFileName().toString()).isEqualTo("mnist-3");
        assertThat(first.runJson()).hasContent("{}");
        assertThat(first.usableBytes()).isPositive();
    }

    @Test
    void openRequiresRunJson() throws IOException {
        RunDirectory run = RunDirectory.create(base, "a");
        assertThatThrownBy(() -> RunDirectory.open(run.root()))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(run.root() + " is not a gan4j run directory (no run.json)");
        Files.writeString(run.runJson(), "{}");
        assertThat(RunDirectory.open(run.root()).root()).isEqualTo(run.root());
    }

    /**
     * A path that is not a folder says what it is: the run's run.json named instead of its folder, another file, or
     * nothing at all, were all "X is not a gan4j run directory (no run.json)", which for run.json itself read as a
     * contradiction.
     */
    @Test
    void openSaysWhatAPathThatIsNotARunFolderIs() throws IOException {
        RunDirectory run = RunDirectory.create(base, "a");
        Files.writeString(run.runJson(), "{}");
        assertThatThrownBy(() -> RunDirectory.open(run.runJson()))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(run.runJson() + " is not a gan4j run directory but the run.json of one: name its folder, "
                        + run.root());
        Path file = Files.writeString(base.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> RunDirectory.open(file))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(file + " is not a gan4j run directory: it is a file, not a folder");
        Path missing = base.resolve("missing");
        assertThatThrownBy(() -> RunDirectory.open(missing))
                .isInstanceOf(Gan4jException.class)
                .hasMessage(missing + " is not a gan4j run directory: it does not exist");
    }

    @Test
    void invalidNamesAreRejected() {
        for (String bad : new String[] {"", "../x", "a/b", ".hidden", "-x"}) {
            assertThatThrownBy(() -> RunDirectory.create(base, bad))
                    .isInstanceOf(Gan4jException.class)
                    .hasMessageContaining("run name '" + bad + "' is invalid");
        }
    }

    @Test
    void checkWritableCreatesFolderAndReportsOneLineFailure() throws IOException {
        Path fresh = base.resolve("x/y");
        RunDirectory.checkWritable(fresh);
        assertThat(fresh).isDirectory().isEmptyDirectory();

        Path file = base.resolve("plain-file");
        Files.writeString(file, "not a folder");
        Path under = file.resolve("out");
        assertThatThrownBy(() -> RunDirectory.checkWritable(under))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("output directory " + under + " cannot be created: " + file + " is a file, not a folder")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
