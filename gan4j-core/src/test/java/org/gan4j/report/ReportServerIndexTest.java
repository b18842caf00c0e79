package org.gan4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The run index's "last write" column: readable to the second, not a nanosecond ISO string wrapped over three lines. */
class ReportServerIndexTest {

    @Test
    void lastWriteIsShownToTheSecondInUtc() {
        assertThat(ReportServer.readableTime("2026-12-01T00:21:44.827725659Z")).isEqualTo("2026-12-01 00:21:44 UTC");
        assertThat(ReportServer.readableTime("2026-12-01T00:21:44Z")).isEqualTo("2026-12-01 00:21:44 UTC");
    }

    @Test
    void anythingElseIsShownAsItIs() {
        assertThat(ReportServer.readableTime("–")).isEqualTo("–");
        assertThat(ReportServer.readableTime("")).isEqualTo("");
    }
}
