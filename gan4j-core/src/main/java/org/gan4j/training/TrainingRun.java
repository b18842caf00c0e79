package org.gan4j.training;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.gan4j.Gan4jException;
import org.gan4j.Launcher;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.config.TrainingConfig;
import org.gan4j.config.TrainingConfig.NonFinitePolicy;
import org.gan4j.data.BatchLoader;
import org.gan4j.data.Datasets;
import org.gan4j.data.GanDataset;
import org.gan4j.data.OpenedDataset;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.CheckpointStore;
import org.gan4j.io.CheckpointStore.Checkpoint;
import org.gan4j.io.IoFailures;
import org.gan4j.io.IoWriter;
import org.gan4j.io.Json;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.RunDirectory;
import org.gan4j.io.RunInfo;
import org.gan4j.loss.GanLoss;
import org.gan4j.nn.GanModels;
import org.gan4j.training.listener.EvaluationListener;
import org.gan4j.training.listener.GanListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run from config to run directory: opens the data, builds the networks, writes run.json, trains with
 * listeners, and resumes from the newest valid checkpoint.
 */
public final class TrainingRun implements AutoCloseable {

    /** The run.json field that lists the hashes of the configs {@code --resume --force} replaced. */
    public static final String EARLIER_CONFIGS_KEY = "earlierConfigHashes";

    /**
     * The run.json field that records the step cap of the latest training session ({@code gan4j train --max-steps N},
     * N below the config's steps); absent when that session trains to the config's step count. A later session
     * (a {@code --resume}) sets it again or removes it; one whose cap lies below the run's step trains nothing and
     * leaves it as it is.
     */
    public static final String MAX_STEPS_KEY = "maxSteps";

    /** The run.json field that records the intra-op thread count the run was started with. */
    public static final String THREADS_KEY = "threads";

    /** The gan4j version recorded in run.json and checkpoints. */
    public static final String VERSION = "0.1.0";

    private static final Logger LOGGER = LoggerFactory.getLogger(TrainingRun.class);
    private static final int PREFETCH = 4;

    private final RunConfig config;
    private final RunDirectory runDirectory;
    private final OpenedDataset opened;
    private final GanTrainer trainer;
    private final CheckpointStore checkpoints;
    private final long resumedFrom;
    private volatile TrainingContext context;
    private volatile String pendingStop;
    /** Rollbacks over the run's life: saved in each checkpoint, so training.maxRollbacks holds across resumes. */
    private int rollbacks;
    /** The step of the checkpoint the trainer was last restored from (resume or rollback), or 0. */
    private long restoredStep;
    /** Holds {@link #LOCK_FILE}'s lock while this run is open, so that no other process resumes it; or null. */
    private java.nio.channels.FileChannel lock;

    /** The file in a run directory whose lock an open run holds (released when the process ends, also by a kill). */
    public static final String LOCK_FILE = ".gan4j-lock";

    private TrainingRun(
            RunConfig config,
            RunDirectory runDirectory,
            OpenedDataset opened,
            GanTrainer trainer,
            long resumedFrom) {
        this.config = config;
        this.runDirectory = runDirectory;
        this.opened = opened;
        this.trainer = trainer;
        this.checkpoints = new CheckpointStore(runDirectory.checkpoints(), config.output().keepCheckpoints());
        this.resumedFrom = resumedFrom;
        this.restoredStep = resumedFrom;
    }

    /**
     * Prepares a new run: validates everything that can be checked before training (data, architecture, output
     * directory), creates the run directory and writes run.json.
     *
     * @param config the resolved config
     * @param exactDirectory the run directory to use ({@code --out}); null for {@code output.dir/name}
     * @return the run, ready to train
     */
    public static TrainingRun create(RunConfig config, Path exactDirectory) {
        return create(config, exactDirectory, dataset -> {});
    }

