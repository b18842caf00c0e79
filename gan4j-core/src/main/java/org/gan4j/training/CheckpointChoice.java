package org.gan4j.training;

import java.util.Locale;
import org.gan4j.Gan4jException;

/**
 * Which checkpoint of a run to open for inference: the newest valid one in {@code checkpoints/}, the one at a given
 * step, or the best one that {@code train --best-by} kept in {@code checkpoints-best/}.
 *
 * @param kind what to open
 * @param step the step, for {@link Kind#STEP}
 */
public record CheckpointChoice(Kind kind, long step) {

    /** The kinds of choice. */
    public enum Kind {
        /** The newest valid checkpoint in {@code checkpoints/}. */
        LATEST,
        /** The checkpoint at a given step in {@code checkpoints/}. */
        STEP,
        /** The best checkpoint kept in {@code checkpoints-best/} by an evaluation metric. */
        BEST
    }

    /** The newest valid checkpoint. */
    public static final CheckpointChoice LATEST = new CheckpointChoice(Kind.LATEST, -1);

    /** The best checkpoint. */
    public static final CheckpointChoice BEST = new CheckpointChoice(Kind.BEST, -1);

    /**
     * The checkpoint at a step.
     *
     * @param step a step of at least 0
     * @return the choice
     */
    public static CheckpointChoice atStep(long step) {
        if (step < 0) {
            throw new Gan4jException("--checkpoint: a step must be 0 or more, got " + step);
        }
        return new CheckpointChoice(Kind.STEP, step);
    }

    /**
     * Parses a command-line value: a step number, {@code latest} or {@code best}.
     *
     * @param text the value
     * @return the choice
     * @throws Gan4jException naming the value and what is expected
     */
    public static CheckpointChoice parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "latest":
                return LATEST;
            case "best":
                return BEST;
            default:
                try {
                    return atStep(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    throw new Gan4jException(
                            "--checkpoint: expected a step number, 'latest' or 'best', got '" + text + "'");
                }
        }
    }
}
