package org.gan4j.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.gan4j.config.LossConfig;
import org.gan4j.config.LossConfig.GeneratorLoss;
import org.gan4j.config.LossConfig.Reduction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GanLossTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray logits(float... values) {
        return manager.create(values, new Shape(values.length, 1));
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Test
    void zeroLogitsGiveTheTextbookValues() {
        NDArray zero = logits(0f, 0f);
        // D(x) = D(G(z)) = 1/2: D's loss is 2 ln 2 (V = -2 ln 2 at the game's optimum, Goodfellow 2014 Theorem 1)
        assertThat(GanLoss.nonSaturating().discriminatorLoss(zero, zero).getFloat())
                .isCloseTo((float) (2 * Math.log(2)), within(1e-6f));
        assertThat(GanLoss.nonSaturating().generatorLoss(zero).getFloat()).isCloseTo((float) Math.log(2), within(1e-6f));
        assertThat(GanLoss.minimax().generatorLoss(zero).getFloat()).isCloseTo((float) -Math.log(2), within(1e-6f));
    }

    @Test
    void discriminatorLossIsBinaryCrossEntropyWithRealOneFakeZero() {
        float[] real = {2f, -1f, 0.25f};
        float[] fake = {0.5f, -3f, 4f};
        double expected = 0;
        for (float r : real) {
            expected += softplus(-r) / real.length;
        }
        for (float f : fake) {
            expected += softplus(f) / fake.length;
        }
        assertThat(GanLoss.nonSaturating().discriminatorLoss(logits(real), logits(fake)).getFloat())
                .isCloseTo((float) expected, within(1e-6f));
        assertThat(GanLoss.minimax().discriminatorLoss(logits(real), logits(fake)).getFloat())
                .isCloseTo((float) expected, within(1e-6f));
    }

    @Test
    void discriminatorLossIsItsRealPartPlusItsFakePart() {
        float[] real = {2f, -1f, 0.25f};
        float[] fake = {0.5f, -3f, 4f};
        for (GanLoss loss :
                List.of(
                        GanLoss.nonSaturating(),
                        GanLoss.from(new LossConfig(GeneratorLoss.MINIMAX, 0.9, Reduction.SUM)))) {
            float whole = loss.discriminatorLoss(logits(real), logits(fake)).getFloat();
            float parts = loss.discriminatorRealLoss(logits(real)).getFloat()
                    + loss.discriminatorFakeLoss(logits(fake)).getFloat();
            assertThat(whole).as(loss.toString()).isEqualTo(parts);
        }
    }

    @Test
    void labelSmoothingChangesOnlyTheRealTarget() {
        GanLoss smoothed = GanLoss.from(new LossConfig(GeneratorLoss.NON_SATURATING, 0.9, Reduction.SUM));
        float[] real = {2f, -1f};
        float[] fake = {0.5f};
        double expected = 0;
        for (float r : real) {
            expected += softplus(r) - 0.9 * r;
        }
        expected += softplus(0.5);
        assertThat(smoothed.discriminatorLoss(logits(real), logits(fake)).getFloat())
                .isCloseTo((float) expected, within(1e-5f));
        // the generator's target stays 1
        assertThat(smoothed.generatorLoss(logits(fake)).getFloat()).isCloseTo((float) softplus(-0.5), within(1e-6f));
    }

    @Test
    void sumReductionAddsPerSampleLosses() {
        GanLoss summed = GanLoss.from(new LossConfig(GeneratorLoss.MINIMAX, 1.0, Reduction.SUM));
        float[] fake = {1f, -2f, 3f};
        double expected = 0;
        for (float f : fake) {
            expected -= softplus(f);
        }
        assertThat(summed.generatorLoss(logits(fake)).getFloat()).isCloseTo((float) expected, within(1e-5f));
    }

    @Test
    void lossesStayFiniteForExtremeLogits() {
        NDArray extreme = logits(100f, -100f, 1e4f, -1e4f);
        assertThat(GanLoss.nonSaturating().discriminatorLoss(extreme, extreme).getFloat()).isFinite();
        assertThat(GanLoss.nonSaturating().generatorLoss(extreme).getFloat())
                .isCloseTo((float) ((0 + 100 + 0 + 1e4) / 4), within(1e-2f));
        assertThat(GanLoss.minimax().generatorLoss(extreme).getFloat())
                .isCloseTo((float) (-(100 + 1e4) / 4), within(1e-2f));
    }

    @Test
    void minimaxSaturatesWhereNonSaturatingDoesNot() {
        // D confidently rejects the fake: logit -10, D(G(z)) ≈ 4.5e-5
        assertThat(gradient(GanLoss.minimax(), -10f)).isCloseTo((float) -sigmoid(-10), within(1e-7f));
        assertThat(gradient(GanLoss.nonSaturating(), -10f)).isCloseTo((float) -sigmoid(10), within(1e-6f));
        assertThat(Math.abs(gradient(GanLoss.minimax(), -10f))).isLessThan(1e-4f);
        assertThat(Math.abs(gradient(GanLoss.nonSaturating(), -10f))).isGreaterThan(0.99f);
    }

    private float gradient(GanLoss loss, float logit) {
        NDArray x = logits(logit);
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(loss.generatorLoss(x));
        }
        return x.getGradient().getFloat(0, 0);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void namesMatchConfigValues() {
        assertThat(GanLoss.nonSaturating().name()).isEqualTo("nonSaturating");
        assertThat(GanLoss.minimax().name()).isEqualTo("minimax");
    }
}
