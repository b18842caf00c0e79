package org.gan4j.cli;

import org.gan4j.Launcher;
import org.gan4j.training.TrainingRun;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns the first SIGINT/SIGTERM into a clean stop (finish the step, write a checkpoint); a second one exits at once.
 * During an evaluation of a step whose checkpoint is already written the first one exits at once too: nothing is lost
 * (a resume evaluates the step again), and evaluations can outlast a service manager's grace period.
 */
final class StopOnSignal implements AutoCloseable {

    private final SignalHandler previousInt;
    private final SignalHandler previousTerm;

    private StopOnSignal(SignalHandler previousInt, SignalHandler previousTerm) {
        this.previousInt = previousInt;
        this.previousTerm = previousTerm;
    }

    static StopOnSignal install(TrainingRun run) {
        return install(run, System.err::println);
    }

    /**
     * Installs the handler.
     *
     * @param run the run to stop
     * @param messages shows the stop message (a live progress bar would draw over a line printed under it); the
     *     messages of an exit at once are printed directly
     * @return the handler, to close after training
     */
    static StopOnSignal install(TrainingRun run, java.util.function.Consumer<String> messages) {
        SignalHandler handler =
                new SignalHandler() {
                    private volatile boolean requested;

                    @Override
                    public void handle(Signal signal) {
                        if (requested) {
                            System.err.println("\ngan4j: second SIG" + signal.getName() + ": exiting without a checkpoint");
                            Runtime.getRuntime().halt(130);
                        }
                        requested = true;
                        long evaluated = run.evaluationAfterCheckpoint();
                        if (evaluated >= 0) {
                            // an evaluation can take minutes, longer than a service manager waits after SIGTERM;
                            // the step is checkpointed, and a resume evaluates it again, so nothing is lost
                            System.err.println("\ngan4j: SIG" + signal.getName() + " during the evaluation of step "
                                    + evaluated + ", whose checkpoint is written: exiting now; " + Main.command() + " train --resume "
                                    + Launcher.shellWord(run.runDirectory().root())
                                    + " (with the same evaluation options) evaluates"
                                    + " step " + evaluated + " again");
                            Runtime.getRuntime().halt(130);
                        }
                        messages.accept(
                                "gan4j: SIG" + signal.getName()
                                        + " received: finishing the current step and writing a checkpoint"
                                        + " (press Ctrl-C again to exit at once)");
                        run.requestStop("interrupted by SIG" + signal.getName());
                    }
                };
        return new StopOnSignal(handle("INT", handler), handle("TERM", handler));
    }

    private static SignalHandler handle(String name, SignalHandler handler) {
        try {
            return Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (previousInt != null) {
            Signal.handle(new Signal("INT"), previousInt);
        }
        if (previousTerm != null) {
            Signal.handle(new Signal("TERM"), previousTerm);
        }
    }
}
