package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;

class EngineSetupTest {

    private static final String PROPERTY = "ai.djl.pytorch.num_threads";

    /**
     * A thread count above training.threads' limit of 1024, from GAN4J_THREADS or a command's --threads, is a one-line
     * error before the engine starts: until 1 December it reached libtorch, which started every thread (GAN4J_THREADS
     * =99999 kept gan4j info busy for minutes on 2 cores, 512 threads took it 27 s).
     */
    @Test
    void aThreadCountAbove1024IsAOneLineErrorBeforeTheEngineStarts() throws IOException {
        CliTest.restoringProperty(PROPERTY, () -> {
            System.setProperty(PROPERTY, "99999");
            assertThatThrownBy(() -> EngineSetup.configure(0))
                    .isInstanceOf(Gan4jException.class)
                    .hasMessage("-Dai.djl.pytorch.num_threads (GAN4J_THREADS) must be a whole number between 1"
                            + " and 1024, got '99999'");
            System.setProperty(PROPERTY, "1024");
            assertThat(EngineSetup.configure(0)).isEqualTo(1024);
            assertThatThrownBy(() -> EngineSetup.configure(1025, true))
                    .isInstanceOf(Gan4jException.class)
                    .hasMessage("--threads must be between 0 and 1024 (0 = GAN4J_THREADS if set, else all cores),"
                            + " got 1025");
            assertThat(System.getProperty(PROPERTY)).as("nothing set by the refused --threads").isEqualTo("1024");
        });
    }
}
