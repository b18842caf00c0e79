package org.gan4j.config;

import java.util.List;
import org.gan4j.config.DataConfig.BadFilePolicy;
import org.gan4j.config.DataConfig.CifarVariant;
import org.gan4j.config.DataConfig.DataKind;
import org.gan4j.config.DataConfig.GaussianConfig;
import org.gan4j.config.DataConfig.GridConfig;
import org.gan4j.config.DataConfig.RingConfig;
import org.gan4j.config.LossConfig.GeneratorLoss;
import org.gan4j.config.LossConfig.Reduction;
import org.gan4j.config.ModelConfig.Architecture;
import org.gan4j.config.ModelConfig.DcganConfig;
import org.gan4j.config.ModelConfig.MlpConfig;
import org.gan4j.config.TrainingConfig.NonFinitePolicy;
import org.gan4j.config.TrainingConfig.OptimizerConfig;
import org.gan4j.nn.Activation;

/**
 * Every default of gan4j, in one place. A preset in {@code configs/} lists only what differs from these.
 *
 * <p>Training defaults follow DCGAN (Radford et al. 2015): Adam lr 2e-4, β1 0.5, batch 64. The data defaults are
 * d2l's affine Gaussian and the MLP defaults d2l's toy networks, so a config-less run trains something meaningful.
 */
public final class Defaults {

    private Defaults() {}

    /**
     * Returns the default configuration.
     *
     * @return the defaults
     */
    public static RunConfig config() {
        DataConfig data =
                new DataConfig(
                        DataKind.GAUSSIAN,
                        null,
                        1000,
                        new GaussianConfig(List.of(List.of(1.0, 2.0), List.of(-0.1, 0.5)), List.of(1.0, 2.0)),
                        new RingConfig(8, 1.0, 0.01),
                        new GridConfig(5, 2.0, 0.05),
                        0,
                        0,
                        CifarVariant.AUTO,
                        BadFilePolicy.SKIP,
                        0);
        ModelConfig model =
                new ModelConfig(
                        Architecture.AUTO,
                        100,
                        new MlpConfig(
                                List.of(), Activation.RELU, false, Activation.IDENTITY, List.of(5, 3), Activation.TANH, 0,
                                0.0, ModelConfig.BiasInit.ZERO),
                        new DcganConfig(64, 64),
                        1);
        LossConfig loss = new LossConfig(GeneratorLoss.NON_SATURATING, 1.0, Reduction.MEAN);
        OptimizerConfig adam = new OptimizerConfig(2e-4, 0.5, 0.999, 1e-8);
        TrainingConfig training = new TrainingConfig(64, 2000, 1, 1, adam, adam, 0, NonFinitePolicy.STOP, 3, 0.5);
        OutputConfig output = new OutputConfig("runs", 10, 500, 100, 500, 3, 64);
        return new RunConfig("run", 42, data, model, loss, training, output);
    }
}
