package io.phasegrid.common.roadmap;

/**
 * A plan's reference to another phase found in plan or summary files, used to infer dependencies.
 *
 * @param phaseId normalised id of the referenced phase (from a folder name like {@code 05-auth} or a SUMMARY path)
 * @param kind what kind of reference it is
 * @param text the reference as written, for the reason shown to users
 * @param source where it was found
 */
public record PhaseReference(String phaseId, Kind kind, String text, SourceRef source) {

    public enum Kind {
        /** An {@code @...SUMMARY.md} include in a PLAN file. */
        SUMMARY_INCLUDE,
        /** A {@code requires:} entry in a SUMMARY file's frontmatter. */
        SUMMARY_REQUIRES
    }
}
