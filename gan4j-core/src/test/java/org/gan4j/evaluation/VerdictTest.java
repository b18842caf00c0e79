package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static Map<String, Double> metrics(Object... pairs) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return map;
    }

    @Test
    void oneModeOfEightIsCalledModeCollapse() {
        List<String> lines = Verdict.of(metrics("modesCaptured", 1, "modes", 8, "highQualityFraction", 0.011,
                "reverseKl", 0.0, "dRocAuc", 0.4993));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("MODE COLLAPSE: the generated samples cover only 1 of the 8 modes");
        assertThat(lines.get(1)).startsWith("low quality: only 1.1 % of the samples lie within 3 std of a mode");
        // below 10 % one decimal, as the modes line of a ring or grid run prints it: 0.56 % is not "1 %"
        assertThat(Verdict.of(metrics("modesCaptured", 3, "modes", 8, "highQualityFraction", 0.0056)))
                .contains("low quality: only 0.6 % of the samples lie within 3 std of a mode, the rest between or"
                        + " away from the modes");
        assertThat(Verdict.of(metrics("modesCaptured", 8, "modes", 8, "highQualityFraction", 0.254)))
                .anyMatch(line -> line.startsWith("low quality: only 25 % of the samples"));
        assertThat(lines.get(2)).startsWith("the discriminator (D fixed) cannot tell generated from real samples"
                + " (ROC AUC 0.50");
    }

    @Test
    void missingModesArePartialCollapseAndAllModesEvenAreNone() {
        assertThat(Verdict.of(metrics("modesCaptured", 20, "modes", 25, "highQualityFraction", 0.9)))
                .containsExactly("partial mode collapse: the generated samples cover 20 of the 25 modes (5 missing)");
        assertThat(Verdict.of(metrics("modesCaptured", 8, "modes", 8, "reverseKl", 0.01, "highQualityFraction", 0.9)))
                .containsExactly("no mode collapse: all 8 modes captured");
        assertThat(Verdict.of(metrics("modesCaptured", 8, "modes", 8, "reverseKl", 0.8, "highQualityFraction", 0.9)))
                .singleElement().asString().startsWith("all 8 modes captured, but unevenly");
        assertThat(Verdict.of(metrics("modesCaptured", 0, "modes", 8, "highQualityFraction", 0.0)).get(0))
                .startsWith("no mode captured");
    }

    @Test
    void imageSamplesCrowdingIntoFewClassesAreModeCollapse() {
        // all samples in one class of ten: KL ln 10 from the uniform real mix, entropy 0 (one class in effect)
        List<String> lines = Verdict.of(metrics("classesCovered", 10, "classKl", Math.log(10), "classEntropy", 0.0,
                "precision", 0.8, "recall", 0.02, "coverage", 0.05));
        assertThat(lines.get(0)).startsWith("MODE COLLAPSE: the samples crowd into a few classes")
                .contains("class KL 2.30 nats").contains("in effect about 1.0 classes");
        assertThat(lines.get(1)).isEqualTo(
                "low variety: the samples reach only a small part of the real data (recall 0.02, coverage 0.05; 1 = all"
                        + " of it)");
        assertThat(lines).hasSize(2);

        List<String> healthy = Verdict.of(metrics("classKl", 0.05, "classEntropy", Math.log(9.5), "precision", 0.7,
                "recall", 0.6, "coverage", 0.8, "memorisationRatio", 1.0, "dRocAuc", 0.95));
        assertThat(healthy).containsExactly(
                "no mode collapse across classes: the samples' class mix is close to the real one (class KL 0.05 nats;"
                        + " in effect about 9.5 classes)",
                "the discriminator (D fixed) tells generated from real samples easily (ROC AUC 0.95; 0.5 = chance, 1 ="
                        + " always)");
    }

    /** Given the class mix, a class verdict of collapse names the missing classes and the most over-represented. */
    @Test
    void aCollapseVerdictNamesTheMissingAndOverRepresentedClasses() {
        ClassMix mix = ClassMixTest.crowdedIntoTrousers();
        List<String> lines = Verdict.of(metrics("classKl", 1.2, "classEntropy", Math.log(2.1)), mix);
        assertThat(lines).containsExactly("MODE COLLAPSE: the samples crowd into a few classes, far from the real class"
                + " mix (class KL 1.20 nats, 0 = same mix; in effect about 2.1 classes); missing: Sandal, Bag;"
                + " over-represented: Trouser (31 % of the samples, 10 % of the real images)");
        // partial collapse names them too; without a missing class, the most under-represented one instead
        ClassMix uneven = ClassMix.of(new long[] {50, 30, 20}, new double[] {0.2, 0.3, 0.5},
                List.of("cat", "dog", "fox"));
        assertThat(Verdict.of(metrics("classKl", 0.4), uneven)).containsExactly("partial mode collapse: some classes"
                + " are rare or missing among the samples (class KL 0.40 nats, 0 = same mix as the real data);"
                + " over-represented: cat (50 % of the samples, 20 % of the real images); under-represented: fox (20 %"
                + " of the samples, 50 % of the real images)");
        // more than four missing: four named (the commonest among the real images first), the rest counted
        ClassMix one = ClassMix.of(new long[] {0, 100, 0, 0, 0, 0, 0, 0, 0, 0},
                new double[] {0.05, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.15}, ClassMixTest.FASHION);
        assertThat(Verdict.of(metrics("classKl", 2.3), one).get(0)).endsWith("; missing: Ankle boot, Pullover, Dress,"
                + " Coat and 5 more; over-represented: Trouser (100 % of the samples, 10 % of the real images)");
        // no collapse: no names; no mix: the sentences of before
        assertThat(Verdict.of(metrics("classKl", 0.05), mix).get(0)).doesNotContain("missing:");
        assertThat(Verdict.of(metrics("classKl", 1.2, "classEntropy", Math.log(2.1)), null))
                .isEqualTo(Verdict.of(metrics("classKl", 1.2, "classEntropy", Math.log(2.1))));
    }

    @Test
    void anUnevenClassMixIsPartialCollapseAndAnAucBelowChanceIsNamed() {
        // the 150-step Fashion-MNIST DCGAN with G's learning rate at 0.02
        List<String> lines = Verdict.of(metrics("classKl", 0.4449, "classEntropy", 1.858, "dRocAuc", 0.3364));
        assertThat(lines).containsExactly(
                "partial mode collapse: some classes are rare or missing among the samples (class KL 0.44 nats, 0 ="
                        + " same mix as the real data; in effect about 6.4 classes)",
                "the discriminator (D fixed) rates generated samples as more real than real ones (ROC AUC 0.34, below"
                        + " 0.5 = chance): G fools it");
        assertThat(Verdict.of(metrics("dRocAuc", 0.75)))
                .containsExactly("the discriminator (D fixed) tells generated from real samples in part (ROC AUC 0.75;"
                        + " 0.5 = chance, 1 = always)");
    }

    @Test
    void aucBoundariesFallWhereTheConstantsSay() {
        // 0.6 (CHANCE_AUC) still reads as chance, just above it "in part"; 0.4 is chance, just below it G fools D;
        // 0.9 (EASY_AUC) is easy, just below it "in part"
        assertThat(Verdict.CHANCE_AUC).isEqualTo(0.6);
        assertThat(Verdict.BELOW_CHANCE_AUC).isEqualTo(0.4);
        assertThat(Verdict.EASY_AUC).isEqualTo(0.9);
        assertThat(aucLine(0.6)).startsWith("the discriminator (D fixed) cannot tell generated from real samples");
        assertThat(aucLine(Math.nextUp(0.6))).startsWith("the discriminator (D fixed) tells generated from real samples"
                + " in part");
        assertThat(aucLine(0.4)).startsWith("the discriminator (D fixed) cannot tell generated from real samples");
        assertThat(aucLine(Math.nextDown(0.4))).startsWith("the discriminator (D fixed) rates generated samples as more"
                + " real than real ones");
        assertThat(aucLine(0.9)).startsWith("the discriminator (D fixed) tells generated from real samples easily");
        assertThat(aucLine(Math.nextDown(0.9))).contains("in part");
    }

    private static String aucLine(double auc) {
        List<String> lines = Verdict.of(metrics("dRocAuc", auc));
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    @Test
    void generatedImagesMoreAlikeThanRealOnesAreModeCollapseWithoutAClassifier() {
        assertThat(Verdict.of(metrics("pixelDiversity", 0.06))).singleElement().asString()
                .startsWith("MODE COLLAPSE: the generated images differ from one another far less than real images do"
                        + " (pixel diversity 0.06");
        assertThat(Verdict.of(metrics("pixelDiversity", 0.55))).singleElement().asString()
                .startsWith("low variety: the generated images are more alike than real images");
        assertThat(Verdict.of(metrics("pixelDiversity", 0.95))).isEmpty();
    }

    @Test
    void lowPrecisionAndCopyingAreNamed() {
        assertThat(Verdict.of(metrics("precision", 0.1, "memorisationRatio", 0.2)))
                .containsExactly("low fidelity: only 10 % of the samples look like real data (precision)",
                        "possible copying: samples lie much closer to training images than held-out real images do"
                                + " (memorisation ratio 0.20; 1 = no copying)");
        // below 10 % one decimal, as the low-quality line: a precision of 0.004 said "only 0 %", as if no sample did
        assertThat(Verdict.of(metrics("precision", 0.004)))
                .containsExactly("low fidelity: only 0.4 % of the samples look like real data (precision)");
    }

    @Test
    void metricsItDoesNotReadOrNonFiniteValuesGiveNoLines() {
        assertThat(Verdict.of(metrics("fd", 12.0, "kid", 0.1))).isEmpty();
        assertThat(Verdict.of(metrics("meanMaxAbsError", 0.05, "covarianceMaxAbsError", 0.4))).isEmpty();
        assertThat(Verdict.of(metrics("classKl", Double.NaN, "dRocAuc", Double.NaN))).isEmpty();
    }
}
