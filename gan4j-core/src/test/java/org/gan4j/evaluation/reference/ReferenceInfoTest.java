package org.gan4j.evaluation.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's optional {@code classNames}: written, read back, absent in older sidecars, and checked. */
class ReferenceInfoTest {

    private static final String SHA = "b475390d0a6e3ae310a470289870a844508e94a5785492048dfc648675bd4779";

    @TempDir Path temp;

    private static ReferenceInfo info(List<String> names) {
        return new ReferenceInfo("tiny-v1", "idx tiny", 3, new long[] {1, 28, 28}, 128, 0.5, 30, 12, 1, 1, SHA,
                "./gan4j classifier train", "0.1.0", names);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ReferenceClassifier.class.getResourceAsStream(ReferenceClassifier.RESOURCE_FOLDER + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void classNamesSurviveTheRoundTripInLabelOrder() {
        ReferenceInfo named = info(List.of("cat", "dog", "fox"));
        ObjectNode json = named.toJson();
        assertThat(json.get("classNames").toString()).isEqualTo("[\"cat\",\"dog\",\"fox\"]");
        ReferenceInfo read = ReferenceInfo.fromJson(json, "test");
        assertThat(read).isEqualTo(named);
        assertThat(read.classNames()).containsExactly("cat", "dog", "fox");
        assertThat(read.className(1)).isEqualTo("dog");
        assertThat(read.classNamesOrDefault()).containsExactly("cat", "dog", "fox");
    }

    /** A sidecar written before class names existed has no such field: it loads, and its classes get numbers. */
    @Test
    void aSidecarWithoutClassNamesLoadsAndNumbersItsClasses() {
        ReferenceInfo unnamed = info(List.of());
        ObjectNode json = unnamed.toJson();
        assertThat(json.has("classNames")).as("an IDX classifier's sidecar has no classNames field").isFalse();
        ReferenceInfo read = ReferenceInfo.fromJson(json, "test");
        assertThat(read).isEqualTo(unnamed);
        assertThat(read.classNames()).isEmpty();
        assertThat(read.classNamesOrDefault()).containsExactly("class 0", "class 1", "class 2");
        json.putNull("classNames");
        assertThat(ReferenceInfo.fromJson(json, "test").classNames()).isEmpty();
        // the constructor of before, without names
        assertThat(new ReferenceInfo("tiny-v1", "idx tiny", 3, new long[] {1, 28, 28}, 128, 0.5, 30, 12, 1, 1, SHA,
                "./gan4j classifier train", "0.1.0")).isEqualTo(unnamed);
    }

    @Test
    void classNamesOfAnotherLengthOrKindAreAOneLineErrorNamingTheSidecar() {
        ObjectNode json = info(List.of()).toJson();
        json.putArray("classNames").add("cat").add("dog");
        assertThatThrownBy(() -> ReferenceInfo.fromJson(json, "sidecar /x/tiny-v1.json"))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("sidecar /x/tiny-v1.json: \"classNames\" lists 2 names, but \"classes\" is 3: give one name"
                        + " per class, in label order, or leave classNames out");
        json.put("classNames", "cat,dog,fox");
        assertThatThrownBy(() -> ReferenceInfo.fromJson(json, "sidecar /x/tiny-v1.json"))
                .isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith("sidecar /x/tiny-v1.json: field \"classNames\" is string;")
                .hasMessageNotContaining("\n");
        json.putArray("classNames").add("cat").add(2).add("fox");
        assertThatThrownBy(() -> ReferenceInfo.fromJson(json, "sidecar /x/tiny-v1.json"))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("holds 2; expected only texts");
        // a name twice, as an edited sidecar may have it (accepted until 1 December; --class-names refused it)
        json.putArray("classNames").add("cat").add("dog").add("cat");
        assertThatThrownBy(() -> ReferenceInfo.fromJson(json, "sidecar /x/tiny-v1.json"))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("sidecar /x/tiny-v1.json: \"classNames\" names 'cat' twice (classes 0 and 2): each class"
                        + " needs its own name");
    }

    /**
     * An edited sidecar whose image shape has a zero or negative side, or one too small for the network's two poolings,
     * is a one-line error naming the sidecar and the shape expected (until 1 December libtorch or DJL threw, and the CLI
     * printed a stack trace).
     */
    @Test
    void anImageShapeWithoutRoomForTheNetworkIsAOneLineErrorNamingTheSidecar() {
        ObjectNode json = info(List.of()).toJson();
        for (long[] shape : new long[][] {{1, 0, 28}, {1, -28, 28}, {0, 28, 28}, {1, 28, 3}}) {
            json.putArray("imageShape").add(shape[0]).add(shape[1]).add(shape[2]);
            assertThatThrownBy(() -> ReferenceInfo.fromJson(json, "sidecar /x/tiny-v1.json"))
                    .isInstanceOf(Gan4jException.class)
                    .hasMessage("sidecar /x/tiny-v1.json: \"imageShape\" is " + java.util.Arrays.toString(shape)
                            + "; expected [channels, height, width] with at least 1 channel and sides of at least 4"
                            + " pixels");
        }
        json.putArray("imageShape").add(3).add(4).add(4);
        assertThat(ReferenceInfo.fromJson(json, "test").imageShape()).containsExactly(3, 4, 4);
    }

    /**
     * The shipped sidecar names Fashion-MNIST's classes; its weights (SHA-256 checked at every load) are unchanged. The
     * same sidecar without classNames, as users' older copies are, loads next to the weights; with a wrong count of
     * names the load is refused in one line that names the sidecar file.
     */
    @Test
    void theShippedSidecarNamesFashionMnistsClassesAndOlderCopiesStillLoad() throws IOException {
        try (ReferenceClassifier shipped = ReferenceClassifier.shipped(ReferenceClassifier.FASHION_MNIST)) {
            assertThat(shipped.info().sha256()).isEqualTo(SHA);
            assertThat(shipped.info().classNames()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress",
                    "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        }
        byte[] weights = resource("fashion-mnist-v1.params");
        ObjectNode sidecar = (ObjectNode) Json.MAPPER.readTree(resource("fashion-mnist-v1.json"));
        sidecar.remove("classNames");
        Path old = temp.resolve("old-v1.params");
        Files.write(old, weights);
        Files.writeString(temp.resolve("old-v1.json"), sidecar.toString());
        try (ReferenceClassifier loaded = ReferenceClassifier.load(old)) {
            assertThat(loaded.info().classNames()).isEmpty();
            assertThat(loaded.info().className(8)).isEqualTo("class 8");
        }

        sidecar.putArray("classNames").add("T-shirt/top").add("Trouser");
        Path wrong = temp.resolve("wrong-v1.params");
        Files.write(wrong, weights);
        Files.writeString(temp.resolve("wrong-v1.json"), sidecar.toString());
        assertThatThrownBy(() -> ReferenceClassifier.load(wrong))
                .isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith("sidecar " + temp.resolve("wrong-v1.json") + ": \"classNames\" lists 2 names,"
                        + " but \"classes\" is 10")
                .hasMessageNotContaining("\n");
    }
}
