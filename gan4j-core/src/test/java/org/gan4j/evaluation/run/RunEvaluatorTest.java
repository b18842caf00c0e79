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
                .hasMessage("metric dc needs at least 6 real images, real3.idx has 5 (--real PATH for more, or"
                        + " --metrics without dc)");
        assertThatThrownBy(() -> RunEvaluator.checkRealCount(List.of("pr"), 3, "real3.idx"))
                .hasMessageStartingWith("metric pr needs at least 4 real images");
        assertThatThrownBy(() -> RunEvaluator.checkRealCount(List.of("fd"), 1, "real1.idx"))
                .hasMessageStartingWith("metric fd needs at least 2 real images");
        assertThatThrownBy(() -> RunEvaluator.checkRealCount(List.of("diversity"), 1, "real1.idx"))
                .hasMessageStartingWith("metric diversity needs at least 2 real images");
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
