package org.gan4j.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.nn.layers.MemoryFormat;

/**
 * Loads saved block parameters safely.
 *
 * <p>DJL's {@code Parameter.load} replaces each array without checking its shape, leaves the new array outside
 * autograd, in plain layout, and keeps the old one alive. This restores the shapes check, the gradient flag, the
 * layout and the release, and turns DJL's low-level failures into one-line user errors.
 */
final class ModelLoading {

    private ModelLoading() {}

    static void loadParameters(Block block, NDManager manager, DataInputStream in, String source) throws IOException {
        List<Parameter> parameters = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        List<NDArray> previous = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            parameters.add(pair.getValue());
            shapes.add(pair.getValue().getArray().getShape());
            previous.add(pair.getValue().getArray());
        }
        try {
            block.loadParameters(manager, in);
        } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            throw new Gan4jException(
                    source + " does not fit this architecture (" + firstLine(e.getMessage()) + ")", e);
        } catch (NegativeArraySizeException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            // a damaged size in the file (its manifest recomputed, so it verified): until 1 December a stack trace
            throw new Gan4jException(source + " is damaged: a size in it is impossible (" + firstLine(e.getMessage())
                    + ")", e);
        } catch (EOFException e) {
            throw new Gan4jException(source + " is truncated", e);
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = parameters.get(i);
            NDArray loaded = parameter.getArray();
            if (!loaded.getShape().equals(shapes.get(i))) {
                throw new Gan4jException(
                        source + ": parameter " + parameter.getName() + " has shape " + loaded.getShape()
                                + ", this architecture needs " + shapes.get(i)
                                + " (checkpoint from a different architecture?)");
            }
            if (parameter.requiresGradient()) {
                loaded.setRequiresGradient(true);
            }
            if (previous.get(i) != loaded) {
                // DJL's arrays arrive plain: give each the memory layout its parameter had (channels-last weights)
                MemoryFormat.matchLayout(loaded, previous.get(i));
                previous.get(i).close();
            }
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
