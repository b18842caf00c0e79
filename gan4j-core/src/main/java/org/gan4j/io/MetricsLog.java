package org.gan4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code metrics.jsonl} file: JSON Lines, one {@link MetricsRow} per logged step, appended as training runs.
 *
 * <p>Each {@link #append} writes one complete line and flushes it to the operating system, so a crash of the JVM
 * loses at most the line in progress. {@link #open} repairs such a torn tail first (it cuts the file after its last
 * newline) so new lines never glue onto a fragment. {@link #read} ignores a torn last line; any other malformed line
 * is an error naming its line number. Not thread-safe: one writer per file.
 */
public final class MetricsLog implements Closeable {

    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsLog.class);

    private final Path file;
    private final OutputStream out;

    private MetricsLog(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens a metrics file for appending, creating it (and its directory) if needed.
     *
     * <p>If the file ends in a partial line (a crash mid-write), that fragment is cut off with a WARN.
     *
     * @param file the metrics file, normally {@code runs/<name>/metrics.jsonl}
     * @return the open log; close it when training ends
     * @throws Gan4jException if the file cannot be opened
     */
    public static MetricsLog open(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            cutTornTail(file);
            OutputStream out = Files.newOutputStream(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new MetricsLog(file, out);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot open metrics log " + file, e);
        }
    }

    /**
     * Appends one row as one line and flushes it.
     *
     * @param row the row
     * @throws Gan4jException if the line cannot be written
     */
    public void append(MetricsRow row) {
        byte[] line;
        try {
            line = (Json.MAPPER.writeValueAsString(row.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize metrics row at step " + row.step(), e);
        }
        try {
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw IoFailures.wrap("cannot append to metrics log " + file, e);
        }
    }

    /**
     * Returns the file this log appends to.
     *
     * @return the path given to {@link #open}
     */
    public Path file() {
        return file;
    }

    /**
     * Closes the file.
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * Closes a log that may be null, warning instead of throwing: for listeners that release their log when a
     * segment ends or when the next one starts after a divergence rollback.
     *
     * @param log the log, or null
     * @return null, for the caller's field
     */
    public static MetricsLog closeQuietly(MetricsLog log) {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOGGER.warn("cannot close {}: {}", log.file, e.getMessage());
            }
        }
        return null;
    }

    /**
     * Reads every row of a metrics file, in file order.
     *
     * <p>Blank lines are skipped. A last line that does not parse (torn by a crash) is ignored with a WARN.
     *
     * @param file the metrics file
     * @return the rows
     * @throws Gan4jException if the file is missing or unreadable, or a line other than the last is malformed
     *     (the message names the file and line number)
     */
    public static List<MetricsRow> read(Path file) {
        List<String> lines = readLines(file);
        List<MetricsRow> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            MetricsRow row = parse(file, lines, i);
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * Atomically rewrites a metrics file keeping only rows with {@code step <= lastStep}, for resuming.
     *
     * <p>Kept lines are copied byte for byte; a torn last line is dropped. A missing file is left missing.
     *
     * @param file the metrics file
     * @param lastStep the step of the checkpoint being resumed
     * @return the step of the last row kept, 0 when none is (or there is no file)
     * @throws Gan4jException if the file cannot be read or rewritten, or has a malformed line
     */
    public static long truncateAfter(Path file, long lastStep) {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> lines = readLines(file);
        StringBuilder kept = new StringBuilder();
        long lastKept = 0;
        for (int i = 0; i < lines.size(); i++) {
            MetricsRow row = parse(file, lines, i);
            if (row != null && row.step() <= lastStep) {
                kept.append(lines.get(i)).append('\n');
                lastKept = row.step();
            }
        }
        try {
            AtomicFiles.writeString(file, kept.toString());
        } catch (IOException e) {
            throw IoFailures.wrap("cannot rewrite metrics log " + file, e);
        }
        return lastKept;
    }

    /**
     * Atomically rewrites a metrics file without the rows of {@code step} logged before that step's evaluation row
     * (all of the step's rows when it has none), for a run that continues from a stop off the logging grid: the
     * stop's training row, and the warnings that row raised, are not rows of an uninterrupted run, but the step's
     * evaluation (and the warnings it raised, logged after it) is.
     *
     * <p>Other rows are copied byte for byte; a torn last line is dropped. A missing file is left missing.
     *
     * @param file the metrics file
     * @param step the step of the stop
     * @throws Gan4jException if the file cannot be read or rewritten, or has a malformed line
     */
    public static void dropStopRows(Path file, long step) {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = readLines(file);
        StringBuilder kept = new StringBuilder();
        boolean evaluated = false;
        for (int i = 0; i < lines.size(); i++) {
            MetricsRow row = parse(file, lines, i);
            if (row == null) {
                continue;
            }
            if (row.step() == step) {
                evaluated |= row.extras().containsKey("eval");
                if (!evaluated) {
                    continue;
                }
            }
            kept.append(lines.get(i)).append('\n');
        }
        try {
            AtomicFiles.writeString(file, kept.toString());
        } catch (IOException e) {
            throw IoFailures.wrap("cannot rewrite metrics log " + file, e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            // Lenient decoding: a crash can tear a multi-byte character in the last line.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException e) {
            throw new Gan4jException("metrics file " + file + " does not exist", e);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot read metrics file " + file, e);
        }
    }

    /** Parses line i; returns null for a blank line or a torn last line. */
    private static MetricsRow parse(Path file, List<String> lines, int index) {
        String line = lines.get(index);
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            return MetricsRow.fromJson(node);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            if (index == lastNonBlank(lines)) {
                LOGGER.warn("{}: ignoring incomplete last line {}", file, index + 1);
                return null;
            }
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new Gan4jException(String.format(
                    "%s line %d is not a valid metrics row: %s", file, index + 1, reason.lines().findFirst()
                            .orElse(reason)), e);
        }
    }

    private static int lastNonBlank(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    private static void cutTornTail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size == 0) {
                return;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            long position = size - 1;
            channel.read(one, position);
            if (one.get(0) == '\n') {
                return;
            }
            while (position > 0) {
                one.clear();
                channel.read(one, position - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                position--;
            }
            LOGGER.warn("{}: cutting {} bytes of an incomplete last line", file, size - position);
            channel.truncate(position);
            channel.force(true);
        }
    }

    /**
     * Makes the rows written so far durable (fsync). Training calls it before each checkpoint, so that a checkpoint
     * that survives a power loss never has metrics rows missing before it (rows are flushed to the operating system
     * on every append, which survives a crash of the process but not of the machine).
     *
     * @param file the metrics file; nothing happens if it does not exist
     * @throws Gan4jException if the file cannot be synced
     */
    public static void sync(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot sync " + file, e);
        }
    }
}
