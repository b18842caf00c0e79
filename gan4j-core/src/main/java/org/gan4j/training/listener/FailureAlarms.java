package org.gan4j.training.listener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.gan4j.Gan4jException;
import org.gan4j.config.LossConfig;
import org.gan4j.config.RunConfig;
import org.gan4j.data.GanDataset;
import org.gan4j.evaluation.Verdict;
import org.gan4j.training.StepResult;

/**
 * Recognises the classic ways GAN training fails, from measured steps and periodic evaluations, and describes each
 * with its step and evidence. Pure logic: {@link AlarmListener} logs the warnings and writes them into
 * {@code metrics.jsonl}.
 *
 * <ul>
 *   <li><b>D wins outright</b>: {@code D(x) ≥ 0.99} and {@code D(G(z)) ≤ 0.01} on {@code patience} consecutive
 *       measured steps: G's gradient vanishes (Goodfellow et al. 2014, §3; Arjovsky and Bottou 2017). Under the
 *       minimax loss, <b>G's minimax loss saturates</b> instead: {@code D(G(z)) ≤ 0.01} alone, whatever D(x), suffices,
 *       and the warning points to the non-saturating loss.
 *   <li><b>G's gradient vanishes</b>: {@code gradNormG} below {@link #VANISHING_GRADIENT} on {@code patience}
 *       consecutive measured steps (D saturated or dead for G's samples).
 *   <li><b>Losses diverge</b>: a loss is NaN or infinite, or above {@code lossLimit} (20 per D output) on
 *       {@code patience} consecutive measured steps (one such step is common early in a run); under the minimax
 *       loss, which is at most 0, {@code −lossG} is compared.
 *   <li><b>D stopped learning</b>: D's update left D(G(z)) on the same fakes exactly unchanged ({@code dFake} equal
 *       to {@code dFakeAfter}) on {@code patience} consecutive measured steps: D's learning rate is too small to move
 *       its weights, or a gradient beyond about 1e19 made Adam's second moment infinite, after which every update of D
 *       is zero. (With more than one G update per step the fakes are regenerated between the two, so this cannot be
 *       seen; nor when the mean output is exactly 0 or 1, a saturated sigmoid that hides D's changes.)
 *   <li><b>Mode collapse</b>: a diversity metric (coverage, recall, modes captured, classes covered, class entropy)
 *       falls below {@code (1 − dropFraction)} times its best value so far; modes captured only counts where at
 *       least {@link #MIN_HIGH_QUALITY_FRACTION} of the samples are of high quality. The pixel diversity of image
 *       runs, which is healthy near 1 and above 1 for untrained noise, warns instead when it falls below {@link
 *       Verdict#COLLAPSE_DIVERSITY} after having reached {@link Verdict#LOW_DIVERSITY}.
 * </ul>
 *
 * <p>Each condition warns once when it starts and again only after it has cleared, so a long failure gives one line.
 * Which alarms watch a run, their patience, loss limit and drop are {@link Settings} ({@code gan4j train --alarms},
 * {@code --alarm-patience}, {@code --alarm-loss-limit}, {@code --alarm-drop}).
 */
public final class FailureAlarms {

    /** The alarms, each by the name {@code --alarms} takes. */
    public enum Alarm {
        /** D wins outright; under the minimax loss, G's loss saturates. */
        DOMINANCE("dominance"),
        /** G's gradient vanishes. */
        VANISHING("vanishing"),
        /** The losses diverge (non-finite, or above the loss limit). */
        DIVERGENCE("divergence"),
        /** D stopped learning. */
        D_STOPPED("d-stopped"),
        /** A diversity metric of the evaluations drops (mode collapse). */
        COLLAPSE("collapse"),
        /** The training data is constant (checked before the first step). */
        CONSTANT_DATA("constant-data");

        private final String label;

        Alarm(String label) {
            this.label = label;
        }

        /**
         * Returns the name {@code --alarms} takes.
         *
         * @return the name
         */
        public String label() {
            return label;
        }

