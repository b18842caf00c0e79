package org.gan4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile documents end quickly in a one-line {@link Gan4jException}: no stack overflow, no wrap, no bomb. */
class ConfigHostileInputTest {

    private static final Duration QUICKLY = Duration.ofSeconds(5);

    @TempDir Path folder;

    private static String rejectText(String yaml) {
        return assertTimeoutPreemptively(QUICKLY, () -> {
            Gan4jException error =
                    catchThrowableOfType(Gan4jException.class, () -> ConfigLoader.loadText(yaml, "hostile.yaml", List.of()));
            assertThat(error).as("expected a Gan4jException").isNotNull();
            assertThat(error.getMessage()).doesNotContain("\n").hasSizeLessThan(600);
            return error.getMessage();
        });
    }

    private static String rejectSet(String assignment) {
        Gan4jException error =
                catchThrowableOfType(Gan4jException.class, () -> ConfigLoader.load(null, List.of(assignment)));
        assertThat(error).as("expected a Gan4jException").isNotNull();
        assertThat(error.getMessage()).doesNotContain("\n");
        return error.getMessage();
    }

    private static String blockNesting(int levels) {
        StringBuilder yaml = new StringBuilder();
        for (int level = 0; level < levels; level++) {
            yaml.append("  ".repeat(level)).append("a:\n");
        }
        return yaml.toString();
    }

    @Test
    void deepBlockNestingIsRefused() {
        assertThat(rejectText(blockNesting(200)))
                .startsWith("hostile.yaml:52:")
                .contains("nesting deeper than 50 levels");
        // 1000 indented levels are a megabyte of spaces: the size limit refuses them before parsing.
        assertThat(rejectText(blockNesting(1000))).contains("is longer than 262144 characters");
    }

    @Test
    void thousandLevelsOfFlowNestingAreRefused() {
        String yaml = "model:\n  mlp:\n    generatorHidden: " + "[".repeat(1000) + "]".repeat(1000) + "\n";
        assertThat(rejectText(yaml)).contains("nesting deeper than 50 levels");
        assertThat(rejectSet("model.mlp.generatorHidden=" + "[".repeat(1000) + "]".repeat(1000)))
                .startsWith("--set model.mlp.generatorHidden: nesting deeper than 50 levels");
        assertThat(rejectText("a: " + "{a: ".repeat(1000) + "1" + "}".repeat(1000))).contains("nesting deeper than 50");
        assertThat(rejectText("{".repeat(1000) + "}".repeat(1000))).startsWith("hostile.yaml:1:");
    }

    @Test
    void aListOrMappingAsAKeyIsNamedInWords() {
        assertThat(rejectText("a: 1\n[x]: 2\n"))
                .isEqualTo("hostile.yaml:2:2: YAML error: a key must be a plain name, got a list (is this a gan4j YAML"
                        + " config?)");
        assertThat(rejectText("{a: 1}: 2\n")).endsWith("YAML error: a key must be a plain name, got a mapping (is"
                + " this a gan4j YAML config?)");
    }

    @Test
    void hugeFloatsAreRefusedNotMadeInfinite() {
        assertThat(rejectText("loss:\n  realLabel: 1e400\n"))
                .isEqualTo("loss.realLabel in hostile.yaml:2:3 is too large for a number, got \"1e400\" (the limit"
                        + " is about 1.8e308)");
        assertThat(rejectSet("training.generator.learningRate=-1e400"))
                .isEqualTo("--set training.generator.learningRate is too large for a number, got \"-1e400\" (the"
                        + " limit is about 1.8e308)");
    }

    @Test
    void hugeIntegersAreRefusedNotWrapped() {
        assertThat(rejectSet("training.batchSize=99999999999999999999"))
                .isEqualTo("training.batchSize in --set must be between 1 and 65536, got 99999999999999999999");
        assertThat(rejectSet("output.logEvery=4294967297")) // 2^32 + 1 would wrap to 1
                .isEqualTo("output.logEvery in --set must be an integer between -2147483648 and 2147483647 (32 bits),"
                        + " got 4294967297");
        assertThat(rejectSet("seed=99999999999999999999"))
                .isEqualTo("seed in --set must be an integer between -9223372036854775808 and 9223372036854775807"
                        + " (64 bits), got 99999999999999999999");
        assertThat(rejectSet("data.limit=1e300")).startsWith("data.limit in --set must be an integer between");
        assertThat(rejectSet("training.steps=" + "9".repeat(1000)))
                .isEqualTo("--set training.steps holds a number with more digits than any setting needs");
    }

