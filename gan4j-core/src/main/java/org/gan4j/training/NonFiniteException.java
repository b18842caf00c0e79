package org.gan4j.training;

import org.gan4j.Gan4jException;

/**
 * A loss, a discriminator output or a network's weights became NaN or infinite: training diverged. The message is one
 * line naming the step, the network and the values.
 */
public final class NonFiniteException extends Gan4jException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final String network;

    /**
     * Creates the exception.
     *
     * @param step the step at which the non-finite value was seen
     * @param network "generator" or "discriminator"
     * @param message the one-line message
     */
    public NonFiniteException(long step, String network, String message) {
        super(message);
        this.step = step;
        this.network = network;
    }

    /**
     * Returns the step at which the non-finite value was seen.
     *
     * @return the step
     */
    public long step() {
        return step;
    }

    /**
     * Returns the network that diverged.
     *
     * @return "generator" or "discriminator"
     */
    public String network() {
        return network;
    }
}
