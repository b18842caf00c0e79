package org.gan4j.evaluation.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;

class RunEvaluatorTest {

    private static final RunEvaluator.Inputs RING = new RunEvaluator.Inputs("ring", true, true, 4, 2500);
    private static final RunEvaluator.Inputs GAUSSIAN = new RunEvaluator.Inputs("gaussian", false, true, 1, 2500);
    private static final RunEvaluator.Inputs IMAGE_RUN_WITHOUT_TEST = new RunEvaluator.Inputs("folder", false, false, 1, 100);
    private static final RunEvaluator.Inputs FOLDER = new RunEvaluator.Inputs("train.idx", false, true, 0, 0);

    @Test
    void theDefaultsSkipWhatDoesNotApply() {
        assertThatCode(() -> RunEvaluator.checkRequested(null, GAUSSIAN)).doesNotThrowAnyException();
        assertThatCode(() -> RunEvaluator.checkRequested(null, IMAGE_RUN_WITHOUT_TEST)).doesNotThrowAnyException();
        assertThatCode(() -> RunEvaluator.checkRequested(null, FOLDER)).doesNotThrowAnyException();
    }

    @Test
    void metricsThatCanBeComputedPass() {
        assertThatCode(() -> RunEvaluator.checkRequested(List.of("modes", "d"), RING)).doesNotThrowAnyException();
        assertThatCode(() -> RunEvaluator.checkRequested(List.of("gaussian", "d"), GAUSSIAN)).doesNotThrowAnyException();
        assertThatCode(() -> RunEvaluator.checkRequested(List.of("fd", "classes", "d"), IMAGE_RUN_WITHOUT_TEST))
                .doesNotThrowAnyException();
        assertThatCode(() -> RunEvaluator.checkRequested(List.of("memorisation", "parzen"), FOLDER))
                .doesNotThrowAnyException();
    }

    @Test
    void aRequestedMetricThatCannotBeComputedIsNamedWithWhatItNeeds() {
        assertThatThrownBy(() -> RunEvaluator.checkRequested(List.of("modes"), GAUSSIAN))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("--metrics modes needs data with known modes (a ring or grid mixture); gaussian has none"
                        + " (its metric is gaussian)");
        assertThatThrownBy(() -> RunEvaluator.checkRequested(List.of("modes", "gaussian"), RING))
                .hasMessageStartingWith("--metrics gaussian needs the textbook Gaussian data");
        assertThatThrownBy(() -> RunEvaluator.checkRequested(List.of("fd", "parzen"), IMAGE_RUN_WITHOUT_TEST))
                .hasMessageStartingWith("--metrics parzen needs held-out real images: --real-test PATH")
                .hasMessageEndingWith("there is none for folder");
        assertThatThrownBy(() -> RunEvaluator.checkRequested(List.of("fd", "d"), FOLDER))
                .hasMessageStartingWith("--metrics d needs a run (--run DIR)");
        assertThatThrownBy(() -> RunEvaluator.checkRequested(List.of("d"), new RunEvaluator.Inputs("ring", true, true, 4, 3)))
                .hasMessage("--metrics d needs at least 4 generated samples (the discriminator scores groups of 4),"
                        + " got -n 3");
    }

