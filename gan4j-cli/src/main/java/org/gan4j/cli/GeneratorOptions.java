package org.gan4j.cli;

import java.nio.file.Path;
import org.gan4j.config.RunConfig;
import org.gan4j.io.RunDirectory;
import org.gan4j.nn.GanModels;
import org.gan4j.training.CheckpointChoice;
import org.gan4j.training.GanTrainer;
import org.gan4j.training.TrainingRun;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a trained generator: which run, which checkpoint, which noise seed,
 * and optionally precise batch norm. */
final class GeneratorOptions {

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory written by gan4j train.")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "STEP|latest|best", description = "Checkpoint to load: a step, latest (the newest valid one, default) or best (the one train --best-by kept).")
    String checkpoint = "latest";

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the latent noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bn-batches", paramLabel = "N", description = "Re-estimate G's batch-norm statistics at the checkpoint's weights from N batches of 500 before generating (precise batch norm; default ${DEFAULT-VALUE}: the running averages saved by training).")
    int bnBatches;

    /**
     * Restores the chosen checkpoint's networks for inference.
     *
     * @return the trainer holding them (close it)
     */
    GanTrainer open() {
        GanTrainer.checkBatchNormBatches(bnBatches);
        if (bnBatches != 0) {
            RunConfig config = TrainingRun.readConfig(RunDirectory.open(run));
            GanModels.checkBatchNormOption("--bn-batches", bnBatches, config.model(), config.data().kind().isPoints());
        }
        EngineSetup.configure(0);
        GanTrainer trainer = TrainingRun.openForInference(run, CheckpointChoice.parse(checkpoint));
        try {
            trainer.recalibrateBatchNorm(seed, bnBatches);
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
        return trainer;
    }
}
