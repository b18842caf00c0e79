package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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

        Path compare = temp.resolve("compare.html");
        assertThat(CliTest.run("report", runDir.toString(), runDir.toString(), "--out", compare.toString()).code()).isZero();
        assertThat(Files.readString(compare)).contains("gan4j report: run vs run");
        // without --out a comparison goes next to the first run's report, which stays as it was
        String own = Files.readString(html);
        CliTest.Result side = CliTest.run("report", runDir.toString(), runDir.toString());
        assertThat(side.code()).as(side.err()).isZero();
        assertThat(side.out()).contains(runDir.resolve("compare.html").toString());
        assertThat(Files.readString(runDir.resolve("compare.html"))).contains("gan4j report: run vs run");
        assertThat(Files.readString(html)).isEqualTo(own);
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
}
