package org.gan4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.gan4j.training.GanTrainer;
import org.junit.jupiter.api.Test;

/**
 * gan4j's compiled code calls none of DJL's {@code NDArray} operations that take a Java {@code Number}.
 *
 * <p>DJL wraps the number in a temporary array over a Java direct buffer and closes it right after the operation.
 * Where autograd records the operation it keeps that array for the backward pass, which then reads freed memory once
 * the garbage collector has collected the buffer: D's real label did this and froze D at random steps
 * (docs/RELIABILITY.md, BinaryCrossEntropyGcTest). Scalars must be arrays that libtorch made ({@code full},
 * {@code ones}). The check reads the bytecode of gan4j-core with {@code javap}, so it also sees numbers passed in
 * variables.
 */
class DjlNumberOperationsTest {

    /** A call of an NDArray or NDArrays method whose parameters include a {@code java.lang.Number}. */
    private static final Pattern NUMBER_OPERATION =
            Pattern.compile("Method ai/djl/ndarray/(NDArray|NDArrays)\\.(\\w+):\\([^)]*Ljava/lang/Number;[^)]*\\)");

    @Test
    void noNdArrayOperationTakesAJavaNumber() throws IOException, URISyntaxException {
        Path classes = Path.of(GanTrainer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            walk.filter(p -> p.toString().endsWith(".class")).forEach(p -> files.add(p.toString()));
        }
        assertThat(files).as("compiled classes under " + classes).hasSizeGreaterThan(100);

        List<String> arguments = new ArrayList<>(List.of("-c", "-p"));
        arguments.addAll(files);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        int status = javap.run(new PrintWriter(out), new PrintWriter(err), arguments.toArray(new String[0]));
        assertThat(status).as(err.toString()).isZero();

        List<String> found = new ArrayList<>();
        String currentClass = "";
        String currentMethod = "";
        for (String line : out.toString().split("\n")) {
            if (!line.startsWith(" ") && line.endsWith("{")) {
                currentClass = line; // "public final class org.gan4j.… {"
            } else if (line.startsWith("  ") && !line.startsWith("   ") && line.endsWith(";")) {
                currentMethod = line.trim(); // a member's signature
            }
            Matcher matcher = NUMBER_OPERATION.matcher(line);
            if (matcher.find()) {
                found.add(currentClass + " " + currentMethod + " calls " + matcher.group(1) + "." + matcher.group(2));
            }
        }
        assertThat(found).as("DJL operations taking a Java Number (use a libtorch-made scalar array instead)").isEmpty();
        assertThat(out.toString()).contains("Method ai/djl/ndarray/NDArray.mul:(Lai/djl/ndarray/NDArray;)");
    }
}
