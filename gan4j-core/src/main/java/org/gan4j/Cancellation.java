package org.gan4j;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Lets long work (an evaluation during training: generation, classifier features, nearest-neighbour searches) stop
 * early when the process is asked to stop (SIGINT/SIGTERM), instead of holding the stop for minutes. The work calls
 * {@link #check()} between pieces of a few hundred milliseconds at most; outside {@link #whileRunning} it never stops.
 * The stop condition belongs to the thread that runs the work, so two runs in one process never stop (or fail to stop)
 * each other's evaluations; work it hands to the worker threads of a parallel stream checks a {@link #checker()} taken
 * on that thread.
 */
public final class Cancellation {

    private static final BooleanSupplier NEVER = () -> false;

    private static final ThreadLocal<BooleanSupplier> STOP = ThreadLocal.withInitial(() -> NEVER);

    private Cancellation() {}

    /**
     * Runs work that {@link #check()} stops with a {@link CancellationException} once {@code stopRequested} answers
     * true.
     *
     * @param stopRequested asked at each check
     * @param work the work
     * @param <T> its result
     * @return the work's result
     * @throws CancellationException when stopped
     */
    public static <T> T whileRunning(BooleanSupplier stopRequested, Supplier<T> work) {
        BooleanSupplier previous = STOP.get();
        STOP.set(stopRequested);
        try {
            return work.get();
        } finally {
            STOP.set(previous);
        }
    }

    /**
     * Throws when the work running under {@link #whileRunning} on this thread is to stop.
     *
     * @throws CancellationException when stopped
     */
    public static void check() {
        check(STOP.get());
    }

    /**
     * Returns a check bound to this thread's stop condition, for the pieces of its work that other threads run (a
     * parallel stream's workers have no condition of their own).
     *
     * @return throws a {@link CancellationException} when the work is to stop
     */
    public static Runnable checker() {
        BooleanSupplier condition = STOP.get();
        return () -> check(condition);
    }

    private static void check(BooleanSupplier condition) {
        if (condition.getAsBoolean()) {
            throw new CancellationException("stopped: the run was asked to stop");
        }
    }
}