    @Test
    void colourImagesTheReferenceCannotScoreDefaultToTheMetricsThatNeedNoClassifier() {
        // a colour run (3×8×8) against the shipped Fashion-MNIST classifier (1×28×28): the defaults fall back to
        // pixel diversity and the discriminator test instead of failing on the classifier's shape
        java.util.Random random = new java.util.Random(1);
        byte[] pixels = new byte[40 * 3 * 8 * 8];
        random.nextBytes(pixels);
        org.gan4j.data.ImageDataset colour =
                new org.gan4j.data.ImageDataset(pixels, 40, 3, 8, null, 0, "colour test images");

        RunEvaluator evaluator = RunEvaluator.builder().setReal(colour).optSamples(20).build();

        assertThat(evaluator.metrics()).containsExactly(RunEvaluator.DIVERSITY, RunEvaluator.DISCRIMINATOR);
        assertThat(evaluator.reference()).isNull(); // no classifier kept open, no features extracted
        float[] generated = new float[20 * 3 * 8 * 8];
        for (int i = 0; i < generated.length; i++) {
            generated[i] = random.nextFloat() * 2 - 1;
        }
        java.util.Map<String, Double> result = evaluator.evaluateSamples(generated, 20);
        assertThat(result).containsOnlyKeys("pixelDiversity");
        assertThat(result.get("pixelDiversity")).isBetween(0.5, 1.5); // uniform noise against uniform bytes
        // named metrics that need the classifier stay an error, not a silent fallback
        assertThatThrownBy(() -> RunEvaluator.builder().setReal(colour).optSamples(20).optMetrics(List.of("fd"))
                        .build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith("colour test images has images of shape [3, 8, 8], reference fashion-mnist-v1"
                        + " expects [1, 28, 28]");
    }

    /** Too few real images for a metric's covariance or neighbour radii: one line, not a stack trace later. */
    @Test
    void tooFewRealImagesForAMetricAreNamedBeforeAnyWork() {
        assertThatCode(() -> RunEvaluator.checkRealCount(List.of("fd", "kid", "pr", "dc", "diversity"), 6, "x"))
                .doesNotThrowAnyException();
        assertThatCode(() -> RunEvaluator.checkRealCount(List.of("classes", "score", "memorisation", "d"), 1, "x"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> RunEvaluator.checkRealCount(List.of("fd", "pr", "dc"), 5, "real3.idx"))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("metric dc needs at least 6 real images, real3.idx has 5 (more real images, or the"
                        + " metrics without dc)");
        assertThatThrownBy(() -> RunEvaluator.checkRealCount(List.of("pr"), 3, "real3.idx"))
                .hasMessageStartingWith("metric pr needs at least 4 real images");
        assertThatThrownBy(() -> RunEvaluator.checkRealCount(List.of("fd"), 1, "real1.idx"))
                .hasMessageStartingWith("metric fd needs at least 2 real images");
        assertThatThrownBy(() -> RunEvaluator.checkRealCount(List.of("diversity"), 1, "real1.idx"))
                .hasMessageStartingWith("metric diversity needs at least 2 real images");
    }

    /**
     * --best-by keeps the highest value unless the metric is a distance, divergence or D-test value; for density (which
     * grows as samples crowd the densest real regions) and the memorisation ratio (which grows as samples stray from
     * all real data) that kept the worst generators, and standard errors, the Parzen width or the mode count rank nothing.
     */
    @Test
    void bestByRefusesMetricsThatCannotRankGenerators() {
        for (String good : List.of("fd", "kid", "coverage", "recall", "precision", "modesCaptured", "highQualityFraction",
                "classEntropy", "parzenLogLikelihood", "dRocAuc", "dAccuracy")) {
            assertThatCode(() -> RunEvaluator.checkResultKey(good)).as(good).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> RunEvaluator.checkResultKey("density")).isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith("--best-by density cannot rank generators: about 1 is healthy");
        assertThatThrownBy(() -> RunEvaluator.checkResultKey("memorisationRatio"))
                .hasMessageStartingWith("--best-by memorisationRatio cannot rank generators");
        assertThatThrownBy(() -> RunEvaluator.checkResultKey("nearestTrainMedian"))
                .hasMessageStartingWith("--best-by nearestTrainMedian cannot rank generators");
        for (String side : List.of("dRealAccuracy", "dFakeAccuracy")) {
            assertThatThrownBy(() -> RunEvaluator.checkResultKey(side)).as(side)
                    .hasMessageStartingWith("--best-by " + side + " cannot rank generators: one side of D's accuracy");
        }
        for (String measurement : List.of("kidStandardError", "classifierScoreStd", "parzenStandardError", "parzenSigma",
                "modes")) {
            assertThatThrownBy(() -> RunEvaluator.checkResultKey(measurement)).as(measurement)
                    .hasMessage("--best-by " + measurement + " describes the measurement (a standard error, the Parzen"
                            + " width chosen, the number of modes of the data), not the generator");
        }
    }

    /** Parzen with one held-out image was left out without a word, though a metric asked for by name never is. */
    @Test
    void parzenWithFewerThanTwoHeldOutImagesIsNamed() {
        assertThatCode(() -> RunEvaluator.checkHeldOutCount(List.of("memorisation", "parzen"), 2, "x"))
                .doesNotThrowAnyException();
        assertThatCode(() -> RunEvaluator.checkHeldOutCount(List.of("memorisation"), 1, "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> RunEvaluator.checkHeldOutCount(List.of("memorisation", "parzen"), 1, "one.idx"))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("metric parzen needs at least 2 held-out real images, one.idx has 1 (more held-out"
                        + " images, or the metrics without parzen)");
        // the discriminator test scores held-out images too: with one, it was left out without a word
        assertThatThrownBy(() -> RunEvaluator.checkHeldOutCount(List.of("fd", "d"), 1, "one.idx"))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("metric d needs at least 2 held-out real images, one.idx has 1 (more held-out images, or"
                        + " the metrics without d)");
    }

    /**
     * The discriminator test's real samples are a random draw: an image folder is sorted by path, so with class
     * subfolders its last (or first) examples were one class (here the last 100 of 1,000 points sorted into 10 classes
     * of 100 were all class 9).
     */
    @Test
    void theDiscriminatorTestDrawsItsRealSamplesAtRandom() {
        float[] coordinates = new float[2000];
        for (int i = 0; i < 1000; i++) {
            coordinates[2 * i] = i / 100; // class, in sorted order
            coordinates[2 * i + 1] = i;
        }
        org.gan4j.data.PointDataset sorted = new org.gan4j.data.PointDataset(coordinates, "sorted");
        float[] drawn = RunEvaluator.randomExamples(sorted, 100, 7);
        java.util.Set<Float> classes = new java.util.HashSet<>();
        java.util.Set<Float> distinct = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            classes.add(drawn[2 * i]);
            distinct.add(drawn[2 * i + 1]);
            assertThat(drawn[2 * i]).isEqualTo((float) Math.floor(drawn[2 * i + 1] / 100));
        }
        assertThat(classes).hasSize(10);
        assertThat(distinct).hasSize(100);
        assertThat(RunEvaluator.randomExamples(sorted, 100, 7)).isEqualTo(drawn);
        assertThat(RunEvaluator.randomExamples(sorted, 1000, 7)).hasSize(2000);
    }

    /** A generator whose weights are finite can still overflow: its samples are refused in one line, not a trace. */
    @Test
    void nonFiniteSamplesAreRefusedNamingTheSample() {
        assertThatCode(() -> RunEvaluator.checkFinite(new float[] {1, 2, 3, 4}, 2)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RunEvaluator.checkFinite(new float[] {1, 2, Float.POSITIVE_INFINITY, 4}, 2))
                .isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith("the generator's output is not finite (sample 1 holds Infinity)")
                .hasMessageContaining("--checkpoint STEP");
        assertThatThrownBy(() -> RunEvaluator.checkFinite(new float[] {Float.NaN, 0}, 2))
                .hasMessageContaining("sample 0 holds NaN");
    }
}
