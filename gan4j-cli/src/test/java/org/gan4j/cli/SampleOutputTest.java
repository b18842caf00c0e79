package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gan4j.cli.CliTest.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code gan4j sample} and {@code gan4j interpolate} write: image files in the format their extension names,
 * and {@code --out-dir} folders that never hold a mix of two draws nor land in a run directory.
 */
class SampleOutputTest {

    @TempDir static Path shared;

    @TempDir Path temp;

    private static Path runDir;

    @BeforeAll
    static void trainATinyImageRun() throws IOException {
        Path data = CliTest.writeIdx(shared.resolve("train-images-idx3-ubyte"), 16, 16);
        runDir = shared.resolve("run");
        Result train = CliTest.run(
                "train", "--data", data.toString(), "--out", runDir.toString(), "--set", "model.latentSize=4",
                "--set", "model.dcgan.generatorFeatures=2", "--set", "model.dcgan.discriminatorFeatures=2",
                "--set", "training.batchSize=4", "--set", "training.steps=1", "--no-progress");
        assertThat(train.code()).as(train.err()).isZero();
    }

    private static Result sample(String... options) {
        String[] args = Stream.concat(Stream.of("sample", "--run", runDir.toString()), Arrays.stream(options))
                .toArray(String[]::new);
        return CliTest.run(args);
    }

