package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gan4j train}'s evaluation options are checked against the data before the run directory is created: a typo
 * ends in one line and exit code 2 and leaves nothing behind, so the same {@code --out} works once it is fixed.
 */
class TrainEvaluationOptionsTest {

    @TempDir Path temp;

    private CliTest.Result train(Path out, String... options) {
        String[] args = new String[6 + options.length];
        args[0] = "train";
        args[1] = "--config";
        args[2] = Path.of("..", "configs", "d2l-gaussian.yaml").toString();
        args[3] = "--out";
        args[4] = out.toString();
        args[5] = "--no-progress";
        System.arraycopy(options, 0, args, 6, options.length);
        return CliTest.run(args);
    }

    private void refused(String expected, String... options) {
        Path out = temp.resolve("run-" + Math.abs(String.join(" ", options).hashCode()));
        CliTest.Result result = train(out, options);
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("gan4j: error: " + expected);
        assertThat(out).as("no run directory left behind").doesNotExist();
    }

    @Test
    void mistakesStopBeforeTheRunDirectoryExists() {
        refused("unknown metric 'fid' for 2-D points; expected some of modes,gaussian,d or all",
                "--eval-every", "5", "--eval-metrics", "fid");
        refused("metric list ' , ' names no metric; expected some of modes,gaussian,d or all",
                "--eval-every", "5", "--eval-metrics", " , ");
        refused("--eval-every must be >= 0 (0 = never), got -3", "--eval-every", "-3");
        refused("--eval-samples must be between 2 and 1000000, got 1", "--eval-every", "5", "--eval-samples", "1");
        // one mistake, one wording: each option of --eval-every without it (--best-by and --eval-bn-batches said less)
        refused("--best-by needs --eval-every N (without it the run is not evaluated while it trains)",
                "--best-by", "fd");
        refused("--eval-bn-batches needs --eval-every N (without it the run is not evaluated while it trains)",
                "--eval-bn-batches", "3");
        refused("--eval-bn-batches needs --eval-every N (without it the run is not evaluated while it trains)",
                "--eval-bn-batches", "0");
        // these two were ignored without a word, the run trained unevaluated
        refused("--eval-metrics needs --eval-every N (without it the run is not evaluated while it trains)",
                "--eval-metrics", "gaussian");
        refused("--eval-samples needs --eval-every N (without it the run is not evaluated while it trains)",
                "--eval-samples", "500");
        refused("--eval-reference needs --eval-every N (without it the run is not evaluated while it trains; gan4j"
                + " evaluate --run RUN --reference cifar10-v1.params scores it afterwards)",
                "--eval-reference", "cifar10-v1.params");
        refused("--eval-reference applies to image runs: the metrics of a 2-D run (gaussian) need no classifier",
                "--eval-every", "5", "--eval-reference", "fashion-mnist-v1");
        refused("--eval-bn-batches must be between 0 and 10000, got -1",
                "--eval-every", "5", "--eval-bn-batches", "-1");
        // the list names only metrics --best-by accepts, and a near miss is named
        refused("--best-by fid is not a metric gan4j computes (did you mean fd?); expected one of modesCaptured,"
                + " highQualityFraction, reverseKl, meanMaxAbsError, covarianceMaxAbsError, fd, kid, classifierScore,"
                + " precision, recall, coverage, classesCovered, classKl, classEntropy, parzenLogLikelihood,"
                + " dAccuracy, dRocAuc", "--eval-every", "5", "--best-by", "fid");
        refused("--best-by MODESCAPTURED is not a metric gan4j computes (did you mean modesCaptured?); expected one of "
                + String.join(", ", org.gan4j.evaluation.run.RunEvaluator.RANKING_KEYS),
                "--eval-every", "5", "--best-by", "MODESCAPTURED");
        refused("--best-by pixelDiversity cannot rank generators: about 1 is healthy (as varied as the real images),"
                + " collapse scores far below and pure noise above 1; it is logged with every evaluation, and the"
                + " mode-collapse alarm watches it", "--eval-every", "5", "--best-by", "pixelDiversity");
    }

