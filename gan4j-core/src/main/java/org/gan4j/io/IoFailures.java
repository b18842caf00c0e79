package org.gan4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.gan4j.Gan4jException;

/**
 * Turns low-level I/O exceptions into one-line {@link Gan4jException}s that name the file and the reason. Java's
 * file exceptions carry only a path as their message (often a temp file's), so messages are built from
 * {@link #reason}, never from {@code getMessage()}.
 */
public final class IoFailures {

    private IoFailures() {}

    /**
     * Returns a short human reason for an I/O failure, such as "Permission denied" or "No space left on device".
     *
     * @param e the failure
     * @return the reason, one line
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException notDirectory) {
            return notDirectory.getFile() == null ? "Not a directory" : notDirectory.getFile() + " is not a folder";
        }
        if (e instanceof FileSystemException fileSystemException && fileSystemException.getReason() != null) {
            return fileSystemException.getReason();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message).trim();
    }

    /**
     * Wraps an I/O failure as a user-fixable error.
     *
     * @param action what was attempted, for example "cannot write /runs/a/run.json"
     * @param e the failure
     * @return the exception to throw
     */
    public static Gan4jException wrap(String action, IOException e) {
        return new Gan4jException(action + ": " + reason(e), e);
    }
}
