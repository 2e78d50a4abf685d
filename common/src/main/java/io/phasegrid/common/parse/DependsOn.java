package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import java.util.List;

/**
 * What a {@code Depends on} value says, before ids are resolved to phases. A value declaring no dependency
 * ({@code Nothing ...}, {@code None ...}) has no references, no milestone text, no external references and is not
 * unparsed.
 *
 * @param references phase references in the order written
 * @param milestoneText the milestone named instead of a phase ({@code v1.4 complete}), empty otherwise
 * @param externalReferences references to another project's phases ({@code api-repo Phase 5}), as written
 * @param unparsed true when the value is neither none, a milestone, nor contains a phase reference
 */
public record DependsOn(
        List<Reference> references,
        String milestoneText,
        List<String> externalReferences,
        boolean unparsed) {

    public DependsOn {
        references = List.copyOf(references);
        externalReferences = List.copyOf(externalReferences);
    }

    /**
     * One reference: a single id ({@code to} null) or an inclusive range ({@code 85-98}).
     *
     * @param garbledDash the range dash was mis-encoded ({@code â€“})
     */
    public record Reference(PhaseId from, PhaseId to, String text, boolean garbledDash) {

        public boolean isRange() {
            return to != null;
        }
    }
}
