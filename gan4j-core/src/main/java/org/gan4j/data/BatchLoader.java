package org.gan4j.data;

import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.gan4j.Gan4jException;

/**
 * Serves shuffled mini-batches of a {@link GanDataset}, prepared ahead by a background thread.
 *
 * <p>Batch {@code b} (a global index counting from 0 over all epochs) is a pure function of {@code (seed, b)}: its
 * epoch is {@code e = b / batchesPerEpoch}; epoch {@code e} visits the examples in the order of a Fisher–Yates
 * shuffle driven by a {@link SplittableRandom} seeded from a hash of {@code (seed, e)}; batch {@code b} takes
 * positions {@code [(b mod batchesPerEpoch)·batchSize, +batchSize)} of that order. The last incomplete batch of an
 * epoch is dropped. Resuming at any batch index therefore gives exactly the batches an uninterrupted run would have seen.
 *
 * <p>A daemon thread fills a bounded queue in order from {@code firstBatchIndex}; {@link #next()} blocks until the next
 * batch is ready and rethrows any exception the thread met. {@link #close()} stops the thread promptly. One consumer
 * thread is expected. With {@code prefetch} 0 there is no thread: {@link #next()} makes each batch on the caller's
 * thread. {@link #open} chooses that for batches of at most {@link #INLINE_FLOATS} values, which take less time to
 * make than to hand over between threads (the toy GAN's batch of 8 points: the hand-off was 5–8 % of its step). Either
 * way the batches are the same.
 */
public final class BatchLoader implements AutoCloseable {

    /**
     * One mini-batch.
     *
     * @param index the global batch index
     * @param epoch the epoch it belongs to
     * @param data {@code batchSize × exampleSize} floats, example after example (NCHW for images)
     * @param labels one label per example, or null when the dataset is unlabelled
     */
    public record Batch(long index, long epoch, float[] data, int[] labels) {}

    /**
     * Batches of at most this many values (64 KiB of floats) are made on the training thread by {@link #open}: 8,192
     * points of the 2-D datasets, 20 Fashion-MNIST images.
     */
    public static final int INLINE_FLOATS = 16_384;

    /** What the background thread hands over when it fails. */
    private record Failure(Throwable error) {}

    private final GanDataset data;
    private final int batchSize;
    private final long seed;
    private final int batchesPerEpoch;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final AtomicLong waitNanos = new AtomicLong();
    private volatile boolean closed;
    private Throwable failure;
    /**
     * The next batch's index and the order of its epoch, used by whichever thread makes the batches: the caller's
     * without a background thread, else only the background thread.
     */
    private long nextIndex;
    private long orderEpoch = -1;
    private int[] order;

