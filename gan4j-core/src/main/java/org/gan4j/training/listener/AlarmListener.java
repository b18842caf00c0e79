package org.gan4j.training.listener;

import java.util.List;
import java.util.Map;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises {@link FailureAlarms} warnings during training: each one is logged at WARN (the CLI shows it) and appended to
 * {@code metrics.jsonl} as a row {@code {"step": N, "warning": "…"}}. Evaluation results reach it through
 * {@link #onEvaluation}, called by {@link EvaluationListener}.
 */
public final class AlarmListener implements GanListener {

    private static final Logger LOGGER = LoggerFactory.getLogger(AlarmListener.class);

    private final FailureAlarms alarms;
    private MetricsLog log;
    private volatile java.util.function.Consumer<String> console;

    /**
     * Creates a listener around alarms.
     *
     * @param alarms the detection logic
     */
    public AlarmListener(FailureAlarms alarms) {
        this.alarms = alarms;
    }

    /**
     * Shows the warnings through {@code console} instead of slf4j (a console with a live progress bar, which would
     * draw over a line logged under it); they still go to {@code metrics.jsonl}.
     *
     * @param console receives each warning's text
     * @return this listener
     */
    public AlarmListener showWarningsWith(java.util.function.Consumer<String> console) {
        this.console = console;
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingStart(TrainingContext context) {
        // a segment that ended in a divergence rollback never reached onTrainingEnd: close its log
        closeLog(context);
        long step = context.trainer().step();
        if (step > 0) {
            // a resumed run (or a rollback) continues the alarms' state from what it logged: a streak of measured
            // steps that spans the stop counts whole, and drops are measured from the real best so far
            // (a warning counts as shown only if it was logged: an alarm an earlier session left out, or other
            // settings, leave its condition armed, so this session warns if it still holds)
            alarms.reset();
            alarms.replaying(context.rowsAtStart().stream()
                    .filter(row -> row.step() <= step && row.extras().containsKey("warning"))
                    .map(row -> row.extras().get("warning").asText())
                    .toList());
            try {
                for (MetricsRow row : context.rowsAtStart()) {
                    if (row.step() > step) {
                        continue;
                    }
                    if (row.extras().containsKey("eval")) {
                        alarms.onEvaluation(row.step(), row.values());
                    } else if (!row.values().isEmpty()) {
                        alarms.onStep(measured(row));
                    }
                }
            } finally {
                alarms.replaying(null);
            }
        }
        log = MetricsLog.open(context.runDirectory().metrics());
        if (step == 0) {
            // a restart from step 0 (no valid checkpoint, or a stop before the first step) keeps step 0's rows:
            // a warning already logged there is not logged again
            List<String> logged = context.rowsAtStart().stream()
                    .filter(row -> row.step() == 0 && row.extras().containsKey("warning"))
                    .map(row -> row.extras().get("warning").asText())
                    .toList();
            report(0, alarms.checkData(context.data()).stream()
                    .filter(warning -> !logged.contains(warning))
                    .toList());
        }
    }

    /** A logged training row as the measured step it was (values it lacks are NaN). */
    private static StepResult measured(MetricsRow row) {
        java.util.function.Function<String, Double> value =
                key -> row.values().getOrDefault(key, Double.NaN);
        return new StepResult(row.step(), value.apply("epoch").longValue(), true, value.apply("lossD"),
                value.apply("lossG"), value.apply("dReal"), value.apply("dFake"), value.apply("dFakeAfter"),
                value.apply("secs"), value.apply("dataWaitSecs"), value.apply("gradNormD"), value.apply("gradNormG"));
    }

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingContext context, StepResult result) {
        // the alarms watch the logged steps only: a resume replays them from metrics.jsonl (the steps measured
        // before the logging grid's first, for a stop there, are not part of an uninterrupted run's rows)
        if (!MetricsListener.isLogStep(context, result.step())) {
            return;
        }
        report(result.step(), alarms.onStep(result));
    }

    /**
     * Checks an evaluation's diversity metrics.
     *
     * @param step the step evaluated
     * @param metrics the metrics
     */
    public void onEvaluation(long step, Map<String, Double> metrics) {
        report(step, alarms.onEvaluation(step, metrics));
    }

    private void report(long step, List<String> warnings) {
        for (String warning : warnings) {
            java.util.function.Consumer<String> shown = console;
            if (shown != null) {
                shown.accept(warning);
            } else {
                LOGGER.warn(warning);
            }
            if (log != null) {
                log.append(MetricsRow.of(step, Map.of()).withExtra("warning", warning));
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(TrainingContext context, boolean completed) {
        closeLog(context);
    }

    private void closeLog(TrainingContext context) {
        log = MetricsLog.closeQuietly(log);
    }
}