        /**
         * Finds an alarm by its name.
         *
         * @param label the name
         * @return the alarm, or empty
         */
        public static Optional<Alarm> byLabel(String label) {
            return Arrays.stream(values()).filter(alarm -> alarm.label.equals(label)).findFirst();
        }

        /**
         * Returns every name, comma-separated, for messages.
         *
         * @return the names
         */
        public static String labels() {
            return Arrays.stream(values()).map(Alarm::label).collect(Collectors.joining(", "));
        }
    }

    /**
     * Which alarms watch a run and how strict they are.
     *
     * @param enabled the alarms that warn
     * @param patience consecutive measured steps a condition must hold before its alarm warns, 1 to {@link
     *     #MAX_PATIENCE}
     * @param lossLimit a loss above this, per D output, counts towards divergence; positive and finite
     * @param dropFraction relative drop of a diversity metric from its best value that counts as collapse, in (0, 1)
     */
    public record Settings(Set<Alarm> enabled, int patience, double lossLimit, double dropFraction) {

        /** The most {@code --alarm-patience} takes. */
        public static final int MAX_PATIENCE = 1_000_000;

        /**
         * The alarms each tuning option changes, by option name ({@code --alarm-patience}, {@code --alarm-loss-limit},
         * {@code --alarm-drop}), in that order.
         */
        public static final Map<String, Set<Alarm>> TUNED_BY_OPTION = tunedByOption();

        private static Map<String, Set<Alarm>> tunedByOption() {
            Map<String, Set<Alarm>> tuned = new LinkedHashMap<>();
            tuned.put("--alarm-patience",
                    Collections.unmodifiableSet(EnumSet.of(Alarm.DOMINANCE, Alarm.VANISHING, Alarm.DIVERGENCE,
                            Alarm.D_STOPPED)));
            tuned.put("--alarm-loss-limit", Collections.unmodifiableSet(EnumSet.of(Alarm.DIVERGENCE)));
            tuned.put("--alarm-drop", Collections.unmodifiableSet(EnumSet.of(Alarm.COLLAPSE)));
            return Collections.unmodifiableMap(tuned);
        }

        /** The defaults: every alarm, patience 5, loss limit 20 per D output, drop 30 %. */
        public static final Settings DEFAULT =
                new Settings(EnumSet.allOf(Alarm.class), 5, DEFAULT_LOSS_LIMIT, 0.3);

        /**
         * Checks the values.
         *
         * @throws Gan4jException one line naming the option and its range
         */
        public Settings {
            enabled = enabled.isEmpty() ? EnumSet.noneOf(Alarm.class) : EnumSet.copyOf(enabled);
            if (patience < 1 || patience > MAX_PATIENCE) {
                throw new Gan4jException("--alarm-patience must be between 1 and " + MAX_PATIENCE
                        + " measured steps, got " + patience);
            }
            if (!(lossLimit > 0) || Double.isInfinite(lossLimit)) {
                throw new Gan4jException("--alarm-loss-limit must be a positive number (a loss per D output), got "
                        + lossLimit);
            }
            if (!(dropFraction > 0 && dropFraction < 1)) {
                throw new Gan4jException("--alarm-drop must be a fraction between 0 and 1 (exclusive), got "
                        + dropFraction);
            }
        }

