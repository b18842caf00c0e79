package org.gan4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gan4j.Gan4jException;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.Defaults;
import org.gan4j.evaluation.ClassMix;
import org.gan4j.io.Json;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDataTest {

    @TempDir Path temp;

    /** A hand-made run directory: 3 metrics rows (one with a warning), 2 sample grids, 2 evaluations. */
    private Path fakeRun() throws IOException {
        Path run = temp.resolve("fake-run");
        Files.createDirectories(run.resolve("samples"));
        Files.createDirectories(run.resolve("eval"));
        ObjectNode info = Json.MAPPER.createObjectNode();
        info.put("start", "2026-01-01T00:00:00Z");
        info.put("seed", 7);
        ObjectNode config = (ObjectNode) ConfigLoader.toTree(Defaults.config());
        ((ObjectNode) config.get("training")).put("steps", 30);
        info.set("config", config);
        Json.MAPPER.writeValue(run.resolve("run.json").toFile(), info);
        try (MetricsLog log = MetricsLog.open(run.resolve("metrics.jsonl"))) {
            log.append(MetricsRow.of(10, Map.of("lossD", 1.5, "lossG", 0.5)));
            log.append(MetricsRow.of(20, Map.of("lossD", 1.25, "lossG", 0.75)).withExtra("warning", "D is winning"));
            log.append(MetricsRow.of(30, Map.of("lossD", 1.0, "lossG", Double.NaN)));

        }
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        Files.write(run.resolve("samples/step-000010.png"), png);
        Files.write(run.resolve("samples/step-000020.png"), png);
        Files.write(run.resolve("samples/real.png"), png);
        Files.writeString(run.resolve("eval/step-000010.json"), "{\"fid\": 80.5, \"precision\": 0.25}");
        Files.writeString(run.resolve("eval/late.json"), "{\"step\": 20, \"metrics\": {\"fid\": 60.0, \"precision\": 0.5}}");
        return run;
    }

    @Test
    void readsColumnsWarningsFramesAndTheBestCheckpoint() throws IOException {
        Path run = fakeRun();
        ObjectNode model = RunData.read(run, (file, relative) -> "/x/" + relative);
        assertThat(model.path("metrics").path("step").toString()).isEqualTo("[10,20,30]");
        assertThat(model.path("metrics").path("lossG").toString()).isEqualTo("[0.5,0.75,null]");
        JsonNode warnings = model.path("warnings");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0).path("step").asLong()).isEqualTo(20);
        assertThat(warnings.get(0).path("text").asText()).isEqualTo("D is winning");
        assertThat(warnings.get(1).path("text").asText()).isEqualTo("lossG is NaN");
        assertThat(model.path("samples").get(1).path("src").asText()).isEqualTo("/x/samples/step-000020.png");
        assertThat(model.path("real").asText()).isEqualTo("/x/samples/real.png");
        assertThat(model.path("evaluation").path("step").toString()).isEqualTo("[10,20]");
        assertThat(model.path("evaluation").path("series").path("precision").toString()).isEqualTo("[0.25,0.5]");
        JsonNode best = model.path("evaluation").path("best");
        assertThat(best.path("metric").asText()).isEqualTo("fid");
        assertThat(best.path("step").asLong()).isEqualTo(20);
        assertThat(best.path("value").asDouble()).isCloseTo(60.0, within(1e-12));
        JsonNode summary = model.path("summary");
        assertThat(summary.path("lastStep").asLong()).isEqualTo(30);
        assertThat(summary.path("targetSteps").asLong()).isEqualTo(30);
        assertThat(summary.path("configDiff").path("training.steps").asLong()).isEqualTo(30);
        assertThat(summary.path("configDiff").size()).as(summary.path("configDiff").toString()).isEqualTo(1);
    }

    @Test
    void durationIsTheTrainingSessionsTimeNotTheSpanOfTheFileDates() throws IOException {
        Path run = fakeRun();
        // rows without wallSecs (runs from before the field): from run.json's start to the last write of the file
        Files.setLastModifiedTime(run.resolve("metrics.jsonl"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-01T00:01:40Z")));
        JsonNode old = RunData.read(run, (file, relative) -> relative).path("summary");
        assertThat(old.path("durationSeconds").asDouble()).isCloseTo(100.0, within(1e-9));
        assertThat(old.path("stepsPerSecond").asDouble()).isCloseTo(0.3, within(1e-9));
        // a run resumed a day later (or copied): the rows' summed session time counts, the pause does not
        try (MetricsLog log = MetricsLog.open(run.resolve("metrics.jsonl"))) {
            log.append(MetricsRow.of(40, Map.of("lossD", 1.0, "lossG", 1.0, "secs", 0.1, "wallSecs", 7.0)));
            log.append(MetricsRow.of(50, Map.of("lossD", 1.0, "lossG", 1.0, "secs", 0.3, "wallSecs", 8.0)));
            // after the last training row: a warning-only row and an evaluation row, neither with a wallSecs
            log.append(new MetricsRow(50, Map.of(), Map.of("warning", Json.MAPPER.getNodeFactory().textNode("D wins"))));
            log.append(MetricsRow.of(50, Map.of("fd", 3.0)).withExtra("eval", "all"));
        }
        Files.setLastModifiedTime(run.resolve("metrics.jsonl"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-02T00:00:00Z")));
        JsonNode model = RunData.read(run, (file, relative) -> relative);
        JsonNode resumed = model.path("summary");
        assertThat(resumed.path("durationSeconds").asDouble()).isCloseTo(8.0, within(1e-9));
        assertThat(resumed.path("stepsPerSecond").asDouble()).isCloseTo(50 / 8.0, within(1e-9));
        // the median of an even count is the mean of the two middle values
        assertThat(resumed.path("medianStepSeconds").asDouble()).isCloseTo(0.2, within(1e-12));
        // one point per training row: the warning-only row is a warning, not a point of the curves
        assertThat(model.path("metrics").path("step").toString()).isEqualTo("[10,20,30,40,50]");
        assertThat(model.path("warnings").toString()).contains("D wins");
        // a session stopped by Ctrl-C at step 53, off the logging grid: run.json's trainingTime counts to the stop
        org.gan4j.io.RunInfo.recordTrainingTime(run.resolve("run.json"), 53, 9.0);
        // without the stop's checkpoint the record is of an abandoned continuation: the rows' time and step count
        JsonNode abandoned = RunData.read(run, (file, relative) -> relative).path("summary");
        assertThat(abandoned.path("durationSeconds").asDouble()).isCloseTo(8.0, within(1e-9));
        assertThat(abandoned.path("lastStep").asLong()).isEqualTo(50);
        Files.createDirectories(run.resolve("checkpoints/step-000053"));
        JsonNode stopped = RunData.read(run, (file, relative) -> relative).path("summary");
        assertThat(stopped.path("durationSeconds").asDouble()).isCloseTo(9.0, within(1e-9));
        assertThat(stopped.path("stepsPerSecond").asDouble()).isCloseTo(53 / 9.0, within(1e-9));
        // the steps done are the step the run reached, the one the duration is for, not the last row's 50
        assertThat(stopped.path("lastStep").asLong()).isEqualTo(53);
        assertThat(resumed.path("lastStep").asLong()).isEqualTo(50);
        // a record at or before the last row (a session that ended there, then a resume trained on) is older news
        Files.delete(run.resolve("checkpoints/step-000053"));
        Files.createDirectories(run.resolve("checkpoints/step-000050"));
        org.gan4j.io.RunInfo.recordTrainingTime(run.resolve("run.json"), 50, 7.5);
        JsonNode earlier = RunData.read(run, (file, relative) -> relative).path("summary");
        assertThat(earlier.path("durationSeconds").asDouble()).isCloseTo(8.0, within(1e-9));
        assertThat(earlier.path("lastStep").asLong()).isEqualTo(50);
        // a run killed after a checkpoint off the logging grid reached that checkpoint's step (a resume goes on there)
        Files.createDirectories(run.resolve("checkpoints/step-000055"));
        assertThat(RunData.read(run, (file, relative) -> relative).path("summary").path("lastStep").asLong())
                .isEqualTo(55);
    }

    @Test
    void metricDirectionAndThinning() {
        assertThat(RunData.better("fid")).isEqualTo("lower");
        assertThat(RunData.better("recall")).isEqualTo("higher");
        assertThat(RunData.primaryMetric(new java.util.LinkedHashSet<>(List.of("precision", "kid")))).isEqualTo("kid");
        // gan4j's own keys: fd and kid decide, lower is better; as --best-by ranks them
        assertThat(RunData.primaryMetric(new java.util.LinkedHashSet<>(List.of("kidStandardError", "kid", "fd"))))
                .isEqualTo("fd");
        for (String lower : List.of("fd", "kid", "reverseKl", "classKl", "meanMaxAbsError")) {
            assertThat(RunData.better(lower)).as(lower).isEqualTo("lower");
        }
        for (String higher : List.of("memorisationRatio", "modesCaptured", "coverage", "parzenLogLikelihood")) {
            assertThat(RunData.better(higher)).as(higher).isEqualTo("higher");
        }
        // D's accuracy and ROC AUC are best at 0.5 (D cannot tell), as --best-by ranks them: neither lower nor higher
        for (String closer : List.of("dAccuracy", "dRocAuc")) {
            assertThat(RunData.better(closer)).as(closer).isEqualTo("closer");
        }
        assertThat(RunData.thin(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 4)).containsExactly(1, 4, 7, 10);
        assertThat(RunData.thin(List.of(1, 2), 4)).containsExactly(1, 2);
    }

    /** A live training process's marker keeps a run "training" while it evaluates; a dead or foreign one does not. */
    @Test
    void theTrainingMarkerCountsOnlyForALiveProcessOfThisHost() throws IOException {
        Path run = fakeRun();
        Path marker = run.resolve(org.gan4j.io.RunDirectory.TRAINING_MARKER);
        assertThat(ReportServer.trainedNow(run)).isFalse();
        String host = org.gan4j.training.TrainingRun.hostName();
        Files.writeString(marker, "{\"pid\": " + ProcessHandle.current().pid() + ", \"host\": \"" + host + "\"}");
        assertThat(ReportServer.trainedNow(run)).isTrue();
        Files.writeString(marker, "{\"pid\": " + ProcessHandle.current().pid() + ", \"host\": \"elsewhere\"}");
        assertThat(ReportServer.trainedNow(run)).isFalse();
        Process gone = new ProcessBuilder("true").start();
        try {
            gone.waitFor();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        Files.writeString(marker, "{\"pid\": " + gone.pid() + ", \"host\": \"" + host + "\"}");
        assertThat(ReportServer.trainedNow(run)).isFalse();
        Files.writeString(marker, "torn");
        assertThat(ReportServer.trainedNow(run)).isFalse();
    }

    /** Runs made from one preset share its name: a comparison labels them by folder, and numbers equal folder names. */
    @Test
    void comparedRunsWithTheSameConfigNameAreLabelledByFolder() {
        java.util.function.BiFunction<String, String, ObjectNode> run = (name, directory) -> {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("name", name);
            node.put("directory", directory);
            return node;
        };
        ObjectNode a = run.apply("ring8", "/runs/ring8-pack1-s1");
        ObjectNode page = HtmlReport.page("t", List.of(a, run.apply("ring8", "/runs/ring8-pack4-s1"),
                run.apply("grid25", "/runs/grid25-pack1-s1"), run.apply("x", "/a/same"), run.apply("x", "/b/same")), null);
        List<String> names = new java.util.ArrayList<>();
        page.path("runs").forEach(node -> names.add(node.path("name").asText()));
        assertThat(names).containsExactly("ring8-pack1-s1", "ring8-pack4-s1", "grid25", "same", "same (2)");
        assertThat(a.path("name").asText()).as("the caller's model is not renamed").isEqualTo("ring8");
    }

    @Test
    void selfContainedFileInlinesEverything() throws IOException {
        Path run = fakeRun();
        Path out = HtmlReport.write(List.of(run), temp.resolve("r/report.html"));
        String html = Files.readString(out);
        assertThat(html).contains("data:image/png;base64,iVBORw==", "uPlot", "\"lastStep\":30")
                .doesNotContain("src=\"http", "href=\"http", "<script src");
        assertThatThrownBy(() -> HtmlReport.write(List.of(temp), temp.resolve("x.html")))
                .isInstanceOf(Gan4jException.class).hasMessageContaining("not a gan4j run directory");
    }

    /** At the end of training the dashboard waits for an open page's next poll, and only when a page is open. */
    @Test
    void theDashboardLingersForAnOpenPageOnly() throws Exception {
        Path run = fakeRun();
        try (ReportServer server = ReportServer.start(run, ReportServer.DEFAULT_BIND, 0)) {
            long start = System.nanoTime();
            assertThat(server.lingerForViewers(3_000)).isFalse();
            assertThat(System.nanoTime() - start).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(2));
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest poll = HttpRequest.newBuilder(server.url().resolve("/api/page.json")).build();
            client.send(poll, HttpResponse.BodyHandlers.ofString());
            java.util.concurrent.CompletableFuture<Boolean> lingered =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> server.lingerForViewers(20_000));
            // the page keeps polling (every 200 ms here) until the wait has seen one of its requests
            for (int i = 0; i < 50 && !lingered.isDone(); i++) {
                Thread.sleep(200);
                client.send(poll, HttpResponse.BodyHandlers.ofString());
            }
            assertThat(lingered.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theDashboardsProgressOfASessionCappedByMaxStepsRunsToTheCap() throws Exception {
        // gan4j train --max-steps 60 on a config of 400 steps, at step 30: "step 30 / 60" and an ETA to 60, not
        // "step 30 / 400" next to an ETA that ends at 60
        Path run = fakeRun();
        ObjectNode info = (ObjectNode) Json.MAPPER.readTree(run.resolve("run.json").toFile());
        ((ObjectNode) info.path("config").path("training")).put("steps", 400);
        info.put(org.gan4j.training.TrainingRun.MAX_STEPS_KEY, 60);
        Json.MAPPER.writeValue(run.resolve("run.json").toFile(), info);
        try (ReportServer server = ReportServer.start(run, ReportServer.DEFAULT_BIND, 0)) {
            HttpResponse<String> json = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.url().resolve("/api/page.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode progress = Json.MAPPER.readTree(json.body()).path("runs").get(0).path("progress");
            assertThat(progress.path("step").asLong()).isEqualTo(30);
            assertThat(progress.path("target").asLong()).isEqualTo(60);
            assertThat(progress.path("state").asText()).isNotEqualTo("finished");
        }
    }

    @Test
    void serverAnswersOnLoopbackWithNotModifiedAndRefusesOtherFiles() throws Exception {
        Path run = fakeRun();
        Files.writeString(run.resolve("secret.txt"), "no");
        try (ReportServer server = ReportServer.start(run, ReportServer.DEFAULT_BIND, 0)) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = server.url();
            assertThat(base.toString()).startsWith("http://127.0.0.1:");
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("\"live\":{\"url\":\"/api/page.json?run=fake-run\"");
            HttpResponse<String> json = client.send(HttpRequest.newBuilder(base.resolve("/api/page.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Json.MAPPER.readTree(json.body()).path("runs").get(0).path("progress").path("state").asText())
                    .isEqualTo("finished");
            String etag = json.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = client.send(HttpRequest.newBuilder(base.resolve("/api/page.json"))
                    .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(304);
            HttpResponse<byte[]> image = client.send(HttpRequest.newBuilder(base.resolve("/files/fake-run/samples/step-000010.png"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(new String(image.body(), StandardCharsets.ISO_8859_1)).isEqualTo("\u0089PNG");
            for (String bad : List.of("/files/fake-run/secret.txt", "/files/fake-run/samples/..%2F..%2Fsecret.png", "/files/other/samples/real.png")) {
                assertThat(client.send(HttpRequest.newBuilder(base.resolve(bad)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).as(bad).isEqualTo(404);
            }
        }
        assertThatThrownBy(() -> ReportServer.start(run, "no-such-host.invalid", 0))
                .isInstanceOf(Gan4jException.class).hasMessageContaining("--bind");
    }

    @Test
    void aRunNamedTwiceInTheAddressIsShownOnce() throws Exception {
        Path run = fakeRun();
        try (ReportServer server = ReportServer.start(run, ReportServer.DEFAULT_BIND, 0)) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> json = client.send(HttpRequest.newBuilder(
                    server.url().resolve("/api/page.json?run=fake-run&run=fake-run")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(json.body()).path("runs")).hasSize(1);
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                    server.url().resolve("/compare?run=fake-run&run=fake-run")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("\"live\":{\"url\":\"/api/page.json?run=fake-run\"");
        }
    }

    /** An evaluation's NaN (no mode captured: no reverse KL) is a metric without a value, not a warning. */
    @Test
    void nonFiniteEvaluationValuesAreNoWarnings() throws IOException {
        Path run = fakeRun();
        try (MetricsLog log = MetricsLog.open(run.resolve("metrics.jsonl"))) {
            log.append(MetricsRow.of(30, Map.of("modesCaptured", 0.0, "reverseKl", Double.NaN))
                    .withExtra("eval", "generator evaluation"));
        }
        JsonNode warnings = RunData.read(run, (file, relative) -> "/x/" + relative).path("warnings");
        assertThat(warnings).extracting(node -> node.path("text").asText())
                .containsExactly("D is winning", "lossG is NaN");
    }

    @Test
    void trainingTimeEvaluationsAndTheKeptBestCheckpointReachTheReport() throws IOException {
        Path run = fakeRun();
        // what `train --eval-every 10 --best-by coverage` writes: eval rows in metrics.jsonl, the best in checkpoints-best/
        try (MetricsLog log = MetricsLog.open(run.resolve("metrics.jsonl"))) {
            log.append(MetricsRow.of(10, Map.of("coverage", 0.4, "fd", 12.0)).withExtra("eval", "generator evaluation"));
            log.append(MetricsRow.of(30, Map.of("coverage", 0.7, "fd", 9.0, "classKl", 0.8))
                    .withExtra("eval", "generator evaluation"));
        }
        Path best = Files.createDirectories(run.resolve("checkpoints-best/step-000030"));
        Files.writeString(best.resolve("state.json"), "{\"step\": 30, \"bestMetric\": \"coverage\", \"bestValue\": 0.7}");

        ObjectNode model = RunData.read(run, (file, relative) -> "/x/" + relative);
        JsonNode evaluation = model.path("evaluation");
        assertThat(evaluation.path("step").toString()).isEqualTo("[10,20,30]");
        assertThat(evaluation.path("series").path("coverage").toString()).isEqualTo("[0.4,null,0.7]");
        assertThat(evaluation.path("series").path("fid").toString()).isEqualTo("[80.5,60.0,null]");
        assertThat(evaluation.path("best").path("metric").asText()).isEqualTo("coverage");
        assertThat(evaluation.path("best").path("step").asLong()).isEqualTo(30);
        assertThat(evaluation.path("best").path("value").asDouble()).isEqualTo(0.7);
        assertThat(evaluation.path("best").path("better").asText()).isEqualTo("higher");
        assertThat(evaluation.path("best").has("target")).isFalse();
        // the latest evaluation read in words, as gan4j evaluate prints it
        assertThat(evaluation.path("verdict").path("step").asLong()).isEqualTo(30);
        assertThat(evaluation.path("verdict").path("lines")).hasSize(1);
        assertThat(evaluation.path("verdict").path("lines").get(0).asText())
                .startsWith("MODE COLLAPSE: the samples crowd into a few classes").contains("class KL 0.80 nats");
        // evaluation rows stay out of the training curves
        assertThat(model.path("metrics").path("step").toString()).isEqualTo("[10,20,30]");
        assertThat(model.path("metrics").has("coverage")).isFalse();
    }

    /**
     * Several evaluation files of one step (other settings: eval-step-N.json, then -2, -3): the values of the file
     * written last are shown. In name order eval-step-000020.json came after its -2 ('-' sorts before '.'), so the
     * report showed the oldest evaluation until 1 December.
     */
    @Test
    void theNewestEvaluationFileOfAStepIsShown() throws IOException {
        Path run = fakeRun();
        Path first = run.resolve("eval/eval-step-000020.json");
        Path second = run.resolve("eval/eval-step-000020-2.json");
        Files.writeString(first, "{\"step\": 20, \"metrics\": {\"fd\": 9.0}}");
        Files.writeString(second, "{\"step\": 20, \"metrics\": {\"fd\": 7.0}}");
        Files.setLastModifiedTime(first, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(second, java.nio.file.attribute.FileTime.fromMillis(1_000_000_060_000L));
        JsonNode fd = RunData.read(run, (file, relative) -> relative).path("evaluation").path("series").path("fd");
        assertThat(fd.toString()).isEqualTo("[null,7.0]");
        // written the other way round, the first file wins
        Files.setLastModifiedTime(first, java.nio.file.attribute.FileTime.fromMillis(1_000_000_120_000L));
        fd = RunData.read(run, (file, relative) -> relative).path("evaluation").path("series").path("fd");
        assertThat(fd.toString()).isEqualTo("[null,9.0]");
    }

    /**
     * A checkpoint folder, sample grid or evaluation file whose name holds more digits than a step can be (not one gan4j
     * wrote: a copy renamed by hand) is left out of the report; until 1 December the report ended in a stack trace
     * (NumberFormatException).
     */
    @Test
    void namesWithMoreDigitsThanAStepAreLeftOut() throws IOException {
        Path run = fakeRun();
        String digits = "9".repeat(20);
        Files.createDirectories(run.resolve("checkpoints/step-000010"));
        Files.createDirectories(run.resolve("checkpoints/step-" + digits));
        Files.write(run.resolve("samples/step-" + digits + ".png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(run.resolve("eval/eval-step-" + digits + ".json"), "{\"metrics\": {\"fid\": 1.0}}");
        ObjectNode model = RunData.read(run, (file, relative) -> relative);
        assertThat(model.path("checkpoints").toString()).isEqualTo("[10]");
        assertThat(model.path("samples")).hasSize(2);
        assertThat(model.path("evaluation").path("step").toString()).isEqualTo("[10,20]");
    }

    @Test
    void aColourRunsEvaluationIsNotRankedByPixelDiversity() throws IOException {
        Path run = fakeRun();
        Files.delete(run.resolve("eval/step-000010.json"));
        Files.delete(run.resolve("eval/late.json"));
        // what `gan4j evaluate` writes for a colour run (no classifier: diversity and the discriminator test, in this
        // order); step 20's generator is noise (diversity above 1, D tells it apart), step 30's is nearer the data
        Files.writeString(run.resolve("eval/eval-step-000020.json"), "{\"step\": 20, \"metrics\": {\"pixelDiversity\":"
                + " 1.4, \"dAccuracy\": 0.99, \"dRealAccuracy\": 0.99, \"dFakeAccuracy\": 0.99, \"dRocAuc\": 1.0}}");
        Files.writeString(run.resolve("eval/eval-step-000030.json"), "{\"step\": 30, \"metrics\": {\"pixelDiversity\":"
                + " 0.9, \"dAccuracy\": 0.7, \"dRealAccuracy\": 0.6, \"dFakeAccuracy\": 0.8, \"dRocAuc\": 0.8}}");
        JsonNode best = RunData.read(run, (file, relative) -> relative).path("evaluation").path("best");
        // as --best-by dAccuracy ranks it (closer to 0.5); pixel diversity, which --best-by refuses, would pick noise
        assertThat(best.path("metric").asText()).isEqualTo("dAccuracy");
        assertThat(best.path("step").asLong()).isEqualTo(30);
        assertThat(best.path("value").asDouble()).isEqualTo(0.7);
        // the report's data says so: closest to the target 0.5 is best, not lowest
        assertThat(best.path("better").asText()).isEqualTo("closer");
        assertThat(best.path("target").asDouble()).isEqualTo(0.5);
        assertThat(best.has("lowerIsBetter")).isFalse();

        // pixel diversity alone ranks nothing: no best checkpoint
        Files.writeString(run.resolve("eval/eval-step-000020.json"), "{\"step\": 20, \"metrics\": {\"pixelDiversity\": 1.4}}");
        Files.writeString(run.resolve("eval/eval-step-000030.json"), "{\"step\": 30, \"metrics\": {\"pixelDiversity\": 0.9}}");
        JsonNode evaluation = RunData.read(run, (file, relative) -> relative).path("evaluation");
        assertThat(evaluation.path("step").toString()).isEqualTo("[20,30]");
        assertThat(evaluation.has("best")).isFalse();
        assertThat(RunData.primaryMetric(new java.util.LinkedHashSet<>(List.of("pixelDiversity", "density"))))
                .isNull();
        assertThat(RunData.primaryMetric(new java.util.LinkedHashSet<>(List.of("pixelDiversity", "coverage"))))
                .isEqualTo("coverage");
    }

    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** 10 classes, each 10 % of the real images. */
    private static ClassMix fashionMix(long... counts) {
        double[] real = new double[10];
        java.util.Arrays.fill(real, 0.1);
        return ClassMix.of(counts, real, FASHION);
    }

    @Test
    void theClassMixOfEvaluationRowsBecomesAChartOfEachClassOverTheSteps() throws IOException {
        Path run = fakeRun();
        assertThat(RunData.read(run, (file, relative) -> relative).path("evaluation").has("classMix")).isFalse();
        try (MetricsLog log = MetricsLog.open(run.resolve("metrics.jsonl"))) {
            // Trouser vanishes at step 30 and comes back at step 40; an evaluation row without a mix is no point
            log.append(MetricsRow.of(30, Map.of("fd", 9.0, "classKl", 0.8)).withExtra("eval", "generator evaluation")
                    .withExtra("classMix", fashionMix(5, 0, 10, 10, 10, 0, 44, 10, 0, 11).toJson()));
            log.append(MetricsRow.of(35, Map.of("fd", 8.5)).withExtra("eval", "generator evaluation"));
            log.append(MetricsRow.of(40, Map.of("fd", 8.0, "classKl", 0.1)).withExtra("eval", "generator evaluation")
                    .withExtra("classMix", fashionMix(10, 8, 10, 10, 10, 9, 14, 10, 9, 10).toJson()));
        }
        JsonNode chart = RunData.read(run, (file, relative) -> relative).path("evaluation").path("classMix");
        assertThat(chart.path("step").toString()).isEqualTo("[30,40]");
        assertThat(chart.path("classes").asInt()).isEqualTo(10);
        assertThat(chart.path("omitted").asInt()).isZero();
        assertThat(chart.has("omittedWithin")).isFalse();
        JsonNode drawn = chart.path("drawn");
        assertThat(drawn).hasSize(10);
        assertThat(drawn.findValuesAsText("name")).containsExactlyElementsOf(FASHION);
        assertThat(drawn.get(1).path("samples").toString()).isEqualTo("[0.0,0.08]");
        assertThat(drawn.get(6).path("samples").toString()).isEqualTo("[0.44,0.14]");
        assertThat(drawn.get(6).path("real").asDouble()).isEqualTo(0.1);
    }

    /**
     * A training row's class KL and class mix, then an eval file of the same step written later with a class KL but no
     * mix (an evaluation from before class mixes were written): the file's class KL is shown, so the verdict must not
     * name classes from the row's mix, which belongs to another evaluation. Until 1 December it combined the two.
     */
    @Test
    void theVerdictNamesNoClassesFromAnotherEvaluationThanItsClassKl() throws IOException {
        Path run = fakeRun();
        Files.delete(run.resolve("eval/step-000010.json"));
        Files.delete(run.resolve("eval/late.json"));
        try (MetricsLog log = MetricsLog.open(run.resolve("metrics.jsonl"))) {
            log.append(MetricsRow.of(40, Map.of("fd", 9.0, "classKl", 0.8, "classesCovered", 8.0))
                    .withExtra("eval", "generator evaluation")
                    .withExtra("classMix", fashionMix(5, 0, 10, 10, 10, 0, 44, 10, 0, 11).toJson()));
        }
        JsonNode verdict = RunData.read(run, (file, relative) -> relative).path("evaluation").path("verdict");
        assertThat(verdict.path("lines").toString()).contains("Shirt");
        assertThat(verdict.has("classMix")).isTrue();

        Files.writeString(run.resolve("eval/eval-step-000040.json"),
                "{\"step\": 40, \"metrics\": {\"fd\": 9.5, \"classKl\": 0.5, \"classesCovered\": 10}}");
        JsonNode evaluation = RunData.read(run, (file, relative) -> relative).path("evaluation");
        verdict = evaluation.path("verdict");
        assertThat(verdict.path("lines").toString()).contains("0.50").doesNotContain("Shirt").doesNotContain("Trouser");
        assertThat(verdict.has("classMix")).isFalse();
        // the row's mix was measured all the same: the chart keeps it
        assertThat(evaluation.path("classMix").path("step").toString()).isEqualTo("[40]");

        // a later file with a mix of its own: its classes are named
        Files.writeString(run.resolve("eval/eval-step-000040-2.json"), "{\"step\": 40, \"metrics\": {\"fd\": 9.4,"
                + " \"classKl\": 0.6, \"classesCovered\": 9}, \"classMix\": "
                + fashionMix(10, 10, 10, 10, 40, 10, 0, 10, 10, 10).toJson() + "}");
        Files.setLastModifiedTime(run.resolve("eval/eval-step-000040-2.json"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        verdict = RunData.read(run, (file, relative) -> relative).path("evaluation").path("verdict");
        assertThat(verdict.path("lines").toString()).contains("Shirt").contains("Coat");
        assertThat(verdict.has("classMix")).isTrue();
    }

    @Test
    void theClassMixChartDrawsTheTenClassesThatStrayFurthestAndCountsTheRest() {
        // 12 classes, real shares 1/12 each; class k's samples stray by k/1000 at step 10, class 3 by a lot at step 20
        List<String> names = new java.util.ArrayList<>();
        double[] real = new double[12];
        double[] early = new double[12];
        double[] late = new double[12];
        for (int k = 0; k < 12; k++) {
            names.add("c" + k);
            real[k] = 1 / 12.0;
            early[k] = real[k] + (k % 2 == 0 ? 1 : -1) * k / 1000.0;
            late[k] = real[k];
        }
        late[3] = real[3] - 0.05;
        late[4] = real[4] + 0.05;
        java.util.TreeMap<Long, ClassMix> mixes = new java.util.TreeMap<>(Map.of(
                10L, new ClassMix(names, early, real), 20L, new ClassMix(names, late, real)));
        JsonNode chart = RunData.classMixChart(mixes);
        assertThat(chart.path("classes").asInt()).isEqualTo(12);
        // the furthest at any step: 3 and 4 (at step 20), then 11, 10, …, 4 by their step-10 distance; 0 and 1 stay
        // closest, label order in the legend
        assertThat(chart.path("drawn").findValuesAsText("name"))
                .containsExactly("c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11");
        assertThat(chart.path("omitted").asInt()).isEqualTo(2);
        assertThat(chart.path("omittedWithin").asDouble()).isCloseTo(0.001, within(1e-12));
        assertThat(chart.path("drawn").get(1).path("samples").get(1).asDouble()).isCloseTo(1 / 12.0 - 0.05,
                within(1e-12));
    }
}
