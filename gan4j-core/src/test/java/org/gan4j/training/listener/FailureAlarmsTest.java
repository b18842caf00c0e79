package org.gan4j.training.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gan4j.training.StepResult;
import org.junit.jupiter.api.Test;

class FailureAlarmsTest {

    /** A measured step whose D update moved D(G(z)) a little (dFakeAfter = 0.99 dFake), as in healthy training. */
    private static StepResult measured(long step, double lossD, double lossG, double dReal, double dFake) {
        return new StepResult(step, 0, true, lossD, lossG, dReal, dFake, 0.99 * dFake, 0.01, 0);
    }

    private static StepResult measuredUnchanged(long step, double dFake) {
        return new StepResult(step, 0, true, 1.3, 0.8, 0.55, dFake, dFake, 0.01, 0);
    }

    private static StepResult unmeasured(long step) {
        return new StepResult(step, 0, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.01, 0);
    }

    @Test
    void healthyTrainingRaisesNothing() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        List<String> warnings = new ArrayList<>();
        for (int step = 1; step <= 50; step++) {
            warnings.addAll(alarms.onStep(measured(step, 1.3, 0.8, 0.55, 0.45)));
            warnings.addAll(alarms.onStep(unmeasured(step)));
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void sumReducedLossesGetALimitPerDOutput() {
        // d2l's toy sums the loss over the batch: a balanced loss_D of a batch of 32 is 2·ln 2·32 ≈ 44.4
        FailureAlarms sum = FailureAlarms.forRun(org.gan4j.config.ConfigLoader.load(
                null, List.of("loss.reduction=sum", "training.batchSize=32")));
        for (int step = 1; step <= 20; step++) {
            assertThat(sum.onStep(measured(step, 44.4, 67.3, 0.5, 0.5))).as("step %d", step).isEmpty();
        }
        assertThat(overLimit(sum, 21, 20 * 32 + 1, 30))
                .singleElement().asString().startsWith("losses diverge at step 25: lossD 641.0, lossG 30.00 (limit 640.0,"
                        + " exceeded on 5 measured steps in a row;");
        // packing: one D output per 4 samples
        FailureAlarms packed = FailureAlarms.forRun(org.gan4j.config.ConfigLoader.load(
                null, List.of("loss.reduction=sum", "training.batchSize=32", "model.packing=4")));
        assertThat(overLimit(packed, 1, 161, 1)).hasSize(1);
        // mean reduction (the default): 20
        FailureAlarms mean = FailureAlarms.forRun(org.gan4j.config.ConfigLoader.load(
                null, List.of("training.batchSize=32")));
        assertThat(overLimit(mean, 1, 21, 1)).hasSize(1);
    }

    /** Five measured steps from {@code from} on with these losses (the run's patience), and their warnings. */
    private static List<String> overLimit(FailureAlarms alarms, long from, double lossD, double lossG) {
        List<String> warnings = new ArrayList<>();
        for (long step = from; step < from + 5; step++) {
            warnings.addAll(alarms.onStep(measured(step, lossD, lossG, 0.5, 0.5)));
        }
        return warnings;
    }

    @Test
    void discriminatorDominanceWarnsOnceAfterPatienceWithEvidence() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        assertThat(alarms.onStep(measured(100, 0.01, 7, 0.995, 0.004))).isEmpty();
        assertThat(alarms.onStep(measured(200, 0.01, 7, 0.995, 0.004))).isEmpty();
        List<String> third = alarms.onStep(measured(300, 0.01, 7, 0.995, 0.004));
        assertThat(third).hasSize(1);
        assertThat(third.get(0)).contains("D wins outright at step 300").contains("D(x) 0.9950").contains("0.0040")
                .contains("3 measured steps");
        assertThat(alarms.onStep(measured(400, 0.01, 7, 0.995, 0.004))).isEmpty();
        // recovery re-arms the alarm
        assertThat(alarms.onStep(measured(500, 1.3, 0.8, 0.6, 0.4))).isEmpty();
        for (int step = 600; step <= 700; step += 100) {
            assertThat(alarms.onStep(measured(step, 0.01, 7, 0.999, 0.001))).isEmpty();
        }
        assertThat(alarms.onStep(measured(800, 0.01, 7, 0.999, 0.001))).singleElement().asString()
                .contains("step 800");
    }