    /**
     * Creates a loader and starts its background thread (none with {@code prefetch} 0).
     *
     * @param data the dataset
     * @param batchSize examples per batch, at most the dataset size
     * @param seed the shuffling seed
     * @param firstBatchIndex the global index of the first batch {@link #next()} returns (0 for a fresh run)
     * @param prefetch how many batches to prepare ahead; 0: each batch is made by {@link #next()}
     */
    public BatchLoader(GanDataset data, int batchSize, long seed, long firstBatchIndex, int prefetch) {
        this.batchesPerEpoch = batchesPerEpoch(data, batchSize);
        if (firstBatchIndex < 0) {
            throw new IllegalArgumentException("firstBatchIndex must be ≥ 0: " + firstBatchIndex);
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch must be ≥ 0: " + prefetch);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.nextIndex = firstBatchIndex;
        if (prefetch == 0) {
            this.queue = null;
            this.thread = null;
            return;
        }
        this.queue = new ArrayBlockingQueue<>(prefetch);
        this.thread = new Thread(this::fill, "gan4j-batch-loader");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Creates the loader a training run uses: batches of at most {@link #INLINE_FLOATS} values are made on the
     * caller's thread, larger ones {@code prefetch} ahead by a background thread.
     *
     * @param data the dataset
     * @param batchSize examples per batch, at most the dataset size
     * @param seed the shuffling seed
     * @param firstBatchIndex the global index of the first batch {@link #next()} returns (0 for a fresh run)
     * @param prefetch how many large batches to prepare ahead, at least 1
     * @return the loader
     */
    public static BatchLoader open(GanDataset data, int batchSize, long seed, long firstBatchIndex, int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be ≥ 1: " + prefetch);
        }
        boolean small = (long) batchSize * data.exampleSize() <= INLINE_FLOATS;
        return new BatchLoader(data, batchSize, seed, firstBatchIndex, small ? 0 : prefetch);
    }

    /**
     * Returns the next batch, waiting for the background thread if it is not ready (without a thread: making it).
     *
     * @return the batch with the next global index
     */
    public Batch next() {
        if (closed) {
            throw new IllegalStateException("the batch loader is closed");
        }
        rethrow();
        long start = System.nanoTime();
        if (thread == null) {
            try {
                return makeNext();
            } finally {
                waitNanos.addAndGet(System.nanoTime() - start);
            }
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } finally {
            waitNanos.addAndGet(System.nanoTime() - start);
        }
        if (item instanceof Failure f) {
            failure = f.error();
            rethrow();
        }
        return (Batch) item;
    }

    /**
     * Returns the total time {@link #next()} spent waiting for batches (without a thread: making them).
     *
     * @return nanoseconds
     */
    public long waitNanos() {
        return waitNanos.get();
    }

    /**
     * Returns the number of complete batches in one epoch.
     *
     * @return {@code size / batchSize}, rounded down
     */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Stops the background thread and waits briefly for it to end. */
    @Override
    public void close() {
        closed = true;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the background thread is still running (for tests and diagnostics).
     *
     * @return true until the thread has ended; false for a loader without one
     */
    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /**
     * Returns the data of batch {@code batchIndex}, as the loader would serve it.
     *
     * @param data the dataset
     * @param batchSize examples per batch
     * @param seed the shuffling seed
     * @param batchIndex the global batch index, ≥ 0
     * @return {@code batchSize × exampleSize} floats
     */
    public static float[] batch(GanDataset data, int batchSize, long seed, long batchIndex) {
        return read(data, batchSize, seed, batchIndex).data();
    }

    /**
     * Returns batch {@code batchIndex} with its labels, as the loader would serve it.
     *
     * @param data the dataset
     * @param batchSize examples per batch
     * @param seed the shuffling seed
     * @param batchIndex the global batch index, ≥ 0
     * @return the batch
     */
    public static Batch read(GanDataset data, int batchSize, long seed, long batchIndex) {
        int perEpoch = batchesPerEpoch(data, batchSize);
        if (batchIndex < 0) {
            throw new IllegalArgumentException("batchIndex must be ≥ 0: " + batchIndex);
        }
        long epoch = batchIndex / perEpoch;
        return assemble(data, batchSize, permutation(data.size(), seed, epoch), batchIndex, epoch, perEpoch);
    }

    /**
     * Returns the order in which epoch {@code epoch} visits the examples.
     *
     * @param size the dataset size
     * @param seed the shuffling seed
     * @param epoch the epoch
     * @return a permutation of 0 … size−1
     */
    public static int[] permutation(int size, long seed, long epoch) {
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(epoch + 0x632BE59BD9B4E019L)));
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /**
     * Checks that a dataset holds at least one batch, before anything is written (a run directory, say).
     *
     * @param data the dataset
     * @param batchSize the batch size
     * @return the number of full batches per epoch
     * @throws Gan4jException naming {@code training.batchSize}, the dataset's size and a batch size that fits
     */
    public static int batchesPerEpoch(GanDataset data, int batchSize) {
        return batchesPerEpoch(data, batchSize, 1);
    }

    /**
     * Checks that a dataset holds at least one batch; a too large batch is refused with a batch size that works: the
     * largest multiple of {@code model.packing} that the dataset holds (a run's batch must be divisible by it).
     *
     * @param data the dataset
     * @param batchSize the batch size
     * @param packing the run's {@code model.packing} (1 when there is none)
     * @return the number of full batches per epoch
     * @throws Gan4jException naming {@code training.batchSize}, the dataset's size and a batch size that fits
     */
    public static int batchesPerEpoch(GanDataset data, int batchSize, int packing) {
        if (batchSize < 1) {
            throw new Gan4jException("training.batchSize must be at least 1, got " + batchSize);
        }
        if (batchSize > data.size()) {
            int fits = data.size() - data.size() % Math.max(1, packing);
            String advice = fits < 1
                    ? String.format(": model.packing=%d needs at least %d examples", packing, packing)
                    : String.format(": set training.batchSize to at most %d%s (in the YAML file or with --set"
                                    + " training.batchSize=%d)",
                            fits, packing > 1 ? " and divisible by model.packing=" + packing : "", fits);
            throw new Gan4jException(
                    String.format("training.batchSize=%d is larger than the dataset (%d examples)%s",
                            batchSize, data.size(), advice));
        }
        return data.size() / batchSize;
    }

    private static Batch assemble(
            GanDataset data, int batchSize, int[] order, long batchIndex, long epoch, int perEpoch) {
        int exampleSize = data.exampleSize();
        float[] values = new float[Math.multiplyExact(batchSize, exampleSize)];
        int[] labels = data.classCount() > 0 ? new int[batchSize] : null;
        int start = (int) (batchIndex % perEpoch) * batchSize;
        for (int i = 0; i < batchSize; i++) {
            int example = order[start + i];
            data.copyExample(example, values, i * exampleSize);
            if (labels != null) {
                labels[i] = data.label(example);
            }
        }
        return new Batch(batchIndex, epoch, values, labels);
    }

    /** Stafford's mix13 finaliser (as in SplitMix64): a bijective hash spreading nearby inputs apart. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Makes the batch at {@code nextIndex} and moves on by one. */
    private Batch makeNext() {
        long index = nextIndex;
        long epoch = index / batchesPerEpoch;
        if (epoch != orderEpoch) {
            order = permutation(data.size(), seed, epoch);
            orderEpoch = epoch;
        }
        Batch batch = assemble(data, batchSize, order, index, epoch, batchesPerEpoch);
        nextIndex = index + 1;
        return batch;
    }

    private void fill() {
        try {
            while (!closed) {
                queue.put(makeNext());
            }
        } catch (InterruptedException e) {
            // close() interrupts a thread blocked on a full queue: end quietly.
        } catch (Throwable e) {
            // Deliver the failure after the batches already queued; give up only when the loader is closed.
            Failure failed = new Failure(e);
            try {
                while (!closed && !queue.offer(failed, 50, TimeUnit.MILLISECONDS)) {
                    // wait for the consumer to make room
                }
            } catch (InterruptedException interrupted) {
                // closed while waiting
            }
        }
    }

    private void rethrow() {
        if (failure == null) {
            return;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("the batch loader thread failed", failure);
    }
}