    /**
     * Prepares a new run as {@link #create(RunConfig, Path)} does, running a caller's check on the opened dataset
     * before anything is written: options that depend on the data (the CLI's evaluation metrics) fail with no run
     * directory left behind.
     *
     * @param requested the resolved config ({@code data.path} is recorded absolute)
     * @param exactDirectory the run directory to use ({@code --out}); null for {@code output.dir/name}
     * @param check throws a {@link Gan4jException} to stop before the run directory is created
     * @return the run, ready to train
     */
    public static TrainingRun create(
            RunConfig requested, Path exactDirectory, java.util.function.Consumer<GanDataset> check) {
        // run.json records where the data is from anywhere, not relative to today's working directory
        RunConfig config = requested.withAbsoluteDataPath();
        OpenedDataset opened = Datasets.open(config.data(), config.seed());
        check.accept(opened.dataset());
        // a batch larger than the data is refused now, not by the batch loader once the run directory exists
        BatchLoader.batchesPerEpoch(opened.dataset(), config.training().batchSize(), config.model().packing());
        GanModels models = GanModels.create(config.model(), opened.dataset().exampleShape());
        // Until run.json is written the run directory is an empty skeleton: a refused start (too little space, say) or
        // a Ctrl-C while the networks are built removes it, so that it neither blocks the same --out nor piles up.
        // The hook is in place before the folder exists.
        AtomicReference<RunDirectory> created = new AtomicReference<>();
        Thread cleanup = new Thread(() -> {
            RunDirectory made = created.get();
            if (made != null) {
                made.removeIfUnstarted();
            }
        }, "gan4j-unstarted-run-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        RunDirectory directory;
        try {
            directory = exactDirectory != null
                    ? createExact(exactDirectory)
                    : RunDirectory.create(Path.of(config.output().dir()), config.name());
        } catch (RuntimeException | Error e) {
            removeHook(cleanup);
            throw e;
        }
        created.set(directory);
        GanTrainer trainer = null;
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            trainer = newTrainer(config, models);
            checkFreeSpace(directory.root(), trainer);
            writeRunInfo(config, directory, opened, models);
        } catch (RuntimeException | Error e) {
            if (trainer != null) {
                trainer.close();
            }
            directory.removeIfUnstarted();
            throw e;
        } finally {
            removeHook(cleanup);
        }
        TrainingRun run = new TrainingRun(config, directory, opened, trainer, 0);
        try {
            run.lock = lockRun(directory);
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
        return run;
    }

    /**
     * Takes the run directory's lock for this process, so that a second process cannot resume the run at the same
     * moment (the training marker, written when training starts, leaves a window before it). Best effort where the
     * file system has no locks.
     *
     * @throws Gan4jException one line when another process (or another open run in this one) holds it
     */
    private static java.nio.channels.FileChannel lockRun(RunDirectory runDirectory) {
        Path file = runDirectory.root().resolve(LOCK_FILE);
        java.nio.channels.FileChannel channel;
        try {
            channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) {
            LOGGER.warn("cannot open {} to lock the run: {}", file, e.getMessage());
            return null;
        }
        boolean locked = false;
        try {
            locked = channel.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException inThisProcess) {
            locked = false;
        } catch (IOException e) {
            LOGGER.warn("cannot lock {}: {}", file, e.getMessage());
            return channel;
        }
        if (!locked) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the refusal below is what matters
            }
            throw new Gan4jException(runDirectory.root() + " is open in another gan4j process (training or resuming"
                    + " it): let it finish or stop it before resuming");
        }
        return channel;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs
        }
    }

    /** The absolute {@code --out} folder, refused when empty, a file or a folder that already holds a run. */
    private static Path exactOut(Path requested) {
        if (requested.toString().isBlank()) {
            throw new Gan4jException("--out is empty; expected the folder to write the run to");
        }
        Path exact = requested.toAbsolutePath().normalize();
        if (Files.exists(exact) && !Files.isDirectory(exact)) {
            throw new Gan4jException("output directory " + requested + " is a file; expected a folder (or a new name)");
        }
        if (Files.exists(exact.resolve("run.json"))) {
            throw new Gan4jException(
                    "output directory " + requested + " already holds a run; use --resume "
                            + Launcher.shellWord(requested) + " to continue it, or choose another --out");
        }
        return exact;
    }

    /** What {@link #createExact} would refuse, checked without creating or removing anything. */
    private static void checkExact(Path requested) {
        Path exact = exactOut(requested);
        if (Files.isDirectory(exact)) {
            try (var entries = Files.list(exact)) {
                if (entries.findAny().isPresent() && !RunDirectory.isUnstarted(exact)) {
                    throw new Gan4jException(
                            "output directory " + requested + " exists and is not empty; choose another --out");
                }
            } catch (IOException e) {
                throw IoFailures.wrap("output directory " + requested + " is not usable", e);
            }
        }
        Path existing = exact.getParent();
        if (existing == null) {
            throw new Gan4jException("--out " + requested + " must name a folder below an existing one");
        }
        // named as asked: /proc/x "cannot be created" because /proc takes no new folders, not "/proc is not writable"
        if (!Files.exists(exact)) {
            RunDirectory.checkCreatable(requested);
        }
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        RunDirectory.checkWritable(existing, false);
    }

    /** Creates exactly the requested run directory ({@code --out}); it may exist only as an empty folder. */
    private static RunDirectory createExact(Path requested) {
        Path exact = exactOut(requested);
        if (RunDirectory.removeUnstarted(exact)) {
            LOGGER.info("removed {}: the empty folders of a start that was interrupted before training", requested);
        }
        if (Files.exists(exact)) {
            try (var entries = Files.list(exact)) {
                if (entries.findAny().isPresent()) {
                    throw new Gan4jException(
                            "output directory " + requested + " exists and is not empty; choose another --out");
                }
                Files.delete(exact);
            } catch (IOException e) {
                throw IoFailures.wrap("output directory " + requested + " is not usable", e);
            }
        }
        Path parent = exact.getParent();
        if (parent == null) {
            throw new Gan4jException("--out " + requested + " must name a folder below an existing one");
        }
        RunDirectory.checkCreatable(requested);
        RunDirectory directory = RunDirectory.create(parent, exact.getFileName().toString());
        if (!directory.root().equals(exact)) {
            throw new Gan4jException("output directory " + requested + " appeared while starting; choose another --out");
        }
        return directory;
    }

    /**
     * Checks a config without writing a run: opens the data, builds and initializes the networks, checks that the
     * output directory is writable, and runs one training step.
     *
     * @param config the resolved config
     * @return the dataset, the networks and the step's values
     */
    public static DryRun dryRun(RunConfig config) {
        return dryRun(config, null);
    }

    /**
     * Checks a config and an exact output directory ({@code --out}) without writing a run: as {@link
     * #dryRun(RunConfig)}, but the directory checked is the one {@link #create} would be given, refused for the same
     * reasons (a file, a run, a folder that is not empty); its nearest existing ancestor must be writable. Nothing is
     * created.
     *
     * @param config the resolved config
     * @param outOrNull the exact run directory, or null for {@code output.dir}
     * @return the dataset, the networks and the step's values
     */
    public static DryRun dryRun(RunConfig config, Path outOrNull) {
        if (outOrNull != null) {
            checkExact(outOrNull);
        }
        OpenedDataset opened = Datasets.open(config.data(), config.seed());
        GanModels models = GanModels.create(config.model(), opened.dataset().exampleShape());
        if (outOrNull == null) {
            RunDirectory.checkWritable(Path.of(config.output().dir()));
        }
        try (GanTrainer trainer = newTrainer(config, models);
                BatchLoader loader =
                        BatchLoader.open(opened.dataset(), config.training().batchSize(), config.seed(), 0, 1)) {
            StepResult step = trainer.trainStep(RealBatches.of(loader), true);
            return new DryRun(opened.dataset(), models, step);
        }
    }

    /**
     * What a dry run found.
     *
     * @param dataset the opened dataset
     * @param models the networks (closed: only for their description)
     * @param step the values of one training step
     */
    public record DryRun(GanDataset dataset, GanModels models, StepResult step) {}

    /**
     * Reopens a run directory and restores the newest valid checkpoint.
     *
     * @param directory a run directory written by {@link #create}
     * @return the run, ready to continue
     */
    public static TrainingRun resume(Path directory) {
        return resume(directory, null, false);
    }

    /**
     * Reopens a run directory and restores the newest valid checkpoint, optionally with a different config.
     *
     * <p>A run continues with the config it was started with. Two things count as a different config, and both are
     * refused unless {@code force} is set: a {@code requested} config that differs from run.json's, and a run.json
     * whose config no longer matches the hash recorded in the checkpoint being resumed (run.json edited by hand).
     * With {@code force}, the requested config (or the edited run.json) is used and run.json records it. The
     * networks must still match the checkpoint's architecture.
     *
     * @param directory a run directory written by {@link #create}
     * @param requestedOrNull the config to continue with, or null for run.json's
     * @param force whether to continue although the config differs
     * @return the run, ready to continue
     */
    public static TrainingRun resume(Path directory, RunConfig requestedOrNull, boolean force) {
        RunConfig requested = requestedOrNull == null ? null : requestedOrNull.withAbsoluteDataPath();
        RunDirectory runDirectory = RunDirectory.open(directory);
        refuseLinks(runDirectory);
        refuseWhileTrained(runDirectory);
        java.nio.channels.FileChannel lock = lockRun(runDirectory);
        try {
            TrainingRun run = resumeLocked(directory, requested, force, runDirectory);
            run.lock = lock;
            return run;
        } catch (RuntimeException | Error e) {
            unlock(lock);
            throw e;
        }
    }

    private static void unlock(java.nio.channels.FileChannel lock) {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOGGER.warn("cannot release the run's lock: {}", e.getMessage());
            }
        }
    }

    private static TrainingRun resumeLocked(
            Path directory, RunConfig requested, boolean force, RunDirectory runDirectory) {
        JsonNode info = RunInfo.read(runDirectory.runJson());
        RunConfig recorded = configOf(info, runDirectory);
        RunConfig config = recorded;
        if (requested != null && !requested.equals(recorded)) {
            String difference = firstDifference(ConfigLoader.toTree(recorded), ConfigLoader.toTree(requested), "");
            if (!force) {
                throw new Gan4jException("the given config differs from the one run " + directory + " was started with"
                        + " (" + difference + "); a run continues with its own config: drop --config/--set, start a"
                        + " new run, or add --force to continue with the new config");
            }
            LOGGER.warn("--force: continuing {} with a changed config ({})", directory, difference);
            config = requested;
        }
        RunDirectory.checkWritable(runDirectory.root(), false);
        CheckpointStore peek = new CheckpointStore(runDirectory.checkpoints(), config.output().keepCheckpoints());
        // a kill while a checkpoint of the same step was rewritten can leave the old one only under a temp name
        peek.restoreInterruptedReplacements();
        new CheckpointStore(runDirectory.root().resolve(EvaluationListener.BEST_FOLDER), 1)
                .restoreInterruptedReplacements();
        List<String> invalid = new ArrayList<>();
        Optional<Checkpoint> newest = peek.latestValid(invalid::add);
        if (newest.isEmpty() && !invalid.isEmpty() && !force) {
            // starting again from step 0 drops the metrics rows and the best checkpoint of the damaged run: only
            // when asked to (a run stopped before its first checkpoint has no checkpoint folder and restarts as before)
            throw new Gan4jException(directory + " has " + invalid.size() + " checkpoint" + (invalid.size() == 1 ? "" : "s")
                    + " and none is valid (" + invalid.get(0) + "); resuming would start again from step 0 and drop"
                    + " the metrics after step 0: restore the checkpoint files, or add --force to start again");
        }
        invalid.forEach(CheckpointStore::warnSkipped);
        String editedOver = null;
        if (newest.isPresent()) {
            String trainedWith = newest.get().state().path("configHash").asText("");
            boolean another = !trainedWith.isEmpty() && !trainedWith.equals(configHash(config))
                    && !earlierConfigHashes(info).contains(trainedWith);
            if (another && force && config == recorded) {
                // --force over a hand-edited run.json: the checkpoints' config is an earlier one from now on
                editedOver = trainedWith;
            }
            if (another && !force) {
                throw new Gan4jException("the config in " + runDirectory.runJson() + " is not the one checkpoint "
                        + newest.get().dir().getFileName() + " was trained with (run.json edited?); add --force to"
                        + " continue with the edited config");
            }
        }
        OpenedDataset opened = Datasets.open(config.data(), config.seed());
        GanModels models = GanModels.create(config.model(), opened.dataset().exampleShape());
        GanTrainer trainer = newTrainer(config, models);
        CheckpointStore store = new CheckpointStore(runDirectory.checkpoints(), config.output().keepCheckpoints());
        // the checkpoint found above (a second search would warn about the same damaged checkpoints again)
        Optional<Checkpoint> latest = newest;
        long step = 0;
        try {
            checkFreeSpace(runDirectory.root(), trainer);
            if (latest.isPresent()) {
                restore(trainer, latest.get(), true);
            }
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
        // run.json records a forced config only once the run can continue with it: a --force that is refused (a
        // checkpoint of another architecture, data that cannot be opened) leaves the run as it was
        if (editedOver != null) {
            recordConfig(runDirectory, config, editedOver);
        }
        if (config != recorded) {
            recordConfig(runDirectory, config, recorded);
        }
        if (latest.isPresent()) {
            step = latest.get().step();
            // checkpoints after the one resumed from belong to an abandoned continuation
            store.deleteAfter(step);
            LOGGER.info("resuming {} from checkpoint step {}", directory, step);
        } else if (!invalid.isEmpty()) {
            // --force over damaged checkpoints: the abandoned run's outputs would mix with the new run's until pruned
            Path aside = setAsideAbandoned(runDirectory);
            LOGGER.warn("{} has no valid checkpoint: starting again from step 0; the damaged checkpoints and the"
                    + " abandoned run's samples, plots, evaluations, best checkpoint and copies of metrics.jsonl and"
                    + " run.json are set aside in {}", directory, aside);
        } else {
            LOGGER.warn("{} has no valid checkpoint: starting again from step 0", directory);
        }
        // also from step 0: every evaluation row goes, so a best checkpoint of the abandoned continuation must too
        dropBestAfter(runDirectory, step, "resume");
        long lastRow = MetricsLog.truncateAfter(runDirectory.metrics(), step);
        warnOnMissingRows(runDirectory, config, step, lastRow);
        runDirectory.removeWriteLeftovers();
        // the best checkpoint's folder is written only when an evaluation improves: clean what a kill left there now
        new CheckpointStore(runDirectory.root().resolve(EvaluationListener.BEST_FOLDER), 1).removeLeftovers();
        warnOnThreadChange(info, directory);
        TrainingRun run = new TrainingRun(config, runDirectory, opened, trainer, step);
        run.rollbacks = latest.map(c -> c.state().path("rollbacks").asInt(0)).orElse(0);
        return run;
    }

    /**
     * Opens a finished or running run for inference: networks restored from a checkpoint, no optimizer state.
     *
     * @param directory the run directory
     * @param step the checkpoint's step, or -1 for the newest valid one
     * @return the trainer holding the restored networks (close it)
     */
    public static GanTrainer openForInference(Path directory, long step) {
        return openForInference(directory, step < 0 ? CheckpointChoice.LATEST : CheckpointChoice.atStep(step));
    }

    /**
     * Opens a finished or running run for inference: networks restored from the chosen checkpoint (the newest, one
     * at a given step, or the best one kept by {@code --best-by}), no optimizer state.
     *
     * @param directory the run directory
     * @param choice which checkpoint
     * @return the trainer holding the restored networks (close it)
     */
    public static GanTrainer openForInference(Path directory, CheckpointChoice choice) {
        RunDirectory runDirectory = RunDirectory.open(directory);
        RunConfig config = readConfig(runDirectory);
        long[] exampleShape = exampleShapeOf(runDirectory);
        GanModels models = GanModels.create(config.model(), exampleShape);
        GanTrainer trainer = newTrainer(config, models);
        try {
            restore(trainer, findForInference(directory, runDirectory, config, choice), false);
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
        return trainer;
    }

    private static Checkpoint findForInference(
            Path directory, RunDirectory runDirectory, RunConfig config, CheckpointChoice choice) {
        if (choice.kind() == CheckpointChoice.Kind.BEST) {
            Path bestFolder = runDirectory.root().resolve(EvaluationListener.BEST_FOLDER);
            return new CheckpointStore(bestFolder, 1)
                    .latestValid()
                    .orElseThrow(
                            () -> new Gan4jException(
                                    directory + " has no valid best checkpoint in " + EvaluationListener.BEST_FOLDER
                                            + "/ (train keeps one with --eval-every N --best-by METRIC)"));
        }
        CheckpointStore store = new CheckpointStore(runDirectory.checkpoints(), config.output().keepCheckpoints());
        Optional<Checkpoint> found =
                choice.kind() == CheckpointChoice.Kind.LATEST ? store.latestValid() : store.find(choice.step());
        return found.orElseThrow(
                () -> new Gan4jException(
                        choice.kind() == CheckpointChoice.Kind.LATEST
                                ? directory + " has no valid checkpoint"
                                : directory + " has no valid checkpoint at step " + choice.step() + " (have: "
                                        + stepsOf(store) + ")"));
    }

    /**
     * Reads the resolved config stored in a run directory's run.json.
     *
     * @param runDirectory the run
     * @return its config
     */
    public static RunConfig readConfig(RunDirectory runDirectory) {
        return configOf(RunInfo.read(runDirectory.runJson()), runDirectory);
    }

    private static RunConfig configOf(JsonNode info, RunDirectory runDirectory) {
        JsonNode configNode = info.get("config");
        if (configNode == null) {
            throw new Gan4jException(runDirectory.runJson() + " has no 'config' section");
        }
        return ConfigLoader.fromRunJson(configNode, runDirectory.runJson().toString());
    }

    /**
     * Returns the SHA-256 of a config's canonical JSON form, recorded in every checkpoint.
     *
     * @param config the config
     * @return 64 hex digits
     */
    public static String configHash(RunConfig config) {
        try {
            JsonNode tree = ConfigLoader.toTree(config);
            // keys added after runs already existed are left out at their default, so those runs' checkpoints still
            // match their config (model.mlp.initBiases, 30 November 2026)
            JsonNode mlp = tree.path("model").path("mlp");
            if (mlp instanceof com.fasterxml.jackson.databind.node.ObjectNode node
                    && "zero".equals(node.path("initBiases").asText())) {
                node.remove("initBiases");
            }
            byte[] canonical = Json.MAPPER.writeValueAsBytes(tree);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the config", e);
        }
    }

    /** Names the first leaf where two config trees differ, e.g. "training.steps: 100 → 200". */
    private static String firstDifference(JsonNode left, JsonNode right, String path) {
        if (left != null && right != null && left.isObject() && right.isObject()) {
            var names = new java.util.TreeSet<String>();
            left.fieldNames().forEachRemaining(names::add);
            right.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String found = firstDifference(left.get(name), right.get(name), path.isEmpty() ? name : path + "." + name);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (java.util.Objects.equals(left, right)) {
            return null;
        }
        return (path.isEmpty() ? "config" : path) + ": " + left + " → " + right;
    }

    /**
     * Records this session's {@code --max-steps} cap in run.json ({@link #MAX_STEPS_KEY}), or removes an earlier
     * session's when this one trains to the config's step count; the report and the end-of-run summary then say why a
     * run stopped short of its plan.
     */
    private static void recordMaxSteps(RunDirectory runDirectory, long cap) {
        JsonNode info = RunInfo.read(runDirectory.runJson());
        if (!(info instanceof com.fasterxml.jackson.databind.node.ObjectNode object)
                || object.path(MAX_STEPS_KEY).asLong(0) == cap) {
            return;
        }
        if (cap > 0) {
            object.put(MAX_STEPS_KEY, cap);
        } else {
            object.remove(MAX_STEPS_KEY);
        }
        RunInfo.rewrite(runDirectory.runJson(), object);
    }

    /** Rewrites run.json's config section (after {@code --force}). */
    private static void recordConfig(RunDirectory runDirectory, RunConfig config, RunConfig replaced) {
        recordConfig(runDirectory, config, configHash(replaced));
    }

    private static void recordConfig(RunDirectory runDirectory, RunConfig config, String replacedHash) {
        JsonNode info = RunInfo.read(runDirectory.runJson());
        if (info instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            object.set("config", ConfigLoader.toTree(config));
            // the checkpoints written before --force carry the replaced config's hash: a resume that falls back to
            // one of them (the newer ones damaged) must not take it for a hand-edited run.json
            com.fasterxml.jackson.databind.node.ArrayNode earlier = object.withArray(EARLIER_CONFIGS_KEY);
            earlier.add(replacedHash);
            RunInfo.rewrite(runDirectory.runJson(), object);
        }
    }

    private static List<String> earlierConfigHashes(JsonNode info) {
        List<String> hashes = new ArrayList<>();
        for (JsonNode hash : info.path(EARLIER_CONFIGS_KEY)) {
            hashes.add(hash.asText());
        }
        return hashes;
    }

    /**
     * Refuses a run directory whose parts are symbolic links: gan4j deletes and rewrites files in them, and must never
     * do so outside the run directory.
     */
    private static void refuseLinks(RunDirectory runDirectory) {
        for (Path part : List.of(runDirectory.runJson(), runDirectory.metrics(), runDirectory.checkpoints(),
                runDirectory.samples(), runDirectory.plots(), runDirectory.eval())) {
            if (Files.isSymbolicLink(part)) {
                throw new Gan4jException(part + " is a symbolic link; gan4j deletes and rewrites files there and does"
                        + " not follow links out of the run directory: replace it with a real folder or file");
            }
        }
        // a file where a folder belongs: until 1 December a resume took a file named checkpoints for "no checkpoint",
        // started again from step 0 (cutting metrics.jsonl to step 0) and only then failed to write step 2
        for (Path folder : List.of(runDirectory.checkpoints(), runDirectory.samples(), runDirectory.plots(),
                runDirectory.eval(), runDirectory.root().resolve(
                        org.gan4j.training.listener.EvaluationListener.BEST_FOLDER))) {
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new Gan4jException(folder + " is a file, not a folder; gan4j writes the run's "
                        + folder.getFileName() + " there: move the file aside (nothing was changed)");
            }
        }
    }

    /**
     * Refuses to resume a run that another process of this machine is training now (its {@link
     * RunDirectory#TRAINING_MARKER} names a live process): the resume would truncate metrics.jsonl and delete
     * checkpoints under it, and the two would write the same files. A marker left by a killed process does not count.
     */
    private static void refuseWhileTrained(RunDirectory runDirectory) {
        Path marker = runDirectory.root().resolve(RunDirectory.TRAINING_MARKER);
        if (!Files.isRegularFile(marker)) {
            return;
        }
        long pid;
        String host;
        try {
            JsonNode content = Json.MAPPER.readTree(marker.toFile());
            pid = content.path("pid").asLong(-1);
            host = content.path("host").asText("");
        } catch (IOException | RuntimeException unreadable) {
            return;
        }
        boolean live = pid > 0 && pid != ProcessHandle.current().pid() && host.equals(hostName())
                && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (live) {
            throw new Gan4jException(runDirectory.root() + " is being trained now by process " + pid + " on this"
                    + " machine: stop it (Ctrl-C, or kill " + pid + ") or let it finish before resuming (if that"
                    + " process is not gan4j, remove " + marker + ")");
        }
    }

    private static long[] exampleShapeOf(RunDirectory runDirectory) {
        JsonNode shape = RunInfo.read(runDirectory.runJson()).path("data").path("exampleShape");
        if (!shape.isArray() || shape.isEmpty()) {
            throw new Gan4jException(runDirectory.runJson() + " has no data.exampleShape");
        }
        long[] result = new long[shape.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = shape.get(i).asLong();
        }
        return result;
    }

    /**
     * Estimates the bytes of one checkpoint: every weight of both networks (4 bytes each) plus Adam's two moment
     * estimates, plus headers.
     *
     * @param trainer the trainer whose state would be saved
     * @return the estimate in bytes
     */
    static long checkpointBytes(GanTrainer trainer) {
        long values = 0;
        for (var block : List.of(trainer.models().generator(), trainer.models().discriminator())) {
            for (var pair : block.getParameters()) {
                values += pair.getValue().getArray().getShape().size();
            }
        }
        return values * 4 * 3 + 64 * 1024;
    }

    /** Refuses to start when the run directory's file system cannot hold two checkpoints (one written, one kept). */
    private static void checkFreeSpace(Path root, GanTrainer trainer) {
        long needed = 2 * checkpointBytes(trainer);
        long usable;
        try {
            usable = Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return;
        }
        if (usable < needed) {
            throw new Gan4jException(String.format(
                    "only %,d bytes free for run directory %s; checkpoints need about %,d: free some space or choose"
                            + " another output directory",
                    usable, root, needed));
        }
        if (usable < RunDirectory.LOW_SPACE_BYTES) {
            LOGGER.warn("output directory {} has only {} MiB free", root, usable >> 20);
        }
    }

    private static String stepsOf(CheckpointStore store) {
        List<String> steps = new ArrayList<>();
        for (Checkpoint checkpoint : store.list()) {
            steps.add(Long.toString(checkpoint.step()));
        }
        return steps.isEmpty() ? "none" : String.join(", ", steps);
    }

    private static GanTrainer newTrainer(RunConfig config, GanModels models) {
        return GanTrainer.builder()
                .setModels(models)
                .setLoss(GanLoss.from(config.loss()))
                .setTraining(config.training())
                .setSeed(config.seed())
                .build();
    }

    private static void writeRunInfo(
            RunConfig config, RunDirectory directory, OpenedDataset opened, GanModels models) {
        Map<String, Object> extra = new LinkedHashMap<>();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", opened.resolvedKind().name().toLowerCase());
        data.put("source", opened.source());
        data.put("description", opened.dataset().description());
        data.put("examples", opened.dataset().size());
        data.put("exampleShape", opened.dataset().exampleShape());
        data.put("classes", opened.dataset().classCount());
        if (opened.dataset() instanceof org.gan4j.data.ImageFolder folder && !folder.skippedFiles().isEmpty()) {
            // the console warning names the first few; a long run's record keeps them all
            List<Map<String, String>> skipped = new ArrayList<>();
            for (org.gan4j.data.ImageFolder.SkippedFile file : folder.skippedFiles()) {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("file", file.file().toString());
                entry.put("reason", file.reason());
                skipped.add(entry);
            }
            data.put("skippedFiles", skipped);
        }
        extra.put("data", data);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("architecture", models.architecture().name().toLowerCase());
        model.put("fingerprint", models.fingerprint());
        extra.put("model", model);
        extra.put(THREADS_KEY, intraOpThreads());
        RunInfo.write(directory.runJson(), ConfigLoader.toTree(config), config.seed(), versions(), Instant.now(), extra);
    }

    /**
     * Returns the number of intra-op threads libtorch uses in this process: {@code -Dai.djl.pytorch.num_threads},
     * which the CLI sets from {@code training.threads} / {@code GAN4J_THREADS}, else the available cores. On the CPU
     * the same seed gives bit-identical numbers only with the same number: libtorch splits its reductions by thread.
     *
     * @return the intra-op thread count
     */
    public static int intraOpThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    /**
     * Warns when metrics.jsonl lacks the rows of logged steps up to the checkpoint a run resumes from (lost with the
     * machine before they reached the disk, or removed by hand): the run continues, the gap stays, and plots show it.
     */
    private static void warnOnMissingRows(RunDirectory runDirectory, RunConfig config, long step, long lastRow) {
        long lastLogged = step / config.output().logEvery() * config.output().logEvery();
        if (lastLogged > 0 && lastRow < lastLogged) {
            LOGGER.warn("{} ends at step {} but the checkpoint resumed from is at step {}: the rows of steps {} to {}"
                    + " are missing and stay missing", runDirectory.metrics(), lastRow, step, lastRow + 1, lastLogged);
        }
    }

    /** Warns when a run continues with another intra-op thread count than it was started with. */
    private static void warnOnThreadChange(JsonNode info, Path directory) {
        JsonNode recorded = info.path(THREADS_KEY);
        int now = intraOpThreads();
        if (recorded.isInt() && recorded.asInt() != now) {
            LOGGER.warn("{} was started with {} intra-op threads and continues with {}: on the CPU the numbers will"
                    + " differ slightly from an uninterrupted run (GAN4J_THREADS={} matches it)",
                    directory, recorded.asInt(), now, recorded.asInt());
        }
    }

    /**
     * Returns the versions recorded for provenance.
     *
     * @return gan4j, DJL, engine and Java versions
     */
    public static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("gan4j", VERSION);
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", Engine.getInstance().getEngineName());
        versions.put("libtorch", Engine.getInstance().getVersion());
        versions.put("java", System.getProperty("java.version"));
        return versions;
    }

    private static void restore(GanTrainer trainer, Checkpoint checkpoint, boolean withOptimizers) {
        JsonNode state = checkpoint.state();
        String source = checkpoint.dir().toString();
        String fingerprint = state.path("fingerprint").asText("");
        if (!fingerprint.equals(trainer.models().fingerprint())) {
            int from = differenceStart(fingerprint, trainer.models().fingerprint());
            throw new Gan4jException(
                    "checkpoint " + source + " was written for a different architecture (" + excerpt(fingerprint, from)
                            + "), this run builds " + excerpt(trainer.models().fingerprint(), from));
        }
        try (DataInputStream generator = open(checkpoint, "generator.params");
                DataInputStream discriminator = open(checkpoint, "discriminator.params");
                DataInputStream optimizers = withOptimizers ? open(checkpoint, "optimizers.bin") : null) {
            trainer.loadState(generator, discriminator, optimizers, checkpoint.step(), source);
            if (withOptimizers) {
                trainer.setLearningRateScale(learningRateScale(state, source));
            }
        } catch (IOException e) {
            throw new Gan4jException("cannot read checkpoint " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The learning-rate factor a checkpoint records (1 when it has none, as before rollbacks existed). A value out of
     * (0, 1], which only an edit of state.json (with its manifest) gives, is a one-line error naming it: until
     * 1 December it reached the optimizer's own check, and the CLI printed a stack trace.
     */
    private static double learningRateScale(JsonNode state, String source) {
        JsonNode scale = state.get("learningRateScale");
        if (scale == null) {
            return 1;
        }
        if (!scale.isNumber() || !(scale.asDouble() > 0 && scale.asDouble() <= 1)) {
            throw new Gan4jException("checkpoint " + source + ": learningRateScale in state.json is " + scale
                    + "; expected a number in (0, 1], the factor rollbacks put on both learning rates (1 without"
                    + " any)");
        }
        return scale.asDouble();
    }

    private static DataInputStream open(Checkpoint checkpoint, String name) throws IOException {
        InputStream in = checkpoint.open(name);
        return new DataInputStream(new BufferedInputStream(in));
    }

    /** Where two fingerprints start to differ, backed off to the start of that word (0 when it is the first). */
    private static int differenceStart(String left, String right) {
        int same = 0;
        while (same < left.length() && same < right.length() && left.charAt(same) == right.charAt(same)) {
            same++;
        }
        int space = left.lastIndexOf(' ', Math.max(0, same - 1));
        // the word before the differing one names the network and the setting ("D hidden=[5, 3]")
        int before = space > 0 ? left.lastIndexOf(' ', space - 1) : -1;
        return before < 0 ? 0 : before + 1;
    }

    /** Up to 80 characters of a fingerprint from where it differs, with "..." where text is left out. */
    private static String excerpt(String text, int from) {
        String head = from > 0 ? "..." : "";
        String rest = text.substring(Math.min(from, text.length()));
        return head + (rest.length() <= 80 ? rest : rest.substring(0, 77) + "...");
    }

    /**
     * Trains until the config's step count or {@code maxSteps}, whichever comes first, or until a stop is requested.
     *
     * @param maxSteps stop after this step (0 = no limit beyond the config)
     * @param listeners listeners in the order they run (see {@link GanListener.Defaults})
     * @return what happened
     */
    public Summary train(long maxSteps, List<GanListener> listeners) {
        long target = config.training().steps();
        if (maxSteps > 0) {
            target = Math.min(target, maxSteps);
        }
        long cap = target < config.training().steps() ? target : 0;
        long startStep = trainer.step();
        if (cap == 0 || cap >= startStep) {
            // a cap below the step the run is at trains nothing: run.json keeps the cap that stopped it there
            recordMaxSteps(runDirectory, cap);
        }
        if (startStep > 0 && startStep < target && startStep % config.output().logEvery() != 0) {
            // a run stopped by --max-steps off the logging grid logged its last step; an uninterrupted run has no
            // row there, so the continuation drops it and its metrics stay exactly those of an uninterrupted run
            // (an evaluation of that step stays: the uninterrupted run logs it too)
            MetricsLog.dropStopRows(runDirectory.metrics(), startStep);
        }
        Instant start = Instant.now();
        long waitNanos = 0;
        Path marker = runDirectory.root().resolve(RunDirectory.TRAINING_MARKER);
        writeTrainingMarker(marker);
        try {
            while (true) {
                try {
                    waitNanos += trainSegment(target, listeners);
                    break;
                } catch (NonFiniteException divergence) {
                    TrainingConfig training = config.training();
                    if (training.onNonFinite() != NonFinitePolicy.ROLLBACK) {
                        boolean any = checkpoints.latestValid().isPresent();
                        throw new NonFiniteException(divergence.step(), divergence.network(), divergence.getMessage()
                                + "; the last good checkpoint is " + lastGood()
                                + (any ? " (set training.onNonFinite=rollback to retry it with lower learning rates)"
                                        : " (lower the learning rates, or write checkpoints more often with"
                                                + " output.checkpointEvery so that training.onNonFinite=rollback has"
                                                + " one to return to)"));
                    }
                    if (rollbacks >= training.maxRollbacks()) {
                        throw new NonFiniteException(divergence.step(), divergence.network(), divergence.getMessage()
                                + "; gave up after " + rollbacks + " rollbacks (training.maxRollbacks, counted over"
                                + " the run's resumes; resume with --force --set training.maxRollbacks=N to allow more);"
                                + " the last good checkpoint is " + lastGood());
                    }
                    rollbacks++;
                    rollBack(divergence);
                }
            }
        } finally {
            try {
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                LOGGER.warn("cannot remove {}: {}", marker, e.getMessage());
            }
        }
        boolean completed = trainer.step() >= config.training().steps();
        Duration elapsed = Duration.between(start, Instant.now());
        return new Summary(
                runDirectory.root(),
                startStep,
                trainer.step(),
                config.training().steps(),
                cap,
                completed,
                context.stopReason(),
                elapsed,
                waitNanos / 1e9);
    }

    /** Marks the run as being trained by this process (see {@link RunDirectory#TRAINING_MARKER}); best effort. */
    private static void writeTrainingMarker(Path marker) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("pid", ProcessHandle.current().pid());
        content.put("host", hostName());
        try {
            AtomicFiles.write(marker, out -> out.write(Json.MAPPER.writeValueAsBytes(content)));
        } catch (IOException e) {
            LOGGER.warn("cannot write {}: {}", marker, e.getMessage());
        }
    }

    /**
     * Returns this machine's host name, as the training marker records it.
     *
     * @return the name, or "" if unknown
     */
    public static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    /** Trains from the trainer's step to the target; returns the nanoseconds spent waiting for data. */
    private long trainSegment(long target, List<GanListener> listeners) {
        String carriedStop = context != null ? context.stopReason() : pendingStop;
        TrainingContext segment =
                new TrainingContext(config, runDirectory, trainer, opened.dataset(), target, this::writeCheckpoint);
        this.context = segment;
        if (restoredStep > 0 && trainer.step() == restoredStep) {
            // the state is that of the checkpoint just restored: a segment that trains no step (a --resume of a
            // finished run) must not write it again, which would replace a good checkpoint for nothing
            segment.checkpointWrittenAt(restoredStep);
        }
        if (carriedStop != null) {
            segment.requestStop(carriedStop);
        }
        for (GanListener listener : listeners) {
            listener.onTrainingStart(segment);
        }
        long waitNanos;
        try (BatchLoader loader =
                BatchLoader.open(
                        opened.dataset(), config.training().batchSize(), config.seed(), trainer.nextBatchIndex(),
                        PREFETCH)) {
            RealBatches batches = RealBatches.of(loader);
            while (trainer.step() < target && segment.stopReason() == null) {
                long next = trainer.step() + 1;
                boolean measure = false;
                for (GanListener listener : listeners) {
                    measure |= listener.wantsValues(segment, next);
                }
                StepResult result = trainer.trainStep(batches, measure);
                if (result.measured()) {
                    checkFinite(result);
                }
                for (GanListener listener : listeners) {
                    listener.onStep(segment, result);
                }
            }
            waitNanos = loader.waitNanos();
        }
        boolean completed = trainer.step() >= config.training().steps();
        for (GanListener listener : listeners) {
            listener.onTrainingEnd(segment, completed);
        }
        return waitNanos;
    }

    /** Throws when a measured value is NaN or infinite, naming the network whose weights broke if any did. */
    private void checkFinite(StepResult result) {
        double[] values = {result.lossD(), result.lossG(), result.dReal(), result.dFake(), result.dFakeAfter()};
        for (double value : values) {
            if (!Double.isFinite(value)) {
                String broken = trainer.nonFiniteNetwork();
                String network = broken != null ? broken
                        : Double.isFinite(result.lossD()) && Double.isFinite(result.dReal()) ? "generator"
                        : "discriminator";
                String what = broken != null ? network + " weights became non-finite" : network + " loss became non-finite";
                throw new NonFiniteException(result.step(), network, String.format(
                        "%s at step %d (lossD=%s, lossG=%s, D(x)=%s, D(G(z))=%s)", what, result.step(),
                        result.lossD(), result.lossG(), result.dReal(), result.dFake()));
            }
        }
    }

    /** Called with the name of each part {@link #setAsideAbandoned} sets aside, before it does: tests stop there. */
    static java.util.function.Consumer<String> setAsideProbe = part -> {};

    /** Prefix of the folder a forced restart from step 0 moves the abandoned run's outputs into. */
    public static final String ABANDONED_PREFIX = "abandoned-";

    /**
     * Moves the outputs of a run that restarts from step 0 because every checkpoint is damaged into a new folder
     * {@code abandoned-<UTC time>} of the run directory, never deleting them: the checkpoint folders, the step sample
     * grids and scatter plots (not {@code samples/real.png}), the evaluation files, the best checkpoint, and copies of
     * metrics.jsonl (truncated to step 0 next) and run.json, whose session stop time ({@code trainingTime}) is removed
     * from the run's own: a crash of the new run after a checkpoint at that step would otherwise resume from, and
     * report, the abandoned session's time. The new run's outputs then stand alone.
     *
     * @return the folder
     */
    static Path setAsideAbandoned(RunDirectory runDirectory) {
        Path root = runDirectory.root();
        removeEmptyAsides(root);
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now());
        Path aside = root.resolve(ABANDONED_PREFIX + stamp);
        for (int n = 2; Files.exists(aside); n++) {
            aside = root.resolve(ABANDONED_PREFIX + stamp + "-" + n);
        }
        try {
            Files.createDirectory(aside);
            // the damaged checkpoints go last: while one is left, a resume is refused and --force sets the rest aside
            // again (into another folder), so a kill part way loses nothing; once they are gone a plain resume starts
            // from step 0 and truncates metrics.jsonl, so its copy and every other output must be aside by then
            setAsideProbe.accept("metrics.jsonl");
            if (Files.isRegularFile(runDirectory.metrics())) {
                Path metrics = runDirectory.metrics();
                AtomicFiles.write(aside.resolve(metrics.getFileName()), out -> Files.copy(metrics, out));
            }
            setAsideProbe.accept("run.json");
            if (Files.isRegularFile(runDirectory.runJson())) {
                Path runJson = runDirectory.runJson();
                AtomicFiles.write(aside.resolve(runJson.getFileName()), out -> Files.copy(runJson, out));
                RunInfo.forgetTrainingTime(runDirectory.runJson());
            }
            setAsideProbe.accept(EvaluationListener.BEST_FOLDER);
            moveInto(root.resolve(EvaluationListener.BEST_FOLDER), aside, name -> true);
            setAsideProbe.accept("samples");
            moveInto(runDirectory.samples(), aside, name -> name.matches("step-\\d+\\.png"));
            setAsideProbe.accept("plots");
            moveInto(runDirectory.plots(), aside, name -> true);
            setAsideProbe.accept("eval");
            moveInto(runDirectory.eval(), aside, name -> true);
            setAsideProbe.accept("checkpoints");
            moveInto(runDirectory.checkpoints(), aside, name -> true);
            AtomicFiles.syncDirectory(root);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot set the abandoned run's outputs aside in " + aside, e);
        }
        return aside;
    }

    /**
     * Removes the empty {@code abandoned-*} folders a set-aside killed right after creating its folder leaves (the
     * next forced resume makes a folder of its own), and those holding only the temp file of a copy killed part way
     * (a copy is written to a temp file and renamed: the folder then holds no copy); a folder with anything else in
     * it is never touched.
     */
    private static void removeEmptyAsides(Path root) {
        try (java.util.stream.Stream<Path> list = Files.list(root)) {
            for (Path folder : list.filter(entry -> entry.getFileName().toString().startsWith(ABANDONED_PREFIX))
                    .filter(Files::isDirectory).toList()) {
                AtomicFiles.removeTempFiles(folder);
                try (java.util.stream.Stream<Path> inside = Files.list(folder)) {
                    if (inside.findAny().isEmpty()) {
                        Files.delete(folder);
                    }
                }
            }
        } catch (IOException e) {
            // only tidying: a folder that cannot be listed or removed stays, as it did before
        }
    }

    /** Moves the entries of a folder that a name test accepts into a same-named folder under {@code aside}. */
    private static void moveInto(Path folder, Path aside, java.util.function.Predicate<String> take)
            throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> entries;
        try (java.util.stream.Stream<Path> list = Files.list(folder)) {
            entries = list.filter(entry -> take.test(entry.getFileName().toString())).sorted().toList();
        }
        if (entries.isEmpty()) {
            return;
        }
        Path target = Files.createDirectories(aside.resolve(folder.getFileName()));
        for (Path entry : entries) {
            Files.move(entry, target.resolve(entry.getFileName()));
        }
    }

    /**
     * Removes a best checkpoint written after the step a resume or rollback returns to: its evaluation row is dropped
     * with the rest of that continuation, so it no longer belongs to the run. A deterministic continuation (a resume
     * after a crash) evaluates that step again and writes the same best checkpoint back; after a rollback the run
     * has no best checkpoint until an evaluation beats the best value logged up to {@code step} (unless that value
     * was logged at {@code step} itself: the evaluation listener then writes it from the restored networks).
     */
    private static void dropBestAfter(RunDirectory runDirectory, long step, String why) {
        Path folder = runDirectory.root().resolve(EvaluationListener.BEST_FOLDER);
        if (!Files.isDirectory(folder)) {
            return;
        }
        CheckpointStore best = new CheckpointStore(folder, 1);
        List<Checkpoint> stale = best.list().stream().filter(c -> c.step() > step).toList();
        if (stale.isEmpty()) {
            return;
        }
        best.deleteAfter(step);
        LOGGER.warn("removed {} step {}: it was written after step {}, where this {} continues the run; an evaluation"
                        + " that beats the best value logged up to step {} writes a new one",
                EvaluationListener.BEST_FOLDER, stale.get(0).step(), step, why, step);
    }

    private String lastGood() {
        return checkpoints.latestValid().map(c -> c.dir().toString()).orElse("none (no checkpoint was written)");
    }

    /** Restores the newest valid checkpoint and lowers both learning rates. */
    private void rollBack(NonFiniteException divergence) {
        Checkpoint good = checkpoints.latestValid()
                .orElseThrow(() -> new NonFiniteException(divergence.step(), divergence.network(),
                        divergence.getMessage() + "; no valid checkpoint to roll back to"));
        // lower from the rate that diverged (the checkpoint may predate an earlier rollback)
        double scale = trainer.learningRateScale() * config.training().rollbackLearningRateFactor();
        restore(trainer, good, true);
        restoredStep = good.step();
        checkpoints.deleteAfter(good.step());
        dropBestAfter(runDirectory, good.step(), "rollback");
        MetricsLog.truncateAfter(runDirectory.metrics(), good.step());
        trainer.setLearningRateScale(scale);
        LOGGER.warn("{}; rolled back to checkpoint step {} with learning rates × {} (rollback {} of {})",
                divergence.getMessage(), good.step(), scale, rollbacks, config.training().maxRollbacks());
    }


    /**
     * Returns the step whose evaluation is running while its checkpoint is already written, or -1 (see
     * {@link TrainingContext#evaluationAfterCheckpoint}).
     *
     * @return the step, or -1
     */
    public long evaluationAfterCheckpoint() {
        TrainingContext current = context;
        return current == null ? -1 : current.evaluationAfterCheckpoint();
    }

    /**
     * Asks a running {@link #train} to stop after the current step (for Ctrl-C); a checkpoint is still written.
     *
     * @param reason shown to the user
     */
    public void requestStop(String reason) {
        TrainingContext current = context;
        if (current != null) {
            current.requestStop(reason);
        } else {
            pendingStop = reason;
        }
    }


    /**
     * Writes a checkpoint of the current state now.
     *
     * @return the checkpoint written
     */
    public Checkpoint writeCheckpoint() {
        String broken = trainer.nonFiniteNetwork();
        if (broken != null) {
            // never save a NaN state as "good"
            throw new NonFiniteException(trainer.step(), broken,
                    broken + " weights became non-finite (NaN or Inf) by step " + trainer.step()
                            + ": checkpoint not written");
        }
        Map<String, IoWriter> files = new LinkedHashMap<>();
        files.put("generator.params", out -> buffered(out, trainer::saveGenerator));
        files.put("discriminator.params", out -> buffered(out, trainer::saveDiscriminator));
        files.put("optimizers.bin", out -> buffered(out, trainer::saveOptimizers));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("fingerprint", trainer.models().fingerprint());
        state.put("seed", config.seed());
        state.put("nextBatchIndex", trainer.nextBatchIndex());
        state.put("rng", "noise and data order are pure functions of (seed, step): no generator state to save");
        state.put("learningRateScale", trainer.learningRateScale());
        state.put("rollbacks", rollbacks);
        state.put("configHash", configHash(config));
        state.put("versions", versions());
        // the metrics rows up to this step are on disk before the checkpoint that a resume starts from
        MetricsLog.sync(runDirectory.metrics());
        return checkpoints.write(trainer.step(), files, state);
    }

    /** Something that writes to a data stream. */
    private interface DataWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static void buffered(java.io.OutputStream out, DataWriter writer) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        writer.write(data);
        data.flush();
    }

    /**
     * Returns the run directory.
     *
     * @return the run directory
     */
    public RunDirectory runDirectory() {
        return runDirectory;
    }

    /**
     * Returns the resolved config.
     *
     * @return the config
     */
    public RunConfig config() {
        return config;
    }

    /**
     * Returns the trainer.
     *
     * @return the trainer
     */
    public GanTrainer trainer() {
        return trainer;
    }

    /**
     * Returns the opened dataset.
     *
     * @return the dataset and how it was resolved
     */
    public GanDataset dataset() {
        return opened.dataset();
    }

    /**
     * Returns the step this run was resumed from (0 for a new run).
     *
     * @return the step
     */
    public long resumedFrom() {
        return resumedFrom;
    }

    @Override
    public void close() {
        try {
            trainer.close();
        } finally {
            unlock(lock);
            lock = null;
        }
    }

    /**
     * The outcome of {@link #train}.
     *
     * @param runDirectory where the files are
     * @param firstStep the step training started from
     * @param lastStep the last completed step
     * @param configuredSteps the config's step count
     * @param maxSteps this session's {@code --max-steps} cap when it is below the config's step count, else 0
     * @param completed whether the configured step count was reached
     * @param stopReason why training stopped early, or null
     * @param elapsed wall time
     * @param dataWaitSeconds time spent waiting for real batches
     */
    public record Summary(
            Path runDirectory,
            long firstStep,
            long lastStep,
            long configuredSteps,
            long maxSteps,
            boolean completed,
            String stopReason,
            Duration elapsed,
            double dataWaitSeconds) {

        /**
         * Returns steps per second over this invocation.
         *
         * @return the rate
         */
        public double stepsPerSecond() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds > 0 ? (lastStep - firstStep) / seconds : 0;
        }
    }
}
