package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the repository's Python scripts (bench/, scripts/) with python3, as a user would, for the tests. */
final class PythonScript {

    /** What the script did: its exit code and its two output streams. */
    record Result(int exit, String out, String err) {}

    private PythonScript() {}

    /**
     * Runs {@code python3 ../FOLDER/SCRIPT ARGS} from the module folder (Maven's working directory) and waits up to
     * a minute for it.
     */
    static Result run(String folder, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", Path.of("..", folder, script).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished within a minute", script).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.exitValue(), out, err);
    }
}
