package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;

/** A milestone's declared phase range ({@code v1.2 Features — Phases 19-29}), used when context gives none. */
record MilestoneRange(String milestone, PhaseId from, PhaseId to) {

    boolean contains(PhaseId id) {
        return id.compareTo(from) >= 0 && id.compareTo(to) <= 0;
    }
}
