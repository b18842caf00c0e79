package org.gan4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gan4j demo}: the textbook toy GAN on d2l's Gaussian, then a DCGAN on Fashion-MNIST for about half a minute.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Train (a) d2l's toy GAN on the 2-D affine Gaussian and (b) a DCGAN on Fashion-MNIST; print where results are.",
            "Part (b) needs the Debian package dataset-fashion-mnist; without it the demo says how to install it and runs"
                + " part (a) only. ./gan4j demo installs it first when run as root."
        })
public final class DemoCommand implements Callable<Integer> {

    /** Where the Debian package puts Fashion-MNIST. */
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

    @Spec CommandSpec spec;

    @Option(names = "--dcgan-steps", paramLabel = "N", description = "Training steps of the Fashion-MNIST DCGAN (default: ${DEFAULT-VALUE}, about 25 s on 2 cores).")
    long dcganSteps = 600;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the demo's run directories (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "demo");

    @Option(names = "--configs", paramLabel = "DIR", description = "Folder of presets (default: $GAN4J_HOME/configs, else ./configs).")
    Path configs;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        Path presets = configs != null ? configs : defaultConfigs();
        if (!Files.isDirectory(presets)) {
            throw new Gan4jException("presets folder " + presets + " not found: pass --configs DIR (the repository's configs/)");
        }
        if (dcganSteps < 1) {
            throw new Gan4jException("--dcgan-steps must be at least 1, got " + dcganSteps);
        }
        console.println("== (a) d2l's toy GAN: G = Linear 2→2 learns the affine Gaussian X = Z·A + b ==");
        console.flush();
        int code = train(presets.resolve("d2l-gaussian.yaml"), List.of());
        if (code != 0) {
            return code;
        }
        console.println();
        if (!Files.isReadable(FASHION_MNIST)) {
            console.println("== (b) DCGAN on Fashion-MNIST: skipped ==");
            console.println("Fashion-MNIST is not installed (" + FASHION_MNIST + " is missing). Install it as root with");
            console.println("  apt-get install dataset-fashion-mnist");
            console.println("and run the demo again (./gan4j demo does this itself when run as root).");
            console.flush();
            return 0;
        }
        console.printf("== (b) DCGAN on Fashion-MNIST, %d steps of batch 64 ==%n", dcganSteps);
        console.flush();
        return train(
                presets.resolve("dcgan-fashion-mnist.yaml"),
                List.of("training.steps=" + dcganSteps, "output.sampleEvery=" + Math.max(1, dcganSteps / 4)));
    }

    private int train(Path preset, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("train", "--config", preset.toString(), "--set",
                TrainCommand.setString("output.dir", out.toString())));
        for (String set : extra) {
            args.add("--set");
            args.add(set);
        }
        if (System.console() == null) {
            args.add("--no-progress");
        }
        return Main.commandLine().execute(args.toArray(new String[0]));
    }

    private static Path defaultConfigs() {
        String home = System.getenv("GAN4J_HOME");
        return home != null ? Path.of(home, "configs") : Path.of("configs");
    }
}
