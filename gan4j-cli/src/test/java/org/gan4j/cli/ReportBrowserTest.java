package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.io.MetricsLog;
import org.gan4j.report.HtmlReport;
import org.gan4j.report.ReportServer;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;
import org.gan4j.training.TrainingRun;
import org.gan4j.training.listener.GanListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end in headless Chromium (Debian {@code chromium} + {@code chromium-driver}): a live dashboard during a
 * short training shows every metrics row and a new sample grid while training runs; the self-contained report
 * file shows every row and every grid, offline. Skipped where Chromium or its driver is not installed.
 */
class ReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "report-browser");

    @TempDir Path temp;

    private ChromeDriver driver;

    @BeforeEach
    void startBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        // Selenium Manager must not look for (or download) drivers: the driver path is given explicitly.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1800", "--user-data-dir=" + Files.createDirectories(temp.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void liveDashboardAndReportFileRenderTheRun() throws Exception {
        Path data = CliTest.writeIdx(temp.resolve("train-images-idx3-ubyte"), 32, 32);
        Path runDir = temp.resolve("run");
        RunConfig config = ConfigLoader.load(null, List.of(
                "data.kind=idx", "data.path=" + data,
                "model.latentSize=8", "model.dcgan.generatorFeatures=4", "model.dcgan.discriminatorFeatures=4",
                "training.batchSize=8", "training.steps=80",
                "output.logEvery=2", "output.sampleEvery=10", "output.plotEvery=1000", "output.checkpointEvery=1000",
                "output.sampleCount=16"));
        EngineSetup.configure(0);
        CountDownLatch firstHold = new CountDownLatch(1);
        CountDownLatch pageSawFirstHold = new CountDownLatch(1);
        CountDownLatch secondHold = new CountDownLatch(1);
        CountDownLatch pageSawNewGrid = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Training pauses at step 40 until the page has drawn it, and again at step 70 until a newer grid showed up.
        GanListener gate = new GanListener() {
            @Override
            public void onStep(TrainingContext context, StepResult result) {
                try {
                    if (result.step() == 40) {
                        firstHold.countDown();
                        pageSawFirstHold.await(90, TimeUnit.SECONDS);
                    } else if (result.step() == 70) {
                        secondHold.countDown();
                        pageSawNewGrid.await(90, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (TrainingRun run = TrainingRun.create(config, runDir);
                ReportServer server = ReportServer.start(runDir, ReportServer.DEFAULT_BIND, 0)) {
            assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
            List<GanListener> listeners = new ArrayList<>(GanListener.Defaults.forRunDirectory());
            listeners.add(gate);
            Thread training = new Thread(() -> {
                try {
                    run.train(0, listeners);
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "test-training");
            training.start();
            assertThat(firstHold.await(120, TimeUnit.SECONDS)).as("training reached step 40").isTrue();

            driver.get(server.url().toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
            int rowsAtHold = MetricsLog.read(runDir.resolve("metrics.jsonl")).size();
            assertThat(rowsAtHold).isEqualTo(20); // steps 2, 4, ..., 40
            wait.until(d -> chartPoints("losses") == rowsAtHold);
            assertThat(chartPoints("d-outputs")).isEqualTo(rowsAtHold);
            assertThat(seriesPoints("losses")).containsExactly((long) rowsAtHold, (long) rowsAtHold);
            long framesAtHold = frames();
            assertThat(framesAtHold).isEqualTo(4); // steps 10, 20, 30, 40
            pageSawFirstHold.countDown();

            assertThat(secondHold.await(120, TimeUnit.SECONDS)).as("training reached step 70").isTrue();
            wait.until(d -> frames() > framesAtHold);
            assertThat(training.isAlive()).as("the new grid appeared while training runs").isTrue();
            assertThat(js("return window.__gan4j.updates")).isNotEqualTo(0L);
            assertThat(driver.findElement(org.openqa.selenium.By.id("live-status")).getText()).startsWith("live");
            screenshot("dashboard.png");
            pageSawNewGrid.countDown();
            training.join(120_000);
            assertThat(failure.get()).isNull();

            // after the end, the page catches up with every row and grid
            int rowsAtEnd = MetricsLog.read(runDir.resolve("metrics.jsonl")).size();
            assertThat(rowsAtEnd).isEqualTo(40);
            wait.until(d -> chartPoints("losses") == rowsAtEnd && frames() == 8);
        }

        // the self-contained file, opened from disk
        Path report = HtmlReport.write(List.of(runDir), temp.resolve("report.html"));
        assertThat(Files.readString(report)).doesNotContain("http://", "https://cdn").contains("data:image/png;base64,");
        driver.get(report.toUri().toString());
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
        assertThat(js("return window.__gan4j.error")).isNull();
        assertThat(chartPoints("losses")).isEqualTo(40);
        assertThat(chartPoints("step-time")).isEqualTo(40);
        long sampleFiles;
        try (Stream<Path> files = Files.list(runDir.resolve("samples"))) {
            sampleFiles = files.filter(file -> file.getFileName().toString().startsWith("step-")).count();
        }
        assertThat(frames()).isEqualTo(sampleFiles).isEqualTo(8);
        assertThat(driver.findElements(org.openqa.selenium.By.cssSelector("#chart-losses canvas"))).isNotEmpty();
        screenshot("report.png");

        // two runs compared: every curve once per run
        Path compare = HtmlReport.write(List.of(runDir, runDir), temp.resolve("compare.html"));
        driver.get(compare.toUri().toString());
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
        assertThat(seriesPoints("losses")).containsExactly(40L, 40L, 40L, 40L);
        screenshot("compare.png");
    }

    /**
     * The class-mix chart in the browser: one line per class with the run's evaluation steps, for a run whose rows
     * carry a class mix; none for a run without; compared, one chart for the run that has a mix, with its name.
     */
    @Test
    void theClassMixChartIsDrawnForRunsWithAClassMixOnly() throws Exception {
        Path mixed = ReportCommandTest.handMadeRun(temp.resolve("mixed"), "mixed", true);
        Path plain = ReportCommandTest.handMadeRun(temp.resolve("plain"), "plain", false);

        open(HtmlReport.write(List.of(mixed), temp.resolve("mixed.html")));
        assertThat(js("return window.__gan4j.error")).isNull();
        assertThat(chartPoints("class-mix-0")).isEqualTo(2);
        assertThat(seriesPoints("class-mix-0")).hasSize(10).containsOnly(2L);
        assertThat(chartLabels("class-mix-0")).startsWith("T-shirt/top", "Trouser").contains("Ankle boot");
        assertThat(driver.findElement(org.openqa.selenium.By.id("card-class-mix-0")).getText())
                .contains("Class mix over training", "10 % for every class");
        screenshot("class-mix.png");

        open(HtmlReport.write(List.of(plain), temp.resolve("plain.html")));
        assertThat(js("return window.__gan4j.error")).isNull();
        assertThat(chartPoints("class-mix-0")).isEqualTo(-1);
        assertThat(driver.findElements(org.openqa.selenium.By.cssSelector("[id^=card-class-mix]"))).isEmpty();
        assertThat(chartPoints("evaluation")).isEqualTo(2);

        open(HtmlReport.write(List.of(plain, mixed), temp.resolve("compare.html")));
        assertThat(js("return window.__gan4j.error")).isNull();
        assertThat(chartPoints("class-mix-0")).isEqualTo(-1);
        assertThat(chartPoints("class-mix-1")).isEqualTo(2);
        assertThat(driver.findElement(org.openqa.selenium.By.id("card-class-mix-1")).getText())
                .contains("mixed: class mix over training");
    }

    /**
     * The class-mix chart writes shares as evaluate's class mix line does (ClassMix.percent): a real share of 0.04 %
     * read "real 0.0 %" in the legend, one of 99.96 % "real 100 %", as if the other class had no real images.
     */
    @Test
    void theClassMixChartWritesSharesAsTheClassMixLine() throws Exception {
        Path run = ReportCommandTest.handMadeRun(temp.resolve("shares"), "shares", false);
        String mix = "\"classMix\":[{\"label\":0,\"name\":\"cat\",\"samples\":0.996,\"real\":0.9996},"
                + "{\"label\":1,\"name\":\"dog\",\"samples\":0.004,\"real\":0.0004}]";
        Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":50,\"lossD\":1.2,\"lossG\":0.9}\n"
                + "{\"step\":50,\"fd\":100,\"eval\":\"generator evaluation\"," + mix + "}\n");
        open(HtmlReport.write(List.of(run), temp.resolve("shares.html")));
        assertThat(js("return window.__gan4j.error")).isNull();
        assertThat(chartLabels("class-mix-0")).containsExactly("cat (real 99.9 %)", "dog (real < 0.1 %)");
    }

    /** On the live dashboard, the class-mix chart appears with the run's first class mix, without a reload. */
    @Test
    void theDashboardShowsTheClassMixChartWhenTheFirstMixArrives() throws Exception {
        Path run = ReportCommandTest.handMadeRun(temp.resolve("run"), "run", false);
        try (ReportServer server = ReportServer.start(run, ReportServer.DEFAULT_BIND, 0)) {
            driver.get(server.url().toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
            assertThat(js("return window.__gan4j.charts['class-mix-0'].hidden")).isEqualTo(true);
            assertThat(driver.findElement(org.openqa.selenium.By.id("card-class-mix-0")).isDisplayed()).isFalse();
            // the evaluations of a later session, with the class mix
            Path mixed = ReportCommandTest.handMadeRun(temp.resolve("mixed"), "run", true);
            Files.copy(mixed.resolve("metrics.jsonl"), run.resolve("metrics.jsonl"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            wait.until(d -> chartPoints("class-mix-0") == 2);
            assertThat(js("return window.__gan4j.error")).isNull();
            assertThat(driver.findElement(org.openqa.selenium.By.id("card-class-mix-0")).isDisplayed()).isTrue();
            assertThat(chartLabels("class-mix-0")).hasSize(10);
        }
    }

    /**
     * On the live dashboard, the evaluation chart appears with the run's first evaluation, without a reload, with its
     * best checkpoint marked, and keeps taking the later ones. Before, a page opened before the first evaluation had
     * no evaluation chart until it was reloaded.
     */
    @Test
    void theDashboardShowsTheEvaluationChartWhenTheFirstEvaluationArrives() throws Exception {
        Path run = runWithRows(temp.resolve("run"), "run");
        try (ReportServer server = ReportServer.start(run, ReportServer.DEFAULT_BIND, 0)) {
            driver.get(server.url().toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
            assertThat(js("return window.__gan4j.error")).isNull();
            assertThat(chartPoints("evaluation")).as("a hidden chart waits for the first evaluation").isZero();
            assertThat(js("return window.__gan4j.charts['evaluation'].hidden")).isEqualTo(true);
            assertThat(driver.findElement(org.openqa.selenium.By.id("card-evaluation")).isDisplayed()).isFalse();

            Files.writeString(run.resolve("metrics.jsonl"),
                    "{\"step\":50,\"fd\":200,\"classKl\":0.8,\"eval\":\"generator evaluation\"}\n",
                    java.nio.file.StandardOpenOption.APPEND);
            wait.until(d -> chartPoints("evaluation") == 1);
            assertThat(js("return window.__gan4j.error")).isNull();
            assertThat(driver.findElement(org.openqa.selenium.By.id("card-evaluation")).isDisplayed()).isTrue();
            assertThat(js("return window.__gan4j.charts['evaluation'].hidden")).isEqualTo(false);
            assertThat(chartLabels("evaluation")).containsExactly("fd", "classKl");
            assertThat(chartMarkers("evaluation")).containsExactly("best fd @ 50");

            Files.writeString(run.resolve("metrics.jsonl"),
                    "{\"step\":100,\"lossD\":1.1,\"lossG\":1.0}\n"
                            + "{\"step\":100,\"fd\":100,\"classKl\":0.1,\"eval\":\"generator evaluation\"}\n",
                    java.nio.file.StandardOpenOption.APPEND);
            wait.until(d -> chartPoints("evaluation") == 2);
            assertThat(seriesPoints("evaluation")).containsExactly(2L, 2L);
            assertThat(chartMarkers("evaluation")).containsExactly("best fd @ 100");
            assertThat(js("return window.__gan4j.error")).isNull();
            screenshot("dashboard-evaluation.png");
        }
    }

    /**
     * On the live dashboard, the series a reader showed or hid by clicking the legend stay so when the chart is drawn
     * anew because a metric appeared (here kid, in a later evaluation); the new metric comes with its default (hidden:
     * fd picks the best checkpoint). Before, the chart came back with its defaults: fd shown, classKl hidden.
     */
    @Test
    void theDashboardKeepsTheLegendChoicesWhenAMetricAppears() throws Exception {
        Path run = runWithRows(temp.resolve("run"), "run",
                "{\"step\":50,\"fd\":200,\"classKl\":0.8,\"eval\":\"generator evaluation\"}");
        try (ReportServer server = ReportServer.start(run, ReportServer.DEFAULT_BIND, 0)) {
            driver.get(server.url().toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
            assertThat(legendShown("evaluation")).containsExactly(true, false);
            clickLegend("evaluation", "classKl");
            clickLegend("evaluation", "fd");
            assertThat(legendShown("evaluation")).containsExactly(false, true);

            long updates = (Long) js("return window.__gan4j.updates");
            Files.writeString(run.resolve("metrics.jsonl"),
                    "{\"step\":100,\"fd\":100,\"classKl\":0.1,\"kid\":0.05,\"eval\":\"generator evaluation\"}\n",
                    java.nio.file.StandardOpenOption.APPEND);
            wait.until(d -> chartLabels("evaluation").size() == 3);
            assertThat((Long) js("return window.__gan4j.updates")).isGreaterThan(updates);
            assertThat(js("return window.__gan4j.error")).isNull();
            assertThat(chartLabels("evaluation")).containsExactly("fd", "classKl", "kid");
            assertThat(legendShown("evaluation")).as("fd, classKl, kid shown").containsExactly(false, true, false);
            assertThat(chartFlags("evaluation", "shown")).containsExactly(false, true, false);
        }
    }

    /**
     * A run whose rows have no D outputs and no step times (an older run, rows written by hand) gets no D-output and
     * no step-time card, alone and compared with another such run; compared with a run that has them, the cards are
     * there; on the live dashboard they show up with the first row that has the columns. Before, each showed an empty
     * chart with a "no data" legend.
     */
    @Test
    void theDOutputAndStepTimeCardsAreHiddenWithoutData() throws Exception {
        Path plain = runWithRows(temp.resolve("plain"), "plain");
        Path other = runWithRows(temp.resolve("other"), "other");
        Path full = runWithRows(temp.resolve("full"), "full",
                "{\"step\":60,\"lossD\":1.1,\"lossG\":1.0,\"dReal\":0.6,\"dFake\":0.4,\"secs\":0.02}");
        for (List<Path> runs : List.of(List.of(plain), List.of(plain, other))) {
            open(HtmlReport.write(runs, temp.resolve("plain.html")));
            assertThat(js("return window.__gan4j.error")).isNull();
            for (String chart : List.of("d-outputs", "step-time")) {
                assertThat(js("return window.__gan4j.charts['" + chart + "'].hidden")).as(runs + " " + chart).isEqualTo(true);
                assertThat(driver.findElement(org.openqa.selenium.By.id("card-" + chart)).isDisplayed()).isFalse();
            }
            assertThat(driver.findElement(org.openqa.selenium.By.id("card-losses")).isDisplayed()).isTrue();
        }
        open(HtmlReport.write(List.of(plain, full), temp.resolve("compare.html")));
        assertThat(driver.findElement(org.openqa.selenium.By.id("card-d-outputs")).isDisplayed()).isTrue();
        assertThat(driver.findElement(org.openqa.selenium.By.id("card-step-time")).isDisplayed()).isTrue();
        assertThat(chartLabels("d-outputs")).containsExactly("full · D(x)", "full · D(G(z)) before D's update");
        assertThat(chartLabels("step-time")).containsExactly("full · seconds per step");

        try (ReportServer server = ReportServer.start(plain, ReportServer.DEFAULT_BIND, 0)) {
            driver.get(server.url().toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
            assertThat(driver.findElement(org.openqa.selenium.By.id("card-d-outputs")).isDisplayed()).isFalse();
            assertThat(driver.findElement(org.openqa.selenium.By.id("card-step-time")).isDisplayed()).isFalse();
            Files.writeString(plain.resolve("metrics.jsonl"),
                    "{\"step\":100,\"lossD\":1.1,\"lossG\":1.0,\"dReal\":0.6,\"dFake\":0.4,\"secs\":0.02}\n",
                    java.nio.file.StandardOpenOption.APPEND);
            wait.until(d -> driver.findElement(org.openqa.selenium.By.id("card-d-outputs")).isDisplayed());
            assertThat(driver.findElement(org.openqa.selenium.By.id("card-step-time")).isDisplayed()).isTrue();
            assertThat(js("return window.__gan4j.error")).isNull();
            assertThat(seriesPoints("d-outputs")).containsExactly(1L, 1L);
            assertThat(driver.findElement(org.openqa.selenium.By.cssSelector("#chart-d-outputs canvas")).getSize().getWidth())
                    .as("drawn at the card's width once shown").isGreaterThan(300);
        }
    }

    /**
     * On the live dashboard, a chart the reader zoomed into keeps its zoom when it is drawn anew because a metric
     * appeared, as it does when data arrive. Before, the new chart showed every step again.
     */
    @Test
    void theDashboardKeepsTheZoomWhenAMetricAppears() throws Exception {
        Path run = runWithRows(temp.resolve("run"), "run",
                "{\"step\":50,\"fd\":200,\"classKl\":0.8,\"eval\":\"generator evaluation\"}",
                "{\"step\":100,\"fd\":150,\"classKl\":0.6,\"eval\":\"generator evaluation\"}",
                "{\"step\":150,\"fd\":120,\"classKl\":0.4,\"eval\":\"generator evaluation\"}",
                "{\"step\":200,\"fd\":100,\"classKl\":0.3,\"eval\":\"generator evaluation\"}");
        try (ReportServer server = ReportServer.start(run, ReportServer.DEFAULT_BIND, 0)) {
            driver.get(server.url().toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
            org.openqa.selenium.WebElement over = driver.findElement(
                    org.openqa.selenium.By.cssSelector("#chart-evaluation .u-over"));
            int width = over.getSize().getWidth();
            new org.openqa.selenium.interactions.Actions(driver)
                    .moveToElement(over, -width / 4, 0).clickAndHold()
                    .moveByOffset(width / 4, 0).moveByOffset(width / 4, 0).release().perform();
            List<Number> zoom = xRange("evaluation");
            assertThat(zoom.get(0).doubleValue()).as("zoomed in: " + zoom).isGreaterThan(60);
            assertThat(zoom.get(1).doubleValue()).as("zoomed in: " + zoom).isLessThan(190);

            Files.writeString(run.resolve("metrics.jsonl"),
                    "{\"step\":250,\"fd\":90,\"classKl\":0.2,\"kid\":0.05,\"eval\":\"generator evaluation\"}\n",
                    java.nio.file.StandardOpenOption.APPEND);
            wait.until(d -> chartLabels("evaluation").size() == 3);
            assertThat(js("return window.__gan4j.error")).isNull();
            assertThat(chartPoints("evaluation")).isEqualTo(5);
            List<Number> after = xRange("evaluation");
            assertThat(after.get(0).doubleValue()).as("zoom kept: " + after).isCloseTo(zoom.get(0).doubleValue(),
                    org.assertj.core.data.Offset.offset(0.01));
            assertThat(after.get(1).doubleValue()).as("zoom kept: " + after).isCloseTo(zoom.get(1).doubleValue(),
                    org.assertj.core.data.Offset.offset(0.01));
        }
    }

    /**
     * A curve with one value (a run with one metrics row; the dashboard after a run's first row) is drawn as a dot.
     * Before, the charts drew no points for training curves and a line needs two, so the losses chart was empty.
     */
    @Test
    void aCurveWithOneValueIsDrawnAsADot() throws Exception {
        open(HtmlReport.write(List.of(runWithRows(temp.resolve("run"), "run")), temp.resolve("one.html")));
        assertThat(js("return window.__gan4j.error")).isNull();
        assertThat(seriesPoints("losses")).containsExactly(1L, 1L);
        assertThat(canvasPixels("losses", 0x1f, 0x77, 0xb4)).as("loss D's blue on the canvas").isPositive();
        assertThat(canvasPixels("losses", 0xd6, 0x27, 0x28)).as("loss G's red on the canvas").isPositive();
    }

    /**
     * Compared runs: one colour per run, and a metric's line is solid or dashed by the metric, the same in every run
     * and whatever order the runs are given in: solid for the metric the chart shows (the one that picks the best
     * checkpoint, fd here), dashed for the others. Before, a metric was dashed when it was not first among the
     * metrics of the runs in the order they were read, so here fd (the only line shown) was dashed.
     */
    @Test
    void comparedRunsDashAMetricTheSameWayInEveryRun() throws Exception {
        Path a = runWithRows(temp.resolve("a"), "a",
                "{\"step\":50,\"classKl\":0.8,\"fd\":200,\"eval\":\"generator evaluation\"}",
                "{\"step\":100,\"classKl\":0.1,\"fd\":100,\"eval\":\"generator evaluation\"}");
        Path b = runWithRows(temp.resolve("b"), "b",
                "{\"step\":50,\"fd\":180,\"classKl\":0.5,\"eval\":\"generator evaluation\"}",
                "{\"step\":100,\"fd\":150,\"classKl\":0.3,\"eval\":\"generator evaluation\"}");
        for (List<Path> runs : List.of(List.of(a, b), List.of(b, a))) {
            open(HtmlReport.write(runs, temp.resolve("compare.html")));
            assertThat(js("return window.__gan4j.error")).isNull();
            List<String> labels = chartLabels("evaluation");
            List<Boolean> dashed = chartFlags("evaluation", "dashed");
            List<Boolean> shown = chartFlags("evaluation", "shown");
            assertThat(labels).hasSize(4).contains("a · fd", "a · classKl", "b · fd", "b · classKl");
            for (int i = 0; i < labels.size(); i++) {
                boolean fd = labels.get(i).endsWith(" · fd");
                assertThat(dashed.get(i)).as(runs + ": " + labels.get(i) + " dashed").isEqualTo(!fd);
                assertThat(shown.get(i)).as(runs + ": " + labels.get(i) + " shown").isEqualTo(fd);
            }
        }
    }

    /**
     * Compared runs: every metric of a run keeps a line style of its own (dash pattern and width), the same for the
     * metric in every run, so that the metrics a reader shows by clicking the legend can be told apart; fd, the metric
     * the chart shows, stays solid. The same on the D chart, where D(G(z)) before and after D's update are two lines of
     * one run's colour. Before, every metric but the first of a run had the one dash [6, 4].
     */
    @Test
    void comparedRunsGiveEachMetricOfARunALineStyleOfItsOwn() throws Exception {
        String dRow = "{\"step\":60,\"lossD\":1.1,\"lossG\":1.0,\"dReal\":0.6,\"dFake\":0.4,\"dFakeAfter\":0.3}";
        Path a = runWithRows(temp.resolve("a"), "a", dRow,
                "{\"step\":60,\"fd\":200,\"classKl\":0.8,\"kid\":0.1,\"precision\":0.5,\"eval\":\"generator evaluation\"}");
        Path b = runWithRows(temp.resolve("b"), "b", dRow,
                "{\"step\":60,\"kid\":0.2,\"fd\":150,\"precision\":0.4,\"classKl\":0.5,\"eval\":\"generator evaluation\"}");
        open(HtmlReport.write(List.of(a, b), temp.resolve("compare.html")));
        assertThat(js("return window.__gan4j.error")).isNull();
        for (String chart : List.of("evaluation", "d-outputs")) {
            List<String> labels = chartLabels(chart);
            List<Object> dashes = chartFlags(chart, "dashes");
            List<Object> widths = chartFlags(chart, "widths");
            java.util.Map<String, String> styleOfMetric = new java.util.HashMap<>();
            java.util.Map<String, java.util.Set<String>> stylesOfRun = new java.util.HashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                String run = labels.get(i).substring(0, labels.get(i).indexOf(" · "));
                String metric = labels.get(i).substring(labels.get(i).indexOf(" · ") + 3);
                String style = dashes.get(i) + " / " + ((Number) widths.get(i)).doubleValue();
                if (metric.equals("fd") || metric.equals("D(x)")) {
                    assertThat(dashes.get(i)).as(labels.get(i) + " solid").isNull();
                }
                assertThat(styleOfMetric.computeIfAbsent(metric, m -> style)).as(labels.get(i)).isEqualTo(style);
                assertThat(stylesOfRun.computeIfAbsent(run, r -> new java.util.HashSet<>()).add(style))
                        .as(chart + ": " + labels.get(i) + " has a style of its own in its run: " + style).isTrue();
            }
            assertThat(stylesOfRun.keySet()).as(chart).containsExactlyInAnyOrder("a", "b");
            assertThat(styleOfMetric).as(chart).hasSize(chart.equals("evaluation") ? 4 : 3);
            // the legend shows each line's dash: its markers differ within a run
            List<String> markers = legendMarkers(chart);
            assertThat(markers).hasSameSizeAs(labels);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < labels.size(); i++) {
                assertThat(seen.add(labels.get(i).substring(0, 1) + " " + markers.get(i)))
                        .as(chart + ": the legend marker of " + labels.get(i) + " is another's: " + markers.get(i)).isTrue();
            }
        }
    }

    /**
     * An evaluation of every image metric has some twenty of them: each keeps a line (colour, dash, width) of its own,
     * in one run (the nine colours repeat, so the metrics after the ninth are dashed) and compared (past the seven dash
     * patterns the lines get thicker). Before, a single run's tenth metric was drawn exactly as its first, solid in
     * the same colour.
     */
    @Test
    void everyOneOfManyMetricsKeepsALineOfItsOwn() throws Exception {
        StringBuilder row = new StringBuilder("{\"step\":60,\"fd\":100");
        for (int m = 1; m < 22; m++) {
            row.append(",\"metric").append(m).append("\":").append(m);
        }
        row.append(",\"eval\":\"generator evaluation\"}");
        Path a = runWithRows(temp.resolve("a"), "a", row.toString());
        Path b = runWithRows(temp.resolve("b"), "b", row.toString());
        for (List<Path> runs : List.of(List.of(a), List.of(a, b))) {
            open(HtmlReport.write(runs, temp.resolve("many.html")));
            assertThat(js("return window.__gan4j.error")).isNull();
            List<String> labels = chartLabels("evaluation");
            List<Object> colors = chartFlags("evaluation", "colors");
            List<Object> dashes = chartFlags("evaluation", "dashes");
            List<Object> widths = chartFlags("evaluation", "widths");
            assertThat(labels).hasSize(22 * runs.size());
            java.util.Set<String> lines = new java.util.HashSet<>();
            for (int i = 0; i < labels.size(); i++) {
                String line = colors.get(i) + " " + dashes.get(i) + " " + ((Number) widths.get(i)).doubleValue();
                assertThat(lines.add(line)).as(runs.size() + " runs: " + labels.get(i) + " drawn as another: " + line).isTrue();
            }
        }
    }

    /** A run folder with run.json, a training row (step 50) and the given rows after it. */
    private static Path runWithRows(Path dir, String name, String... rows) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), "{\"seed\": 1, \"config\": {\"name\": \"" + name
                + "\", \"training\": {\"steps\": 100}}}");
        StringBuilder text = new StringBuilder("{\"step\":50,\"lossD\":1.2,\"lossG\":0.9}\n");
        for (String row : rows) {
            text.append(row).append('\n');
        }
        Files.writeString(dir.resolve("metrics.jsonl"), text.toString());
        return dir;
    }

    @SuppressWarnings("unchecked")
    private List<String> chartMarkers(String chart) {
        return (List<String>) js("return window.__gan4j.charts['" + chart + "'].markers;");
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> chartFlags(String chart, String flags) {
        return (List<T>) js("return window.__gan4j.charts['" + chart + "']." + flags + ";");
    }

    /** The x range a chart shows (its zoom). */
    @SuppressWarnings("unchecked")
    private List<Number> xRange(String chart) {
        return (List<Number>) js("var x = window.__gan4j.plots['" + chart + "'].scales.x; return [x.min, x.max];");
    }

    /** How many pixels of a chart's canvas have about the given colour. */
    private long canvasPixels(String chart, int red, int green, int blue) {
        Object count = js("var c = document.querySelector('#chart-" + chart + " canvas');"
                + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;"
                + "for (var i = 0; i < d.length; i += 4) {"
                + "  if (Math.abs(d[i] - " + red + ") < 24 && Math.abs(d[i + 1] - " + green + ") < 24"
                + "      && Math.abs(d[i + 2] - " + blue + ") < 24 && d[i + 3] > 200) { n++; } }"
                + "return n;");
        return ((Number) count).longValue();
    }

    /** Whether each series of a chart (not the step) is shown, as its legend says (uPlot marks hidden ones u-off). */
    @SuppressWarnings("unchecked")
    private List<Boolean> legendShown(String chart) {
        return (List<Boolean>) js("return Array.prototype.slice.call(document.querySelectorAll('#chart-" + chart
                + " .u-legend tr.u-series'), 1).map(function (tr) { return !tr.classList.contains('u-off'); });");
    }

    /** Each legend entry's marker (not the step's) as drawn: its background image and height. */
    @SuppressWarnings("unchecked")
    private List<String> legendMarkers(String chart) {
        return (List<String>) js("return Array.prototype.slice.call(document.querySelectorAll('#chart-" + chart
                + " .u-legend tr.u-series'), 1).map(function (tr) { var m = getComputedStyle(tr.querySelector('.u-marker'));"
                + " return m.backgroundImage + ' ' + m.height; });");
    }

    /** Clicks a series' name in a chart's legend, as a reader does to show or hide it. */
    private void clickLegend(String chart, String label) {
        driver.findElements(org.openqa.selenium.By.cssSelector("#chart-" + chart + " .u-legend .u-label")).stream()
                .filter(element -> element.getText().equals(label))
                .findFirst().orElseThrow(() -> new AssertionError("no legend entry " + label + " in " + chart))
                .click();
    }

    private void open(Path report) {
        driver.get(report.toUri().toString());
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> Boolean.TRUE.equals(js("return window.__gan4j && window.__gan4j.ready")));
    }

    @SuppressWarnings("unchecked")
    private List<String> chartLabels(String chart) {
        return (List<String>) js("return window.__gan4j.charts['" + chart + "'].labels;");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private long chartPoints(String chart) {
        Object points = js("var c = window.__gan4j.charts['" + chart + "']; return c ? c.points : -1;");
        return ((Number) points).longValue();
    }

    @SuppressWarnings("unchecked")
    private List<Long> seriesPoints(String chart) {
        List<Object> counts = (List<Object>) js("return window.__gan4j.charts['" + chart + "'].series;");
        return counts.stream().map(count -> ((Number) count).longValue()).toList();
    }

    private long frames() {
        Object frames = js("var f = window.__gan4j.frames['samples-0']; return f ? f.count : 0;");
        return ((Number) frames).longValue();
    }

    private void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }

}
