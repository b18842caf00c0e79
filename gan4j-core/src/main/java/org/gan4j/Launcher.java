package org.gan4j;

/** How the user invoked gan4j, for the commands gan4j prints for them to run. */
public final class Launcher {

    /** System property through which the launcher passes how it was invoked ({@code ./gan4j}, a path, …). */
    public static final String COMMAND_PROPERTY = "gan4j.command";

    private Launcher() {}

    /**
     * How to invoke gan4j in a command printed for the user to run (for example "continue with: ./gan4j train
     * --resume …"): what the launcher was invoked as, since the README's {@code ./gan4j} is not on the PATH, as a
     * {@link #shellWord}, else {@code gan4j}.
     *
     * @return the command word
     */
    public static String command() {
        String invoked = System.getProperty(COMMAND_PROPERTY, "").strip();
        return invoked.isEmpty() || invoked.chars().anyMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"')
                ? "gan4j" : shellWord(invoked);
    }

    /**
     * A word of a command printed for the user to copy into a shell: as it is when it holds only characters no shell
     * treats specially, else in single quotes (a run folder named {@code demo #1} or {@code my runs/a}, which the
     * shell would otherwise split or cut at the '#').
     *
     * @param word a path or argument
     * @return the word as a POSIX shell reads it back
     */
    public static String shellWord(Object word) {
        String text = String.valueOf(word);
        if (!text.isEmpty() && text.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
