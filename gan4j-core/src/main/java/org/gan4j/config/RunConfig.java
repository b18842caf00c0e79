package org.gan4j.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The complete, resolved configuration of one training run: defaults, then a preset, then {@code --set} overrides.
 *
 * <p>Every field has a default in {@link Defaults}; a YAML file only lists what it changes. The YAML keys are the
 * record component names, nested as here (for example {@code training.generator.learningRate}).
 * {@link ConfigLoader} builds and checks it; docs/configuration.md lists every key with its range.
 *
 * @param name the run's name; the run directory is {@code output.dir/name}
 * @param seed the seed for weights, data order, noise and everything else random
 * @param data where the real samples come from
 * @param model the generator and discriminator architectures
 * @param loss the adversarial objective
 * @param training step counts, batch size, update ratio and optimizers
 * @param output logging, sampling, plotting and checkpoint frequencies
 */
public record RunConfig(
        String name,
        long seed,
        DataConfig data,
        ModelConfig model,
        LossConfig loss,
        TrainingConfig training,
        OutputConfig output) {

    /**
     * Returns this config with {@code data.path} made absolute (against the working directory), as a run records it:
     * a run directory is then usable from any folder ({@code --resume}, {@code evaluate}, {@code report}).
     *
     * @return this config if the path is unset or already absolute, else a copy with the absolute path
     */
    public RunConfig withAbsoluteDataPath() {
        if (data.path() == null || data.path().isEmpty()) {
            return this;
        }
        Path path;
        try {
            path = Path.of(data.path());
        } catch (InvalidPathException e) {
            return this;
        }
        if (path.isAbsolute()) {
            return this;
        }
        DataConfig absolute = new DataConfig(data.kind(), path.toAbsolutePath().normalize().toString(), data.samples(),
                data.gaussian(), data.ring(), data.grid(), data.imageSize(), data.channels(), data.cifarVariant(),
                data.onBadFile(), data.limit());
        return new RunConfig(name, seed, absolute, model, loss, training, output);
    }
}
