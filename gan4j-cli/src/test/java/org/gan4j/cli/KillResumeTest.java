package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a real training process at random moments and resumes it: the result must equal an uninterrupted run bit
 * for bit. The default suite kills 5 times; the slow version (run with
 * {@code mvn -B -o verify -pl gan4j-cli -am -Dgroups=slow -Dsurefire.excludedGroups= -Dtest='KillResumeTest'
 * -Dsurefire.failIfNoSpecifiedTests=false}) kills 24 times.
 */
class KillResumeTest {

    @TempDir Path temp;

    @Test
    void fiveKillsThenResumeEqualsAnUninterruptedRun() throws Exception {
        KillResumeHarness.Outcome outcome = new KillResumeHarness(temp, 40, 5).run(5);
        System.out.println("kill-resume (default): " + outcome);
        assertThat(outcome.kills()).isEqualTo(5);
        assertThat(outcome.launches()).isEqualTo(6);
    }

    @Test
    @Tag("slow")
    void twentyFourKillsThenResumeEqualsAnUninterruptedRun() throws Exception {
        KillResumeHarness.Outcome outcome = new KillResumeHarness(temp, 150, 24).run(24);
        System.out.println("kill-resume (slow): " + outcome);
        assertThat(outcome.kills()).isEqualTo(24);
        assertThat(outcome.killsDuringCheckpointWrite()).as("kills that hit a checkpoint write").isGreaterThan(0);
    }
}