        /**
         * Reads {@code --alarms}: {@code all}, {@code none}, a comma-separated list of alarm names, or {@code -NAME}
         * entries that remove alarms from all of them.
         *
         * @param text the option's value
         * @return the alarms that warn
         * @throws Gan4jException one line naming the unknown or mixed entry and the names allowed
         */
        public static Set<Alarm> parse(String text) {
            String trimmed = text == null ? "" : text.trim();
            if (trimmed.equals("all")) {
                return EnumSet.allOf(Alarm.class);
            }
            if (trimmed.equals("none")) {
                return EnumSet.noneOf(Alarm.class);
            }
            List<String> entries = Arrays.stream(trimmed.split(",", -1)).map(String::trim).toList();
            if (entries.contains("")) {
                throw new Gan4jException("--alarms: empty entry in '" + text + "'; expected all, none, or names from: "
                        + Alarm.labels() + ", separated by commas");
            }
            if (entries.contains("all") || entries.contains("none")) {
                throw new Gan4jException("--alarms: all and none stand alone, not in a list: '" + text
                        + "' (e.g. --alarms -collapse for all but collapse)");
            }
            boolean removing = entries.get(0).startsWith("-");
            Set<Alarm> result = removing ? EnumSet.allOf(Alarm.class) : EnumSet.noneOf(Alarm.class);
            for (String entry : entries) {
                if (entry.startsWith("-") != removing) {
                    throw new Gan4jException("--alarms takes either names to watch or -NAME entries to leave out,"
                            + " not both: '" + text + "' (e.g. dominance,divergence or -collapse,-d-stopped)");
                }
                String name = removing ? entry.substring(1) : entry;
                Alarm alarm = Alarm.byLabel(name).orElseThrow(() -> new Gan4jException(
                        "--alarms: unknown alarm '" + name + "'; expected all, none, or names from: "
                                + Alarm.labels() + " (each may be prefixed with - to leave it out)"));
                if (removing) {
                    result.remove(alarm);
                } else {
                    result.add(alarm);
                }
            }
            return result;
        }

        /**
         * Returns the options that give these settings, those that differ from the defaults, each with a leading
         * space (for the command that resumes a run), or empty for the defaults.
         *
         * @return the options
         */
        public String options() {
            StringBuilder options = new StringBuilder();
            if (!enabled.equals(DEFAULT.enabled)) {
                options.append(" --alarms ").append(enabled.isEmpty() ? "none"
                        : enabled.stream().map(Alarm::label).collect(Collectors.joining(",")));
            }
            if (patience != DEFAULT.patience) {
                options.append(" --alarm-patience ").append(patience);
            }
            if (lossLimit != DEFAULT.lossLimit) {
                options.append(" --alarm-loss-limit ").append(lossLimit);
            }
            if (dropFraction != DEFAULT.dropFraction) {
                options.append(" --alarm-drop ").append(dropFraction);
            }
            return options.toString();
        }
    }

    /** Diversity metrics watched for sharp drops. */
    public static final List<String> DIVERSITY_METRICS =
            List.of("coverage", "recall", "modesCaptured", "classesCovered", "classEntropy");

    private final int patience;
    private final double lossLimit;
    private final double perOutputLimit;
    private final double dropFraction;
    private final boolean minimax;
    private final Set<Alarm> enabled;
    private final Streak dominated;
    private final Streak vanished;
    private final Streak unchanged;
    private boolean divergenceRaised;
    private int overLimitSteps;
    private final Map<String, Double> best = new HashMap<>();
    private final Map<String, Boolean> dropRaised = new HashMap<>();
    private double mostDiverse = Double.NaN;
    private boolean diversityRaised;
    /** While a resumed run replays its rows: the warnings it logged (null otherwise); see {@link #replaying}. */
    private Set<String> loggedWarnings;

    /**
     * Creates alarms with explicit thresholds.
     *
     * @param patience consecutive measured steps of D dominance before warning, at least 1
     * @param lossLimit a loss above this counts as divergence
     * @param dropFraction relative drop from the best value that counts as collapse, in (0, 1)
     */
    public FailureAlarms(int patience, double lossLimit, double dropFraction) {
        this(patience, lossLimit, dropFraction, false);
    }

    /**
     * Creates alarms with explicit thresholds for a generator loss.
     *
     * @param patience consecutive measured steps of D dominance before warning, at least 1
     * @param lossLimit a loss above this counts as divergence
     * @param dropFraction relative drop from the best value that counts as collapse, in (0, 1)
     * @param minimax whether G minimises the paper's minimax loss log(1 − D(G(z))), which is at most 0 and
     *     saturates where D(G(z)) is near 0, rather than the non-saturating −log D(G(z))
     */
    public FailureAlarms(int patience, double lossLimit, double dropFraction, boolean minimax) {
        this(patience, lossLimit, lossLimit, dropFraction, minimax, EnumSet.allOf(Alarm.class));
    }

