package io.phasegrid.coordinator.submit;

import io.phasegrid.coordinator.quota.QuotaLimits;

/**
 * Bounds on what a submission may carry; over them the submission is refused with RESOURCE_EXHAUSTED.
 *
 * @param maxTotalBytes all files together (default 32 MiB; the gRPC server accepts messages up to this plus 1 MiB)
 * @param maxFileBytes one file (default 16 MiB, the ROADMAP.md limit of the parser)
 * @param maxFiles files in a bundle (default 20,000)
 * @param maxPhases phases of a structured roadmap (default 100,000)
 * @param maxRetainedBytes the cap on retained submission bytes: the PLAN contents all runs of the cluster hold in
 *     {@code phasegrid.runmeta} (a run holds them until it finishes; a failed or cancelled one keeps those a retry
 *     re-runs). A submission that would pass it is refused until runs finish (default
 *     {@link #DEFAULT_RETAINED_HEAP_PERCENT} % of this member's maximum heap; docs/cluster.md)
 * @param quotas what one principal may hold at once (default {@link QuotaLimits#defaults})
 */
public record SubmissionLimits(long maxTotalBytes, long maxFileBytes, int maxFiles, int maxPhases,
        long maxRetainedBytes, QuotaLimits quotas) {

    /** The default cap on retained submission bytes, in percent of the member's maximum heap. */
    public static final int DEFAULT_RETAINED_HEAP_PERCENT = 25;

    public SubmissionLimits {
        if (maxRetainedBytes <= 0) {
            throw new IllegalArgumentException("the cap on retained submission bytes must be positive: "
                    + maxRetainedBytes);
        }
        java.util.Objects.requireNonNull(quotas, "quotas");
    }

    /** With the default quotas for {@code maxRetainedBytes}. */
    public SubmissionLimits(long maxTotalBytes, long maxFileBytes, int maxFiles, int maxPhases,
            long maxRetainedBytes) {
        this(maxTotalBytes, maxFileBytes, maxFiles, maxPhases, maxRetainedBytes,
                QuotaLimits.defaults());
    }

    /** With the default cap on retained submission bytes. */
    public SubmissionLimits(long maxTotalBytes, long maxFileBytes, int maxFiles, int maxPhases) {
        this(maxTotalBytes, maxFileBytes, maxFiles, maxPhases, defaultRetainedBytes());
    }

    public static SubmissionLimits defaults() {
        return new SubmissionLimits(32L << 20, 16L << 20, 20_000, 100_000);
    }

    /** {@value #DEFAULT_RETAINED_HEAP_PERCENT} % of this JVM's maximum heap. */
    public static long defaultRetainedBytes() {
        return retainedBytesOfHeap(DEFAULT_RETAINED_HEAP_PERCENT);
    }

    /** {@code percent} % of this JVM's maximum heap (at least 1 byte). */
    public static long retainedBytesOfHeap(int percent) {
        return Math.max(1, Runtime.getRuntime().maxMemory() / 100 * percent);
    }

    /** With cap {@code bytes}, and the default quotas for it. */
    public SubmissionLimits withMaxRetainedBytes(long bytes) {
        return new SubmissionLimits(maxTotalBytes, maxFileBytes, maxFiles, maxPhases, bytes);
    }

    public SubmissionLimits withQuotas(QuotaLimits newQuotas) {
        return new SubmissionLimits(maxTotalBytes, maxFileBytes, maxFiles, maxPhases, maxRetainedBytes, newQuotas);
    }

    /** The gRPC server's inbound message limit that lets every acceptable submission through. */
    public int maxInboundMessageBytes() {
        return (int) Math.min(Integer.MAX_VALUE, maxTotalBytes + (1L << 20));
    }
}
