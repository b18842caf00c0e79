package org.gan4j;

/**
 * A problem the user can fix: bad input, a bad config value, a missing or corrupt file.
 *
 * <p>The message is one line that names the file, field or value and says what is expected. The CLI prints it
 * without a stack trace and exits with code 2. Programming errors use ordinary unchecked exceptions instead.
 */
public class Gan4jException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an error with a one-line message.
     *
     * @param message what is wrong and what is expected, naming the file, field or value
     */
    public Gan4jException(String message) {
        super(message);
    }

    /**
     * Creates an error with a one-line message and the low-level cause (kept for debugging, never printed).
     *
     * @param message what is wrong and what is expected, naming the file, field or value
     * @param cause the underlying exception
     */
    public Gan4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