    @Test
    void discriminatorThatStopsChangingWarnsOnceAfterPatience() {
        // what a D frozen by an infinite Adam state looks like in metrics.jsonl: dFake == dFakeAfter, row after row
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        assertThat(alarms.onStep(measured(10, 1.3, 0.8, 0.55, 0.45))).isEmpty();
        assertThat(alarms.onStep(measuredUnchanged(20, 0.353114))).isEmpty();
        assertThat(alarms.onStep(unmeasured(21))).isEmpty();
        assertThat(alarms.onStep(measuredUnchanged(30, 0.406049))).isEmpty();
        List<String> third = alarms.onStep(measuredUnchanged(40, 0.373001));
        assertThat(third).singleElement().asString().contains("D stopped learning at step 40").contains("0.373001")
                .contains("3 measured steps").contains("gradNormD");
        assertThat(alarms.onStep(measuredUnchanged(50, 0.41))).isEmpty();
        // a moving D re-arms it; NaN outputs (a diverged run) are the divergence alarm's, not this one's
        assertThat(alarms.onStep(measured(60, 1.3, 0.8, 0.55, 0.45))).isEmpty();
        for (int step = 70; step <= 90; step += 10) {
            assertThat(alarms.onStep(new StepResult(step, 0, true, 1, 1, 0.5, Double.NaN, Double.NaN, 0.01, 0)))
                    .noneMatch(w -> w.contains("stopped learning"));
        }
        assertThat(alarms.onStep(measuredUnchanged(100, 0.4))).isEmpty();
    }

    @Test
    void aSaturatedDiscriminatorIsNotTakenForAFrozenOne() {
        // D(G(z)) exactly 0 or 1 before and after: every logit beyond the sigmoid's float range, D may still learn
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        for (int step = 10; step <= 60; step += 10) {
            assertThat(alarms.onStep(measuredUnchanged(step, step <= 30 ? 0.0 : 1.0)))
                    .noneMatch(w -> w.contains("stopped learning"));
        }
    }