    @Test
    void metricsThisRunCouldNeverComputeStopBeforeTheRunDirectoryExists() {
        refused("--eval-metrics modes needs data with known modes (a ring or grid mixture); gaussian X = Z·A + b,"
                + " A = [[1.0, 2.0], [-0.1, 0.5]], b = [1.0, 2.0] (1000 points) has none (its metric is gaussian)",
                "--eval-every", "5", "--eval-metrics", "modes");
        refused("--eval-metrics d needs --eval-samples >= 4 (the discriminator scores groups of 4), got 3",
                "--eval-every", "5", "--eval-metrics", "d", "--eval-samples", "3", "--set", "model.packing=4");
        // the default metrics hold d too: the run stopped at its first evaluation, blaming the 1000 real points
        refused("--eval-samples 3 is too few for the discriminator test (d, one of the default metrics): the"
                + " discriminator scores groups of 4, so it needs --eval-samples >= 4 (or --eval-metrics without d)",
                "--eval-every", "5", "--eval-samples", "3", "--set", "model.packing=4");
        // images with no t10k-* file next to them: nothing held out for memorisation
        Path images = temp.resolve("alone/train-images-idx3-ubyte");
        try {
            Files.createDirectories(images.getParent());
            CliTest.writeIdx(images, 16, 16);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path out = temp.resolve("no-held-out");
        CliTest.Result result = train(out, "--data", images.toString(), "--eval-every", "5", "--eval-metrics",
                "memorisation");
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("gan4j: error: --eval-metrics memorisation needs held-out real images, the"
                + " t10k-* IDX file next to a train-* data file (or CIFAR's test_batch.bin next to its"
                + " data_batch_*.bin); there is none for idx " + images);
        assertThat(out).doesNotExist();
    }

    /**
     * A --best-by metric this run's evaluations do not compute is found at the first evaluation: the error names the
     * option and the metrics it could take (it said "best-checkpoint metric 'modesCaptured' is not among the
     * evaluation's [meanMaxAbsError, …, dRealAccuracy, dFakeAccuracy, dRocAuc]", two of which --best-by refuses).
     */
    @Test
    void aBestByMetricTheEvaluationsDoNotComputeNamesTheOnesItCouldTake() {
        CliTest.Result result = train(temp.resolve("gaussian-modes"), "--eval-every", "5", "--best-by", "modesCaptured",
                "--set", "training.steps=5");
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("gan4j: error: --best-by modesCaptured is not among the metrics"
                + " this run's evaluations compute (meanMaxAbsError, covarianceMaxAbsError, fd, dAccuracy,"
                + " dRealAccuracy, dFakeAccuracy, dRocAuc); of those, --best-by takes meanMaxAbsError,"
                + " covarianceMaxAbsError, fd, dAccuracy, dRocAuc");
    }

    @Test
    void dashboardAndStepLimitMistakesStopBeforeTheRunDirectoryExists() throws Exception {
        refused("--port must be 0 (any free port) to 65535, got 70000", "--dashboard", "--port", "70000");
        refused("--port must be 0 (any free port) to 65535, got -1", "--dashboard", "--port", "-1");
        refused("--max-steps must be a positive number of steps, got 0", "--max-steps", "0");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Path out = temp.resolve("taken");
            CliTest.Result result = train(out, "--dashboard", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(result.code()).as(result.err()).isEqualTo(2);
            assertThat(result.errLines()).hasSize(1);
            assertThat(result.err()).startsWith("gan4j: error: cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(out).as("no run directory left behind").doesNotExist();
        }
    }

    /**
     * Re-estimating batch-norm statistics of a generator without batch norm (d2l-gaussian's MLP) would do nothing:
     * refused, by train (new run, dry run, resume) and by sample and evaluate, naming the option and the config key.
     */
    @Test
    void batchNormReestimationOfAGeneratorWithoutBatchNormIsRefused() {
        String expected = "re-estimates the generator's batch-norm statistics, but this run's generator has none"
                + " (model.mlp.generatorBatchNorm is false)";
        refused("--eval-bn-batches 3 " + expected + ": leave --eval-bn-batches out",
                "--eval-every", "5", "--eval-bn-batches", "3");
        CliTest.Result dry = CliTest.run("train", "--config", Path.of("..", "configs", "d2l-gaussian.yaml").toString(),
                "--dry-run", "--eval-every", "5", "--eval-bn-batches", "3");
        assertThat(dry.errLines()).containsExactly("gan4j: error: --eval-bn-batches 3 " + expected
                + ": leave --eval-bn-batches out");
        Path run = temp.resolve("plain");
        CliTest.Result trained = train(run, "--max-steps", "2");
        assertThat(trained.code()).as(trained.err()).isZero();
        CliTest.Result resumed = CliTest.run("train", "--resume", run.toString(), "--eval-every", "5",
                "--eval-bn-batches", "3", "--no-progress");
        assertThat(resumed.code()).isEqualTo(2);
        assertThat(resumed.errLines()).containsExactly("gan4j: error: --eval-bn-batches 3 " + expected
                + ": leave --eval-bn-batches out");
        for (String command : new String[] {"sample", "evaluate"}) {
            CliTest.Result result = CliTest.run(command, "--run", run.toString(), "--bn-batches", "4",
                    command.equals("sample") ? "--csv" : "--out", temp.resolve(command + ".out").toString());
            assertThat(result.code()).as(command + ": " + result.err()).isEqualTo(2);
            assertThat(result.errLines()).as(command).containsExactly("gan4j: error: --bn-batches 4 " + expected
                    + ": leave --bn-batches out");
        }
        // d2l's generator is one linear layer: batch norm switched on follows no layer
        CliTest.Result linear = CliTest.run("train", "--config",
                Path.of("..", "configs", "d2l-gaussian.yaml").toString(), "--set", "model.mlp.generatorBatchNorm=true",
                "--dry-run", "--eval-every", "5", "--eval-bn-batches", "3");
        assertThat(linear.errLines()).containsExactly("gan4j: error: --eval-bn-batches 3 re-estimates the generator's"
                + " batch-norm statistics, but this run's generator has none (model.mlp.generatorHidden is empty, so"
                + " no layer is followed by batch norm): leave --eval-bn-batches out");
        // a generator with batch norm takes it
        CliTest.Result withBatchNorm = CliTest.run("train", "--config",
                Path.of("..", "configs", "d2l-gaussian.yaml").toString(), "--set", "model.mlp.generatorBatchNorm=true",
                "--set", "model.mlp.generatorHidden=[8]", "--dry-run", "--eval-every", "5", "--eval-bn-batches", "3");
        assertThat(withBatchNorm.code()).as(withBatchNorm.err()).isZero();
    }

    @Test
    void aDryRunRefusesWhatTheRunWouldRefuse() {
        for (String[] options : new String[][] {
            {"--eval-every", "-1"},
            {"--eval-every", "5", "--eval-samples", "1"},
            {"--best-by", "fd"},
            {"--eval-every", "5", "--eval-metrics", "fd"},
            {"--eval-every", "5", "--eval-bn-batches", "-3"},
            {"--dashboard", "--port", "70000"},
            {"--alarms", "bogus"},
            {"--alarm-loss-limit", "-1"},
            // metrics this run's data could never give: the dry run said "dry run OK" and the run refused them
            {"--eval-every", "5", "--eval-metrics", "modes"},
            {"--eval-every", "5", "--eval-metrics", "d", "--eval-samples", "3", "--set", "model.packing=4"}}) {
            String[] args = new String[options.length + 1];
            args[0] = "--dry-run";
            System.arraycopy(options, 0, args, 1, options.length);
            CliTest.Result result = CliTest.run(concat(new String[] {"train", "--config",
                    Path.of("..", "configs", "d2l-gaussian.yaml").toString()}, args));
            assertThat(result.code()).as(String.join(" ", options) + ": " + result.out()).isEqualTo(2);
            assertThat(result.errLines()).hasSize(1);
            assertThat(result.err()).startsWith("gan4j: error: ");
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void theSameOutWorksOnceTheTypoIsFixed() {
        Path out = temp.resolve("run");
        assertThat(train(out, "--eval-every", "2", "--eval-metrics", "gausian").code()).isEqualTo(2);
        CliTest.Result fixed = train(out, "--eval-every", "2", "--eval-metrics", "gaussian", "--max-steps", "2");
        assertThat(fixed.code()).as(fixed.err()).isZero();
        assertThat(Files.exists(out.resolve("run.json"))).isTrue();
        // the evaluation ran at step 2 with the requested metric only
        assertThat(out.resolve("metrics.jsonl")).content().contains("covarianceMaxAbsError").doesNotContain("dRocAuc");
    }

    @Test
    void evaluateRejectsSampleCountsOutOfRange() {
        Path notUsed = temp.resolve("none");
        for (String n : new String[] {"-5", "0", "1", "1000001"}) {
            CliTest.Result result = CliTest.run("evaluate", "--run", notUsed.toString(), "-n", n);
            assertThat(result.code()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("gan4j: error: -n must be between 2 and 1000000, got " + n);
        }
    }

    /** The alarms' warnings are repeated, one short line each, at the end of the run, where they cannot scroll away. */
    @Test
    void theSummaryListsTheRunsWarnings() {
        // D's learning rate 1e-30: D never moves, "D stopped learning" at the fifth logged row (step 125)
        CliTest.Result frozen = train(temp.resolve("frozen"), "--set", "training.steps=150", "--set",
                "training.discriminator.learningRate=1e-30");
        assertThat(frozen.code()).as(frozen.err()).isZero();
        assertThat(frozen.out()).contains("1 warning during training (the full text in metrics.jsonl and in gan4j"
                + " report " + temp.resolve("frozen") + "):\n  step 125: D stopped learning\n");
        CliTest.Result healthy = train(temp.resolve("healthy"), "--set", "training.steps=150");
        assertThat(healthy.code()).as(healthy.err()).isZero();
        assertThat(healthy.out()).doesNotContain("warning");
    }

    /** The alarms can be left out one by one, or made more or less patient; a stopped run's hint repeats that. */
    @Test
    void alarmOptionsChooseAndTuneTheAlarms() {
        refused("--alarms: unknown alarm 'stopped'; expected all, none, or names from: dominance, vanishing,"
                + " divergence, d-stopped, collapse, constant-data (each may be prefixed with - to leave it out)",
                "--alarms", "-stopped");
        refused("--alarm-patience must be between 1 and 1000000 measured steps, got 0", "--alarm-patience", "0");
        refused("--alarm-drop must be a fraction between 0 and 1 (exclusive), got 1.5", "--alarm-drop", "1.5");
        // a tuning option of alarms that --alarms leaves out would change nothing
        refused("--alarm-drop tunes the collapse alarm, which --alarms -collapse leaves out: drop --alarm-drop or name"
                + " that alarm in --alarms", "--alarms", "-collapse", "--alarm-drop", "0.5");
        refused("--alarm-patience tunes the dominance, vanishing, divergence, d-stopped alarms, which --alarms none"
                + " leaves out: drop --alarm-patience or name one of them in --alarms", "--alarms", "none",
                "--alarm-patience", "3");
        refused("--alarm-loss-limit tunes the divergence alarm, which --alarms collapse,d-stopped leaves out: drop"
                + " --alarm-loss-limit or name that alarm in --alarms", "--alarms", "collapse,d-stopped",
                "--alarm-loss-limit", "50");
        String[] frozenD = {"--set", "training.steps=150", "--set", "training.discriminator.learningRate=1e-30"};
        // left out: the frozen D of theSummaryListsTheRunsWarnings raises nothing
        CliTest.Result quiet = train(temp.resolve("quiet"), concat(frozenD, new String[] {"--alarms", "-d-stopped"}));
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.out()).doesNotContain("warning");
        assertThat(temp.resolve("quiet/metrics.jsonl")).content().doesNotContain("\"warning\"");
        // patience 2: the second logged row (step 50) instead of the fifth
        CliTest.Result eager = train(temp.resolve("eager"), concat(frozenD, new String[] {"--alarm-patience", "2"}));
        assertThat(eager.code()).as(eager.err()).isZero();
        assertThat(eager.out()).contains("\n  step 50: D stopped learning\n");
        // a stopped run's hint repeats the alarm options that differ from the defaults
        CliTest.Result stopped = train(temp.resolve("stopped"),
                concat(frozenD, new String[] {"--alarms", "-d-stopped", "--alarm-drop", "0.5", "--max-steps", "50"}));
        assertThat(stopped.code()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("continue with: gan4j train --resume " + temp.resolve("stopped")
                + " --alarms dominance,vanishing,divergence,collapse,constant-data --alarm-drop 0.5\n");
    }

    /** A forced resume with a mistyped evaluation option changes nothing: run.json keeps the run's config. */
    @Test
    void aForcedResumeWithABadEvaluationOptionLeavesRunJsonAlone() throws java.io.IOException {
        Path run = temp.resolve("forced");
        CliTest.Result first = train(run, "--max-steps", "10");
        assertThat(first.code()).as(first.err()).isZero();
        String runJson = Files.readString(run.resolve("run.json"));
        CliTest.Result forced = CliTest.run("train", "--resume", run.toString(), "--set", "training.steps=3000",
                "--force", "--eval-every", "5", "--eval-metrics", "fid", "--no-progress");
        assertThat(forced.code()).isEqualTo(2);
        assertThat(forced.errLines()).containsExactly("gan4j: error: unknown metric 'fid' for 2-D points; expected"
                + " some of modes,gaussian,d or all");
        assertThat(Files.readString(run.resolve("run.json"))).isEqualTo(runJson);
    }
}
