package io.phasegrid.coordinator.submit;

/**
 * Bounds on what a submission may carry; over them the submission is refused with RESOURCE_EXHAUSTED.
 *
 * @param maxTotalBytes all files together (default 32 MiB; the gRPC server accepts messages up to this plus 1 MiB)
 * @param maxFileBytes one file (default 16 MiB, the ROADMAP.md limit of the parser)
 * @param maxFiles files in a bundle (default 20,000)
 * @param maxPhases phases of a structured roadmap (default 100,000)
 */
public record SubmissionLimits(long maxTotalBytes, long maxFileBytes, int maxFiles, int maxPhases) {

    public static SubmissionLimits defaults() {
        return new SubmissionLimits(32L << 20, 16L << 20, 20_000, 100_000);
    }

    /** The gRPC server's inbound message limit that lets every acceptable submission through. */
    public int maxInboundMessageBytes() {
        return (int) Math.min(Integer.MAX_VALUE, maxTotalBytes + (1L << 20));
    }
}
