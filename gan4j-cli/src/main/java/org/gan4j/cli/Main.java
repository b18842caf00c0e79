package org.gan4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        CommandLine commandLine = commandLine();
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands Errors through; the Java heap is exhausted, so print the line and leave
            commandLine.getErr().println("gan4j: error: " + outOfMemory(e));
            commandLine.getErr().flush();
            return USER_ERROR;
        }
    }

    /**
     * Builds the configured picocli command line.
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        shareVersion(commandLine, new Version());
        commandLine.setExecutionStrategy(parseResult -> {
            // --help or --version anywhere on the line wins, as it does over every other mistake (RunLast prints it)
            String blank = helpRequested(parseResult) ? null : blankOptionValue(parseResult);
            if (blank != null) {
                PrintWriter err = parseResult.commandSpec().commandLine().getErr();
                err.println("gan4j: error: " + blank);
                err.flush();
                return USER_ERROR;
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler(
                (exception, cmd, parseResult) -> {
                    Throwable cause = exception;
                    while (!(cause instanceof Gan4jException) && cause.getCause() != null && cause.getCause() != cause) {
                        cause = cause.getCause();
                    }
                    String message =
                            cause instanceof Gan4jException ? oneLine(cause.getMessage()) : outOfMemory(exception);
                    if (message == null) {
                        throw exception;
                    }
                    cmd.getErr().println("gan4j: error: " + message);
                    cmd.getErr().flush();
                    return USER_ERROR;
                });
        commandLine.setParameterExceptionHandler(
                (exception, args) -> {
                    CommandLine cmd = exception.getCommandLine();
                    PrintWriter err = cmd.getErr();
                    String unknown = exception instanceof CommandLine.MissingParameterException
                            ? unknownOption(cmd.getCommandSpec(), args) : null;
                    if (unknown != null) {
                        // picocli reports the required option the typo left out, not the typo itself
                        err.println("gan4j: error: " + unknown + " (see '" + cmd.getCommandSpec().qualifiedName()
                                + " --help')");
                        err.flush();
                        return USER_ERROR;
                    }
                    err.println(
                            "gan4j: error: " + oneLine(exception.getMessage()).replaceFirst("^Error: ", "")
                                    + suggestion(exception) + " (see '" + cmd.getCommandSpec().qualifiedName()
                                    + " --help')");
                    err.flush();
                    return USER_ERROR;
                });
        return commandLine;
    }

    /** What --reference and --eval-reference expect. */
    private static final String A_CLASSIFIER = "a shipped classifier name (e.g. "
            + org.gan4j.evaluation.reference.ReferenceClassifier.FASHION_MNIST + ") or a NAME.params file";

    /** What an option expects, by "command --option" or by option name, for {@link #blankOptionValue}. */
    private static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("train --out", "the folder to write the run to"),
            Map.entry("serve DIR", "a folder of run directories (e.g. runs/) or one run directory"),
            Map.entry("--config", "a YAML file such as configs/dcgan-fashion-mnist.yaml"),
            Map.entry("--resume", "the run directory to continue"),
            Map.entry("--run", "a run directory written by gan4j train"),
            Map.entry("--bind", "an address such as 127.0.0.1 (0.0.0.0 for every network interface)"),
            Map.entry("--set", "KEY=VALUE, e.g. --set training.steps=500"),
            Map.entry("--eval-reference", A_CLASSIFIER),
            Map.entry("--reference", A_CLASSIFIER),
            Map.entry("--class-names", "the class names in label order, separated by commas (leave the option out"
                    + " for an image folder's class subfolders or CIFAR's names)"),
            Map.entry("--best-by", "a metric name, e.g. fd or coverage"),
            Map.entry("--eval-metrics", "a comma-separated list of metric names (leave the option out for all)"),
            Map.entry("--metrics", "a comma-separated list of metric names (leave the option out for all)"),
            Map.entry("--alarms", "all, none, or a comma-separated list of alarm names"),
            Map.entry("--checkpoint", "a step, latest or best"),
            Map.entry("--data", "a data file or folder"),
            Map.entry("--name", "a name (letters, digits, '.', '_' or '-')"));

    /** Whether --help or --version was given to the command or to any of its subcommands on this line. */
    private static boolean helpRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult result = parseResult; result != null; result = result.subcommand()) {
            if (result.isUsageHelpRequested() || result.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A one-line error for the first option or parameter given an empty or blank value ({@code --eval-reference ""},
     * {@code gan4j report ""}), naming it and what it expects; null when there is none. An empty value is never meant: picocli would hand it on
     * as "", which reads as the current folder, "all metrics" or a name with nothing in it further on.
     */
    static String blankOptionValue(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult result = parseResult; result != null; result = result.subcommand()) {
            List<CommandLine.Model.ArgSpec> given = new ArrayList<>(result.matchedOptions());
            // a run directory given as "" (gan4j report "") was read as the working folder: " is not a gan4j run
            // directory"
            given.addAll(result.matchedPositionals());
            for (CommandLine.Model.ArgSpec arg : given) {
                if (arg.arity().max() == 0) {
                    continue;
                }
                for (String value : arg.originalStringValues()) {
                    if (value.isBlank()) {
                        String name = arg instanceof CommandLine.Model.OptionSpec option ? option.longestName()
                                : arg.paramLabel();
                        String expected = EXPECTED.getOrDefault(
                                result.commandSpec().name() + " " + name,
                                EXPECTED.getOrDefault(name, expectedByLabel(arg.paramLabel())));
                        return name + " is " + (value.isEmpty() ? "empty" : "blank") + "; expected " + expected;
                    }
                }
            }
        }
        return null;
    }

    private static String expectedByLabel(String label) {
        switch (label) {
            case "DIR":
                return "a folder";
            case "FILE":
                return "a file";
            case "RUN_DIR":
            case "RUN":
                return "a run directory";
            case "PATH":
                return "a file or folder";
            default:
                return "a value (" + label + ")";
        }
    }

    /**
     * The first {@code --name} on the command line that the command does not know (a mistyped {@code --runn} makes
     * picocli say only that {@code --run} is missing), with the nearest known name; null when there is none.
     */
    static String unknownOption(CommandLine.Model.CommandSpec spec, String[] args) {
        boolean valueNext = false;
        for (String arg : args) {
            if (valueNext) {
                valueNext = false;
                continue;
            }
            if (!arg.startsWith("--") || arg.equals("--")) {
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            CommandLine.Model.OptionSpec option = spec.findOption(name);
            if (option != null) {
                valueNext = !arg.contains("=") && option.arity().max() > 0;
                continue;
            }
            String nearest = null;
            int best = 3;
            for (CommandLine.Model.OptionSpec known : spec.options()) {
                for (String candidate : known.names()) {
                    int distance = editDistance(name, candidate);
                    if (candidate.startsWith("--") && distance < best) {
                        best = distance;
                        nearest = candidate;
                    }
                }
            }
            return "Unknown option: '" + name + "'" + (nearest != null ? " (did you mean '" + nearest + "'?)" : "");
        }
        return null;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1,
                        previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }

    /** System property through which the launcher passes how it was invoked (see {@link org.gan4j.Launcher}). */
    static final String COMMAND_PROPERTY = org.gan4j.Launcher.COMMAND_PROPERTY;

    /**
     * How to invoke gan4j in a command printed for the user to run.
     *
     * @return the command word
     * @see org.gan4j.Launcher#command()
     */
    static String command() {
        return org.gan4j.Launcher.command();
    }

    /**
     * Picocli's nearest names for a mistyped command or option ({@code trian}, {@code --confg}), which its own
     * handler prints on extra lines: here in the one error line, as the config loader's "did you mean".
     */
    private static String suggestion(CommandLine.ParameterException exception) {
        if (exception instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                return " (did you mean '" + String.join("' or '", suggestions.subList(0, Math.min(2, suggestions.size())))
                        + "'?)";
            }
        }
        return "";
    }

    /**
     * Gives every subcommand gan4j's version provider, so {@code gan4j COMMAND -V} prints what {@code gan4j -V}
     * prints (picocli does not hand a command's version provider down to its subcommands).
     *
     * @param commandLine a command and its subcommands
     * @param version the provider
     */
    private static void shareVersion(CommandLine commandLine, CommandLine.IVersionProvider version) {
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            CommandLine.Model.CommandSpec subSpec = subcommand.getCommandSpec();
            if (subSpec.versionProvider() == null && subSpec.version().length == 0) {
                subSpec.versionProvider(version);
            }
            shareVersion(subcommand, version);
        }
    }

    private static final java.util.regex.Pattern ALLOCATION =
            java.util.regex.Pattern.compile("allocate (\\d+) bytes");

    /** What to do when libtorch runs out of memory: the end of both of its one-line messages. */
    private static final String NATIVE_REMEDY = "; lower training.batchSize (or the image size or model width), or "
            + "give the process more memory. Checkpoints already written are intact";

    /**
     * Recognises running out of memory, in libtorch (its CPU allocator, or CUDA) or in the Java heap: a consequence
     * of the batch size, image size or network width, so it ends in one line naming what to change instead of a
     * stack trace. Checkpoints already written stay valid (they are written atomically).
     *
     * @param exception what a command threw
     * @return the one-line message, or null for any other failure
     */
    static String outOfMemory(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            boolean engine = cause instanceof ai.djl.engine.EngineException
                    && (message.contains("DefaultCPUAllocator") || message.contains("CUDA out of memory")
                            || message.contains("not enough memory"));
            if (engine) {
                java.util.regex.Matcher bytes = ALLOCATION.matcher(message);
                String size = bytes.find()
                        ? String.format(java.util.Locale.ROOT, " (an array of %.1f MiB could not be allocated)",
                                Long.parseLong(bytes.group(1)) / (1024.0 * 1024.0))
                        : "";
                String device = message.contains("CUDA") ? "GPU" : "native";
                return "out of " + device + " memory in libtorch" + size + NATIVE_REMEDY;
            }
            if (cause instanceof ai.djl.engine.EngineException && message.contains("could not create a primitive")) {
                // oneDNN allocates the code and workspace of each new convolution itself: under memory pressure that
                // fails before libtorch's allocator does, with this message and no size
                return "out of native memory in libtorch, most likely (oneDNN could not create a primitive, which needs "
                        + "memory for its code and workspace)" + NATIVE_REMEDY;
            }
            if (cause instanceof OutOfMemoryError) {
                return "out of Java heap memory (" + oneLine(message) + "); raise it with JAVA_OPTS=-Xmx8g (or "
                        + "lower the data or batch size). Checkpoints already written are intact";
            }
        }
        return null;
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
