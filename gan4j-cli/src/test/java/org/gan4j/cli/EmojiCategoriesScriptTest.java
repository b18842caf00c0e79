package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gan4j.cli.PythonScript.Result;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/emoji_categories.py} (docs/EVALUATION.md, "A labelled emoji reference") on a package of the npm
 * layout made here: emoji.json and img/google/64/. It sorts the emoji into train/ and test/ category folders, every
 * fifth emoji with its skin-tone variants into test/, and {@code gan4j classifier train} takes the result.
 */
class EmojiCategoriesScriptTest {

    @TempDir Path temp;

    private static Result python(String... args) throws IOException, InterruptedException {
        return PythonScript.run("scripts", "emoji_categories.py", args);
    }

    /**
     * Ten emoji alternating between two categories (sort orders 10, 20, … given out of order), one of the category
     * "Component", two skin-tone variants of the fifth emoji and one variant whose PNG is missing.
     */
    private Path fakePackage() throws IOException {
        Path pkg = temp.resolve("package");
        Path images = Files.createDirectories(pkg.resolve("img/google/64"));
        ArrayNode emoji = Json.MAPPER.createArrayNode();
        for (int n = 9; n >= 0; n--) {
            ObjectNode entry = emoji.addObject();
            String image = String.format("e%02d.png", n);
            entry.put("image", image).put("sort_order", 10 * (n + 1)).put("has_img_google", true)
                    .put("category", n % 2 == 0 ? "Smileys & Emotion" : "Animals & Nature");
            EvaluateCommandTest.colourFolder(temp.resolve("png"), 1, n % 2 == 0);
            Files.move(temp.resolve("png/c00.png"), images.resolve(image));
            if (n == 4 || n == 2) {
                ObjectNode variants = entry.putObject("skin_variations");
                for (String tone : List.of("1F3FB", "1F3FF")) {
                    String variant = String.format("e%02d-%s.png", n, tone.toLowerCase());
                    variants.putObject(tone).put("image", variant).put("has_img_google", true);
                    if (n == 4) {
                        Files.copy(images.resolve(image), images.resolve(variant));
                    }
                }
                if (n == 2) {
                    Files.copy(images.resolve(image), images.resolve("e02-1f3fb.png"));
                }
            }
        }
        emoji.addObject().put("image", "tone.png").put("sort_order", 5).put("has_img_google", true)
                .put("category", "Component");
        Files.copy(images.resolve("e00.png"), images.resolve("tone.png"));
        Json.MAPPER.writeValue(pkg.resolve("emoji.json").toFile(), emoji);
        return pkg;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sortsEmojiIntoCategoryFoldersThatTrainAClassifier() throws IOException, InterruptedException {
        Path pkg = fakePackage();
        Path out = temp.resolve("emoji-categories");
        Result sorted = python(pkg.toString(), out.toString());
        assertThat(sorted.exit()).as(sorted.err()).isZero();
        // positions in sort order: the Component swatch is 0 (left out), e00 … e09 are 1 … 10; 4 and 9 are test
        assertThat(names(out)).containsExactly("test", "train");
        assertThat(names(out.resolve("train"))).containsExactly("animals-nature", "smileys-emotion");
        assertThat(names(out.resolve("test/animals-nature"))).containsExactly("e03.png");
        assertThat(names(out.resolve("test/smileys-emotion"))).containsExactly("e08.png");
        assertThat(names(out.resolve("train/smileys-emotion")))
                .containsExactly("e00.png", "e02-1f3fb.png", "e02.png", "e04-1f3fb.png", "e04-1f3ff.png", "e04.png",
                        "e06.png");
        assertThat(names(out.resolve("train/animals-nature"))).containsExactly("e01.png", "e05.png", "e07.png",
                "e09.png");
        assertThat(sorted.out()).contains("train: 11 images, animals-nature 4, smileys-emotion 7")
                .contains("test: 2 images, animals-nature 1, smileys-emotion 1")
                .contains("1 image named in emoji.json was not in");

        Path classifiers = temp.resolve("classifiers");
        CliTest.Result trained = CliTest.run("classifier", "train", "--data", out.resolve("train").toString(),
                "--test", out.resolve("test").toString(), "--size", "16", "--epochs", "1", "--threads", "1",
                "--name", "emoji-v1", "--out", classifiers.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        JsonNode info = Json.MAPPER.readTree(classifiers.resolve("emoji-v1.json").toFile());
        assertThat(info.get("classes").asInt()).isEqualTo(2);
        assertThat(info.get("trainExamples").asInt()).isEqualTo(11);
        assertThat(info.get("testExamples").asInt()).isEqualTo(2);
    }

    /**
     * The script's help gives the README's classifier command: it left out --epochs 10, so following it made an
     * emoji64-v1 of other weights (5 epochs) than the README's and the config's.
     */
    @Test
    void theScriptsClassifierCommandIsTheReadmes() throws IOException {
        String script = Files.readString(Path.of("..", "scripts", "emoji_categories.py"));
        java.util.regex.Matcher command = java.util.regex.Pattern
                .compile("\\./gan4j classifier train (?:[^\\n\\\\]|\\\\\\n)*").matcher(script);
        assertThat(command.find()).isTrue();
        String joined = command.group().replaceAll("\\s*\\\\\\n\\s*", " ").strip();
        assertThat(Files.readString(Path.of("..", "README.md"))).contains("\n" + joined + "\n");
    }

    @Test
    void mistakesAreOneLineErrorsThatWriteNothing() throws IOException, InterruptedException {
        Path pkg = fakePackage();
        Result noIndex = python(temp.toString(), temp.resolve("out").toString());
        assertThat(noIndex.exit()).isEqualTo(1);
        assertThat(noIndex.err().strip()).contains("emoji.json not found").doesNotContain("\n");
        assertThat(temp.resolve("out")).doesNotExist();

        Path taken = Files.createDirectories(temp.resolve("taken"));
        Files.writeString(taken.resolve("keep.txt"), "mine");
        Result notEmpty = python(pkg.toString(), taken.toString());
        assertThat(notEmpty.exit()).isEqualTo(1);
        assertThat(notEmpty.err().strip()).contains("exists and is not empty").doesNotContain("\n");
        assertThat(names(taken)).containsExactly("keep.txt");

        // a file as OUT_DIR, and an emoji.json of another shape, ended in a Python traceback
        Path file = Files.writeString(temp.resolve("file.txt"), "mine");
        Result notAFolder = python(pkg.toString(), file.toString());
        assertThat(notAFolder.exit()).isEqualTo(1);
        assertThat(notAFolder.err().strip()).contains("is a file, not a folder").doesNotContain("\n");
        // an OUT_DIR that cannot be created (a file on its path) ended in a Python traceback too
        Result underAFile = python(pkg.toString(), file.resolve("out").toString());
        assertThat(underAFile.exit()).isEqualTo(1);
        assertThat(underAFile.err().strip()).startsWith("emoji_categories.py: cannot create ")
                .contains("file.txt/out").doesNotContain("\n").doesNotContain("Traceback");
        assertThat(Files.readString(file)).isEqualTo("mine");
        for (String index : new String[] {"{}", "[{\"image\": \"e00.png\"}]", "not json"}) {
            Path other = Files.createDirectories(temp.resolve("other/img/google/64"));
            Files.writeString(temp.resolve("other/emoji.json"), index);
            Result otherIndex = python(temp.resolve("other").toString(), temp.resolve("out").toString());
            assertThat(otherIndex.exit()).as(index).isEqualTo(1);
            assertThat(otherIndex.err().strip()).as(index).startsWith("emoji_categories.py: ")
                    .doesNotContain("\n").doesNotContain("Traceback");
            assertThat(temp.resolve("out")).doesNotExist();
            assertThat(other).isDirectory();
        }

        Result usage = python(pkg.toString());
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).startsWith("usage: emoji_categories.py PACKAGE_DIR OUT_DIR");
    }

    /** --help printed the one usage line on stderr and exited 2: not the commands the docstring gives. */
    @Test
    void helpPrintsTheCommandsAndSucceeds() throws IOException, InterruptedException {
        Result help = python("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("npm pack emoji-datasource-google@16.0.0",
                "python3 scripts/emoji_categories.py package data/emoji64-categories", "./gan4j classifier train",
                "--epochs 10", "usage: emoji_categories.py PACKAGE_DIR OUT_DIR");
        // the command's line continuation kept, so it can be pasted into a shell
        assertThat(help.out()).contains("--test data/emoji64-categories/test \\\n        --size 64");
    }
}
