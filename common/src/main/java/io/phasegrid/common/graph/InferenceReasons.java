package io.phasegrid.common.graph;

import io.phasegrid.common.roadmap.PhaseReference;

/** The wording of inferred-dependency reasons, and reading the kind back from a reason. */
final class InferenceReasons {

    private static final String SHARED_FILE = "both modify ";
    private static final String REQUIRES = " summary requires ";

    private InferenceReasons() {
    }

    static String reference(String planId, PhaseReference reference) {
        return switch (reference.kind()) {
            case SUMMARY_INCLUDE -> "plan " + planId + " includes " + reference.text() + " (" + reference.source() + ")";
            case SUMMARY_REQUIRES -> "plan " + planId + REQUIRES.stripTrailing() + " " + reference.text()
                    + " (" + reference.source() + ")";
        };
    }

    static String sharedFile(String file, String earlierPlan, String laterPlan) {
        return SHARED_FILE + file + " (plans " + earlierPlan + " and " + laterPlan + ")";
    }

    static EdgeKind kindOf(String reason) {
        if (reason.startsWith(SHARED_FILE)) {
            return EdgeKind.SHARED_FILE;
        }
        return reason.contains(REQUIRES) ? EdgeKind.SUMMARY_REQUIRES : EdgeKind.SUMMARY_INCLUDE;
    }
}
