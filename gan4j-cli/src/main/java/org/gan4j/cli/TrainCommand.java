package org.gan4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.report.ReportServer;
import org.gan4j.training.TrainingRun;
import org.gan4j.training.listener.GanListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gan4j train}: trains a GAN into a run directory, or resumes one. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a GAN. Writes a run directory (run.json, metrics.jsonl, samples/, plots/, checkpoints/).",
            "Ctrl-C stops after the current step, writes a checkpoint and prints how to resume."
        },
        footer = {
            "",
            "Examples:",
            "  gan4j train --config configs/d2l-gaussian.yaml",
            "  gan4j train --config configs/dcgan-fashion-mnist.yaml --set training.steps=500",
            "  gan4j train --data /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz --max-steps 100",
            "  gan4j train --resume runs/dcgan-fashion-mnist"
        })
public final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config; lists only what differs from the defaults (see configs/).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one config key, e.g. --set training.steps=500 (repeatable; applied after --config and --data).")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--data",
            paramLabel = "PATH",
            description = "Dataset file or folder; its kind (IDX, CIFAR binary, image folder) is inferred from its contents.")
    String data;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop once the step counter reaches N (a checkpoint is written; --resume continues).")
    long maxSteps;

    @Option(names = "--dry-run", description = "Check config, data, output directory and networks, run one step, print the plan; writes no run.")
    boolean dryRun;

    @Option(names = "--out", paramLabel = "DIR", description = "Exact run directory (default: output.dir/name, with -2, -3… if taken).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a run from its newest valid checkpoint (uses the run's own config).")
    Path resume;

    @Option(names = "--no-progress", description = "Print periodic progress lines instead of a live progress bar.")
    boolean noProgress;

    @Mixin DashboardOptions dashboard = new DashboardOptions();

    @Override
    public Integer call() {
        if (resume != null && (config != null || !overrides.isEmpty() || data != null || out != null || dryRun)) {
            throw new Gan4jException(
                    "--resume uses the run's own config: do not combine it with --config, --set, --data, --out or --dry-run");
        }
        if (maxSteps < 0) {
            throw new Gan4jException("--max-steps must be a positive number of steps, got " + maxSteps);
        }
        if (resume != null) {
            EngineSetup.configure(0);
            try (TrainingRun run = TrainingRun.resume(resume)) {
                return train(run);
            }
        }
        List<String> all = new ArrayList<>();
        if (data != null) {
            all.add("data.kind=auto");
            all.add("data.path=" + data);
        }
        all.addAll(overrides);
        RunConfig resolved = ConfigLoader.load(config, all);
        int threads = EngineSetup.configure(resolved.training().threads());
        if (dryRun) {
            return DryRun.run(resolved, threads, spec.commandLine().getOut());
        }
        try (TrainingRun run = TrainingRun.create(resolved, out)) {
            return train(run);
        }
    }

    private int train(TrainingRun run) {
        var console = spec.commandLine().getOut();
        Reports.printPlan(console, run);
        List<GanListener> listeners = new ArrayList<>(GanListener.Defaults.forRunDirectory());
        listeners.add(new ProgressListener(!noProgress && System.console() != null, console));
        TrainingRun.Summary summary;
        try (StopOnSignal stop = StopOnSignal.install(run);
                ReportServer server = dashboard.start(run, console)) {
            summary = run.train(maxSteps, listeners);
        }
        Reports.printSummary(console, run, summary);
        return summary.stopReason() != null ? 130 : 0;
    }
}
