package io.phasegrid.common.parse;

/**
 * Bounds on what a load reads, so hostile input ends in an {@code INPUT_TOO_LARGE} error instead of exhausting memory.
 *
 * @param maxRoadmapBytes largest {@code ROADMAP.md} read (default 16 MiB)
 * @param maxPlanFileBytes largest PLAN, SUMMARY, {@code config.json} or {@code STATE.md} file read (default 1 MiB)
 * @param maxFiles most PLAN and SUMMARY files read from the phase folders (default 20,000)
 */
public record LoadLimits(long maxRoadmapBytes, long maxPlanFileBytes, int maxFiles) {

    public static final long DEFAULT_MAX_ROADMAP_BYTES = 16L * 1024 * 1024;
    public static final long DEFAULT_MAX_PLAN_FILE_BYTES = 1024L * 1024;
    public static final int DEFAULT_MAX_FILES = 20_000;

    public LoadLimits {
        if (maxRoadmapBytes <= 0 || maxPlanFileBytes <= 0 || maxFiles <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxRoadmapBytes + ", "
                    + maxPlanFileBytes + ", " + maxFiles);
        }
    }

    public static LoadLimits defaults() {
        return new LoadLimits(DEFAULT_MAX_ROADMAP_BYTES, DEFAULT_MAX_PLAN_FILE_BYTES, DEFAULT_MAX_FILES);
    }
}
