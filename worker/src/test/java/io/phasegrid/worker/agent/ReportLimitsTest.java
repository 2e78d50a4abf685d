package io.phasegrid.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The worker reports what the coordinator accepts: tokens within 0 to 10^12 (worker.proto). */
class ReportLimitsTest {

    @Test
    void tokensWithinTheLimitAreReportedAsTheyAre() {
        assertThat(ReportLimits.tokens(0)).isZero();
        assertThat(ReportLimits.tokens(12_345)).isEqualTo(12_345);
        assertThat(ReportLimits.tokens(1_000_000_000_000L)).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void aClaimOverTheLimitIsReportedAtTheLimitAndANegativeOneAsZero() {
        assertThat(ReportLimits.tokens(1_000_000_000_001L)).isEqualTo(ReportLimits.MAX_TOKENS_PER_REPORT);
        assertThat(ReportLimits.tokens(Long.MAX_VALUE)).isEqualTo(ReportLimits.MAX_TOKENS_PER_REPORT);
        assertThat(ReportLimits.tokens(-5)).isZero();
        assertThat(ReportLimits.tokens(Long.MIN_VALUE)).isZero();
    }
}
