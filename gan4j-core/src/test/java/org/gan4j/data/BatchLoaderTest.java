package org.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchLoaderTest {

    /** Example i is the point (i, −i), labelled i mod 3 when labelled. */
    private static class Counting implements GanDataset {
        private final int size;
        private final boolean labelled;

        Counting(int size, boolean labelled) {
            this.size = size;
            this.labelled = labelled;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public long[] exampleShape() {
            return new long[] {2};
        }

        @Override
        public void copyExample(int index, float[] destination, int offset) {
            destination[offset] = index;
            destination[offset + 1] = -index;
        }

        @Override
        public int label(int index) {
            return labelled ? index % 3 : -1;
        }

        @Override
        public int classCount() {
            return labelled ? 3 : 0;
        }

        @Override
        public String description() {
            return "counting";
        }
    }

    /** A counting dataset whose example {@code broken} throws (none when −1) and whose examples take a while. */
    private static Counting faulty(int size, int broken, long sleepMillis) {
        return new Counting(size, false) {
            @Override
            public void copyExample(int index, float[] destination, int offset) {
                if (index == broken) {
                    throw new Gan4jException("example " + broken + " is broken");
                }
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                super.copyExample(index, destination, offset);
            }
        };
    }

    /** Asserts that one of the next ten batches fails with the broken example's message. */
    private static void assertFailsWithin10Batches(BatchLoader loader, String message) {
        assertThatThrownBy(
                        () -> {
                            for (int i = 0; i < 10; i++) {
                                loader.next();
                            }
                        })
                .isInstanceOf(Gan4jException.class)
                .hasMessage(message);
    }

    private static int[] examples(float[] batch) {
        int[] out = new int[batch.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) batch[2 * i];
            assertThat(batch[2 * i + 1]).isEqualTo(-batch[2 * i]);
        }
        return out;
    }

    @Test
    void batchesArePureFunctionsOfSeedAndIndex() {
        Counting data = new Counting(10, true);
        List<float[]> fromStart = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(data, 3, 5, 0, 2)) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(3);
            for (int b = 0; b < 20; b++) {
                BatchLoader.Batch batch = loader.next();
                assertThat(batch.index()).isEqualTo(b);
                assertThat(batch.epoch()).isEqualTo(b / 3);
                fromStart.add(batch.data());
            }
        }
        try (BatchLoader resumed = new BatchLoader(data, 3, 5, 7, 4)) {
            for (int b = 7; b < 20; b++) {
                BatchLoader.Batch batch = resumed.next();
                assertThat(batch.index()).isEqualTo(b);
                assertThat(batch.data()).containsExactly(fromStart.get(b));
                int[] expected = Arrays.stream(examples(batch.data())).map(i -> i % 3).toArray();
                assertThat(batch.labels()).containsExactly(expected);
            }
        }
        for (int b = 0; b < 20; b++) {
            assertThat(BatchLoader.batch(data, 3, 5, b)).containsExactly(fromStart.get(b));
        }
        assertThat(BatchLoader.batch(data, 3, 6, 0)).isNotEqualTo(fromStart.get(0));
    }

    @Test
    void eachEpochVisitsEveryExampleOnceAndEpochsDiffer() {
        Counting data = new Counting(12, false);
        List<int[]> orders = new ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            int[] order = new int[12];
            for (int b = 0; b < 4; b++) {
                int[] examples = examples(BatchLoader.batch(data, 3, 9, epoch * 4L + b));
                System.arraycopy(examples, 0, order, 3 * b, 3);
            }
            assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(order).containsExactly(BatchLoader.permutation(12, 9, epoch));
            orders.add(order);
        }
        for (int i = 0; i < orders.size(); i++) {
            for (int j = i + 1; j < orders.size(); j++) {
                assertThat(orders.get(i)).isNotEqualTo(orders.get(j));
            }
        }
    }

    @Test
    void incompleteLastBatchIsDroppedWithoutRepeats() {
        Counting data = new Counting(10, false);
        int[] seen = new int[9];
        for (int b = 0; b < 3; b++) {
            System.arraycopy(examples(BatchLoader.batch(data, 3, 1, b)), 0, seen, 3 * b, 3);
        }
        assertThat(Arrays.stream(seen).distinct().count()).isEqualTo(9);
        assertThat(BatchLoader.read(data, 3, 1, 3).epoch()).isEqualTo(1);
        assertThat(BatchLoader.read(data, 3, 1, 3).labels()).isNull();
    }

    @Test
    void closeStopsTheThreadPromptly() throws InterruptedException {
        BatchLoader loader = new BatchLoader(new Counting(100, false), 10, 1, 0, 2);
        loader.next();
        Thread.sleep(50); // let the thread block on the full queue
        assertThat(loader.isRunning()).isTrue();

        long start = System.nanoTime();
        loader.close();

        assertThat(loader.isRunning()).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThatThrownBy(loader::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void errorsInTheThreadAreRethrownFromNext() {
        try (BatchLoader loader = new BatchLoader(faulty(20, 13, 0), 4, 2, 0, 3)) {
            assertFailsWithin10Batches(loader, "example 13 is broken");
            assertThatThrownBy(loader::next).hasMessage("example 13 is broken");
        }
    }

    @Test
    void waitTimeIsMeasured() {
        try (BatchLoader loader = new BatchLoader(faulty(20, -1, 5), 2, 2, 0, 1)) {
            loader.next();
            loader.next();
            assertThat(loader.waitNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void withoutAThreadTheBatchesAreTheSame() {
        Counting data = new Counting(10, true);
        try (BatchLoader loader = new BatchLoader(data, 3, 5, 0, 0)) {
            assertThat(loader.isRunning()).isFalse();
            for (int b = 0; b < 20; b++) {
                BatchLoader.Batch batch = loader.next();
                assertThat(batch.index()).isEqualTo(b);
                assertThat(batch.epoch()).isEqualTo(b / 3);
                assertThat(batch.data()).containsExactly(BatchLoader.batch(data, 3, 5, b));
                assertThat(batch.labels()).containsExactly(BatchLoader.read(data, 3, 5, b).labels());
            }
        }
        BatchLoader resumed = new BatchLoader(data, 3, 5, 7, 0);
        for (int b = 7; b < 20; b++) {
            assertThat(resumed.next().data()).containsExactly(BatchLoader.batch(data, 3, 5, b));
        }
        resumed.close();
        assertThatThrownBy(resumed::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openMakesSmallBatchesOnTheCallersThreadAndLargeOnesAhead() {
        int exampleSize = BatchLoader.INLINE_FLOATS / 4;
        Counting wide =
                new Counting(10, false) {
                    @Override
                    public long[] exampleShape() {
                        return new long[] {exampleSize};
                    }
                };
        try (BatchLoader atTheLimit = BatchLoader.open(wide, 4, 1, 0, 2)) {
            assertThat(atTheLimit.isRunning()).isFalse();
            assertThat(atTheLimit.next().data()).hasSize(BatchLoader.INLINE_FLOATS);
        }
        try (BatchLoader aboveIt = BatchLoader.open(wide, 5, 1, 0, 2)) {
            assertThat(aboveIt.isRunning()).isTrue();
            assertThat(aboveIt.next().data()).containsExactly(BatchLoader.batch(wide, 5, 1, 0));
        }
        try (BatchLoader toy = BatchLoader.open(new Counting(1000, false), 8, 1, 0, 4)) {
            assertThat(toy.isRunning()).isFalse();
        }
        assertThatThrownBy(() -> BatchLoader.open(wide, 4, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchLoader(wide, 4, 1, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutAThreadErrorsComeFromNextAndMakingCountsAsWaiting() {
        try (BatchLoader loader = new BatchLoader(faulty(20, 13, 5), 2, 2, 0, 0)) {
            assertFailsWithin10Batches(loader, "example 13 is broken");
            assertThat(loader.waitNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(10));
            assertThatThrownBy(loader::next).hasMessage("example 13 is broken");
        }
    }

    @Test
    void batchLargerThanTheDatasetIsAUserError() {
        assertThatThrownBy(() -> new BatchLoader(new Counting(50, false), 64, 1, 0, 2))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("training.batchSize=64 is larger than the dataset (50 examples): set training.batchSize to"
                        + " at most 50 (in the YAML file or with --set training.batchSize=50)");
        assertThatThrownBy(() -> BatchLoader.batch(new Counting(50, false), 64, 1, 0))
                .isInstanceOf(Gan4jException.class);
        // with model.packing the suggested batch is the largest multiple of it that the data holds
        assertThatThrownBy(() -> BatchLoader.batchesPerEpoch(new Counting(50, false), 64, 4))
                .hasMessage("training.batchSize=64 is larger than the dataset (50 examples): set training.batchSize to"
                        + " at most 48 and divisible by model.packing=4 (in the YAML file or with --set"
                        + " training.batchSize=48)");
        assertThat(BatchLoader.batchesPerEpoch(new Counting(50, false), 48, 4)).isEqualTo(1);
        assertThatThrownBy(() -> BatchLoader.batchesPerEpoch(new Counting(3, false), 8, 4))
                .hasMessage("training.batchSize=8 is larger than the dataset (3 examples): model.packing=4 needs at"
                        + " least 4 examples");
    }
}
