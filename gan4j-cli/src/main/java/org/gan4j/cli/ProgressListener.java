package org.gan4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gan4j.evaluation.ClassMix;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;
import org.gan4j.training.listener.GanListener;

/**
 * Shows training progress: a live bar (step, rate, ETA, loss_D, loss_G, D(x), D(G(z))) on a terminal, or a line every
 * 5 % of the run when output is not a terminal (CI logs, pipes); and a line for each evaluation of {@code
 * --eval-every}.
 */
final class ProgressListener implements GanListener {

    private final boolean interactive;
    private final PrintWriter out;
    private ProgressBar bar;
    private long startStep;
    private long startNanos;
    private long lineEvery;
    /** The last measured step's values as shown: plain on that step, {@link #staleValues} on the steps after it. */
    private String lastValues = "";
    /** The same values with their step's number, for the steps after it; made once per measured step. */
    private String staleValues = "";
    /** Whether a live bar may be drawing: lines from other threads then wait in {@link #notices}. */
    private volatile boolean live;
    private final java.util.Queue<String> notices = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private long total;

    ProgressListener(boolean interactive, PrintWriter out) {
        this.interactive = interactive;
        this.out = out;
    }

    @Override
    public void onTrainingStart(TrainingContext context) {
        start(context.trainer().step(), context.targetSteps());
    }

    /** Starts showing a session from {@code from} to {@code total} steps. */
    void start(long from, long total) {
        startStep = from;
        startNanos = System.nanoTime();
        lineEvery = Math.max(1, (total - startStep) / 20);
        this.total = total;
        if (bar != null) {
            // the segment before a divergence rollback never reached end()
            bar.close();
        }
        if (interactive) {
            bar = newBar(startStep);
            live = true;
        }
    }

    private ProgressBar newBar(long from) {
        return new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setUnit(" steps", 1)
                // a bar re-opened after an evaluation line shows the session's elapsed time, not the time since
                // (its rate and ETA count the steps since it opened)
                .startsFrom(from, java.time.Duration.ofNanos(System.nanoTime() - startNanos))
                // stdout: the launcher filters one native warning out of stderr line by line
                .setConsumer(new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(System.out))
                .build();
    }

    @Override
    public void onStep(TrainingContext context, StepResult result) {
        step(result);
    }

    /** Shows one step. */
    void step(StepResult result) {
        // values are read back only on logged steps (output.logEvery): a line or bar between them says whose they are
        if (result.measured()) {
            lastValues =
                    String.format(
                            Locale.ROOT,
                            "loss_D %.3f loss_G %.3f D(x) %.3f D(G(z)) %.3f/%.3f",
                            result.lossD(),
                            result.lossG(),
                            result.dReal(),
                            result.dFake(),
                            result.dFakeAfter());
            staleValues = lastValues + " (at step " + result.step() + ")";
        } else {
            lastValues = staleValues;
        }
        if (bar != null) {
            bar.stepTo(result.step());
            bar.setExtraMessage(" " + lastValues);
            printNotices(result.step());
        } else if (interactive) {
            printNotices(result.step());
            return;
        } else if ((result.step() - startStep) % lineEvery == 0 || result.step() == total) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double rate = (result.step() - startStep) / Math.max(seconds, 1e-9);
            double eta = (total - result.step()) / Math.max(rate, 1e-9);
            out.printf(
                    Locale.ROOT,
                    "step %d/%d  %.1f steps/s  ETA %s  %s%n",
                    result.step(),
                    total,
                    rate,
                    Reports.duration(eta),
                    lastValues);
            out.flush();
        }
    }

    /** {@link #evaluated(long, Map, ClassMix, String, boolean)} of an evaluation without a class mix. */
    void evaluated(long step, Map<String, Double> metrics, String bestMetric, boolean newBest) {
        evaluated(step, metrics, null, bestMetric, newBest);
    }

    /**
     * Prints one evaluation (from {@code --eval-every}) as one line: its headline metrics, all of which are in
     * {@code metrics.jsonl}, and, when the class mix shows collapse, the classes it concerns ({@link
     * Reports#headline(Map, ClassMix)}).
     *
     * @param step the step evaluated
     * @param metrics the evaluation's metrics
     * @param classMix the evaluation's per-class mix, or null
     * @param bestMetric the {@code --best-by} metric, or null
     * @param newBest whether this evaluation is the new best checkpoint
     */
    void evaluated(long step, Map<String, Double> metrics, ClassMix classMix, String bestMetric, boolean newBest) {
        String line = String.format(Locale.ROOT, "evaluation at step %d: %s%s", step,
                Reports.headline(metrics, classMix),
                newBest ? String.format(Locale.ROOT, " (best %s so far: checkpoints-best/)", bestMetric) : "");
        if (bar != null) {
            printAbove(line, step, System.out);
        } else {
            out.println(line);
            out.flush();
        }
    }

    /**
     * Shows an alarm's warning: through slf4j as before (stderr), or, under a live bar, as the same line printed
     * where the bar cannot draw over it.
     *
     * @param warning the warning's text
     */
    void warning(String warning) {
        warning(org.gan4j.training.listener.AlarmListener.class, warning);
    }

    /**
     * Shows a listener's warning: through slf4j (stderr), or, under a live bar, as the same line printed where the bar
     * cannot draw over it.
     *
     * @param source the listener whose logger would log it
     * @param warning the warning's text
     */
    void warning(Class<?> source, String warning) {
        printNotices(bar != null ? bar.getCurrent() : 0); // a stop's message first: it came first
        if (bar != null) {
            printAbove("[WARN] " + source.getSimpleName() + " - " + warning, bar.getCurrent(), System.out);
        } else {
            org.slf4j.LoggerFactory.getLogger(source).warn(warning);
        }
    }

    /**
     * Shows a line from another thread (the signal handler's stop message) on stderr. Under a live bar, which would
     * draw over it, the training thread prints it between the bar's states at its next step or at the end.
     *
     * @param line the line
     */
    void notice(String line) {
        notices.add(line);
        if (!live) {
            // no bar (or the session just ended, its notices printed): print here, on this thread
            for (String waiting = notices.poll(); waiting != null; waiting = notices.poll()) {
                System.err.println(waiting);
            }
            System.err.flush();
        }
    }

    /** Prints the notices waiting for the training thread; under a live bar, between its states. */
    private void printNotices(long step) {
        for (String line = notices.poll(); line != null; line = notices.poll()) {
            if (bar != null) {
                printAbove(line, step, System.err);
            } else {
                System.err.println(line);
                System.err.flush();
            }
        }
    }

    /**
     * Prints a line on a terminal with a live bar. The bar redraws the line above the cursor, so a line printed under
     * it would be overwritten: the bar ends here (its last state stays on screen), the line follows, and a new bar
     * goes on from {@code step}, unless that is the session's last.
     */
    private void printAbove(String line, long step, java.io.PrintStream stream) {
        bar.setExtraMessage(" " + lastValues);
        bar.close();
        stream.println(line);
        stream.flush();
        bar = step < total ? newBar(step) : null;
        if (bar != null) {
            bar.setExtraMessage(" " + lastValues);
        }
    }

    @Override
    public void onTrainingEnd(TrainingContext context, boolean completed) {
        end();
    }

    /** Ends the session's display. */
    void end() {
        live = false;
        if (bar != null) {
            bar.close();
            bar = null;
        }
        printNotices(0);
    }
}
