package org.gan4j;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Lets long work (an evaluation during training: generation, classifier features, nearest-neighbour searches) stop
 * early when the process is asked to stop (SIGINT/SIGTERM), instead of holding the stop for minutes. The work calls
 * {@link #check()} between pieces of a few hundred milliseconds at most; outside {@link #whileRunning} it never stops.
 * One stop condition is in force per process at a time (the training thread's evaluation); worker threads of parallel
 * streams see it too.
 */
public final class Cancellation {

    private static final BooleanSupplier NEVER = () -> false;

    private static volatile BooleanSupplier stop = NEVER;

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
        BooleanSupplier previous = stop;
        stop = stopRequested;
        try {
            return work.get();
        } finally {
            stop = previous;
        }
    }

    /**
     * Throws when the work running under {@link #whileRunning} is to stop.
     *
     * @throws CancellationException when stopped
     */
    public static void check() {
        if (stop.getAsBoolean()) {
            throw new CancellationException("stopped: the run was asked to stop");
        }
    }
}
