package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.Dependency;
import io.phasegrid.common.roadmap.PhaseId;
import io.phasegrid.common.roadmap.PhaseStatus;
import io.phasegrid.common.roadmap.Plan;
import java.util.ArrayList;
import java.util.List;

/** A phase being assembled from its definitions, plans and resolved dependencies. */
final class PhaseDraft {

    final PhaseId id;
    final List<PhaseDefinition> definitions = new ArrayList<>();
    final List<Plan> plans = new ArrayList<>();
    final List<Dependency> dependencies = new ArrayList<>();
    String key;
    String milestone = "";
    PhaseStatus status = PhaseStatus.PENDING;

    PhaseDraft(PhaseId id, PhaseDefinition first) {
        this.id = id;
        definitions.add(first);
    }

    /** The definition that locates the phase: its heading, else its first definition. */
    PhaseDefinition primary() {
        for (PhaseDefinition d : definitions) {
            if (d.kind == PhaseDefinition.Kind.HEADING) {
                return d;
            }
        }
        return definitions.get(0);
    }

    String name() {
        String name = primary().name;
        if (name.isEmpty()) {
            for (PhaseDefinition d : definitions) {
                if (!d.name.isEmpty()) {
                    return d.name;
                }
            }
        }
        return name;
    }

    int line() {
        return primary().line;
    }

    boolean has(PhaseDefinition.Kind kind) {
        for (PhaseDefinition d : definitions) {
            if (d.kind == kind) {
                return true;
            }
        }
        return false;
    }
}
