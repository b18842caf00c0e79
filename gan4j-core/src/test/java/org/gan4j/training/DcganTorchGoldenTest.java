package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.loss.GanLoss;
import org.gan4j.nn.GanModels;
import org.gan4j.nn.layers.MemoryFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A small DCGAN (1×28×28, nz 8, ngf 4, ndf 4, the default DCGAN optimiser settings: Adam lr 2e-4, β1 0.5) trained by
 * gan4j for three steps equals pytorch/examples' DCGAN training loop written independently in PyTorch: batch norm in
 * training mode in both networks (running averages included), LeakyReLU 0.2, transposed convolutions, channels-last
 * weights and the fused Adam kernel on gan4j's side; for the non-saturating loss, the minimax loss with two D updates
 * per step, and two G updates per step.
 *
 * <p>The reference is {@code dcgan_golden.py} (test resources, {@code org/gan4j/training/dcgan-golden/}; Debian's
 * python3-torch 1.13, float32), which describes the networks and the step. Both sides start from the parameters in
 * {@code inputs.json} and see its noise (the trainer's own, checked here) and the same real batches
 * (sin(0.37 i + 1.3 b)). The logged values are below; every parameter and running average after the last step is in
 * {@code expected.json}, written by the script. To regenerate, run
 * {@code /usr/bin/python3 gan4j-core/src/test/resources/org/gan4j/training/dcgan-golden/dcgan_golden.py} and paste
 * its output into {@link #golden}. Against a float64 replay float32 is off by at most 1.3e-7 (relative) in a logged
 * value and 1.8e-7 in a parameter; gan4j's largest differences were 1.2e-7 and 1.1e-8.
 */
class DcganTorchGoldenTest {

    private static final int STEPS = 3;
    private static final int BATCH = 4;
    private static final int LATENT = 8;
    private static final int IMAGE = 28 * 28;
    private static final String[] LOGGED = {
        "lossD", "lossG", "dReal", "dFake", "dFakeAfter", "gradNormD", "gradNormG"
    };

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("nonSaturating", List.of()),
                Arguments.of("minimaxTwoDiscriminatorSteps", List.of("loss.generator=minimax", "training.dSteps=2")),
                Arguments.of("twoGeneratorSteps", List.of("training.gSteps=2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void firstStepsEqualPyTorch(String name, List<String> overrides) throws IOException {
        // 4 and 8 feature maps, as the reference has them: convolutions with few channels, which some machines'
        // libtorch computes wrongly
        org.junit.jupiter.api.Assumptions.assumeTrue(org.gan4j.nn.ConvolutionCheck.problem() == null,
                () -> "libtorch on this machine: " + org.gan4j.nn.ConvolutionCheck.problem() + " (docs/RELIABILITY.md)");
        JsonNode inputs = GoldenInputs.read(DcganTorchGoldenTest.class, "dcgan-golden/inputs.json");
        JsonNode expected = GoldenInputs.read(DcganTorchGoldenTest.class, "dcgan-golden/expected.json").get(name);
        List<String> sets = new ArrayList<>(List.of(
                "data.kind=idx", "data.path=/unused", "model.latentSize=" + LATENT,
                "model.dcgan.generatorFeatures=4", "model.dcgan.discriminatorFeatures=4", "training.batchSize=" + BATCH,
                "seed=" + inputs.get("seed").asLong()));
        sets.addAll(overrides);
        RunConfig config = ConfigLoader.load(null, sets);
        // the DCGAN settings the reference hard-codes
        assertThat(config.training().generator().learningRate()).isEqualTo(2e-4);
        assertThat(config.training().discriminator().beta1()).isEqualTo(0.5);
        GanModels models = GanModels.create(config.model(), new long[] {1, 28, 28});
        double[][] golden = golden(name);
        try (GanTrainer trainer =
                GanTrainer.builder()
                        .setModels(models)
                        .setLoss(GanLoss.from(config.loss()))
                        .setTraining(config.training())
                        .setSeed(config.seed())
                        .build()) {
            load(models.generator(), inputs.get("generator"));
            load(models.discriminator(), inputs.get("discriminator"));
            int dSteps = config.training().dSteps();
            // real batch b (from 0): sin(0.37 i + 1.3 b), the formula of dcgan_golden.py
            RealBatches real = GoldenInputs.batches(b -> {
                float[] batch = new float[BATCH * IMAGE];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = (float) StrictMath.sin(0.37 * i + 1.3 * b);
                }
                return batch;
            }, 100);
            for (int step = 1; step <= STEPS; step++) {
                for (int i = 0; i < dSteps; i++) {
                    long index = (long) step * dSteps + i;
                    assertThat(Noise.gaussian(config.seed(), Noise.TRAINING, index, BATCH * LATENT))
                            .as("training noise %d (inputs.json is stale: regenerate it and the golden values)", index)
                            .containsExactly(GoldenInputs.floats(inputs.get("noise").get(Long.toString(index))));
                }
                StepResult result = trainer.trainStep(real, true);
                double[] logged = {
                    result.lossD(), result.lossG(), result.dReal(), result.dFake(), result.dFakeAfter(),
                    result.gradNormD(), result.gradNormG()
                };
                for (int k = 0; k < LOGGED.length; k++) {
                    double want = golden[step - 1][k];
                    assertThat(logged[k])
                            .as("%s, step %d: %s", name, step, LOGGED[k])
                            .isCloseTo(want, within(1e-5 * Math.abs(want)));
                }
            }
            // Adam moved each weight by up to 3 × 2e-4; float32 moves a coordinate by ~1e-7 (more where a gradient is
            // close to ε, none here)
            assertParameters(models.generator(), expected.get("generator"), name + ", G after step " + STEPS);
            assertParameters(models.discriminator(), expected.get("discriminator"), name + ", D after step " + STEPS);
        }
    }

    private static void assertParameters(Block block, JsonNode expected, String what) {
        Iterator<JsonNode> tensors = expected.elements();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            float[] actual = pair.getValue().getArray().toFloatArray();
            float[] want = GoldenInputs.floats(tensors.next());
            assertThat(actual).as("%s: %s", what, pair.getKey()).hasSameSizeAs(want);
            for (int i = 0; i < want.length; i++) {
                assertThat(actual[i]).as("%s: %s[%d]", what, pair.getKey(), i).isCloseTo(want[i], within(1e-6f));
            }
        }
        assertThat(tensors.hasNext()).isFalse();
    }

    /** Sets each parameter (and running average) to the saved values, in the layout the trainer gave it. */
    private static void load(Block block, JsonNode saved) {
        GoldenInputs.load(block, saved);
        // the optimizer's moments were made channels-last like the weights: keep them matching whatever set does
        MemoryFormat.weightsToPreferred(block);
    }

    // ---- generated by dcgan_golden.py (torch 1.13, float32); do not edit by hand ----

    /** lossD, lossG, dReal, dFake, dFakeAfter, gradNormD, gradNormG at each step. */
    private static double[][] golden(String name) {
        return switch (name) {
            // float32 against float64: logged values 1.2e-07 relative, parameters 1.9e-07
            case "nonSaturating" -> new double[][] {
                {1.3201746940612793, 0.6856646537780762, 0.5461040139198303, 0.5035848617553711,
                    0.5037620067596436, 5.727568432337101, 0.8635478628973009},
                {1.297209084033966, 0.679969310760498, 0.5591293573379517, 0.5065422058105469,
                    0.5066366195678711, 5.292920997915452, 0.9181981166708871},
                {1.4402242302894592, 0.7004799842834473, 0.482244610786438, 0.49617713689804077,
                    0.4963887333869934, 7.276970658103233, 1.0362840783036582},
            };
            // float32 against float64: logged values 1.3e-07 relative, parameters 1.7e-07
            case "minimaxTwoDiscriminatorSteps" -> new double[][] {
                {1.2750853300094604, -0.6853342056274414, 0.5594427585601807, 0.4957616329193115,
                    0.49604159593582153, 5.224517169107628, 1.0023306776798666},
                {1.482408881187439, -0.6963489055633545, 0.46289587020874023, 0.5014021992683411,
                    0.5015890598297119, 7.145133234726661, 0.8186278579496785},
                {1.2551031112670898, -0.7022491693496704, 0.5787259340286255, 0.5041937232017517,
                    0.504475474357605, 5.078022307070032, 0.8800066335910496},
            };
            // float32 against float64: logged values 1.0e-07 relative, parameters 1.6e-07
            case "twoGeneratorSteps" -> new double[][] {
                {1.3201746940612793, 0.6796873211860657, 0.5461040139198303, 0.5035848617553711,
                    0.506781816482544, 5.727568432337101, 0.889488858958973},
                {1.2984872460365295, 0.6739444732666016, 0.5591293573379517, 0.507169246673584,
                    0.5097050070762634, 5.289586768927281, 0.8824402007008467},
                {1.440344214439392, 0.6948667168617249, 0.4822463393211365, 0.49623221158981323,
                    0.4991784393787384, 7.268090458570629, 0.9983988128444037},
            };
            default -> throw new IllegalArgumentException(name);
        };
    }
}
