package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;

/** {@code gan4j bench} with tiny budgets: one JSON line per model with the fields bench/run.sh reads. */
class BenchCommandTest {

    private static List<JsonNode> lines(CliTest.Result result) throws IOException {
        assertThat(result.code()).as(result.err()).isZero();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : result.out().lines().filter(text -> text.startsWith("{")).toList()) {
            nodes.add(Json.MAPPER.readTree(line));
        }
        return nodes;
    }

    @Test
    void toyTwoSteps() throws IOException {
        List<JsonNode> lines = lines(CliTest.run("bench", "--model", "toy", "--steps", "2", "--warmup", "1"));
        assertThat(lines).hasSize(1);
        JsonNode toy = lines.get(0);
        assertThat(toy.path("side").asText()).isEqualTo("gan4j");
        assertThat(toy.path("model").asText()).isEqualTo("toy");
        // the engine's default device (CI has no GPU)
        assertThat(toy.path("device").asText()).isEqualTo("cpu()");
        assertThat(toy.path("batch").asInt()).isEqualTo(8);
        assertThat(toy.path("steps").asInt()).isEqualTo(2);
        // d2l's toy at batch 8: 3G − G₁ + 8D − 2D₁ = 3·64 − 64 + 8·448 − 2·160 (FlopCounterTest)
        assertThat(toy.path("flopsPerStep").asDouble()).isCloseTo(3392, within(1e-6));
        assertThat(toy.path("medianSeconds").asDouble()).isGreaterThan(0).isLessThan(10);
        assertThat(toy.path("dataWaitShare").asDouble()).isBetween(0.0, 1.0);
        assertThat(toy.path("peakRssMiB").asDouble()).isGreaterThan(10);
    }

    /**
     * {@code gan4j bench --threads N} is the number asked for on this command line: it wins over GAN4J_THREADS (which
     * the launcher passes as {@code -Dai.djl.pytorch.num_threads}; it used to win silently), and a property that is
     * not a whole number from 1 to 1024 is a one-line error (0 was a stack trace from libtorch, "abc" silently
     * ignored, 99999 started 99999 threads), as is a --threads above 1024.
     */
    @Test
    void benchThreadsWinsOverGan4jThreadsAndABadThreadCountIsAOneLineError() throws IOException {
        String property = "ai.djl.pytorch.num_threads";
        int cores = Runtime.getRuntime().availableProcessors();
        CliTest.restoringProperty(property, () -> {
            System.setProperty(property, Integer.toString(cores + 1));
            List<JsonNode> lines = lines(CliTest.run("bench", "--model", "toy", "--steps", "1", "--warmup", "0",
                    "--threads", Integer.toString(cores)));
            assertThat(lines).singleElement().satisfies(line -> assertThat(line.path("threads").asInt()).isEqualTo(cores));
            assertThat(System.getProperty(property)).isEqualTo(Integer.toString(cores));
            for (String bad : List.of("0", "-1", "abc", "1.5", "1025", "99999", "99999999999")) {
                System.setProperty(property, bad);
                CliTest.assertUserError(CliTest.run("info"), "-Dai.djl.pytorch.num_threads (GAN4J_THREADS) must be a"
                        + " whole number between 1 and 1024, got '" + bad + "'");
                CliTest.assertUserError(CliTest.run("bench", "--model", "toy", "--steps", "1"), "got '" + bad + "'");
            }
            CliTest.assertUserError(CliTest.run("bench", "--model", "toy", "--steps", "1", "--threads", "1025"),
                    "--threads must be between 0 and 1024 (0 = GAN4J_THREADS if set, else all cores), got 1025");
        });
    }

    /** The memory target (RSS flat ± 5 % from step 1,000 to 10,000) read off the --rss-every samples, not by hand. */
    @Test
    void rssFlatnessCountsFromStep1000() {
        List<double[]> samples = List.of(
                new double[] {500, 400}, new double[] {1000, 600}, new double[] {5000, 630},
                new double[] {10000, 612});
        Map<String, Object> fields = BenchCommand.rssFlatness(samples);
        assertThat(fields).containsEntry("rssFromStep", 1000L).containsEntry("rssToStep", 10000L)
                .containsEntry("rssFromMiB", 600.0).containsEntry("rssToMiB", 612.0);
        assertThat((double) fields.get("rssChangePercent")).isCloseTo(2.0, within(1e-9));
        assertThat((double) fields.get("rssMaxDeviationPercent")).isCloseTo(5.0, within(1e-9));
        // shorter runs count from their first sample; one sample says nothing
        assertThat(BenchCommand.rssFlatness(List.of(new double[] {10, 100}, new double[] {20, 90})))
                .containsEntry("rssFromStep", 10L).containsEntry("rssChangePercent", -10.0);
        assertThat(BenchCommand.rssFlatness(List.of(new double[] {1000, 100}))).isEmpty();
        assertThat(BenchCommand.rssFlatness(List.of())).isEmpty();
    }

    /** --rss-every reports training steps only: with generate or matmul alone it was silently ignored. */
    @Test
    void rssEveryWithoutATrainingModelIsAOneLineError() {
        CliTest.assertUserError(CliTest.run("bench", "--model", "generate", "--model", "matmul", "--rss-every", "1",
                "--steps", "1"), "--rss-every measures training steps: add --model toy, dcgan28 or dcgan64 (got generate, "
                + "matmul)");
    }

    @Test
    void outOfRangeBatchAndFeaturesNameTheBenchOptions() {
        CliTest.assertUserError(CliTest.run("bench", "--model", "toy", "--batch", "100000000", "--steps", "1"),
                "--batch must be between 1 and 65536, got 100000000");
        CliTest.Result features = CliTest.run("bench", "--model", "dcgan28", "--features", "2000", "--steps", "1");
        CliTest.assertUserError(features, "--features must be between 1 and 1024, got 2000");
        assertThat(features.err()).doesNotContain("--set");
    }

    @Test
    void tinyDcganGenerationAndMatmul() throws IOException {
        List<JsonNode> lines =
                lines(
                        CliTest.run(
                                "bench", "--model", "dcgan28", "--model", "generate", "--model", "matmul", "--steps",
                                "2", "--warmup", "0", "--batch", "4", "--features", "4", "--synthetic", "--size", "32",
                                "--rss-every", "1"));
        assertThat(lines).extracting(node -> node.path("model").asText())
                .containsExactly("dcgan28", "dcgan28", "dcgan28", "generate", "matmul");
        assertThat(lines.get(0).path("rssMiB").asDouble()).isGreaterThan(10);
        assertThat(lines.get(0).path("blockMedianSeconds").asDouble()).isGreaterThan(0);
        assertThat(lines.get(1).path("step").asLong()).isEqualTo(2);
        assertThat(lines.get(2).path("data").asText()).startsWith("synthetic images [1, 28, 28]");
        // the memory target's summary: from the first sample (the run is shorter than 1,000 steps) to the last
        assertThat(lines.get(2).path("rssFromStep").asLong()).isEqualTo(1);
        assertThat(lines.get(2).path("rssToStep").asLong()).isEqualTo(2);
        assertThat(lines.get(2).path("rssFromMiB").asDouble()).isEqualTo(lines.get(0).path("rssMiB").asDouble());
        assertThat(lines.get(2).path("rssToMiB").asDouble()).isEqualTo(lines.get(1).path("rssMiB").asDouble());
        assertThat(lines.get(2).has("rssChangePercent")).isTrue();
        assertThat(lines.get(3).path("samplesPerSecond").asDouble()).isGreaterThan(0);
        // the CPU time column of bench/summarize.py's table (it read "– / – / –" for generation)
        assertThat(lines.get(3).has("cpuSecondsPerStep")).isTrue();
        assertThat(lines.get(3).path("cpuSecondsPerStep").asDouble()).isGreaterThanOrEqualTo(0);
        JsonNode matmul = lines.get(4);
        assertThat(matmul.path("flopsPerStep").asDouble()).isCloseTo(2.0 * 32 * 32 * 32, within(1e-6));
        // the GEMM both ways (BLAS and a 1×1 convolution, checked equal inside the command); the faster is the limit
        assertThat(matmul.path("convGflopsPerSecond").asDouble()).isGreaterThan(0);
        assertThat(matmul.path("sustainedGflopsPerSecond").asDouble())
                .isEqualTo(Math.max(
                        matmul.path("gflopsPerSecond").asDouble(), matmul.path("convGflopsPerSecond").asDouble()));
    }

    @Test
    void profileWritesAChromeTraceOfTheTimedSteps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws IOException {
        java.nio.file.Path trace = temp.resolve("trace.json");
        lines(CliTest.run("bench", "--model", "toy", "--steps", "3", "--warmup", "1", "--profile", trace.toString()));
        JsonNode events = Json.MAPPER.readTree(trace.toFile());
        JsonNode list = events.isArray() ? events : events.path("traceEvents");
        List<String> names = new ArrayList<>();
        list.forEach(event -> names.add(event.path("name").asText()));
        // the toy's step: linear layers, tanh, the backward pass and Adam's update all appear
        assertThat(names).contains("aten::addmm", "aten::tanh").anyMatch(name -> name.contains("Backward"));
        assertThat(lines(CliTest.run("bench", "--model", "toy", "--steps", "1", "--warmup", "0"))).hasSize(1);
    }

    @Test
    void unknownModelIsAUserError() {
        CliTest.Result result = CliTest.run("bench", "--model", "resnet");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("gan4j: error: --model resnet is unknown");
    }

    @Test
    void badNumbersNameTheOptionAndTheValue() {
        CliTest.Result steps = CliTest.run("bench", "--model", "toy", "--steps", "0");
        assertThat(steps.code()).isEqualTo(2);
        assertThat(steps.err().strip()).isEqualTo("gan4j: error: --steps must be >= 1, got 0");
        CliTest.Result threads = CliTest.run("bench", "--model", "toy", "--threads", "-3");
        assertThat(threads.code()).isEqualTo(2);
        assertThat(threads.err().strip()).isEqualTo("gan4j: error: --threads must be >= 0, got -3");
    }

    @Test
    void aProfileThatCannotBeWrittenIsFoundBeforeTheSteps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws IOException {
        // its folder would be under a regular file: libtorch used to fail only after the timed steps, with a stack trace
        java.nio.file.Path file = java.nio.file.Files.writeString(temp.resolve("not-a-folder"), "x");
        CliTest.Result result =
                CliTest.run("bench", "--model", "toy", "--steps", "1", "--profile", file.resolve("t.json").toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).startsWith("gan4j: error: --profile " + file.resolve("t.json"));
        assertThat(result.out()).doesNotContain("{");
        CliTest.Result folder = CliTest.run("bench", "--model", "toy", "--steps", "1", "--profile", temp.toString());
        assertThat(folder.code()).isEqualTo(2);
        assertThat(folder.err().strip()).isEqualTo("gan4j: error: --profile " + temp + " is a folder; expected a file name, e.g. trace.json");
    }
}
