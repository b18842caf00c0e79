package org.gan4j.cli;

import java.io.PrintWriter;
import org.gan4j.Gan4jException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gan4j} command line: train, sample, interpolate and inspect GANs.
 *
 * <p>User mistakes ({@link Gan4jException}, bad options) print one line on stderr and exit with code 2; a run stopped
 * by Ctrl-C exits with 130 after writing a checkpoint.
 */
@Command(
        name = "gan4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Train, sample and inspect Generative Adversarial Networks on the JVM (DJL + libtorch).",
        subcommands = {
            TrainCommand.class,
            SampleCommand.class,
            InterpolateCommand.class,
            InfoCommand.class,
            DemoCommand.class,
            ClassifierCommand.class,
            EvaluateCommand.class,
            BenchCommand.class,
            ReportCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    /** Exit code for user errors: bad input, bad config, missing files. */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /**
     * Runs the CLI and exits.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns its exit code (used by tests).
     *
     * @param args command-line arguments
     * @return the exit code
     */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * Builds the configured picocli command line.
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(
                (exception, cmd, parseResult) -> {
                    Throwable cause = exception;
                    while (!(cause instanceof Gan4jException) && cause.getCause() != null && cause.getCause() != cause) {
                        cause = cause.getCause();
                    }
                    if (cause instanceof Gan4jException) {
                        cmd.getErr().println("gan4j: error: " + oneLine(cause.getMessage()));
                        cmd.getErr().flush();
                        return USER_ERROR;
                    }
                    throw exception;
                });
        commandLine.setParameterExceptionHandler(
                (exception, args) -> {
                    CommandLine cmd = exception.getCommandLine();
                    PrintWriter err = cmd.getErr();
                    err.println(
                            "gan4j: error: " + oneLine(exception.getMessage()).replaceFirst("^Error: ", "") + " (see '"
                                    + cmd.getCommandSpec().qualifiedName() + " --help')");
                    err.flush();
                    return USER_ERROR;
                });
        return commandLine;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints gan4j's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gan4j " + org.gan4j.training.TrainingRun.VERSION};
        }
    }
}
