package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.LossConfig;
import org.gan4j.config.RunConfig;
import org.gan4j.loss.GanLoss;
import org.gan4j.loss.MinimaxLoss;
import org.gan4j.loss.NonSaturatingLoss;
import org.gan4j.nn.GanModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gan4j's training step is the GAN of the texts, number for number: d2l.ai's toy GAN
 * ({@code configs/d2l-gaussian.yaml}) trained for five steps equals an independent PyTorch implementation of the same
 * game, for the non-saturating and the minimax generator loss, two D updates per step, two G updates per step, and
 * mean reduction with one-sided label smoothing: losses, D outputs, gradient norms and every parameter.
 *
 * <p>The golden values below come from {@code toy_gan_golden.py} (test resources, {@code
 * org/gan4j/training/toy-gan-golden/}; Debian's python3-torch 1.13, float32), which states the game it plays: plain
 * {@code torch.nn.Linear}/{@code Tanh} networks, {@code torch.optim.Adam} with d2l's learning rates and PyTorch's
 * default betas and epsilon, {@code BCEWithLogitsLoss(reduction='sum')}, the update order of pytorch/examples' DCGAN.
 * Both sides start from the parameters in {@code inputs.json} and see its real batches and noise; the noise is the
 * trainer's own ({@link Noise}), checked here. To regenerate (after a deliberate change of the game), run
 * {@code /usr/bin/python3 gan4j-core/src/test/resources/org/gan4j/training/toy-gan-golden/toy_gan_golden.py} and
 * paste its output into {@link #golden} and {@link #saturated}. The script also prints how far float32 is from a
 * float64 replay (at most 7e-6 relative for a logged value, 9e-7 for a parameter), which sets the tolerances.
 */
class ToyGanTorchGoldenTest {

    private static final String INPUTS = "toy-gan-golden/inputs.json";
    private static final int STEPS = 5;
    private static final String[] LOGGED = {
        "lossD", "lossG", "dReal", "dFake", "dFakeAfter", "gradNormD", "gradNormG"
    };

    /** What PyTorch logged at each step, and both networks' parameters after the first and the last step. */
    record Golden(
            double[][] steps,
            double[] generatorAfterFirst,
            double[] discriminatorAfterFirst,
            double[] generatorAfterLast,
            double[] discriminatorAfterLast) {}

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("nonSaturating", List.of()),
                Arguments.of("minimax", List.of("loss.generator=minimax")),
                Arguments.of("twoDiscriminatorSteps", List.of("training.dSteps=2")),
                Arguments.of("twoGeneratorSteps", List.of("training.gSteps=2")),
                Arguments.of(
                        "meanReductionLabelSmoothing", List.of("loss.reduction=mean", "loss.realLabel=0.9")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void firstStepsEqualPyTorch(String name, List<String> overrides) throws IOException {
        JsonNode inputs = GoldenInputs.read(ToyGanTorchGoldenTest.class, INPUTS);
        List<String> sets = new ArrayList<>(overrides);
        sets.add("seed=" + inputs.get("seed").asLong());
        RunConfig config = ConfigLoader.load(repositoryRoot().resolve("configs/d2l-gaussian.yaml"), sets);
        int batch = inputs.get("batch").asInt();
        int latent = inputs.get("latent").asInt();
        assertThat(config.training().batchSize()).isEqualTo(batch);
        assertThat(config.model().latentSize()).isEqualTo(latent);
        Golden golden = golden(name);
        GanModels models = GanModels.create(config.model(), new long[] {2});
        try (GanTrainer trainer =
                GanTrainer.builder()
                        .setModels(models)
                        .setLoss(GanLoss.from(config.loss()))
                        .setTraining(config.training())
                        .setSeed(config.seed())
                        .build()) {
            // both sides start from the same parameters (gan4j's own draw at seed 7, saved in inputs.json)
            GoldenInputs.load(models.generator(), inputs.get("generator"));
            GoldenInputs.load(models.discriminator(), inputs.get("discriminator"));
            JsonNode realBatches = inputs.get("real");
            RealBatches real = GoldenInputs.batches(b -> {
                float[] values = GoldenInputs.floats(realBatches.get(b));
                assertThat(values).hasSize(batch * 2);
                return values;
            }, realBatches.size());
            int dSteps = config.training().dSteps();
            for (int step = 1; step <= STEPS; step++) {
                for (int i = 0; i < dSteps; i++) {
                    long index = (long) step * dSteps + i;
                    assertThat(Noise.gaussian(config.seed(), Noise.TRAINING, index, batch * latent))
                            .as("training noise %d (inputs.json is stale: regenerate it and the golden values)", index)
                            .containsExactly(GoldenInputs.floats(inputs.get("noise").get(Long.toString(index))));
                }
                StepResult result = trainer.trainStep(real, true);
                double[] logged = {
                    result.lossD(), result.lossG(), result.dReal(), result.dFake(), result.dFakeAfter(),
                    result.gradNormD(), result.gradNormG()
                };
                for (int k = 0; k < LOGGED.length; k++) {
                    double expected = golden.steps()[step - 1][k];
                    // the gradient norms sum squares of small, partly cancelling terms: float32 moves them most
                    double relative = k >= 5 ? 1e-4 : 2e-5;
                    assertThat(logged[k])
                            .as("%s, step %d: %s", name, step, LOGGED[k])
                            .isCloseTo(expected, within(relative * Math.abs(expected) + 1e-7));
                }
                if (step == 1) {
                    assertParameters(models.generator(), golden.generatorAfterFirst(), name + ", G after step 1");
                    assertParameters(
                            models.discriminator(), golden.discriminatorAfterFirst(), name + ", D after step 1");
                }
            }
            assertParameters(models.generator(), golden.generatorAfterLast(), name + ", G after step " + STEPS);
            assertParameters(
                    models.discriminator(), golden.discriminatorAfterLast(), name + ", D after step " + STEPS);
            assertThat(trainer.optimizerUpdates())
                    .as("G and D updates")
                    .containsExactly((long) STEPS * config.training().gSteps(), (long) STEPS * dSteps);
        }
    }

    /**
     * When D is sure of itself (logits ±30), every loss and its gradient equal PyTorch's
     * {@code binary_cross_entropy_with_logits}: finite, and the minimax generator's gradient vanishes as σ(ℓ) (it
     * saturates, 4.7e-14 rather than 0 or NaN) while the non-saturating one stays at 1/2 per sample.
     */
    @Test
    void saturatedLogitsGiveFiniteLossesAndPyTorchsGradients() {
        LossConfig.Reduction mean = LossConfig.Reduction.MEAN;
        checkSaturated("generatorNonSaturating", l -> GanLoss.nonSaturating().generatorLoss(l));
        checkSaturated("generatorMinimax", l -> GanLoss.minimax().generatorLoss(l));
        checkSaturated("discriminatorReal", l -> GanLoss.nonSaturating().discriminatorRealLoss(l));
        checkSaturated("discriminatorRealSmoothed", l -> new MinimaxLoss(0.9, mean).discriminatorRealLoss(l));
        checkSaturated("discriminatorFake", l -> new NonSaturatingLoss(1.0, mean).discriminatorFakeLoss(l));
        // the vanishing minimax gradient is σ(−30)/2, to float precision
        double[] minimax = lossAndGradient(l -> GanLoss.minimax().generatorLoss(l));
        assertThat(minimax[1]).isCloseTo(-0.5 / (1 + Math.exp(30)), within(1e-6 * 0.5 / (1 + Math.exp(30))));
    }

    private static void checkSaturated(String name, Function<NDArray, NDArray> loss) {
        double[] expected = saturated(name);
        double[] actual = lossAndGradient(loss);
        assertThat(actual).as(name + ": loss, gradient at −30, gradient at 30").hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(Double.isFinite(actual[i])).as("%s: value %d is finite", name, i).isTrue();
            assertThat(actual[i])
                    .as("%s: value %d (loss, gradient at −30, gradient at 30)", name, i)
                    .isCloseTo(expected[i], within(1e-5 * Math.abs(expected[i]) + 1e-12));
        }
    }

    /** {mean loss, d loss / d logit at −30, d loss / d logit at 30}. */
    @SuppressWarnings("try") // the collector only turns gradient recording on
    private static double[] lossAndGradient(Function<NDArray, NDArray> loss) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {-30f, 30f}, new Shape(2, 1));
            logits.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.apply(logits);
                collector.backward(value);
                float[] gradient = logits.getGradient().toFloatArray();
                return new double[] {value.getFloat(), gradient[0], gradient[1]};
            }
        }
    }

    private static void assertParameters(Block block, double[] expected, String what) {
        List<Float> actual = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            for (float v : pair.getValue().getArray().toFloatArray()) {
                actual.add(v);
            }
        }
        assertThat(actual).as(what).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            // D's first Adam steps move its weights by up to lr_D = 0.05; a coordinate whose gradient is near ε
            // (1e-8) takes a step that float32 rounding moves by ~1e-6 (7e-7 against a float64 replay)
            assertThat((double) actual.get(i))
                    .as("%s, parameter value %d", what, i)
                    .isCloseTo(expected[i], within(1e-5));
        }
    }

    private static Path repositoryRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null) {
            if (Files.isDirectory(directory.resolve("configs")) && Files.isRegularFile(directory.resolve("pom.xml"))) {
                return directory;
            }
            directory = directory.getParent();
        }
        throw new IllegalStateException("no repository root with configs/ above " + Path.of("").toAbsolutePath());
    }

    // ---- generated by toy_gan_golden.py (torch 1.13, float32); do not edit by hand ----

    private static Golden golden(String name) {
        return switch (name) {
            case "nonSaturating" -> new Golden(
                    new double[][] {
                        {11.091512680053711, 5.416357040405273, 0.4940894842147827, 0.49409201741218567,
                            0.5081164836883545, 0.09474553997732092, 0.0008609538196025407},
                        {11.091405868530273, 5.484927177429199, 0.5081849694252014, 0.50811767578125,
                            0.5037798881530762, 0.19985213178952474, 0.018282655486533586},
                        {11.088418960571289, 5.594054222106934, 0.5039074420928955, 0.5037530660629272,
                            0.49695447087287903, 0.1042194888577018, 0.04473878860425947},
                        {11.040716171264648, 5.711445331573486, 0.5000637173652649, 0.4969453513622284,
                            0.4897155165672302, 0.43789760261922295, 0.10936719292347966},
                        {11.020227432250977, 5.724409580230713, 0.4944858253002167, 0.48993393778800964,
                            0.488922655582428, 0.49207769569499293, 0.20959865015810034},
                    },
                    new double[] {-0.05170053616166115, 0.006722160615026951, 0.010269075632095337,
                            0.017792196944355965, -0.0031435773707926273, -0.010255903005599976},
                    new double[] {0.04780486598610878, 0.05157088860869408, -0.05838945135474205,
                            -0.048008471727371216, 0.0358249731361866, 0.0558413602411747, -0.07105514407157898,
                            -0.019097192212939262, 0.09198948740959167, 0.021067902445793152, 0.0805901288986206,
                            -0.02636837586760521, 0.045571230351924896, -0.058821551501750946, 0.06974589824676514,
                            0.05570964515209198, -0.06952425837516785, -0.04461989924311638, 0.029101310297846794,
                            -0.06062821298837662, 0.05570986866950989, -0.024913901463150978, -0.015415169298648834,
                            0.032488688826560974, -0.0652344822883606, 0.06519775837659836, -0.06005321443080902,
                            -0.058367833495140076, 0.051599644124507904, -0.0343458354473114, 0.07642023265361786,
                            0.060772158205509186, 0.06758493930101395, 0.06898479908704758, -0.045235775411129,
                            0.06771735101938248, 0.025496235117316246},
                    new double[] {-0.04896305501461029, 0.013049614615738392, 0.012602302245795727,
                            0.02351057529449463, 0.012822559103369713, 0.005533534102141857},
                    new double[] {0.1329943984746933, 0.21843215823173523, -0.15132826566696167,
                            -0.21605068445205688, -0.002060089260339737, 0.02172764018177986, -0.024305041879415512,
                            -0.009063557721674442, 0.036236993968486786, 0.017868710681796074, -0.08359338343143463,
                            0.14031991362571716, 0.17007149755954742, -0.16722923517227173, 0.1687406301498413,
                            0.2100176066160202, -0.2230812907218933, 0.04422403499484062, 0.01126187201589346,
                            -0.020731505006551743, -0.10286524891853333, 0.13259802758693695, -0.11355438828468323,
                            0.06175091117620468, -0.10579432547092438, 0.21749776601791382, -0.21198317408561707,
                            0.03894941136240959, -0.0028445282950997353, 0.03915976360440254, -0.01371593214571476,
                            0.16002099215984344, -0.015689194202423096, 0.21150466799736023, -0.12948077917099,
                            0.14541587233543396, -0.007162920199334621});
            // minimax: float32 against float64, logged values 7.1e-06 relative, parameters 6.7e-07
            case "minimax" -> new Golden(
                    new double[][] {
                        {11.091512680053711, -5.6761064529418945, 0.4940894842147827, 0.49409201741218567,
                            0.5081164836883545, 0.09474553997732092, 0.0008893650738983667},
                        {11.091405868530273, -5.6058855056762695, 0.5081849694252014, 0.50811767578125,
                            0.5037798881530762, 0.19985213119813863, 0.018561226486636682},
                        {11.088418960571289, -5.496597766876221, 0.5039074420928955, 0.5037530660629272,
                            0.4969545304775238, 0.10421951814061053, 0.0441932506773477},
                        {11.040716171264648, -5.382297515869141, 0.5000637173652649, 0.49694544076919556,
                            0.4897156357765198, 0.437888607837024, 0.10492562190218635},
                        {11.020233154296875, -5.3698859214782715, 0.4944857954978943, 0.4899343252182007,
                            0.48892322182655334, 0.4920428061954552, 0.2006212201524317},
                    },
                    new double[] {-0.051700521260499954, 0.006722168065607548, 0.010269064456224442,
                            0.017792191356420517, -0.003143581561744213, -0.010255901142954826},
                    new double[] {0.04780486598610878, 0.05157088860869408, -0.05838945135474205,
                            -0.048008471727371216, 0.0358249731361866, 0.0558413602411747, -0.07105514407157898,
                            -0.019097192212939262, 0.09198948740959167, 0.021067902445793152, 0.0805901288986206,
                            -0.02636837586760521, 0.045571230351924896, -0.058821551501750946, 0.06974589824676514,
                            0.05570964515209198, -0.06952425837516785, -0.04461989924311638, 0.029101310297846794,
                            -0.06062821298837662, 0.05570986866950989, -0.024913901463150978, -0.015415169298648834,
                            0.032488688826560974, -0.0652344822883606, 0.06519775837659836, -0.06005321443080902,
                            -0.058367833495140076, 0.051599644124507904, -0.0343458354473114, 0.07642023265361786,
                            0.060772158205509186, 0.06758493930101395, 0.06898479908704758, -0.045235775411129,
                            0.06771735101938248, 0.025496235117316246},
                    new double[] {-0.04896077141165733, 0.013099553063511848, 0.012604099698364735,
                            0.02352842129766941, 0.012875916436314583, 0.005595069378614426},
                    new double[] {0.1329919397830963, 0.21843267977237701, -0.15132595598697662,
                            -0.21605119109153748, -0.0020623859018087387, 0.021726660430431366,
                            -0.024303454905748367, -0.009062745608389378, 0.03623487055301666, 0.01786798983812332,
                            -0.08359332382678986, 0.14032042026519775, 0.17007127404212952, -0.1672288328409195,
                            0.1687404066324234, 0.2100178599357605, -0.22308149933815002, 0.0442245751619339,
                            0.011261566542088985, -0.020731685683131218, -0.10286557674407959, 0.13259831070899963,
                            -0.11355482786893845, 0.061751220375299454, -0.10579413175582886, 0.2174980193376541,
                            -0.21198339760303497, 0.03894972801208496, -0.002844827715307474, 0.03915960341691971,
                            -0.013716790825128555, 0.16002167761325836, -0.01569001004099846, 0.2115047574043274,
                            -0.12948065996170044, 0.14541593194007874, -0.007163453847169876});
            // twoDiscriminatorSteps: float32 against float64, logged values 4.7e-06 relative, parameters 8.5e-07
            case "twoDiscriminatorSteps" -> new Golden(
                    new double[][] {
                        {11.091421127319336, 5.488008975982666, 0.5081849694252014, 0.5081186890602112,
                            0.5035858154296875, 0.2011595359825086, 0.01775277697656558},
                        {11.044958114624023, 5.701563358306885, 0.5000029802322388, 0.4971518814563751,
                            0.4903208613395691, 0.4162161693407554, 0.09568250032566794},
                        {10.734912872314453, 5.776041030883789, 0.5120454430580139, 0.4893845319747925,
                            0.48577818274497986, 1.6786302785855587, 0.37499047594831736},
                        {10.767963409423828, 6.1078410148620605, 0.5010837912559509, 0.47771817445755005,
                            0.466044157743454, 1.2401164113176844, 1.2432698973697087},
                        {10.002788543701172, 6.662515640258789, 0.5270964503288269, 0.45157650113105774,
                            0.4348745048046112, 2.2262203052269753, 2.377810030585991},
                    },
                    new double[] {-0.051700033247470856, 0.006722370162606239, 0.020268704742193222,
                            0.027791962027549744, 0.006856304127722979, -0.010255829431116581},
                    new double[] {0.08800898492336273, 0.09030081331729889, -0.09789524972438812,
                            -0.08638489246368408, -0.0005589351058006287, 0.019043203443288803,
                            -0.038841426372528076, 0.015696940943598747, 0.05481952801346779, -0.016121413558721542,
                            0.0440252423286438, 0.010255299508571625, 0.0829596146941185, -0.09727068245410919,
                            0.10695107281208038, 0.09300218522548676, -0.10691652446985245, -0.007579021155834198,
                            -0.005135653540492058, -0.02414575219154358, 0.018535129725933075, 0.012221543118357658,
                            -0.0526859425008297, 0.07076138257980347, -0.10271280258893967, 0.10248591005802155,
                            -0.09743617475032806, -0.021318528801202774, 0.017207272350788116, 0.002173393964767456,
                            0.04644088074564934, 0.10042980313301086, 0.03726166486740112, 0.09468232840299606,
                            -0.08538701385259628, 0.04660147428512573, 0.015023516491055489},
                    new double[] {-0.06366503238677979, 0.01986454240977764, 0.006985823158174753,
                            0.04102091118693352, 0.022788086906075478, 0.005406837910413742},
                    new double[] {0.30393150448799133, 0.42026033997535706, -0.3236786723136902,
                            -0.4227515459060669, 0.17000220715999603, 0.17401587963104248, -0.1912192404270172,
                            -0.15914073586463928, 0.20580516755580902, 0.18161560595035553, -0.2745969593524933,
                            0.3267596960067749, 0.046027686446905136, -0.07228602468967438, 0.03056042268872261,
                            0.42497700452804565, -0.43748220801353455, 0.1924930065870285, -0.1472453474998474,
                            0.16400207579135895, -0.3164725601673126, 0.34569671750068665, -0.276078462600708,
                            0.22087040543556213, -0.2831234633922577, 0.43155398964881897, -0.42552074790000916,
                            0.187978595495224, -0.16449372470378876, 0.22283869981765747, -0.1300225406885147,
                            0.12649625539779663, -0.14510925114154816, 0.4057571291923523, -0.32066696882247925,
                            0.3517986834049225, 0.08207235485315323});
            // twoGeneratorSteps: float32 against float64, logged values 7.1e-06 relative, parameters 8.8e-07
            case "twoGeneratorSteps" -> new Golden(
                    new double[][] {
                        {11.091512680053711, 5.416347503662109, 0.4940894842147827, 0.49409201741218567,
                            0.5081170797348022, 0.09474553997732092, 0.0008610480845728223},
                        {11.091409683227539, 5.485264778137207, 0.5081849694252014, 0.5081179141998291,
                            0.5037585496902466, 0.19981730404522266, 0.0180199242461836},
                        {11.088510513305664, 5.593319892883301, 0.5038763284683228, 0.5037281513214111,
                            0.4970000982284546, 0.10286450172178013, 0.04421627223414749},
                        {11.041539192199707, 5.708849906921387, 0.5000478029251099, 0.49698126316070557,
                            0.4898744821548462, 0.43358200668753594, 0.10857003124299533},
                        {11.022591590881348, 5.719162940979004, 0.49451443552970886, 0.49011483788490295,
                            0.48924344778060913, 0.4790595147523363, 0.2086573947240154},
                    },
                    new double[] {-0.04670097306370735, 0.0117220189422369, 0.005269443616271019,
                            0.01279238611459732, -0.008143506944179535, -0.0052559869363904},
                    new double[] {0.04780486598610878, 0.05157088860869408, -0.05838945135474205,
                            -0.048008471727371216, 0.0358249731361866, 0.0558413602411747, -0.07105514407157898,
                            -0.019097192212939262, 0.09198948740959167, 0.021067902445793152, 0.0805901288986206,
                            -0.02636837586760521, 0.045571230351924896, -0.058821551501750946, 0.06974589824676514,
                            0.05570964515209198, -0.06952425837516785, -0.04461989924311638, 0.029101310297846794,
                            -0.06062821298837662, 0.05570986866950989, -0.024913901463150978, -0.015415169298648834,
                            0.032488688826560974, -0.0652344822883606, 0.06519775837659836, -0.06005321443080902,
                            -0.058367833495140076, 0.051599644124507904, -0.0343458354473114, 0.07642023265361786,
                            0.060772158205509186, 0.06758493930101395, 0.06898479908704758, -0.045235775411129,
                            0.06771735101938248, 0.025496235117316246},
                    new double[] {-0.039772793650627136, 0.023658962920308113, 0.011112917214632034,
                            0.023179752752184868, 0.02495887130498886, 0.02766031213104725},
                    new double[] {0.13317865133285522, 0.21854549646377563, -0.15151354670524597,
                            -0.21614626049995422, -0.0026891492307186127, 0.021277157589793205,
                            -0.024303404614329338, -0.009052624925971031, 0.036272644996643066, 0.01822422444820404,
                            -0.08365984261035919, 0.14063578844070435, 0.1699877381324768, -0.16747869551181793,
                            0.16855984926223755, 0.20991508662700653, -0.22296519577503204, 0.044369734823703766,
                            0.00979796051979065, -0.01899822987616062, -0.10279523581266403, 0.13250693678855896,
                            -0.11336679756641388, 0.06208818778395653, -0.1063622534275055, 0.21748004853725433,
                            -0.2119559496641159, 0.03892998769879341, -0.0033465828746557236, 0.0397573746740818,
                            -0.0139336958527565, 0.160178080201149, -0.015964051708579063, 0.20919542014598846,
                            -0.1297154426574707, 0.14500416815280914, -0.007213321514427662});
            // meanReductionLabelSmoothing: float32 against float64, logged values 5.8e-07 relative, parameters 1.3e-07
            case "meanReductionLabelSmoothing" -> new Golden(
                    new double[][] {
                        {1.3840746879577637, 0.7293762564659119, 0.4940894842147827, 0.49409201741218567,
                            0.4822096824645996, 0.08827082045124239, 0.0005606587106675236},
                        {1.379873275756836, 0.7579265832901001, 0.48255249857902527, 0.4822118282318115,
                            0.4686371386051178, 0.06629878788221474, 0.0058866883901983824},
                        {1.3768606185913086, 0.7978432178497314, 0.46905702352523804, 0.46856439113616943,
                            0.4502992033958435, 0.04099161520435887, 0.018064587274721523},
                        {1.3593761920928955, 0.845710039138794, 0.4598129987716675, 0.45032110810279846,
                            0.4292528033256531, 0.09961816599189498, 0.039260466255672144},
                        {1.3563814163208008, 0.8794489502906799, 0.4415346384048462, 0.42980489134788513,
                            0.4150128662586212, 0.10305934359254855, 0.07112950352686927},
                    },
                    new double[] {-0.061699528247117996, -0.003277344163507223, 0.010269803926348686,
                            0.017792554572224617, 0.006856199819594622, -0.01025606319308281},
                    new double[] {0.04780079424381256, 0.051568757742643356, -0.058385614305734634,
                            -0.048006460070610046, 0.03581104427576065, 0.0558340847492218, -0.07105149328708649,
                            -0.019095273688435555, 0.09144088625907898, 0.020781513303518295, -0.019382761791348457,
                            0.07360605895519257, -0.05433535948395729, 0.0411524698138237, -0.026070812717080116,
                            -0.0442744605243206, -0.06951888650655746, -0.04456193372607231, 0.029099198058247566,
                            -0.06062427908182144, -0.04422687739133835, -0.02489251084625721, -0.01518535241484642,
                            0.032480284571647644, -0.06521881371736526, -0.03478522226214409, -0.060047462582588196,
                            -0.05830568075180054, 0.05159738287329674, -0.03434162586927414, -0.02357918582856655,
                            -0.03922553360462189, -0.032414428889751434, -0.03101443499326706,
                            -0.045235972851514816, -0.032282013446092606, -0.07450375705957413},
                    new double[] {-0.05952182039618492, 0.002050432376563549, 0.01281791366636753,
                            0.02348877675831318, 0.023392682895064354, 0.005529440939426422},
                    new double[] {0.1285439431667328, 0.21408617496490479, -0.05558670312166214,
                            0.014771463349461555, 0.11158478260040283, 0.21540597081184387, -0.1597924381494522,
                            -0.1812974214553833, 0.1819174438714981, 0.18258041143417358, -0.15579754114151,
                            -0.05445605516433716, -0.1771022230386734, 0.1643064320087433, -0.15509991347789764,
                            -0.20125670731067657, 0.0023406455293297768, -0.20241618156433105, 0.18794316053390503,
                            -0.21040703356266022, -0.20070132613182068, 0.0572328194975853, -0.17400634288787842,
                            0.18328821659088135, -0.21104393899440765, -0.19168627262115479, 0.013313298113644123,
                            -0.21628686785697937, 0.20945262908935547, -0.18345420062541962, 0.04204358160495758,
                            0.07549972087144852, 0.03916507214307785, -0.20428521931171417, -0.21199572086334229,
                            -0.20239391922950745, -0.2365194410085678});
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Loss (mean over the logits −30 and 30), then its gradient with respect to each logit. */
    private static double[] saturated(String name) {
        return switch (name) {
            case "generatorNonSaturating" -> new double[] {15.0, -0.5, 0.0};
            case "generatorMinimax" -> new double[] {-15.0, -4.6788117949230976e-14, -0.5};
            case "discriminatorReal" -> new double[] {15.0, -0.5, 0.0};
            case "discriminatorRealSmoothed" -> new double[] {15.0, -0.44999998807907104, 0.050000011920928955};
            case "discriminatorFake" -> new double[] {15.0, 4.6788117949230976e-14, 0.5};
            default -> throw new IllegalArgumentException(name);
        };
    }
}
