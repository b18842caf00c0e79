package org.gan4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CancellationTest {

    @Test
    void checkStopsOnlyInsideWhileRunning() {
        assertThatCode(Cancellation::check).doesNotThrowAnyException();
        assertThatThrownBy(() -> Cancellation.whileRunning(() -> true, () -> {
            Cancellation.check();
            return 1;
        })).isInstanceOf(CancellationException.class);
        assertThatCode(Cancellation::check).doesNotThrowAnyException();
        assertThat(Cancellation.whileRunning(() -> false, () -> 7)).isEqualTo(7);
    }

    /**
     * A stop condition belongs to the thread that runs the work: a stopped run's evaluation must not cancel another
     * thread's work, and two runs whose evaluations overlap must not leave one's condition in force after both ended
     * (the last to end put back the condition the other had set, and every later check in the process threw).
     */
    @Test
    void aStopConditionHoldsOnlyForItsOwnThreadAndIsNeverLeftBehind() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread stopped = new Thread(() -> {
            try {
                Cancellation.whileRunning(() -> true, () -> {
                    entered.countDown();
                    await(release);
                    return null;
                });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        stopped.start();
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        // another thread's work, not under the stopped one's condition, goes on
        assertThatCode(Cancellation::check).doesNotThrowAnyException();
        // its own evaluation overlaps the stopped one's and ends after it
        Cancellation.whileRunning(() -> false, () -> {
            release.countDown();
            try {
                stopped.join(30_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Cancellation.check();
            return null;
        });
        assertThat(failure.get()).isNull();
        assertThatCode(Cancellation::check).doesNotThrowAnyException();
    }

    @Test
    void parallelStreamWorkersSeeTheCallersCondition() {
        Runnable[] seen = new Runnable[1];
        assertThatThrownBy(() -> Cancellation.whileRunning(() -> true, () -> {
            Runnable check = Cancellation.checker();
            seen[0] = check;
            return IntStream.range(0, 1000).parallel().peek(i -> check.run()).sum();
        })).isInstanceOf(CancellationException.class);
        // the checker keeps its work's condition: a worker that runs a piece late still stops
        assertThatThrownBy(seen[0]::run).isInstanceOf(CancellationException.class);
        assertThatCode(Cancellation.checker()::run).doesNotThrowAnyException();
    }

    /** The nearest-neighbour searches hand rows to a parallel stream's workers: those rows check the same condition. */
    @Test
    void parallelNearestNeighbourRowsStopOnTheirWorkers() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        double[][] real = new double[2000][8];
        double[][] fake = new double[2000][8];
        for (int i = 0; i < real.length; i++) {
            for (int d = 0; d < 8; d++) {
                real[i][d] = random.nextGaussian();
                fake[i][d] = random.nextGaussian();
            }
        }
        Thread caller = Thread.currentThread();
        // true only where a worker asks, so the stop is seen only if the workers check the caller's condition
        assertThatThrownBy(() -> Cancellation.whileRunning(() -> Thread.currentThread() != caller,
                        () -> org.gan4j.evaluation.DensityCoverage.compute(real, fake)))
                .isInstanceOf(CancellationException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
