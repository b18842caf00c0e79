package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir Path temp;

    @Test
    void trainWithDashboardThenReport() throws Exception {
        Path data = CliTest.writeIdx(temp.resolve("train-images-idx3-ubyte"), 16, 16);
        Path runDir = temp.resolve("run");
        CliTest.Result train = CliTest.run(
                "train", "--data", data.toString(), "--out", runDir.toString(),
                "--set", "model.latentSize=8", "--set", "model.dcgan.generatorFeatures=4",
                "--set", "model.dcgan.discriminatorFeatures=4", "--set", "training.batchSize=8",
                "--set", "training.steps=4", "--set", "output.sampleEvery=2", "--no-progress",
                "--dashboard", "--port", "0");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).containsPattern("dashboard: http://127\\.0\\.0\\.1:\\d+/");

        CliTest.Result report = CliTest.run("report", runDir.toString());
        assertThat(report.code()).as(report.err()).isZero();
        Path html = runDir.resolve("report.html");
        assertThat(report.out()).contains(html.toString());
        assertThat(Files.readString(html)).contains("\"lastStep\":4", "data:image/png;base64,").doesNotContain("<script src");

        Path other = handMadeRun(temp.resolve("other"), "other", false);
        Path compare = temp.resolve("compare.html");
        assertThat(CliTest.run("report", runDir.toString(), other.toString(), "--out", compare.toString()).code())
                .isZero();
        assertThat(Files.readString(compare)).contains("gan4j report: run vs other");
        // without --out a comparison goes next to the first run's report, which stays as it was
        String own = Files.readString(html);
        CliTest.Result side = CliTest.run("report", runDir.toString(), other.toString());
        assertThat(side.code()).as(side.err()).isZero();
        assertThat(side.out()).contains(runDir.resolve("compare.html").toString());
        assertThat(Files.readString(runDir.resolve("compare.html"))).contains("gan4j report: run vs other");
        assertThat(Files.readString(html)).isEqualTo(own);
    }

    @Test
    void aRunNamedTwiceIsAUserErrorAndWritesNothing() throws Exception {
        Path run = handMadeRun(temp.resolve("run"), "run", false);
        CliTest.Result twice = CliTest.run("report", run.toString(), run.toString());
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err().strip()).isEqualTo("gan4j: error: RUN_DIR " + run
                + " is given twice; a comparison needs different run directories");
        Path spelledOtherwise = temp.resolve("run/../run/.");
        CliTest.Result same = CliTest.run("report", run.toString(), spelledOtherwise.toString());
        assertThat(same.code()).isEqualTo(2);
        assertThat(same.err()).contains("RUN_DIR " + spelledOtherwise + " is the same run as " + run);
        Path link = Files.createSymbolicLink(temp.resolve("link"), run);
        assertThat(CliTest.run("report", link.toString(), run.toString()).err()).contains("is the same run as " + link);
        assertThat(run.resolve("compare.html")).doesNotExist();
        assertThat(link.resolve("compare.html")).doesNotExist();
    }

    @Test
    void userErrors() {
        CliTest.Result notARun = CliTest.run("report", temp.toString());
        assertThat(notARun.code()).isEqualTo(2);
        assertThat(notARun.err()).contains("not a gan4j run directory");
        CliTest.Result badPort = CliTest.run("serve", temp.toString(), "--port", "70000");
        assertThat(badPort.code()).isEqualTo(2);
        assertThat(badPort.err()).contains("--port");
        CliTest.Result noFolder = CliTest.run("serve", temp.resolve("missing").toString());
        assertThat(noFolder.code()).isEqualTo(2);
        assertThat(CliTest.run("train", "--help").out()).contains("--dashboard", "--port", "--bind");
        assertThat(CliTest.run("serve", "--help").out()).contains("--port", "--bind");
    }

    @Test
    void theHelpNamesTheClassMixChart() {
        // the help listed what a report shows but not the class mix over training, which REPORTS.md and the README name
        assertThat(CliTest.run("report", "--help").out().replaceAll("\\s+", " ")).contains("the class mix over training");
    }

    /**
     * A run directory written by hand: run.json and a metrics.jsonl with two training rows and evaluation rows at steps
     * 50 and 100, with a class mix (Trouser gone at step 50, back at step 100) or without one.
     */
    static Path handMadeRun(Path dir, String name, boolean classMix) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), "{\"seed\": 1, \"config\": {\"name\": \"" + name
                + "\", \"training\": {\"steps\": 100}}}");
        StringBuilder rows = new StringBuilder();
        rows.append("{\"step\":50,\"lossD\":1.2,\"lossG\":0.9}\n{\"step\":100,\"lossD\":1.1,\"lossG\":1.0}\n");
        double[][] samples = {{0.05, 0.0, 0.1, 0.1, 0.1, 0.0, 0.44, 0.1, 0.0, 0.11},
            {0.1, 0.08, 0.1, 0.1, 0.1, 0.09, 0.14, 0.1, 0.09, 0.1}};
        String[] names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
            "Ankle boot"};
        for (int e = 0; e < 2; e++) {
            rows.append("{\"step\":").append(50 * (e + 1)).append(",\"fd\":").append(200 - 100 * e)
                    .append(",\"classKl\":").append(e == 0 ? 0.8 : 0.1).append(",\"eval\":\"generator evaluation\"");
            if (classMix) {
                rows.append(",\"classMix\":[");
                for (int k = 0; k < 10; k++) {
                    rows.append(k == 0 ? "" : ",").append("{\"label\":").append(k).append(",\"name\":\"")
                            .append(names[k]).append("\",\"samples\":").append(samples[e][k]).append(",\"real\":0.1}");
                }
                rows.append("]");
            }
            rows.append("}\n");
        }
        Files.writeString(dir.resolve("metrics.jsonl"), rows.toString());
        return dir;
    }

    /** The page model inlined in a report file. */
    static JsonNode reportData(Path html) throws Exception {
        String text = Files.readString(html);
        String start = "<script type=\"application/json\" id=\"gan4j-data\">";
        int from = text.indexOf(start) + start.length();
        return Json.MAPPER.readTree(text.substring(from, text.indexOf("</script>", from)));
    }

    @Test
    void aRunWithAClassMixGetsItsChartDataOthersNone() throws Exception {
        Path mixed = handMadeRun(temp.resolve("mixed"), "mixed", true);
        Path plain = handMadeRun(temp.resolve("plain"), "plain", false);

        CliTest.Result report = CliTest.run("report", mixed.toString());
        assertThat(report.code()).as(report.err()).isZero();
        JsonNode chart = reportData(mixed.resolve("report.html")).path("runs").get(0).path("evaluation").path("classMix");
        assertThat(chart.path("step").toString()).isEqualTo("[50,100]");
        assertThat(chart.path("drawn").findValuesAsText("name")).hasSize(10).contains("Trouser", "Shirt", "Ankle boot");
        assertThat(chart.path("drawn").get(1).path("samples").toString()).isEqualTo("[0.0,0.08]");
        assertThat(chart.path("drawn").get(6).path("samples").toString()).isEqualTo("[0.44,0.14]");
        assertThat(chart.path("drawn").get(6).path("real").asDouble()).isEqualTo(0.1);
        assertThat(Files.readString(mixed.resolve("report.html"))).contains("over training").doesNotContain("<script src");

        assertThat(CliTest.run("report", plain.toString()).code()).isZero();
        JsonNode evaluation = reportData(plain.resolve("report.html")).path("runs").get(0).path("evaluation");
        assertThat(evaluation.path("step").toString()).isEqualTo("[50,100]");
        assertThat(evaluation.has("classMix")).isFalse();

        // compared: each run keeps its own (or no) class mix, at its own steps
        Path compare = temp.resolve("compare.html");
        assertThat(CliTest.run("report", plain.toString(), mixed.toString(), "--out", compare.toString()).code())
                .isZero();
        JsonNode runs = reportData(compare).path("runs");
        assertThat(runs.get(0).path("name").asText()).isEqualTo("plain");
        assertThat(runs.get(0).path("evaluation").has("classMix")).isFalse();
        assertThat(runs.get(1).path("evaluation").path("classMix")).isEqualTo(chart);
    }
}