    private FailureAlarms(int patience, double lossLimit, double perOutputLimit, double dropFraction, boolean minimax,
            Set<Alarm> enabled) {
        if (patience < 1 || !(lossLimit > 0) || !(dropFraction > 0 && dropFraction < 1)) {
            throw new IllegalArgumentException("need patience >= 1, lossLimit > 0 and 0 < dropFraction < 1");
        }
        this.patience = patience;
        this.lossLimit = lossLimit;
        this.perOutputLimit = perOutputLimit;
        this.dropFraction = dropFraction;
        this.minimax = minimax;
        this.enabled = enabled.isEmpty() ? EnumSet.noneOf(Alarm.class) : EnumSet.copyOf(enabled);
        this.dominated = new Streak(patience);
        this.vanished = new Streak(patience);
        this.unchanged = new Streak(patience);
    }

    /** A condition that must hold on {@code patience} consecutive measured steps; it fires once per such run. */
    private static final class Streak {
        private final int patience;
        private int steps;
        private boolean raised;

        Streak(int patience) {
            this.patience = patience;
        }

        /** Counts one measured step; true on the step the streak first reaches the patience. */
        boolean fires(boolean holds) {
            steps = holds ? steps + 1 : 0;
            if (steps == 0) {
                raised = false;
            }
            if (steps >= patience && !raised) {
                raised = true;
                return true;
            }
            return false;
        }

        void reset() {
            steps = 0;
            raised = false;
        }

        /** Forgets that the current streak fired (its warning was never shown): the next holding step fires. */
        void rearm() {
            raised = false;
        }
    }

    /**
     * Creates alarms with the defaults: patience 5 measured steps, loss limit 20, drop 30 %.
     *
     * @return the alarms
     */
    public static FailureAlarms withDefaults() {
        return new FailureAlarms(5, DEFAULT_LOSS_LIMIT, 0.3);
    }

    /**
     * G's gradient norm (L2, all parameters) below this counts as vanished: D's output no longer depends on G's, and
     * Adam's steps shrink towards {@code lr·g/ε}. Healthy runs of the presets stay above 1e-3.
     */
    public static final double VANISHING_GRADIENT = 1e-6;

    /**
     * Modes captured are compared only where at least this fraction of the samples is of high quality (near a mode;
     * 50 of the default 2500, two per mode of grid25): early in a healthy grid25 run 0.6 % are (16 of 2500), and the
     * count of modes they hit jumps between 3 and 10 by chance.
     */
    public static final double MIN_HIGH_QUALITY_FRACTION = 0.02;

    /** A loss above this, per D output, counts as divergence (D(G(z)) or 1 − D(x) below about e^−20). */
    public static final double DEFAULT_LOSS_LIMIT = 20;

    /**
     * Creates alarms with the defaults for a run's losses: under {@code loss.reduction: sum} a loss adds up one term
     * per D output (batch size / packing of them), so the limit is scaled by that count; a healthy sum-reduced loss_D
     * of a batch of 32 is already 2·ln 2·32 ≈ 44.
     *
     * @param config the run's config
     * @return the alarms
     */
    public static FailureAlarms forRun(RunConfig config) {
        return forRun(config, Settings.DEFAULT);
    }

    /**
     * Creates alarms for a run's losses with the given settings; the loss limit is per D output and scaled as in
     * {@link #forRun(RunConfig)}.
     *
     * @param config the run's config
     * @param settings which alarms warn, and how strictly
     * @return the alarms
     */
    public static FailureAlarms forRun(RunConfig config, Settings settings) {
        double limit = settings.lossLimit();
        if (config.loss().reduction() == LossConfig.Reduction.SUM) {
            limit *= (double) config.training().batchSize() / config.model().packing();
        }
        return new FailureAlarms(settings.patience(), limit, settings.lossLimit(), settings.dropFraction(),
                config.loss().generator() == LossConfig.GeneratorLoss.MINIMAX, settings.enabled());
    }