    @Test
    void nonFiniteNumbersAreRefused() {
        assertThat(rejectSet("loss.realLabel=.nan")).isEqualTo("--set loss.realLabel is not a finite number, got \".nan\"");
        assertThat(rejectSet("data.ring.radius=.inf")).startsWith("--set data.ring.radius");
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 9; level++) {
            yaml.append("a").append(level).append(": &a").append(level).append(" [");
            for (int copy = 0; copy < 9; copy++) {
                yaml.append(copy == 0 ? "" : ", ").append("*a").append(level - 1);
            }
            yaml.append("]\n");
        }
        assertThat(rejectText(yaml.toString())).contains("refuses alias bombs");
    }

    @Test
    void manyCheapAliasesAreRefused() {
        StringBuilder yaml = new StringBuilder("data:\n  gaussian:\n    b: &n [1, 2]\nmodel:\n  mlp:\n    generatorHidden: [");
        for (int copy = 0; copy < 60; copy++) {
            yaml.append(copy == 0 ? "" : ", ").append("*n");
        }
        yaml.append("]\n");
        assertThat(rejectText(yaml.toString())).contains("more than 50 aliases");
    }

    @Test
    void unknownOrRecursiveAliasIsRefused() {
        assertThat(rejectText("name: *nothing\n"))
                .isEqualTo("name in hostile.yaml:1:1 uses the alias *nothing, but no mapping or list before it has the"
                        + " anchor &nothing (anchors on single values are not supported)");
        assertThat(rejectText("training: &t\n  generator: *t\n")).contains("uses the alias *t, but no mapping");
    }

    @Test
    void hugeDocumentIsRefusedBySize() throws IOException {
        Path big = folder.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat(4 * 1024 * 1024) + "\nseed: 1\n");
        Gan4jException error = assertTimeoutPreemptively(QUICKLY, () ->
                catchThrowableOfType(Gan4jException.class, () -> ConfigLoader.load(big, List.of())));
        assertThat(error).isNotNull();
        assertThat(error.getMessage())
                .isEqualTo(big + " is longer than 262144 characters; a gan4j config is a few kilobytes");
    }

    @Test
    void longestAcceptedTokensStillParseQuickly() {
        // SnakeYAML scans one token in quadratic time; the size limit keeps the worst case well under a second.
        String longName = "x".repeat(YamlTreeReader.MAX_CHARS - 20);
        assertThat(rejectText("name: " + longName + "\n")).startsWith("name in hostile.yaml:1:1 must be 1 to 64");
        assertThat(assertTimeoutPreemptively(QUICKLY, () ->
                        ConfigLoader.loadText("# " + longName + "\nseed: 3\n", "long.yaml", List.of()).seed()))
                .isEqualTo(3L);
    }

    @Test
    void manyKeysAreRefused() {
        StringBuilder yaml = new StringBuilder("model:\n  mlp:\n    generatorHidden: [");
        for (int i = 0; i < 20_000; i++) {
            yaml.append(i == 0 ? "" : ",").append('1');
        }
        yaml.append("]\n");
        assertThat(rejectText(yaml.toString())).contains("more than 10000 values");
    }

    @Test
    void binaryGarbageAndControlCharactersAreRefused() {
        assertThat(rejectText("name: \u0000\u0001\u0002\n")).startsWith("hostile.yaml");
        assertThat(rejectText("\u00ff\u00fe\u0000\u0000")).startsWith("hostile.yaml");
        assertThat(rejectText("name: !!binary aGVsbG8=\n")).startsWith("name in hostile.yaml");
    }

    @Test
    void pythonStyleTagsBuildNothing() {
        assertThat(rejectText("name: !!python/object/apply:os.system ['echo hi']\n")).startsWith("name in hostile.yaml");
        assertThat(rejectText("name: !!javax.script.ScriptEngineManager [x]\n")).startsWith("name in hostile.yaml");
    }
}
