package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --max-steps N} on a longer config: the end-of-run summary and the report say the session was capped
 * ("stopped by --max-steps N; the config plans M"), not that the run stopped short at "N of M"; run.json records the
 * cap until a resume trains on.
 */
class MaxStepsCapTest {

    private static final String CONFIG = Path.of("..", "configs", "d2l-gaussian.yaml").toString();

    @TempDir Path temp;

    /** Trains the d2l toy into {@code run} with --max-steps 30 (the config plans 2500 steps). */
    private static CliTest.Result trainCappedAt30(Path run) {
        CliTest.Result capped =
                CliTest.run("train", "--config", CONFIG, "--out", run.toString(), "--max-steps", "30", "--no-progress");
        assertThat(capped.code()).as(capped.err()).isZero();
        return capped;
    }

    @Test
    void theCapIsNamedInTheSummaryRunJsonAndReportAndAResumeClearsIt() throws Exception {
        Path run = temp.resolve("run");
        CliTest.Result capped = trainCappedAt30(run);
        assertThat(capped.out()).contains("stopped at step 30 by --max-steps 30 (the config plans 2500 steps); continue"
                + " with: gan4j train --resume " + run);
        assertThat(Json.MAPPER.readTree(run.resolve("run.json").toFile()).path("maxSteps").asLong()).isEqualTo(30);
        Path html = temp.resolve("report.html");
        CliTest.Result report = CliTest.run("report", run.toString(), "--out", html.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(Files.readString(html)).contains("\"maxSteps\":30").contains("stopped by --max-steps ");

        CliTest.Result resumed = CliTest.run("train", "--resume", run.toString(), "--max-steps", "60", "--no-progress");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("stopped at step 60 by --max-steps 60 (the config plans 2500 steps)");
        JsonNode info = Json.MAPPER.readTree(run.resolve("run.json").toFile());
        assertThat(info.path("maxSteps").asLong()).isEqualTo(60);
    }

    @Test
    void theResumeCommandNamesTheLauncherAsItWasInvoked() throws Exception {
        Path run = temp.resolve("run");
        System.setProperty(Main.COMMAND_PROPERTY, "./gan4j");
        try {
            CliTest.Result capped = CliTest.run("train", "--config", CONFIG, "--out", run.toString(), "--max-steps", "5",
                    "--no-progress");
            assertThat(capped.code()).as(capped.err()).isZero();
            assertThat(capped.out()).contains("continue with: ./gan4j train --resume " + run);
        } finally {
            System.clearProperty(Main.COMMAND_PROPERTY);
        }
    }

    @Test
    void aResumeWithACapTheRunHasAlreadyReachedIsRefusedAndChangesNothing() throws Exception {
        Path run = temp.resolve("run");
        trainCappedAt30(run);
        String metrics = Files.readString(run.resolve("metrics.jsonl"));

        CliTest.Result behind = CliTest.run("train", "--resume", run.toString(), "--max-steps", "20", "--no-progress");
        assertThat(behind.code()).isEqualTo(2);
        assertThat(behind.err()).contains("gan4j: error: --max-steps 20 is below step 30, where " + run
                + " stands: nothing to train").doesNotContain("Exception");
        assertThat(Json.MAPPER.readTree(run.resolve("run.json").toFile()).path("maxSteps").asLong()).isEqualTo(30);
        assertThat(Files.readString(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
    }

    @Test
    void aForcedResumeWithACapTheRunHasAlreadyReachedIsRefusedBeforeRunJsonChanges() throws Exception {
        Path run = temp.resolve("run");
        trainCappedAt30(run);
        String runJson = Files.readString(run.resolve("run.json"));

        // the forced config used to be recorded in run.json by the resume before the cap was refused
        CliTest.Result behind = CliTest.run("train", "--resume", run.toString(), "--max-steps", "20", "--set",
                "training.steps=3000", "--force", "--no-progress");
        assertThat(behind.code()).isEqualTo(2);
        assertThat(behind.err()).contains("gan4j: error: --max-steps 20 is below step 30, where " + run
                + " stands: nothing to train").contains("the 3000 steps the config plans");
        assertThat(Files.readString(run.resolve("run.json"))).isEqualTo(runJson);
    }
}
