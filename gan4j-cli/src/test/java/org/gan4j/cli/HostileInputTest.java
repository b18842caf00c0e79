package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of broken inputs run through the CLI: every one must end in exit code 2 and exactly one stderr line
 * starting "gan4j: error: ", never a stack trace, a hang or an out-of-memory error. The count of cases is printed and
 * recorded in docs/RELIABILITY.md.
 */
class HostileInputTest {

    @TempDir Path temp;

    private final Map<String, String[]> cases = new LinkedHashMap<>();

    private static byte[] idxHeader(int magic, int... dimensions) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int dimension : dimensions) {
            out.writeInt(dimension);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] png(int side) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        Path file = temp.resolve("corpus").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }

    /** A folder holding only the given files. */
    private Path folder(String name, Map<String, byte[]> files) throws IOException {
        Path folder = temp.resolve("folders").resolve(name);
        Files.createDirectories(folder);
        for (Map.Entry<String, byte[]> entry : files.entrySet()) {
            Files.write(folder.resolve(entry.getKey()), entry.getValue());
        }
        return folder;
    }

    private void data(String label, Path path) {
        cases.put("data: " + label, new String[] {"train", "--data", path.toString(), "--dry-run"});
    }

    private void folderData(String label, Path path) {
        cases.put("data: " + label, new String[] {"train", "--data", path.toString(), "--set", "data.imageSize=28", "--set", "data.channels=3",
            "--dry-run"});
        cases.put("data: " + label + " (onBadFile=fail)", new String[] {"train", "--data", path.toString(), "--set",
            "data.imageSize=28", "--set", "data.channels=3", "--set", "data.onBadFile=fail", "--dry-run"});
    }

    private void config(String label, String yaml) throws IOException {
        Path file = file("config-" + cases.size() + ".yaml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        cases.put("config: " + label, new String[] {"train", "--config", file.toString(), "--dry-run"});
    }

    /** The shipped reference classifier's weights with its sidecar edited by {@code edit}, for classifier show. */
    private void sidecar(String label, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit)
            throws IOException {
        String base = org.gan4j.evaluation.reference.ReferenceClassifier.RESOURCE_FOLDER
                + org.gan4j.evaluation.reference.ReferenceClassifier.FASHION_MNIST;
        com.fasterxml.jackson.databind.node.ObjectNode json;
        Path weights = temp.resolve("classifiers").resolve("c" + cases.size() + ".params");
        Files.createDirectories(weights.getParent());
        try (java.io.InputStream params = HostileInputTest.class.getResourceAsStream(base + ".params");
                java.io.InputStream sidecar = HostileInputTest.class.getResourceAsStream(base + ".json")) {
            Files.write(weights, params.readAllBytes());
            json = (com.fasterxml.jackson.databind.node.ObjectNode) org.gan4j.io.Json.MAPPER.readTree(sidecar);
        }
        edit.accept(json);
        Files.writeString(org.gan4j.evaluation.reference.ReferenceClassifier.sidecarOf(weights), json.toString());
        cases.put("classifier: " + label, new String[] {"classifier", "show", "--reference", weights.toString()});
    }

    private void buildCorpus() throws IOException {
        byte[] validPng = png(8);
        // IDX
        data("IDX zero-byte file", file("empty-idx3-ubyte", new byte[0]));
        data("IDX magic only", file("a-idx3-ubyte", idxHeader(0x803)));
        data("IDX wrong magic", file("b-idx3-ubyte", concat(idxHeader(0x0806, 1, 28, 28), new byte[784])));
        data("IDX huge declared count", file("c-idx3-ubyte", concat(idxHeader(0x803, Integer.MAX_VALUE, 28, 28), new byte[784])));
        data("IDX huge declared sides", file("d-idx3-ubyte", concat(idxHeader(0x803, 1, 65536, 65536), new byte[784])));
        data("IDX negative count", file("e-idx3-ubyte", concat(idxHeader(0x803, -5, 28, 28), new byte[784])));
        data("IDX zero sides", file("f-idx3-ubyte", idxHeader(0x803, 3, 0, 0)));
        data("IDX truncated pixels", file("g-idx3-ubyte", concat(idxHeader(0x803, 10, 28, 28), new byte[784 * 3 + 7])));
        data("IDX truncated header", file("h-idx3-ubyte", Arrays.copyOf(idxHeader(0x803, 10, 28, 28), 9)));
        data("IDX labels magic as images", file("i-idx1-ubyte", concat(idxHeader(0x801, 10), new byte[10])));
        data("IDX gzip truncated", file("j-idx3-ubyte.gz",
                Arrays.copyOf(gzip(concat(idxHeader(0x803, 10, 28, 28), new byte[7840])), 40)));
        data("IDX gzip of garbage name", file("k-idx3-ubyte.gz", "not gzip at all".getBytes()));
        data("IDX gzip bomb header (declares 2^31 images)",
                file("l-idx3-ubyte.gz", gzip(concat(idxHeader(0x803, Integer.MAX_VALUE, 28, 28), new byte[1000]))));
        // CIFAR
        data("CIFAR zero-byte batch", file("data_batch_1.bin", new byte[0]));
        Path cifarDir = temp.resolve("cifar-odd");
        Files.createDirectories(cifarDir);
        Files.write(cifarDir.resolve("data_batch_1.bin"), new byte[3073 * 2 + 5]);
        data("CIFAR folder with a partial record", cifarDir);
        data("CIFAR single byte", file("test_batch.bin", new byte[] {7}));
        data("CIFAR label out of range", file("data_batch_2.bin", concat(new byte[] {(byte) 200}, new byte[3072])));
        // image folders
        data("image folder empty", folder("empty", Map.of()));
        folderData("image folder zero-byte images", folder("zero", Map.of("a.png", new byte[0], "b.jpg", new byte[0])));
        folderData("image folder truncated PNG", folder("trunc-png", Map.of("a.png", Arrays.copyOf(validPng, validPng.length / 2))));
        folderData("image folder truncated JPEG", folder("trunc-jpg", Map.of("a.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})));
        folderData("image folder wrong magic", folder("wrong-magic", Map.of("a.png", "GIF89a-not-a-png".getBytes())));
        data("image folder non-image files", folder("text", Map.of("readme.txt", "hello".getBytes(), "x.csv", "1,2".getBytes())));
        byte[] hugePng = Arrays.copyOf(validPng, validPng.length);
        // IHDR width/height at bytes 16..23: declare 1,000,000 × 1,000,000 pixels
        byte[] huge = {0x00, 0x0F, 0x42, 0x40};
        System.arraycopy(huge, 0, hugePng, 16, 4);
        System.arraycopy(huge, 0, hugePng, 20, 4);
        folderData("image folder huge declared dimensions", folder("huge", Map.of("a.png", hugePng)));
        Path loop = temp.resolve("folders").resolve("loop");
        Files.createDirectories(loop.resolve("inner"));
        Files.createSymbolicLink(loop.resolve("inner").resolve("back"), loop);
        Files.write(loop.resolve("inner").resolve("a.png"), Arrays.copyOf(validPng, 20));
        folderData("image folder symlink loop", loop);
        Path dangling = temp.resolve("folders").resolve("dangling");
        Files.createDirectories(dangling);
        Files.createSymbolicLink(dangling.resolve("a.png"), temp.resolve("nowhere.png"));
        folderData("image folder dangling symlink", dangling);
        data("missing path", temp.resolve("does-not-exist"));
        data("random bytes with unknown name", file("mystery.dat", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        // configs
        config("not a mapping", "- 1\n- 2\n");
        config("wrong type", "training:\n  batchSize: lots\n");
        config("unknown key", "training:\n  lr: 0.1\n");
        config("huge number", "training:\n  steps: 99999999999999999999999999\n");
        config("negative", "training:\n  batchSize: -3\n");
        config("NaN learning rate", "training:\n  generator:\n    learningRate: .nan\n");
        config("deep nesting (flow)", "[".repeat(5000) + "]".repeat(5000) + "\n");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            deep.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        config("deep nesting (block)", deep.toString());
        config("tabs and garbage", "training:\n\tbatchSize: 3\n");
        config("binary", new String(new byte[] {0, 1, 2, (byte) 0xFF, 10}, java.nio.charset.StandardCharsets.ISO_8859_1));
        config("alias bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n");
        config("empty name", "name: ''\n");
        config("name escaping output dir", "name: ../../escape\n");
        config("enum typo", "training:\n  onNonFinite: retry\n");
        config("zero rollback factor", "training:\n  rollbackLearningRateFactor: 0\n");
        cases.put("config: missing file", new String[] {"train", "--config", temp.resolve("no.yaml").toString(), "--dry-run"});
        // classifier sidecars (the weights' SHA-256 still matches)
        sidecar("sidecar image side 0", json -> json.putArray("imageShape").add(1).add(0).add(28));
        sidecar("sidecar negative image side", json -> json.putArray("imageShape").add(1).add(-28).add(28));
        // run directories and checkpoints
        Path notRun = Files.createDirectories(temp.resolve("not-a-run"));
        cases.put("resume: not a run directory", new String[] {"train", "--resume", notRun.toString()});
        Path badRun = Files.createDirectories(temp.resolve("bad-run"));
        Files.writeString(badRun.resolve("run.json"), "{\"config\": {\"training\": {\"batchSize\": \"x\"}}");
        cases.put("resume: torn run.json", new String[] {"train", "--resume", badRun.toString()});
        cases.put("sample: not a run directory", new String[] {"sample", "--run", notRun.toString(), "--grid",
            temp.resolve("g.png").toString()});
        cases.put("option: negative max steps", new String[] {"train", "--max-steps", "-1", "--dry-run"});
        cases.put("option: unknown option", new String[] {"train", "--frobnicate"});
    }

    @Test
    void everyBrokenInputEndsInOneLineAndExitCodeTwo() throws IOException {
        buildCorpus();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String[]> entry : cases.entrySet()) {
            CliTest.Result result;
            try {
                result = CliTest.run(entry.getValue());
            } catch (RuntimeException | Error e) {
                failures.add(entry.getKey() + ": threw " + e);
                continue;
            }
            List<String> lines = result.errLines();
            boolean ok = result.code() == 2
                    && lines.size() == 1
                    && lines.get(0).startsWith("gan4j: error: ")
                    && !result.err().contains("\tat ");
            System.out.println(entry.getKey() + " -> " + result.err().strip());
            if (!ok) {
                failures.add(entry.getKey() + ": exit " + result.code() + ", stderr " + result.err().strip());
            }
        }
        System.out.printf("hostile CLI inputs: %d tried, %d survived%n", cases.size(), cases.size() - failures.size());
        assertThat(failures).as("cases not ending in one line and exit 2").isEmpty();
        assertThat(cases.size()).isGreaterThanOrEqualTo(55);
    }
}