    private static void assertFormat(Path file, String format) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4);
        byte[] magic = switch (format) {
            case "png" -> new byte[] {(byte) 0x89, 'P', 'N', 'G'};
            case "jpeg" -> new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
            case "bmp" -> new byte[] {'B', 'M'};
            case "gif" -> new byte[] {'G', 'I', 'F', '8'};
            default -> throw new IllegalArgumentException(format);
        };
        assertThat(Arrays.copyOf(head, magic.length)).as(file + " is " + format).isEqualTo(magic);
    }

    /** Every file in a folder, hidden ones included, with its bytes. */
    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                files.put(entry.getFileName().toString(), Files.isDirectory(entry) ? null : Files.readAllBytes(entry));
            }
        }
        return files;
    }

    @Test
    void gridAndInterpolationWriteTheFormatTheirExtensionNames() throws IOException {
        Map<String, String> formats = Map.of("g.png", "png", "g.jpg", "jpeg", "g.JPEG", "jpeg", "g.bmp", "bmp",
                "g.gif", "gif");
        for (var entry : formats.entrySet()) {
            Path grid = temp.resolve(entry.getKey());
            Result result = sample("-n", "4", "--grid", grid.toString());
            assertThat(result.code()).as(result.err()).isZero();
            assertFormat(grid, entry.getValue());
        }
        for (String name : List.of("line.gif", "line.jpg", "line.png")) {
            Path line = temp.resolve(name);
            Result result = CliTest.run("interpolate", "--run", runDir.toString(), "--steps", "3", "--out", line.toString());
            assertThat(result.code()).as(result.err()).isZero();
            assertFormat(line, ImageFormats.of(name));
        }

        Path tiff = temp.resolve("g.tiff");
        CliTest.assertUserError(sample("--grid", tiff.toString()), "--grid", tiff.toString(), ".png, .jpg, .jpeg, .bmp or .gif");
        Path bare = temp.resolve("grid");
        CliTest.assertUserError(sample("--grid", bare.toString()), "--grid", bare.toString(), ".png");
        Path webp = temp.resolve("line.webp");
        CliTest.assertUserError(CliTest.run("interpolate", "--run", runDir.toString(), "--out", webp.toString()), "--out",
                webp.toString(), ".gif");
        assertThat(tiff).doesNotExist();
        assertThat(bare).doesNotExist();
        assertThat(webp).doesNotExist();
    }

    @Test
    void outDirRefusesAnEarlierDrawUnlessReplacedAndNeverMixesTwoDraws() throws IOException {
        Path dir = temp.resolve("samples");
        assertThat(sample("-n", "3", "--out-dir", dir.toString()).code()).isZero();
        Map<String, byte[]> first = contents(dir);
        assertThat(first.keySet()).containsExactly("sample-000000.png", "sample-000001.png", "sample-000002.png");

        // a second draw into the same folder is refused and changes nothing
        CliTest.assertUserError(sample("-n", "2", "--seed", "7", "--out-dir", dir.toString()), "--out-dir", dir.toString(),
                "3 samples of an earlier draw", "--replace");
        assertThat(contents(dir)).containsExactlyInAnyOrderEntriesOf(first);

        // with --replace the folder holds the new draw only: sample-000002.png of the first is gone
        Path staleStaging = Files.createDirectories(dir.resolve(".gan4j-sample-staging-0123456789abcdef"));
        Files.write(staleStaging.resolve("sample-000000.png"), new byte[] {1, 2, 3});
        Result replaced = sample("-n", "2", "--seed", "7", "--out-dir", dir.toString(), "--replace");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("replacing the 3 of the earlier draw");
        Map<String, byte[]> second = contents(dir);
        assertThat(second.keySet()).containsExactly("sample-000000.png", "sample-000001.png");
        assertThat(second.get("sample-000000.png")).isNotEqualTo(first.get("sample-000000.png"));

        // the new draw is exactly what a fresh folder receives
        Path fresh = temp.resolve("fresh");
        assertThat(sample("-n", "2", "--seed", "7", "--out-dir", fresh.toString()).code()).isZero();
        assertThat(contents(fresh)).containsExactlyInAnyOrderEntriesOf(second);
    }

    @Test
    void outDirRefusesRunDirectoriesAndFoldersHoldingOtherFiles() throws IOException {
        Map<String, byte[]> run = contents(runDir);
        CliTest.assertUserError(sample("--out-dir", runDir.toString()), "--out-dir", runDir.toString(), "run directory",
                "run.json");
        CliTest.assertUserError(sample("--out-dir", runDir.toString(), "--replace"), "run directory");
        assertThat(contents(runDir).keySet()).isEqualTo(run.keySet());

        Path mine = Files.createDirectories(temp.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        Files.write(mine.resolve("sample-000000.png"), new byte[] {1});
        CliTest.assertUserError(sample("--out-dir", mine.toString(), "--replace"), "--out-dir", mine.toString(), "notes.txt");
        assertThat(contents(mine).keySet()).containsExactly("notes.txt", "sample-000000.png");

        Path file = Files.writeString(temp.resolve("a-file"), "x");
        CliTest.assertUserError(sample("--out-dir", file.toString()), "--out-dir", file.toString(), "is a file");
        CliTest.assertUserError(sample("--grid", temp.resolve("g.png").toString(), "--replace"), "--replace", "--out-dir");
        assertThat(temp.resolve("g.png")).doesNotExist();
    }

    /**
     * --grid and interpolate's --out naming a file that training wrote in a run (samples/real.png, a step grid, a
     * plot) replaced it without a word; they are refused, and the file stays. A new file in the run's samples/ folder,
     * and interpolate's own default there, are still written.
     */
    @Test
    void gridAndInterpolationNeverReplaceWhatTrainingWrote() throws IOException {
        Path real = runDir.resolve("samples/real.png");
        Path stepGrid = runDir.resolve("samples/step-000001.png");
        Path losses = runDir.resolve("plots/losses.png");
        Map<String, byte[]> before = new TreeMap<>();
        for (Path file : List.of(real, stepGrid, losses)) {
            before.put(file.toString(), Files.readAllBytes(file));
        }
        CliTest.assertUserError(sample("--grid", real.toString()), "--grid " + real, "would replace samples/real.png",
                "which gan4j wrote in run " + runDir.toAbsolutePath().normalize(), "name another file");
        CliTest.assertUserError(sample("-n", "4", "--grid", stepGrid.toString()), "samples/step-000001.png");
        CliTest.assertUserError(CliTest.run("interpolate", "--run", runDir.toString(), "--steps", "3", "--out",
                losses.toString()), "--out " + losses, "would replace plots/losses.png");
        for (Path file : List.of(real, stepGrid, losses)) {
            assertThat(Files.readAllBytes(file)).as(file.toString()).isEqualTo(before.get(file.toString()));
        }

        Path mine = runDir.resolve("samples/mine.png");
        assertThat(sample("-n", "4", "--grid", mine.toString()).code()).isZero();
        assertThat(sample("-n", "4", "--grid", mine.toString()).code()).isZero(); // the user's own file: replaced
        assertThat(CliTest.run("interpolate", "--run", runDir.toString(), "--steps", "3").code()).isZero();
        assertThat(CliTest.run("interpolate", "--run", runDir.toString(), "--steps", "3").code()).isZero();
        Files.delete(mine);
    }

    /**
     * A file training wrote, reached through a linked folder ({@code grids -> RUN/samples}), is refused as well: the
     * check read the path as written, found no run.json above {@code grids/} and let {@code --grid grids/real.png}
     * replace the run's samples/real.png. A link to such a file is replaced itself, never the file it points to.
     */
    @Test
    void aLinkedFolderDoesNotHideWhatTrainingWrote() throws IOException {
        Path real = runDir.resolve("samples/real.png");
        byte[] before = Files.readAllBytes(real);
        Path grids = Files.createSymbolicLink(temp.resolve("grids"), runDir.resolve("samples").toAbsolutePath());
        CliTest.assertUserError(sample("--grid", grids.resolve("real.png").toString()),
                "--grid " + grids.resolve("real.png"), "would replace samples/real.png", "name another file");
        CliTest.assertUserError(CliTest.run("interpolate", "--run", runDir.toString(), "--steps", "3", "--out",
                grids.resolve("real.png").toString()), "would replace samples/real.png");
        assertThat(Files.readAllBytes(real)).isEqualTo(before);

        Path link = Files.createSymbolicLink(temp.resolve("link.png"), real.toAbsolutePath());
        Result written = sample("-n", "4", "--grid", link.toString());
        assertThat(written.code()).as(written.err()).isZero();
        assertThat(link).isRegularFile().isNotEqualTo(real);
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readAllBytes(real)).isEqualTo(before);
    }

    /**
     * More samples than one Java array holds (-n 1000000 of a 3×64×64 run: 12,288,000,000 values) was a stack trace,
     * "java.lang.ArithmeticException: integer overflow", from sample and evaluate alike; now one line saying how many
     * samples of that shape fit.
     */
    @Test
    void moreSamplesThanAnArrayHoldsIsAOneLineError() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("photos"));
        for (int i = 0; i < 4; i++) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            image.setRGB(i, i, 0xFF8040);
            javax.imageio.ImageIO.write(image, "png", folder.resolve("p" + i + ".png").toFile());
        }
        Path colour = temp.resolve("colour");
        Result train = CliTest.run("train", "--data", folder.toString(), "--out", colour.toString(),
                "--set", "data.imageSize=64", "--set", "data.channels=3", "--set", "model.latentSize=4",
                "--set", "model.dcgan.generatorFeatures=1", "--set", "model.dcgan.discriminatorFeatures=1",
                "--set", "training.batchSize=2", "--set", "training.steps=1", "--no-progress");
        assertThat(train.code()).as(train.err()).isZero();
        String expected = "cannot draw 1000000 samples of shape [3, 64, 64] at once: 12288000000 values are more"
                + " than one Java array holds (at most 174762 samples of this shape)";
        CliTest.assertUserError(CliTest.run("sample", "--run", colour.toString(), "-n", "1000000", "--grid",
                temp.resolve("huge.png").toString()), expected);
        CliTest.assertUserError(CliTest.run("evaluate", "--run", colour.toString(), "-n", "1000000", "--metrics",
                "diversity", "--out", temp.resolve("huge.json").toString()), expected);
        assertThat(temp.resolve("huge.png")).doesNotExist();
    }

    /** The format a file name's extension names, as the tests above spell it. */
    private static final class ImageFormats {
        static String of(String name) {
            String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
            return extension.equals("jpg") ? "jpeg" : extension;
        }
    }
}
