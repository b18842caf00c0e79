package org.gan4j.training.listener;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.gan4j.Cancellation;
import org.gan4j.Gan4jException;
import org.gan4j.data.CifarReader;
import org.gan4j.data.Datasets;
import org.gan4j.data.IdxReader;
import org.gan4j.evaluation.reference.ReferenceClassifier;
import org.gan4j.evaluation.reference.ReferenceInfo;
import org.gan4j.evaluation.run.RunEvaluator;
import org.gan4j.io.CheckpointStore;
import org.gan4j.io.IoWriter;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.io.RunInfo;
import org.gan4j.training.GanTrainer;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the generator every {@code every} steps during training (see {@link RunEvaluator}: mixture modes for
 * ring/grid data, the Gaussian fit, or image metrics in a reference classifier's feature space), appends the numbers
 * to {@code metrics.jsonl} as their own row (with the {@code classes} metric, the per-class mix as one nested
 * {@code classMix} extra, not a column per class), and keeps the best generator by a chosen metric.
 *
 * <p>The best checkpoint lives in {@code checkpoints-best/step-N/} (a normal checkpoint folder with the generator,
 * the discriminator and {@code state.json}, which also records {@code bestMetric} and {@code bestValue}); only one is
 * kept, and the periodic checkpoints in {@code checkpoints/} are never touched. Diversity metrics are passed to an
 * optional {@link AlarmListener} for mode-collapse warnings.
 */
public final class EvaluationListener implements GanListener {

    /** Folder of the best checkpoint, inside the run directory. */
    public static final String BEST_FOLDER = "checkpoints-best";

    private static final Logger LOGGER = LoggerFactory.getLogger(EvaluationListener.class);

    private final int every;
    private final List<String> metrics;
    private final int samples;
    private final String bestMetric;
    private final AlarmListener alarms;
    private final int batchNormBatches;
    private RunEvaluator evaluator;
    private MetricsLog log;
    private double bestValue = Double.NaN;
    private final List<Observer> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Consumer<String> console;

    /** Receives each evaluation once it is logged (a console line, for example). */
    @FunctionalInterface
    public interface Observer {
        /**
         * Called after an evaluation's row is written to {@code metrics.jsonl}.
         *
         * @param step the step evaluated
         * @param metrics metric name → value, as logged
         * @param classMix the evaluation's per-class mix (the row's {@code classMix}), or null when it has none
         * @param newBest whether this evaluation became the best checkpoint by {@code --best-by}
         */
        void evaluated(long step, Map<String, Double> metrics, org.gan4j.evaluation.ClassMix classMix,
                boolean newBest);
    }

    /**
     * Adds an observer of the evaluations.
     *
     * @param observer called after each evaluation is logged
     * @return this listener
     */
    public EvaluationListener addObserver(Observer observer) {
        observers.add(observer);
        return this;
    }

    /**
     * Shows this listener's warning (an evaluation a stop ended) through {@code console} instead of slf4j: a console
     * with a live progress bar, which would draw over a line logged under it.
     *
     * @param console receives the warning's text
     * @return this listener
     */
    public EvaluationListener showWarningsWith(java.util.function.Consumer<String> console) {
        this.console = console;
        return this;
    }

    /** The step of the evaluation row that holds {@link #bestValue}, or -1. */
    private long bestStep = -1;
    /** The last step with an evaluation row in metrics.jsonl (logged by this process or found at the start), or -1. */
    private long evaluatedStep = -1;

    private String reference = ReferenceClassifier.FASHION_MNIST;

    /**
     * Creates the listener.
     *
     * @param every evaluate every this many steps (and at the end), at least 1
     * @param metrics metric names (see {@link RunEvaluator#parseMetrics}), or null for all
     * @param samples generated samples per evaluation
     * @param bestMetric metric that selects the best checkpoint, or null for none
     * @param alarms receives evaluations for collapse alarms, or null
     */
    public EvaluationListener(int every, List<String> metrics, int samples, String bestMetric, AlarmListener alarms) {
        this(every, metrics, samples, bestMetric, alarms, 0);
    }

    /**
     * Creates the listener, re-estimating G's batch-norm statistics before each evaluation.
     *
     * @param every evaluate every this many steps (and at the end), at least 1
     * @param metrics metric names (see {@link RunEvaluator#parseMetrics}), or null for all
     * @param samples generated samples per evaluation
     * @param bestMetric metric that selects the best checkpoint, or null for none
     * @param alarms receives evaluations for collapse alarms, or null
     * @param batchNormBatches batches of precise batch norm before each evaluation (0: none; see
     *     {@link GanTrainer#recalibrateBatchNorm}); training continues with the statistics it had
     */
    public EvaluationListener(
            int every, List<String> metrics, int samples, String bestMetric, AlarmListener alarms,
            int batchNormBatches) {
        this.batchNormBatches = batchNormBatches;
        if (every < 1) {
            throw new Gan4jException("evaluation interval must be at least 1 step, got " + every);
        }
        this.every = every;
        this.metrics = metrics;
        this.samples = samples;
        this.bestMetric = bestMetric;
        this.alarms = alarms;
    }

    /**
     * Whether a smaller value of a metric is better (distances and divergences).
     *
     * @param metric the metric key
     * @return true for fd, kid, reverseKl, classKl and the Gaussian-fit errors; false for D's accuracy and ROC AUC,
     *     which are best at 0.5 ({@link #isCloserToHalfBetter})
     */
    public static boolean isLowerBetter(String metric) {
        return isLowerBetterValue(metric);
    }

    /**
     * Whether a metric is best at 0.5, ranked by its distance from it: D's accuracy and ROC AUC, where 0.5 is D unable
     * to tell real from generated samples and a value below it tells them apart as well, inverted.
     *
     * @param metric the metric key
     * @return true for dAccuracy and dRocAuc
     */
    public static boolean isCloserToHalfBetter(String metric) {
        return isDistinguishability(metric);
    }

    /** D's accuracy and ROC AUC: 0.5 is D unable to tell; below it D tells them apart as well, inverted. */
    private static boolean isDistinguishability(String metric) {
        return metric.equals("dAccuracy") || metric.equals("dRocAuc");
    }

    /**
     * Whether {@code value} of a metric is better than {@code best}: smaller for distances and divergences, larger
     * for the rest, and for D's accuracy and ROC AUC closer to 0.5 (an AUC of 0.2 tells real from generated samples
     * as well as 0.8 does, inverted; ranking it as "lower is better" kept exactly such generators).
     *
     * @param metric the metric key
     * @param value a finite value
     * @param best the best value so far, NaN for none
     * @return whether {@code value} is the new best
     */
    public static boolean isBetter(String metric, double value, double best) {
        if (Double.isNaN(best)) {
            return true;
        }
        if (isDistinguishability(metric)) {
            return Math.abs(value - 0.5) < Math.abs(best - 0.5);
        }
        return isLowerBetterValue(metric) ? value < best : value > best;
    }

    private static boolean isLowerBetterValue(String metric) {
        return switch (metric) {
            case "fd", "kid", "reverseKl", "classKl", "meanMaxAbsError", "covarianceMaxAbsError" -> true;
            default -> false;
        };
    }

    /**
     * Sets the reference classifier of the image metrics, as {@code gan4j evaluate --reference}: a shipped name or a
     * {@code NAME.params} file (default: the shipped {@link ReferenceClassifier#FASHION_MNIST}). Each evaluation row
     * names it ({@code reference}, {@code referenceSha256}) when its metrics used it.
     *
     * @param reference name or weights file
     * @return this listener
     */
    public EvaluationListener optReference(String reference) {
        this.reference = reference;
        return this;
    }

    /**
     * Returns the held-out images training's evaluation uses for a data file: the {@code t10k-*} IDX file next to a
     * {@code train-*} one (memorisation and Parzen need them).
     *
     * @param dataFile the training data file
     * @return the test file, if it exists
     */
    public static Optional<Path> heldOutFile(Path dataFile) {
        if (!Files.isRegularFile(dataFile)) {
            return Optional.empty();
        }
        return IdxReader.testFileFor(dataFile).filter(Files::isRegularFile);
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingStart(TrainingContext context) {
        // a segment that ended in a divergence rollback never reached onTrainingEnd: release what it opened
        release(context);
        RunEvaluator.Builder builder =
                RunEvaluator.builder().setReal(context.data()).optMetrics(metrics).optSamples(samples)
                        .optSeed(context.config().seed()).optBatchNormBatches(batchNormBatches)
                        .optReference(reference);
        if (context.data().isPoints()) {
            // a fresh draw of the same distribution is the discriminator test's held-out real data, as in gan4j
            // evaluate (the training points are what D was trained on)
            builder.optHeldOut(RunEvaluator.heldOutPoints(context.config()), null);
        } else {
            JsonNode source = RunInfo.read(context.runDirectory().runJson()).path("data").path("source");
            Path file = Path.of(source.asText(""));
            if (Files.isRegularFile(file)) {
                builder.optRealFile(file).optCacheDirectory(
                        org.gan4j.evaluation.reference.RealFeatures.defaultCacheDirectory());
                heldOutFile(file).ifPresent(test -> builder.optHeldOut(IdxReader.read(test), test));
            }
            long[] shape = context.data().exampleShape();
            if (!source.asText("").isEmpty() && Files.exists(file) && Datasets.isCifar(file) && shape.length == 3) {
                // the test_batch.bin next to CIFAR's training batches, at the run's shape
                CifarReader.testSplitFor(file).ifPresent(test -> builder.optHeldOut(
                        Datasets.openCifar(test, (int) shape[0], (int) shape[2]), null));
            }
        }
        evaluator = builder.build();
        long step = context.trainer().step();
        boolean evaluatedHere = step > 0 && replayEarlierEvaluations(context, step);
        evaluatedStep = evaluatedHere ? step : -1;
        log = MetricsLog.open(context.runDirectory().metrics());
        if (step > 0 && step % every == 0 && !evaluatedHere) {
            // the stop came while this step was being evaluated (its checkpoint is written first): evaluate it now,
            // as the uninterrupted run did, before training goes on
            evaluate(context);
        } else if (evaluatedHere && bestMetric != null && bestStep == step && !hasBestAt(context, step)) {
            // killed after this step's evaluation row was appended but before its best checkpoint was in place: the
            // networks restored from this step's checkpoint are the ones evaluated, so write it now
            LOGGER.warn("{} has no checkpoint of step {}, the best {} logged so far: writing it again",
                    BEST_FOLDER, step, bestMetric);
            writeBest(context, bestValue);
        }
    }

    /** Whether {@link #BEST_FOLDER} holds a valid checkpoint of the given step. */
    private static boolean hasBestAt(TrainingContext context, long step) {
        try {
            return new CheckpointStore(context.runDirectory().root().resolve(BEST_FOLDER), 1).find(step).isPresent();
        } catch (Gan4jException damaged) {
            return false;
        }
    }

    /**
     * A resumed run (or a rollback) continues the evaluations it logged before: the best value of the
     * best-checkpoint metric is rebuilt from the evaluation rows in metrics.jsonl, so a worse generator does not
     * replace the kept best one.
     *
     * @return whether an evaluation row exists at {@code step}
     */
    private boolean replayEarlierEvaluations(TrainingContext context, long step) {
        boolean here = false;
        bestValue = Double.NaN;
        bestStep = -1;
        for (MetricsRow row : context.rowsAtStart()) {
            if (!row.extras().containsKey("eval") || row.step() > step) {
                continue;
            }
            here |= row.step() == step;
            // (the alarms replay these rows themselves: AlarmListener.onTrainingStart)
            Double value = bestMetric == null ? null : row.values().get(bestMetric);
            if (value != null && Double.isFinite(value) && isBetter(bestMetric, value, bestValue)) {
                bestValue = value;
                bestStep = row.step();
            }
        }
        return here;
    }

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingContext context, StepResult result) {
        if (result.step() % every == 0) {
            evaluate(context);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(TrainingContext context, boolean completed) {
        try {
            long step = context.trainer().step();
            // the last step of a finished run is evaluated even off the grid; a stop (--max-steps, Ctrl-C) is not,
            // so a resumed run logs exactly the evaluations of an uninterrupted one; nor is it evaluated twice (a
            // --resume of a finished run finds its last step's evaluation already logged)
            if (evaluator != null && completed && step > 0 && step % every != 0 && step != evaluatedStep) {
                evaluate(context);
            }
        } finally {
            release(context);
        }
    }

    /** Closes the evaluator (its reference classifier) and the log, if open. */
    private void release(TrainingContext context) {
        if (evaluator != null) {
            evaluator.close();
            evaluator = null;
        }
        log = MetricsLog.closeQuietly(log);
    }

    private void evaluate(TrainingContext context) {
        GanTrainer trainer = context.trainer();
        Map<String, Double> values;
        org.gan4j.evaluation.ClassMix classMix;
        context.evaluating(true);
        try {
            // a stop (Ctrl-C, SIGTERM) ends the evaluation within a fraction of a second instead of after it: the
            // step is not logged as evaluated, the stop writes its checkpoint, and the resume evaluates the step
            RunEvaluator.Evaluation evaluation = Cancellation.whileRunning(
                    () -> context.stopReason() != null, () -> evaluator.evaluateInDetail(trainer));
            values = new LinkedHashMap<>(evaluation.metrics());
            classMix = evaluation.classMix();
        } catch (CancellationException stopped) {
            String warning = "the evaluation of step " + trainer.step() + " stopped with the run (" + context.stopReason()
                    + "): " + org.gan4j.Launcher.command() + " train --resume with the same evaluation options evaluates"
                    + " it again";
            java.util.function.Consumer<String> shown = console;
            if (shown != null) {
                shown.accept(warning);
            } else {
                LOGGER.warn(warning);
            }
            return;
        } finally {
            context.evaluating(false);
        }
        MetricsRow row = MetricsRow.of(trainer.step(), values).withExtra("eval", "generator evaluation");
        ReferenceInfo used = evaluator.reference();
        if (used != null) {
            // the yardstick of the classifier's metrics: rows of different classifiers are not comparable
            row = row.withExtra("reference", used.name()).withExtra("referenceSha256", used.sha256());
        }
        if (classMix != null) {
            // the per-class shares behind classesCovered/classKl, as an extra: no flat column per class
            row = row.withExtra(org.gan4j.evaluation.ClassMix.KEY, classMix.toJson());
        }
        log.append(row);
        evaluatedStep = trainer.step();
        if (alarms != null) {
            alarms.onEvaluation(trainer.step(), values);
        }
        boolean newBest = false;
        if (bestMetric != null) {
            Double value = values.get(bestMetric);
            if (value == null) {
                // it said "best-checkpoint metric 'X' is not among the evaluation's [...]": no option named, and
                // the list held values --best-by refuses (dRealAccuracy, pixelDiversity, …)
                List<String> ranking = values.keySet().stream().filter(RunEvaluator::ranksGenerators).toList();
                throw new Gan4jException("--best-by " + bestMetric + " is not among the metrics this run's evaluations"
                        + " compute (" + String.join(", ", values.keySet()) + "); " + (ranking.isEmpty()
                                ? "none of them ranks generators: drop --best-by, or add metrics with --eval-metrics"
                                : "of those, --best-by takes " + String.join(", ", ranking)));
            }
            boolean better = isBetter(bestMetric, value, bestValue);
            if (Double.isFinite(value) && better) {
                bestValue = value;
                bestStep = trainer.step();
                writeBest(context, value);
                newBest = true;
            }
        }
        for (Observer observer : observers) {
            observer.evaluated(trainer.step(), values, classMix, newBest);
        }
    }

    private void writeBest(TrainingContext context, double value) {
        GanTrainer trainer = context.trainer();
        Map<String, IoWriter> files = new LinkedHashMap<>();
        files.put("generator.params", out -> data(out, trainer::saveGenerator));
        files.put("discriminator.params", out -> data(out, trainer::saveDiscriminator));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("fingerprint", trainer.models().fingerprint());
        state.put("seed", context.config().seed());
        state.put("bestMetric", bestMetric);
        state.put("bestValue", value);
        new CheckpointStore(context.runDirectory().root().resolve(BEST_FOLDER), 1).write(trainer.step(), files, state);
        LOGGER.info(String.format(Locale.ROOT, "best %s %.5g at step %d", bestMetric, value, trainer.step()));
    }

    private interface DataWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static void data(java.io.OutputStream out, DataWriter writer) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        writer.write(data);
        data.flush();
    }
}
