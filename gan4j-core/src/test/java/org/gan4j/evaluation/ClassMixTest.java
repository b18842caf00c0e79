package org.gan4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassMixTest {

    static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final double[] UNIFORM = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};

    /** 100 samples: Trouser 31, Sandal and Bag none, the rest 9 or 10 each (1 + 31 + 9·6 + 14 = 100). */
    static ClassMix crowdedIntoTrousers() {
        return ClassMix.of(new long[] {10, 31, 9, 9, 9, 0, 9, 14, 0, 9}, UNIFORM, FASHION);
    }

    @Test
    void sharesMissingAndOverRepresentedClassesFromCounts() {
        ClassMix mix = crowdedIntoTrousers();
        assertThat(mix.sampleShares()[1]).isEqualTo(0.31);
        assertThat(mix.sampleShares()[5]).isZero();
        assertThat(mix.realShares()).containsExactly(UNIFORM);
        assertThat(mix.missing()).containsExactly(5, 8);
        assertThat(mix.mostOverRepresented()).isEqualTo(1);
        assertThat(mix.mostUnderRepresented()).isEqualTo(2); // 9 % where 10 % are real, the first of several
        assertThat(mix.byDistance()).startsWith(1, 5, 8, 7);
        // a class the real images never show is not "missing"
        ClassMix absent = ClassMix.of(new long[] {3, 1, 0}, new double[] {0.5, 0.5, 0.0}, List.of("a", "b", "c"));
        assertThat(absent.missing()).isEmpty();
        assertThat(absent.missingNames()).isEmpty();
        assertThat(mix.missingNames()).isEqualTo("Sandal, Bag");
        // as the verdict names them: four, the commonest among the real images first, then a count
        ClassMix six = ClassMix.of(new long[] {0, 0, 0, 0, 0, 0, 1}, new double[] {0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.1},
                List.of("a", "b", "c", "d", "e", "f", "g"));
        assertThat(six.missingNames()).isEqualTo("f, e, a, b and 2 more");
        assertThat(absent.mostOverRepresented()).isEqualTo(0);
        assertThat(absent.mostUnderRepresented()).isEqualTo(1);
    }

    @Test
    void theSummaryListsTheFurthestClassesFirstAndCountsTheRest() {
        assertThat(crowdedIntoTrousers().summary()).isEqualTo("Trouser 31 % (10 %), Sandal 0 % (10 %), Bag 0 % (10 %),"
                + " Sneaker 14 % (10 %), Pullover 9.0 % (10 %), Dress 9.0 % (10 %) + 4 more within 1.0 points of their"
                + " real share");
        ClassMix small = ClassMix.of(new long[] {1, 3}, new double[] {0.5, 0.5}, List.of("cat", "dog"));
        assertThat(small.summary()).isEqualTo("cat 25 % (50 %), dog 75 % (50 %)");
    }

    /**
     * The line's small print (1 December review): 99.6 % was "100 %", a share of 0.02 % "0.0 %", one class left over
     * "1 more … of their real share", a difference below 0.05 points "within 0.0 points", and classes absent from both
     * sides were listed as "x 0 % (0 %)".
     */
    @Test
    void theSummarysNumbersAndWordsFitTheirValues() {
        assertThat(ClassMix.percent(0.996)).isEqualTo("99.6");
        assertThat(ClassMix.percent(0.99999)).isEqualTo("99.9");
        assertThat(ClassMix.percent(1.0)).isEqualTo("100");
        assertThat(ClassMix.percent(0.0002)).isEqualTo("< 0.1");
        assertThat(ClassMix.percent(0.0)).isEqualTo("0");
        assertThat(ClassMix.percent(0.31)).isEqualTo("31");
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i");
        // seven classes with a share: six listed, one left, g, exactly at its real share; h and i on neither side
        ClassMix oneLeft = ClassMix.of(new long[] {0, 20, 20, 20, 20, 10, 10, 0, 0},
                new double[] {0.3, 0.1, 0.1, 0.1, 0.1, 0.2, 0.1, 0, 0}, names);
        assertThat(oneLeft.summary()).endsWith(" + 1 more at its real share").doesNotContain("h 0 %")
                .doesNotContain("i 0 %");
        // eight: a, b, c, d, f, e listed, g 1.0 point off, h at its share
        ClassMix twoLeft = ClassMix.of(new long[] {0, 30, 21, 21, 7, 0, 11, 10, 0},
                new double[] {0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0}, names);
        assertThat(twoLeft.summary()).endsWith(" + 2 more within 1.0 points of their real share");
    }

    @Test
    void jsonRoundTripInLabelOrder() {
        ClassMix mix = crowdedIntoTrousers();
        assertThat(mix.toJson().get(1).toString())
                .isEqualTo("{\"label\":1,\"name\":\"Trouser\",\"samples\":0.31,\"real\":0.1}");
        assertThat(ClassMix.fromJson(mix.toJson())).isEqualTo(mix);
        assertThat(ClassMix.fromJson(null)).isNull();
        assertThat(ClassMix.fromJson(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode("x")))
                .isNull();
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThatThrownBy(() -> new ClassMix(List.of("a"), new double[] {1, 0}, new double[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClassMix.of(new long[] {0, 0}, new double[] {0.5, 0.5}, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricSuiteBuildsTheMixOfThePredictedClasses() {
        MetricSuite.Features features = new MetricSuite.Features(null, null, null, null, null,
                new int[] {0, 0, 0, 1}, new double[] {0.25, 0.25, 0.5});
        ClassMix mix = MetricSuite.classMix(features, List.of("a", "b", "c"));
        assertThat(mix.sampleShares()).containsExactly(0.75, 0.25, 0.0);
        assertThat(mix.realShares()).containsExactly(0.25, 0.25, 0.5);
        assertThat(MetricSuite.classMix(new MetricSuite.Features(null, null, null, null, null, null, null),
                List.of("a"))).isNull();
    }
}
