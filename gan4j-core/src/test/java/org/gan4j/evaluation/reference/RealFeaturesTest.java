package org.gan4j.evaluation.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RealFeaturesTest {

    @Test
    void theCacheWarningSaysWhyAFileWasUnreadable() {
        // a truncated cache file ends in an EOFException, which has no message ("(null)" in the warning before)
        assertThat(RealFeatures.unreadableReason(new EOFException())).isEqualTo("the file ends early: truncated");
        assertThat(RealFeatures.unreadableReason(new IOException("Permission denied"))).isEqualTo("Permission denied");
        assertThat(RealFeatures.unreadableReason(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
