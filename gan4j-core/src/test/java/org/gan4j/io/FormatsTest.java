package org.gan4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void stepNamesArePaddedToSixDigitsAndParseBack() {
        assertThat(Formats.stepName(0)).isEqualTo("step-000000");
        assertThat(Formats.stepName(500)).isEqualTo("step-000500");
        assertThat(Formats.stepName(1_234_567)).isEqualTo("step-1234567");
        assertThat(Formats.samplePng(500)).isEqualTo("step-000500.png");
        assertThat(Formats.scatterPng(42)).isEqualTo("scatter-step-000042.png");
        assertThat(Formats.parseStepName("step-000500")).isEqualTo(OptionalLong.of(500));
        assertThat(Formats.parseStepName("step-1234567")).isEqualTo(OptionalLong.of(1_234_567));
        assertThat(Formats.parseStepName("step-500")).isEmpty();
        assertThat(Formats.parseStepName(".tmp-step-000500-ab")).isEmpty();
        assertThat(Formats.parseStepName("step-000500.png")).isEmpty();
        assertThatThrownBy(() -> Formats.stepName(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