    /**
     * Checks the training data before the first step, unless the constant-data alarm is off.
     *
     * @param data the training data
     * @return a warning when every example equals the first
     * @see #constantData(GanDataset)
     */
    public Optional<String> checkData(GanDataset data) {
        return enabled.contains(Alarm.CONSTANT_DATA) ? constantData(data) : Optional.empty();
    }

    /** Forgets everything seen, as before the first step (a resumed run then replays what it logged). */
    public void reset() {
        dominated.reset();
        divergenceRaised = false;
        overLimitSteps = 0;
        unchanged.reset();
        vanished.reset();
        best.clear();
        dropRaised.clear();
        mostDiverse = Double.NaN;
        diversityRaised = false;
    }

    /**
     * Starts or ends the replay of a resumed run's rows. During it, a warning counts as shown only if the run logged
     * it: a condition that an earlier session did not watch (an alarm it left out, other settings) stays armed, so the
     * resumed session warns about it if it still holds.
     *
     * @param logged the warnings the run logged up to the step it resumes from, or null when the replay is over
     */
    public void replaying(java.util.Collection<String> logged) {
        loggedWarnings = logged == null ? null : new java.util.HashSet<>(logged);
    }

    /** Adds a warning; false when a replay finds that the run never logged it (its alarm then stays armed). */
    private boolean add(List<String> warnings, String warning) {
        warnings.add(warning);
        return loggedWarnings == null || loggedWarnings.contains(warning);
    }

