package org.gan4j.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes content to a stream; the unit of work handed to {@link AtomicFiles} and {@link CheckpointStore}.
 *
 * <p>The writer must not close the stream: the caller flushes, fsyncs and closes it.
 */
@FunctionalInterface
public interface IoWriter {

    /**
     * Writes the content to the given stream.
     *
     * @param out the stream to write to (do not close it)
     * @throws IOException if writing fails; the caller then discards everything written so far
     */
    void write(OutputStream out) throws IOException;
}
