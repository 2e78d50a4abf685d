package io.phasegrid.worker.agent;

/**
 * What the coordinator accepts in a report (worker.proto): a count of tokens over {@link #MAX_TOKENS_PER_REPORT}
 * is refused with INVALID_ARGUMENT, which would cost the report. An executor that claims more (a parse of a bogus
 * usage line) is reported at the maximum instead; the phase's outcome still arrives.
 */
final class ReportLimits {

    /** worker.proto: {@code tokens_used} and {@code tokens_so_far} are 0 to 10^12. */
    static final long MAX_TOKENS_PER_REPORT = 1_000_000_000_000L;

    private ReportLimits() {
    }

    /** {@code tokens} within [0, {@link #MAX_TOKENS_PER_REPORT}]. */
    static long tokens(long tokens) {
        return Math.max(0, Math.min(MAX_TOKENS_PER_REPORT, tokens));
    }
}
