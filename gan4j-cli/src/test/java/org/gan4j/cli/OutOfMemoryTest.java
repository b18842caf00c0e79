package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running out of memory (a batch too large for the machine) ends in one line naming what to change. */
class OutOfMemoryTest {

    @TempDir Path temp;

    @Test
    void libtorchAllocatorFailuresBecomeOneLine() {
        // libtorch 2.7.1's message, as DJL passes it on
        String cpu = "[enforce fail at alloc_cpu.cpp:119] err == 0. DefaultCPUAllocator: can't allocate memory: you"
                + " tried to allocate 134217728 bytes. Error code 12 (Cannot allocate memory)";
        String line = Main.outOfMemory(new RuntimeException("step 3", new EngineException(cpu)));
        assertThat(line).startsWith("out of native memory in libtorch (an array of 128.0 MiB could not be allocated);")
                .contains("lower training.batchSize").doesNotContain("\n");
        String gpu = "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 139.8 GiB total capacity)";
        assertThat(Main.outOfMemory(new EngineException(gpu))).startsWith("out of GPU memory in libtorch;");
        assertThat(Main.outOfMemory(new OutOfMemoryError("Java heap space")))
                .startsWith("out of Java heap memory (Java heap space); raise it with JAVA_OPTS=-Xmx8g");
        // oneDNN's own allocation failure, as libtorch 2.7.1 reports it under an address-space limit
        String onednn = "The following operation failed in the TorchScript interpreter.\n"
                + "RuntimeError: could not create a primitive\n";
        assertThat(Main.outOfMemory(new RuntimeException(new EngineException(onednn))))
                .startsWith("out of native memory in libtorch, most likely (oneDNN could not create a primitive")
                .contains("lower training.batchSize").doesNotContain("\n");
        // anything else is not mistaken for it
        assertThat(Main.outOfMemory(new EngineException("shape mismatch"))).isNull();
        assertThat(Main.outOfMemory(new IllegalStateException("allocate 12 bytes"))).isNull();
    }

    @Test
    void aBatchTooLargeForTheProcessEndsInOneLine() throws IOException, InterruptedException {
        // a real libtorch allocation failure: the child's address space capped at 3.5 GB, a 64×64 DCGAN at batch 2048 (its
        // step peaks at 4.3 GiB resident; 6 GB was enough for it once D back-propagated its real and fake halves in turn)
        Path log = temp.resolve("oom.log");
        List<String> java = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=128m", "-XX:TieredStopAtLevel=1",
                "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp",
                System.getProperty("java.class.path"), "org.gan4j.cli.Main", "bench", "--model", "dcgan64", "--batch",
                "2048", "--steps", "1", "--warmup", "0", "--threads", "2"));
        StringBuilder command = new StringBuilder("ulimit -v 3500000; exec");
        for (String part : java) {
            command.append(" '").append(part.replace("'", "'\\''")).append("'");
        }
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command.toString());
        builder.redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("TORCH_CPP_LOG_LEVEL", "ERROR");
        // two threads and two malloc arenas whatever the machine: on many cores, each thread's 64 MiB arena
        // reservation would eat into the address-space limit before libtorch allocates anything
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        List<String> errors = output.lines().filter(text -> text.startsWith("gan4j: error: ")).toList();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(errors).as(output).hasSize(1);
        assertThat(errors.get(0)).startsWith("gan4j: error: out of native memory in libtorch");
        assertThat(output).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
