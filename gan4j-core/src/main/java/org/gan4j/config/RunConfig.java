package org.gan4j.config;

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
        OutputConfig output) {}