    /**
     * Checks one step; only measured steps carry values.
     *
     * @param result the step
     * @return warnings that start at this step (usually none)
     */
    public List<String> onStep(StepResult result) {
        List<String> warnings = new ArrayList<>();
        if (!result.measured()) {
            return warnings;
        }
        // the non-saturating loss -log D(G(z)) is at least 0 and grows as D(G(z)) falls; the minimax loss
        // log(1 - D(G(z))) is at most 0 and falls without bound as D(G(z)) nears 1, so its size is what counts
        double lossGSize = minimax ? -result.lossG() : result.lossG();
        boolean nonFinite = !Double.isFinite(result.lossD()) || !Double.isFinite(result.lossG());
        // a loss above the limit on one measured step is common early in a run (a DCGAN's D flips from fooled to
        // certain within a step at batch 8): only one that stays there for patience measured steps is divergence
        overLimitSteps = !nonFinite && (result.lossD() > lossLimit || lossGSize > lossLimit) ? overLimitSteps + 1 : 0;
        boolean diverged = nonFinite || overLimitSteps >= patience;
        boolean shown = true;
        if (diverged && !divergenceRaised && enabled.contains(Alarm.DIVERGENCE)) {
            shown = add(warnings, String.format(
                    Locale.ROOT, "losses diverge at step %d: lossD %.4g, lossG %.4g (limit %.4g%s%s; D(x) %.4f,"
                            + " D(G(z)) %.4f): D's outputs are within about e^-%.0f of 0 or 1, training is unstable"
                            + " (lower the learning rates; NaN or infinite values stop the run, see"
                            + " training.onNonFinite)",
                    result.step(), result.lossD(), result.lossG(), lossLimit,
                    minimax ? " on lossD and on −lossG, as the minimax lossG is at most 0" : "",
                    nonFinite ? "" : String.format(Locale.ROOT, ", exceeded on %d measured steps in a row", overLimitSteps),
                    result.dReal(), result.dFake(), perOutputLimit));
        }
        divergenceRaised = diverged && shown;
        // under the minimax loss, G's gradient vanishes as soon as D(G(z)) nears 0, whatever D(x) is
        boolean wins = minimax ? result.dFake() <= 0.01 : result.dReal() >= 0.99 && result.dFake() <= 0.01;
        if (dominated.fires(wins) && enabled.contains(Alarm.DOMINANCE)) {
            String warning;
            if (minimax) {
                warning = String.format(
                        Locale.ROOT,
                        "G's minimax loss saturates at step %d: D(G(z)) %.4f (D(x) %.4f) for %d measured steps in a"
                                + " row; log(1 − D(G(z))) is flat near D(G(z)) = 0, so G's gradient vanishes"
                                + " (Goodfellow et al. 2014, §3): set loss.generator=nonSaturating (G then maximises"
                                + " log D(G(z))), or weaken D (lower D learning rate, fewer training.dSteps)",
                        result.step(), result.dFake(), result.dReal(), dominated.steps);
            } else {
                warning = String.format(
                        Locale.ROOT,
                        "D wins outright at step %d: D(x) %.4f, D(G(z)) %.4f for %d measured steps in a row; G's"
                                + " gradient vanishes (try a lower D learning rate, label smoothing or packing)",
                        result.step(), result.dReal(), result.dFake(), dominated.steps);
            }
            if (!add(warnings, warning)) {
                dominated.rearm();
            }
        }
        boolean gradientGone = result.gradNormG() < VANISHING_GRADIENT; // false for NaN (not measured)
        if (vanished.fires(gradientGone) && enabled.contains(Alarm.VANISHING)) {
            boolean vanishingShown = add(warnings, String.format(
                    Locale.ROOT,
                    "G's gradient vanishes at step %d: gradNormG %s (below %.0e) for %d measured steps in a row"
                            + " (D(x) %.4f, D(G(z)) %.4f), so G has stopped learning: D's output no longer changes"
                            + " with G's samples (D's units saturated, e.g. tanh, or dead, e.g. ReLU; usually a D"
                            + " trained too hard: lower D's learning rate or training.dSteps), or G's own units are"
                            + " dead (its samples then stop changing)",
                    result.step(), result.gradNormG() == 0 ? "0" : String.format(Locale.ROOT, "%.3g",
                            result.gradNormG()), VANISHING_GRADIENT, vanished.steps, result.dReal(),
                    result.dFake()));
            if (!vanishingShown) {
                vanished.rearm();
            }
        }
        // exactly 0 or 1 is a saturated sigmoid (every logit beyond about ±17 in float), which hides D's changes
        boolean same = result.dFake() > 0 && result.dFake() < 1 && result.dFake() == result.dFakeAfter();
        if (unchanged.fires(same) && enabled.contains(Alarm.D_STOPPED)) {
            String warning;
            if (result.gradNormD() == 0) {
                warning = String.format(
                        Locale.ROOT,
                        "D stopped learning at step %d: its update left D(G(z)) exactly unchanged (%.6f before and"
                                + " after; D(x) %.6f) for %d measured steps in a row, and D's gradient is exactly 0"
                                + " (gradNormD): its output no longer depends on its weights, its units saturated"
                                + " (e.g. tanh) or dead (e.g. ReLU); it will not recover by itself: restart with a lower"
                                + " D learning rate (or a leaky activation), or resume from a checkpoint before the"
                                + " step where gradNormD fell to 0",
                        result.step(), result.dFake(), result.dReal(), unchanged.steps);
            } else {
                warning = String.format(
                        Locale.ROOT,
                        "D stopped learning at step %d: its update left D(G(z)) exactly unchanged (%.6f before and"
                                + " after) for %d measured steps in a row%s; its learning rate is too small to move"
                                + " its weights, or a huge gradient made Adam's state infinite (see gradNormD in"
                                + " metrics.jsonl; resume from an earlier checkpoint)",
                        result.step(), result.dFake(), unchanged.steps,
                        Double.isNaN(result.gradNormD()) ? ""
                                : String.format(Locale.ROOT, " (gradNormD %.3g)", result.gradNormD()));
            }
            if (!add(warnings, warning)) {
                unchanged.rearm();
            }
        }
        return warnings;
    }

