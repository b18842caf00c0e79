package org.gan4j.training.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;

class PlotListenerTest {

    @Test
    void aPlotThatCannotBeDrawnTurnsPlottingOffInsteadOfStoppingTraining() {
        PlotListener listener = new PlotListener();
        AtomicInteger drawn = new AtomicInteger();
        listener.guarded(drawn::incrementAndGet);
        assertThat(listener.disabled()).isFalse();

        listener.guarded(() -> {
            throw new Gan4jException("cannot draw plots/losses.png: Java cannot render text on this machine");
        });
        assertThat(listener.disabled()).isTrue();

        listener.guarded(drawn::incrementAndGet);
        assertThat(drawn).hasValue(1);
    }

    @Test
    void programmingErrorsStillSurface() {
        PlotListener listener = new PlotListener();
        assertThatThrownBy(() -> listener.guarded(() -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(listener.disabled()).isFalse();
    }
}