    @Test
    void interruptedDominanceDoesNotWarn() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            warnings.addAll(alarms.onStep(measured(i * 2 + 1, 0.01, 7, 0.995, 0.004)));
            warnings.addAll(alarms.onStep(measured(i * 2 + 2, 1.0, 1.0, 0.7, 0.3)));
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void divergingOrNanLossesWarn() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        assertThat(alarms.onStep(measured(10, 1.0, 19.9, 0.5, 0.5))).isEmpty();
        // one or two measured steps above the limit are a transient (early DCGAN steps at batch 8 read lossG 24–41)
        assertThat(alarms.onStep(measured(12, 1.0, 40, 0.5, 0.5))).isEmpty();
        assertThat(alarms.onStep(measured(14, 1.0, 5, 0.5, 0.5))).isEmpty();
        assertThat(alarms.onStep(measured(16, 1.0, 25, 0.5, 0.5))).isEmpty();
        assertThat(alarms.onStep(measured(18, 1.0, 25, 0.5, 0.5))).isEmpty();
        assertThat(alarms.onStep(measured(20, 1.0, 25, 0.5, 0.5))).singleElement().asString()
                .contains("losses diverge at step 20").contains("lossG 25")
                .contains("exceeded on 3 measured steps in a row");
        assertThat(alarms.onStep(measured(30, 1.0, 30, 0.5, 0.5))).isEmpty();
        assertThat(alarms.onStep(measured(40, 1.0, 1.0, 0.5, 0.5))).isEmpty();
        assertThat(alarms.onStep(measured(50, Double.NaN, 1.0, 0.5, 0.5))).singleElement().asString()
                .contains("step 50").contains("NaN");
    }

    /** Pixel diversity: noise above 1 falling to a healthy 1 is no collapse; variety that was there and is lost is. */
    @Test
    void pixelDiversityWarnsWhenVarietyReachedIsLost() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        // an untrained G: near-constant images first, then noise, then a healthy generator
        assertThat(alarms.onEvaluation(500, Map.of("pixelDiversity", 0.05))).isEmpty();
        assertThat(alarms.onEvaluation(1000, Map.of("pixelDiversity", 1.6))).isEmpty();
        assertThat(alarms.onEvaluation(1500, Map.of("pixelDiversity", 0.95))).isEmpty();
        assertThat(alarms.onEvaluation(2000, Map.of("pixelDiversity", 0.5))).isEmpty(); // low variety, not collapse
        assertThat(alarms.onEvaluation(2500, Map.of("pixelDiversity", 0.12))).singleElement().asString()
                .isEqualTo("possible mode collapse at step 2500: pixelDiversity fell to 0.120 (below 0.4) after"
                        + " reaching 1.600: the generated images became far more alike than real images (1 = as varied"
                        + " as the real data)");
        assertThat(alarms.onEvaluation(3000, Map.of("pixelDiversity", 0.1))).isEmpty(); // once per episode
        assertThat(alarms.onEvaluation(3500, Map.of("pixelDiversity", 0.9))).isEmpty();
        assertThat(alarms.onEvaluation(4000, Map.of("pixelDiversity", 0.2))).hasSize(1);
        // never varied: a G that has not learned yet is not called collapsed
        FailureAlarms fresh = new FailureAlarms(3, 20, 0.3);
        assertThat(fresh.onEvaluation(500, Map.of("pixelDiversity", 0.5))).isEmpty();
        assertThat(fresh.onEvaluation(1000, Map.of("pixelDiversity", 0.1))).isEmpty();
        // reset() forgets the highest value
        alarms.reset();
        assertThat(alarms.onEvaluation(500, Map.of("pixelDiversity", 0.1))).isEmpty();
    }

    @Test
    void sharpDiversityDropWarnsButSmallDropDoesNot() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        assertThat(alarms.onEvaluation(1000, Map.of("modesCaptured", 20.0, "fd", 3.0))).isEmpty();
        assertThat(alarms.onEvaluation(2000, Map.of("modesCaptured", 25.0))).isEmpty();
        assertThat(alarms.onEvaluation(3000, Map.of("modesCaptured", 18.0))).isEmpty(); // -28 %
        List<String> collapse = alarms.onEvaluation(4000, Map.of("modesCaptured", 17.0)); // -32 %
        assertThat(collapse).singleElement().asString().contains("mode collapse at step 4000")
                .contains("modesCaptured fell to 17").contains("best 25").contains("-32 %");
        assertThat(alarms.onEvaluation(5000, Map.of("modesCaptured", 5.0))).isEmpty();
        assertThat(alarms.onEvaluation(6000, Map.of("coverage", 0.8, "classEntropy", 2.2))).isEmpty();
        assertThat(alarms.onEvaluation(7000, Map.of("coverage", 0.5, "classEntropy", 2.1))).singleElement()
                .asString().contains("coverage");
    }

    /** A measured step with gradient norms, as the trainer reports them. */
    private static StepResult withGradients(long step, double dReal, double dFake, double gradNormD, double gradNormG) {
        return new StepResult(step, 0, true, 1.3, 0.8, dReal, dFake, 0.99 * dFake, 0.01, 0, gradNormD, gradNormG);
    }

    @Test
    void minimaxGeneratorLossIsComparedByItsSize() {
        // log(1 − D(G(z))) is at most 0: a balanced minimax lossG is −ln 2, a diverging one heads to −∞ (D(G(z)) → 1)
        FailureAlarms minimax = FailureAlarms.forRun(org.gan4j.config.ConfigLoader.load(
                null, List.of("loss.generator=minimax")));
        assertThat(minimax.onStep(measured(10, 1.3, -0.69, 0.5, 0.5))).isEmpty();
        assertThat(minimax.onStep(measured(20, 1.3, -19.9, 0.5, 0.5))).isEmpty();
        List<String> diverged = new ArrayList<>();
        for (long step = 30; step <= 70; step += 10) {
            diverged.addAll(minimax.onStep(measured(step, 1.3, -25, 0.5, 0.999)));
        }
        assertThat(diverged).singleElement().asString()
                .contains("losses diverge at step 70").contains("lossG -25").contains("−lossG");
        // a positive lossG cannot come from the minimax loss and is no divergence of it
        FailureAlarms minimax2 = new FailureAlarms(3, 20, 0.3, true);
        assertThat(overLimit(minimax2, 10, 1.3, 25)).isEmpty();
        // the non-saturating loss keeps its meaning: above the limit diverges, negative values never
        FailureAlarms nonSaturating = FailureAlarms.forRun(org.gan4j.config.ConfigLoader.load(null, List.of()));
        assertThat(overLimit(nonSaturating, 10, 1.3, -25)).isEmpty();
        assertThat(overLimit(nonSaturating, 20, 1.3, 25)).singleElement().asString()
                .contains("losses diverge at step 24");
    }

    @Test
    void minimaxSaturationWarnsWhateverDxAndPointsToTheNonSaturatingLoss() {
        // Goodfellow et al. 2014, §3: early on D rejects fakes with high confidence and log(1 − D(G(z))) saturates
        FailureAlarms minimax = new FailureAlarms(3, 20, 0.3, true);
        FailureAlarms nonSaturating = new FailureAlarms(3, 20, 0.3, false);
        List<String> warnings = new ArrayList<>();
        for (int step = 10; step <= 30; step += 10) {
            warnings.addAll(minimax.onStep(measured(step, 0.3, -0.005, 0.93, 0.004)));
            assertThat(nonSaturating.onStep(measured(step, 0.3, 5.5, 0.93, 0.004))).isEmpty();
        }
        assertThat(warnings).singleElement().asString().contains("G's minimax loss saturates at step 30")
                .contains("D(G(z)) 0.0040").contains("D(x) 0.9300").contains("loss.generator=nonSaturating")
                .doesNotContain("D wins outright");
        // with D(x) ≥ 0.99 as well, one warning (the minimax one), not two
        FailureAlarms both = new FailureAlarms(3, 20, 0.3, true);
        List<String> bothWarnings = new ArrayList<>();
        for (int step = 10; step <= 50; step += 10) {
            bothWarnings.addAll(both.onStep(measured(step, 0.01, -0.002, 0.999, 0.002)));
        }
        assertThat(bothWarnings).singleElement().asString().contains("minimax loss saturates");
    }

    @Test
    void vanishingGeneratorGradientWarnsOnceAfterPatience() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3, true);
        assertThat(alarms.onStep(withGradients(10, 0.7, 0.3, 1.2, 0.05))).isEmpty();
        assertThat(alarms.onStep(withGradients(20, 0.7, 0.35, 0.8, 0.0))).isEmpty();
        assertThat(alarms.onStep(unmeasured(21))).isEmpty();
        assertThat(alarms.onStep(withGradients(30, 0.6, 0.4, 0.8, 1.7e-10))).isEmpty();
        List<String> third = alarms.onStep(withGradients(40, 0.6, 0.4, 0.8, 0.0));
        assertThat(third).singleElement().asString().contains("G's gradient vanishes at step 40")
                .contains("gradNormG 0").contains("3 measured steps").contains("lower D's learning rate");
        assertThat(alarms.onStep(withGradients(50, 0.6, 0.4, 0.8, 0.0))).isEmpty();
        // a gradient back re-arms it
        assertThat(alarms.onStep(withGradients(60, 0.6, 0.4, 0.8, 0.01))).isEmpty();
        // rows without gradient norms (NaN) never count; healthy small gradients (1e-3) neither
        FailureAlarms quiet = new FailureAlarms(3, 20, 0.3, false);
        for (int step = 10; step <= 100; step += 10) {
            assertThat(quiet.onStep(measured(step, 1.3, 0.8, 0.55, 0.45))).isEmpty();
            assertThat(quiet.onStep(withGradients(step + 5, 0.55, 0.45, 0.1, 1e-3))).isEmpty();
        }
    }

    @Test
    void aDiscriminatorWithZeroGradientIsCalledDeadNotSlow() {
        // a D whose tanh units saturated: D(x) = D(G(z)) = 0.5 exactly and gradNormD 0, row after row
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        List<String> warnings = new ArrayList<>();
        for (int step = 10; step <= 30; step += 10) {
            warnings.addAll(alarms.onStep(
                    new StepResult(step, 0, true, 11.09, -5.545, 0.5, 0.5, 0.5, 0.01, 0, 0.0, 0.0)));
        }
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("D stopped learning at step 30")
                .contains("D's gradient is exactly 0").contains("saturated").doesNotContain("too small"));
        // a D with a gradient that still does not move: the learning rate or Adam's state, with the norm shown
        FailureAlarms slow = new FailureAlarms(3, 20, 0.3);
        List<String> slowWarnings = new ArrayList<>();
        for (int step = 10; step <= 30; step += 10) {
            slowWarnings.addAll(slow.onStep(
                    new StepResult(step, 0, true, 1.3, 0.8, 0.55, 0.4, 0.4, 0.01, 0, 0.7, 0.05)));
        }
        assertThat(slowWarnings).singleElement().asString().contains("D stopped learning")
                .contains("gradNormD 0.7").contains("too small");
    }

    @Test
    void modeCollapseNamesTheNumberOfModes() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        assertThat(alarms.onEvaluation(1000, Map.of("modesCaptured", 6.0, "modes", 8.0))).isEmpty();
        assertThat(alarms.onEvaluation(2000, Map.of("modesCaptured", 4.0, "modes", 8.0))).singleElement()
                .asString().contains("modesCaptured fell to 4.000 of 8 modes from its best 6.000");
    }

    @Test
    void modesCountedFromAFewLuckySamplesAreNotCompared() {
        // a healthy grid25 run (configs/grid25.yaml, --eval-every 1000): G has not reached the modes yet, 0.6 % of its
        // samples are near one, and the count of modes they hit jumps by chance; it warned "fell to 3 from 10 (-70 %)"
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3);
        double[][] evaluations = {{9, 0.0076}, {10, 0.008}, {3, 0.0064}, {9, 0.0224}, {9, 0.0268}, {12, 0.024}};
        for (int i = 0; i < evaluations.length; i++) {
            assertThat(alarms.onEvaluation(1000L * (i + 1), Map.of("modesCaptured", evaluations[i][0], "modes", 25.0,
                    "highQualityFraction", evaluations[i][1]))).as("evaluation %d", i).isEmpty();
        }
        // once G's samples sit on the modes, a drop counts, measured from the best of those evaluations only
        assertThat(alarms.onEvaluation(7000, Map.of("modesCaptured", 20.0, "modes", 25.0,
                "highQualityFraction", 0.4))).isEmpty();
        // ring8 with G's learning rate 0.005 and 5 G updates a step: 117, then 192 high-quality samples, on 6, then 4
        // of the 8 modes: a real drop, still reported
        FailureAlarms ring = new FailureAlarms(3, 20, 0.3);
        double[][] ringEvaluations = {{0, 0}, {0, 0}, {1, 0.0012}, {6, 0.0468}};
        for (int i = 0; i < ringEvaluations.length; i++) {
            assertThat(ring.onEvaluation(1000L * (i + 1), Map.of("modesCaptured", ringEvaluations[i][0], "modes",
                    8.0, "highQualityFraction", ringEvaluations[i][1]))).isEmpty();
        }
        assertThat(ring.onEvaluation(5000, Map.of("modesCaptured", 4.0, "modes", 8.0, "highQualityFraction",
                0.0768))).singleElement().asString()
                .contains("modesCaptured fell to 4.000 of 8 modes from its best 6.000");
        assertThat(alarms.onEvaluation(8000, Map.of("modesCaptured", 13.0, "modes", 25.0,
                "highQualityFraction", 0.6))).singleElement().asString()
                .contains("modesCaptured fell to 13.00 of 25 modes from its best 20.00");
    }

    @Test
    void constantTrainingDataIsNamedBeforeTheFirstStep() {
        // a folder of all-black images: G learns to draw black, and no alarm on the losses would say why
        org.gan4j.data.ImageDataset black =
                new org.gan4j.data.ImageDataset(new byte[5 * 4 * 4], 5, 1, 4, null, 0, "black");
        assertThat(FailureAlarms.constantData(black)).get().asString()
                .startsWith("the training data is constant: all 5 examples are identical")
                .contains("every value -1.000, all-black images").contains("check the data");
        // one different pixel in the last image: fine
        byte[] pixels = new byte[5 * 4 * 4];
        pixels[pixels.length - 1] = 1;
        assertThat(FailureAlarms.constantData(new org.gan4j.data.ImageDataset(pixels, 5, 1, 4, null, 0, "x")))
                .isEmpty();
        // identical points
        assertThat(FailureAlarms.constantData(new org.gan4j.data.PointDataset(
                new float[] {1, 2, 1, 2, 1, 2}, "points"))).get().asString()
                .contains("all 3 points are identical").contains("values 1.000 to 2.000");
        assertThat(FailureAlarms.constantData(new org.gan4j.data.PointDataset(
                new float[] {1, 2, 1, 2.5f}, "points"))).isEmpty();
    }

    /** reset() (before a resumed run replays its rows) forgets the divergence and vanishing-gradient streaks too. */
    @Test
    void resetForgetsTheDivergenceAndVanishingGradientStreaks() {
        FailureAlarms alarms = new FailureAlarms(3, 20, 0.3, false);
        for (long step = 10; step <= 20; step += 10) {
            // lossD above the limit and G's gradient gone: one measured step short of both warnings
            assertThat(alarms.onStep(new StepResult(step, 0, true, 25, 0.8, 0.5, 0.5, 0.49, 0.01, 0, 1.0, 0.0)))
                    .isEmpty();
        }
        alarms.reset();
        assertThat(alarms.onStep(new StepResult(30, 0, true, 25, 0.8, 0.5, 0.5, 0.49, 0.01, 0, 1.0, 0.0))).isEmpty();
    }

    @Test
    void alarmListsNameAlarmsToWatchOrToLeaveOut() {
        assertThat(FailureAlarms.Settings.parse("all")).containsExactlyInAnyOrder(FailureAlarms.Alarm.values());
        assertThat(FailureAlarms.Settings.parse("none")).isEmpty();
        assertThat(FailureAlarms.Settings.parse("dominance, divergence"))
                .containsExactly(FailureAlarms.Alarm.DOMINANCE, FailureAlarms.Alarm.DIVERGENCE);
        assertThat(FailureAlarms.Settings.parse("-collapse,-constant-data")).containsExactly(
                FailureAlarms.Alarm.DOMINANCE, FailureAlarms.Alarm.VANISHING, FailureAlarms.Alarm.DIVERGENCE,
                FailureAlarms.Alarm.D_STOPPED);
        assertThatThrownBy(() -> FailureAlarms.Settings.parse("dominance,-collapse"))
                .isInstanceOf(org.gan4j.Gan4jException.class)
                .hasMessageContaining("not both: 'dominance,-collapse'");
        assertThatThrownBy(() -> FailureAlarms.Settings.parse("divergance"))
                .isInstanceOf(org.gan4j.Gan4jException.class)
                .hasMessage("--alarms: unknown alarm 'divergance'; expected all, none, or names from: dominance,"
                        + " vanishing, divergence, d-stopped, collapse, constant-data (each may be prefixed with - to"
                        + " leave it out)");
        assertThatThrownBy(() -> FailureAlarms.Settings.parse(""))
                .isInstanceOf(org.gan4j.Gan4jException.class).hasMessageStartingWith("--alarms: empty entry in ''");
    }

    @Test
    void allAndNoneInsideAListAreRefusedAsSuch() {
        // not "unknown alarm 'all'; expected all, none, …", which contradicts itself
        for (String text : List.of("all,-collapse", "none,dominance", "dominance,all", "-collapse,none")) {
            assertThatThrownBy(() -> FailureAlarms.Settings.parse(text))
                    .isInstanceOf(org.gan4j.Gan4jException.class)
                    .hasMessage("--alarms: all and none stand alone, not in a list: '" + text + "' (e.g. --alarms"
                            + " -collapse for all but collapse)");
        }
    }

    @Test
    void anEmptyEntryIsNamedAsSuchNotAsMixedForms() {
        // ",-collapse" mixes nothing: it was refused as "either names to watch or -NAME entries, not both"
        for (String text : List.of(",-collapse", "dominance,,divergence", "-collapse,", " , ")) {
            assertThatThrownBy(() -> FailureAlarms.Settings.parse(text))
                    .isInstanceOf(org.gan4j.Gan4jException.class)
                    .hasMessage("--alarms: empty entry in '" + text + "'; expected all, none, or names from: dominance,"
                            + " vanishing, divergence, d-stopped, collapse, constant-data, separated by commas");
        }
    }

    @Test
    void settingsOutsideTheirRangeNameTheOption() {
        var all = FailureAlarms.Settings.DEFAULT.enabled();
        assertThatThrownBy(() -> new FailureAlarms.Settings(all, 0, 20, 0.3))
                .hasMessage("--alarm-patience must be between 1 and 1000000 measured steps, got 0");
        assertThatThrownBy(() -> new FailureAlarms.Settings(all, 5, Double.NaN, 0.3))
                .hasMessageStartingWith("--alarm-loss-limit must be a positive number");
        assertThatThrownBy(() -> new FailureAlarms.Settings(all, 5, Double.POSITIVE_INFINITY, 0.3))
                .hasMessageStartingWith("--alarm-loss-limit must be a positive number");
        assertThatThrownBy(() -> new FailureAlarms.Settings(all, 5, 20, 1.0))
                .hasMessage("--alarm-drop must be a fraction between 0 and 1 (exclusive), got 1.0");
        assertThat(FailureAlarms.Settings.DEFAULT.options()).isEmpty();
        assertThat(new FailureAlarms.Settings(FailureAlarms.Settings.parse("-collapse"), 8, 50, 0.5).options())
                .isEqualTo(" --alarms dominance,vanishing,divergence,d-stopped,constant-data --alarm-patience 8"
                        + " --alarm-loss-limit 50.0 --alarm-drop 0.5");
        assertThat(new FailureAlarms.Settings(FailureAlarms.Settings.parse("none"), 5, 20, 0.3).options())
                .isEqualTo(" --alarms none");
    }

    @Test
    void anAlarmLeftOutStaysQuietWhileTheOthersWarn() {
        org.gan4j.config.RunConfig config = org.gan4j.config.ConfigLoader.load(null, List.of());
        FailureAlarms alarms = FailureAlarms.forRun(config,
                new FailureAlarms.Settings(FailureAlarms.Settings.parse("-dominance"), 3, 20, 0.3));
        List<String> warnings = new ArrayList<>();
        for (long step = 1; step <= 5; step++) {
            // D wins outright and lossD is above the limit
            warnings.addAll(alarms.onStep(measured(step, 25, 7, 0.995, 0.004)));
        }
        assertThat(warnings).singleElement().asString().startsWith("losses diverge at step 3");
        // the collapse alarm off: no drop is reported, and the data check is off with constant-data
        FailureAlarms none = FailureAlarms.forRun(config,
                new FailureAlarms.Settings(FailureAlarms.Settings.parse("none"), 3, 20, 0.3));
        assertThat(none.onEvaluation(1000, Map.of("coverage", 0.9))).isEmpty();
        assertThat(none.onEvaluation(2000, Map.of("coverage", 0.1))).isEmpty();
        for (long step = 1; step <= 5; step++) {
            assertThat(none.onStep(measured(step, 25, 7, 0.995, 0.004))).isEmpty();
        }
        org.gan4j.data.ImageDataset black =
                new org.gan4j.data.ImageDataset(new byte[5 * 4 * 4], 5, 1, 4, null, 0, "black");
        assertThat(none.checkData(black)).isEmpty();
        assertThat(FailureAlarms.forRun(config).checkData(black)).isPresent();
    }

    @Test
    void patienceLossLimitAndDropAreTheSettings() {
        org.gan4j.config.RunConfig config = org.gan4j.config.ConfigLoader.load(null, List.of());
        FailureAlarms alarms = FailureAlarms.forRun(config,
                new FailureAlarms.Settings(FailureAlarms.Settings.DEFAULT.enabled(), 10, 50, 0.6));
        List<String> warnings = new ArrayList<>();
        for (long step = 1; step <= 9; step++) {
            warnings.addAll(alarms.onStep(measured(step, 49, 60, 0.5, 0.5)));
        }
        // lossG 60 is above the limit of 50 on 9 steps, D wins on none: one step short of the patience
        assertThat(warnings).isEmpty();
        assertThat(alarms.onStep(measured(10, 49, 60, 0.5, 0.5))).singleElement().asString()
                .startsWith("losses diverge at step 10: lossD 49.00, lossG 60.00 (limit 50.00, exceeded on 10"
                        + " measured steps in a row;")
                .contains("within about e^-50 of 0 or 1");
        // a drop of 50 % is below the 60 % that counts as collapse
        assertThat(alarms.onEvaluation(1000, Map.of("coverage", 0.8))).isEmpty();
        assertThat(alarms.onEvaluation(2000, Map.of("coverage", 0.4))).isEmpty();
        assertThat(alarms.onEvaluation(3000, Map.of("coverage", 0.3))).singleElement().asString()
                .contains("coverage fell to 0.3000 from its best 0.8000 (-63 %)");
    }
}