    /**
     * Checks the training data before the first step: a dataset whose examples are all identical (a folder of blank
     * images, a broken export) gives G one thing to copy, and no alarm on the losses would say why. A dataset with
     * two different examples is recognised at its first difference, usually the second example.
     *
     * @param data the training data
     * @return a warning when every example equals the first
     */
    public static Optional<String> constantData(GanDataset data) {
        if (data.size() < 2) {
            return Optional.empty();
        }
        int size = data.exampleSize();
        float[] first = new float[size];
        float[] other = new float[size];
        data.copyExample(0, first, 0);
        for (int i = 1; i < data.size(); i++) {
            data.copyExample(i, other, 0);
            if (!java.util.Arrays.equals(first, other)) {
                return Optional.empty();
            }
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : first) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        String values = min == max
                ? String.format(Locale.ROOT, "every value %.4g%s", min,
                        data.isPoints() ? "" : min == -1 ? ", all-black images" : min == 1 ? ", all-white images" : "")
                : String.format(Locale.ROOT, "values %.4g to %.4g", min, max);
        return Optional.of(String.format(
                Locale.ROOT,
                "the training data is constant: all %d %s are identical (%s), so G can only learn to copy that one"
                        + " %s; check the data (data.path, the files behind it)",
                data.size(), data.isPoints() ? "points" : "examples", values, data.isPoints() ? "point" : "image"));
    }

    /**
     * Checks an evaluation's diversity metrics against their best values so far.
     *
     * @param step the step evaluated
     * @param metrics metric name → value
     * @return warnings that start at this step (usually none)
     */
    public List<String> onEvaluation(long step, Map<String, Double> metrics) {
        List<String> warnings = new ArrayList<>();
        for (String name : DIVERSITY_METRICS) {
            Double value = metrics.get(name);
            if (value == null || !Double.isFinite(value)) {
                continue;
            }
            Double highQuality = metrics.get("highQualityFraction");
            if (name.equals("modesCaptured") && highQuality != null && highQuality < MIN_HIGH_QUALITY_FRACTION) {
                // G has not reached the modes yet: the few samples that happen to fall near one make the count noise
                continue;
            }
            Double previousBest = best.get(name);
            boolean dropped = previousBest != null && previousBest > 0 && value < (1 - dropFraction) * previousBest;
            boolean shown = true;
            if (dropped && !dropRaised.getOrDefault(name, false) && enabled.contains(Alarm.COLLAPSE)) {
                Double modes = metrics.get("modes");
                String of = name.equals("modesCaptured") && modes != null
                        ? String.format(Locale.ROOT, " of %.0f modes", modes) : "";
                shown = add(warnings, String.format(
                        Locale.ROOT, "possible mode collapse at step %d: %s fell to %.4g%s from its best %.4g (-%.0f %%)",
                        step, name, value, of, previousBest, 100 * (1 - value / previousBest)));
            }
            dropRaised.put(name, dropped && shown);
            if (previousBest == null || value > previousBest) {
                best.put(name, value);
            }
        }
        // pixel diversity (colour runs' only collapse measure) has no "best": about 1 is healthy and untrained noise
        // scores above 1, so a drop from the highest value is no collapse; G's images losing the variety they had is
        Double diversity = metrics.get("pixelDiversity");
        if (diversity != null && Double.isFinite(diversity)) {
            boolean collapsed = mostDiverse >= Verdict.LOW_DIVERSITY && diversity < Verdict.COLLAPSE_DIVERSITY;
            boolean shown = true;
            if (collapsed && !diversityRaised && enabled.contains(Alarm.COLLAPSE)) {
                shown = add(warnings, String.format(Locale.ROOT,
                        "possible mode collapse at step %d: pixelDiversity fell to %.3f (below %.1f) after reaching"
                                + " %.3f: the generated images became far more alike than real images (1 = as varied"
                                + " as the real data)",
                        step, diversity, Verdict.COLLAPSE_DIVERSITY, mostDiverse));
            }
            diversityRaised = collapsed && shown;
            if (Double.isNaN(mostDiverse) || diversity > mostDiverse) {
                mostDiverse = diversity;
            }
        }
        return warnings;
    }
}
