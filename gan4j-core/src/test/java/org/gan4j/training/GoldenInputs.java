package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.function.IntFunction;

/** What the golden tests against PyTorch share: their JSON inputs, the saved parameters and a scripted data source. */
final class GoldenInputs {

    private GoldenInputs() {}

    /** A JSON array of numbers as floats. */
    static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    /** A JSON resource next to {@code owner}. */
    static JsonNode read(Class<?> owner, String resource) throws IOException {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    /** Sets each parameter (and running average) to the saved values, checking the names and their order. */
    static void load(Block block, JsonNode saved) {
        Iterator<JsonNode> entries = saved.elements();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            JsonNode entry = entries.next();
            assertThat(pair.getKey()).isEqualTo(entry.get("name").asText());
            pair.getValue().getArray().set(floats(entry.get("values")));
        }
        assertThat(entries.hasNext()).isFalse();
    }

    /** Real batches in a fixed order: batch b (from 0) is {@code batch.apply(b)}. */
    static RealBatches batches(IntFunction<float[]> batch, int perEpoch) {
        return new RealBatches() {
            private int next;

            @Override
            public float[] next() {
                return batch.apply(next++);
            }

            @Override
            public int batchesPerEpoch() {
                return perEpoch;
            }

            @Override
            public long waitNanos() {
                return 0;
            }

            @Override
            public void close() {}
        };
    }
}
