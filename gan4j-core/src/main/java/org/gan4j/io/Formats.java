package org.gan4j.io;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names shared by samples, plots and checkpoints, so that every file of one step sorts and matches alike.
 *
 * <p>A step name is {@code step-} followed by the step zero-padded to at least six digits: {@code step-000500},
 * {@code step-1234567}.
 */
public final class Formats {

    private static final Pattern STEP_NAME = Pattern.compile("step-(\\d{6,18})");

    private Formats() {}

    /**
     * Returns the step name {@code step-%06d} of a step.
     *
     * @param step the training step, not negative
     * @return for example {@code step-000500}
     * @throws IllegalArgumentException if the step is negative
     */
    public static String stepName(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative, got " + step);
        }
        return String.format("step-%06d", step);
    }

    /**
     * Parses a step name (exactly {@code step-} and at least six digits, nothing else) back to its step.
     *
     * @param name a file or directory name such as {@code step-000500}
     * @return the step, or empty if the name is not a step name
     */
    public static OptionalLong parseStepName(String name) {
        Matcher matcher = STEP_NAME.matcher(name);
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
    }

    /**
     * Returns the sample grid file name of a step, {@code step-000500.png}.
     *
     * @param step the training step, not negative
     * @return the file name
     */
    public static String samplePng(long step) {
        return stepName(step) + ".png";
    }

    /**
     * Returns the 2-D scatter plot file name of a step, {@code scatter-step-000500.png}.
     *
     * @param step the training step, not negative
     * @return the file name
     */
    public static String scatterPng(long step) {
        return "scatter-" + stepName(step) + ".png";
    }
}
