package org.gan4j.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.gan4j.Gan4jException;

/** Loads saved block parameters, turning DJL's low-level failures into one-line user errors. */
final class ModelLoading {

    private ModelLoading() {}

    static void loadParameters(Block block, NDManager manager, DataInputStream in, String source) throws IOException {
        try {
            block.loadParameters(manager, in);
        } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            throw new Gan4jException(
                    source + " does not fit this architecture (" + firstLine(e.getMessage()) + ")", e);
        } catch (EOFException e) {
            throw new Gan4jException(source + " is truncated", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
