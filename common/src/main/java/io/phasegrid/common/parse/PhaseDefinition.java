package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import java.util.ArrayList;
import java.util.List;

/** One place in ROADMAP.md that defines a phase: a heading, a checklist entry, or a plain line in a history block. */
final class PhaseDefinition {

    enum Kind {
        HEADING,
        CHECKLIST,
        LISTED
    }

    /** A {@code Depends on} value and its line. */
    record DependsOnLine(String value, int line) {
    }

    final PhaseId id;
    final Kind kind;
    final int line;
    final String name;
    String milestone;
    /** Checklist state: true for {@code [x]}, false for {@code [ ]} / {@code [~]}, null for headings. */
    final Boolean checked;
    /** Inside a collapsed {@code <details>} block of a finished milestone. */
    boolean history;
    /** Under a milestone heading marked shipped or complete. */
    boolean shippedMilestone;
    /** The heading itself says complete ({@code ✓}, {@code ✅}, {@code (Complete)}). */
    boolean completeMarker;
    /** Under a {@code Backlog} heading. */
    boolean backlogSection;
    String goal = "";
    final List<DependsOnLine> dependsOn = new ArrayList<>();
    int requirementCount;
    int successCriterionCount;
    int planBoxes;
    int checkedPlanBoxes;

    PhaseDefinition(PhaseId id, Kind kind, int line, String name, String milestone, Boolean checked) {
        this.id = id;
        this.kind = kind;
        this.line = line;
        this.name = name;
        this.milestone = milestone;
        this.checked = checked;
    }
}
