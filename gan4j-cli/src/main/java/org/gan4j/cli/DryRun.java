package org.gan4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.gan4j.config.RunConfig;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingRun;

/** {@code gan4j train --dry-run}: everything but the run. */
final class DryRun {

    private DryRun() {}

    static int run(RunConfig config, java.nio.file.Path runDirectory, int threads, PrintWriter out) {
        return run(config, runDirectory, threads, out, dataset -> {});
    }

    /**
     * Runs the dry run, checking the options that need the data (train --eval-reference's image shape) on its dataset
     * before anything is printed.
     */
    static int run(RunConfig config, java.nio.file.Path runDirectory, int threads, PrintWriter out,
            java.util.function.Consumer<org.gan4j.data.GanDataset> check) {
        TrainingRun.DryRun result = TrainingRun.dryRun(config, runDirectory);
        check.accept(result.dataset());
        StepResult step = result.step();
        out.printf("dry run of '%s' (%d intra-op threads)%n", config.name(), threads);
        out.printf("  data   %s, %s in memory%n", result.dataset().description(),
                org.gan4j.data.DataMemory.size(result.dataset().memoryBytes()));
        out.printf(
                Locale.ROOT,
                "  model  %s, z %d, example shape %s%n",
                result.models().architecture().name().toLowerCase(Locale.ROOT),
                result.models().latentSize(),
                java.util.Arrays.toString(result.models().exampleShape()));
        out.printf(
                Locale.ROOT,
                "  step 1 took %.3f s: loss_D %.4f loss_G %.4f D(x) %.3f D(G(z)) %.3f/%.3f%n",
                step.seconds(),
                step.lossD(),
                step.lossG(),
                step.dReal(),
                step.dFake(),
                step.dFakeAfter());
        out.printf(
                Locale.ROOT,
                "  %d steps would take about %s at this rate (the first step includes warm-up)%n",
                config.training().steps(),
                Reports.duration(step.seconds() * config.training().steps()));
        out.println("dry run OK: nothing written");
        out.flush();
        return 0;
    }
}
