package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.Dependency;
import io.phasegrid.common.roadmap.PhaseId;
import io.phasegrid.common.roadmap.PhaseLookup;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resolves {@code Depends on} values to phase keys. An id used by several phases is resolved by {@link PhaseLookup}
 * (the referring phase's milestone first, else the nearest definition before it, else the first after it), with an
 * {@code AMBIGUOUS_DEPENDENCY} warning naming the choice; when the same-milestone phase is the referring phase itself
 * the reference is a {@code SELF_DEPENDENCY}.
 */
final class DependencyResolver {

    private final String file;
    private final List<Problem> problems;
    private final NavigableMap<PhaseId, List<PhaseDraft>> byId = new TreeMap<>();

    private DependencyResolver(String file, List<PhaseDraft> drafts, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
        for (PhaseDraft d : drafts) {
            byId.computeIfAbsent(d.id, k -> new ArrayList<>()).add(d);
        }
    }

    static void resolve(String file, List<PhaseDraft> drafts, List<Problem> problems) {
        DependencyResolver resolver = new DependencyResolver(file, drafts, problems);
        for (PhaseDraft d : drafts) {
            resolver.resolveDeclared(d);
        }
    }

    private void resolveDeclared(PhaseDraft phase) {
        Set<String> added = new HashSet<>();
        for (PhaseDefinition def : phase.definitions) {
            for (PhaseDefinition.DependsOnLine line : def.dependsOn) {
                SourceRef where = SourceRef.of(file, line.line());
                DependsOn parsed = DependsOnParser.parse(line.value());
                if (!parsed.milestoneText().isEmpty()) {
                    warn(ProblemCode.MILESTONE_DEPENDENCY, where, "Phase " + phase.key + " depends on a milestone ('"
                            + parsed.milestoneText() + "'), not a phase; no dependency added");
                }
                if (parsed.unparsed()) {
                    warn(ProblemCode.UNPARSED_DEPENDENCY, where, "Phase " + phase.key + ": no phase reference found in"
                            + " 'Depends on: " + line.value() + "' (expected e.g. 'Phase 3' or 'Nothing')");
                }
                for (String external : parsed.externalReferences()) {
                    warn(ProblemCode.EXTERNAL_DEPENDENCY, where, "Phase " + phase.key + " depends on '" + external
                            + "' of another project; not part of this roadmap, no dependency added");
                }
                for (DependsOn.Reference ref : parsed.references()) {
                    if (ref.isRange()) {
                        resolveRange(phase, ref, where, added);
                    } else {
                        PhaseDraft target = resolveOne(phase, ref.from(), ref.text(), where);
                        add(phase, target, ref.text(), where, added);
                    }
                }
            }
        }
    }

    private void resolveRange(PhaseDraft phase, DependsOn.Reference ref, SourceRef where, Set<String> added) {
        if (ref.garbledDash()) {
            warn(ProblemCode.GARBLED_RANGE, where, "Phase " + phase.key + ": the dash in '" + ref.text()
                    + "' is mis-encoded; read as the range " + ref.from() + " to " + ref.to());
        }
        Map<PhaseId, List<PhaseDraft>> inRange = byId.subMap(ref.from(), true, ref.to(), true);
        boolean any = false;
        for (Map.Entry<PhaseId, List<PhaseDraft>> e : inRange.entrySet()) {
            PhaseId id = e.getKey();
            if (!id.prefix().equals(ref.from().prefix()) || id.isBacklog() && !ref.from().isBacklog()) {
                continue;
            }
            PhaseLookup.Resolution<PhaseDraft> resolution = lookup(phase, e.getValue());
            if (resolution.rule() == PhaseLookup.Rule.SELF) {
                continue; // a range that spans the phase itself
            }
            any = true;
            add(phase, choose(phase, id, resolution, where), ref.text(), where, added);
        }
        if (!any) {
            warn(ProblemCode.UNKNOWN_DEPENDENCY, where, "Phase " + phase.key + " depends on " + ref.text()
                    + " but no phase in that range exists; no dependency added");
        }
    }

    private PhaseDraft resolveOne(PhaseDraft phase, PhaseId id, String text, SourceRef where) {
        List<PhaseDraft> candidates = byId.get(id);
        if (candidates == null) {
            warn(ProblemCode.UNKNOWN_DEPENDENCY, where, "Phase " + phase.key + " depends on Phase " + id
                    + ", which is not in the roadmap; no dependency added");
            return null;
        }
        if (candidates.size() == 1 && candidates.get(0) != phase) {
            return candidates.get(0); // the common case, without building a resolution
        }
        PhaseLookup.Resolution<PhaseDraft> resolution = lookup(phase, candidates);
        if (resolution.rule() == PhaseLookup.Rule.SELF) {
            warn(ProblemCode.SELF_DEPENDENCY, where, "Phase " + phase.key + " depends on itself ('" + text + "'"
                    + (resolution.ambiguous() ? ": " + resolution.describe(id, c -> c.key) : "") + "); ignored");
            return null;
        }
        return choose(phase, id, resolution, where);
    }

    private static PhaseLookup.Resolution<PhaseDraft> lookup(PhaseDraft phase, List<PhaseDraft> candidates) {
        return PhaseLookup.resolve(candidates, phase, c -> c.milestone, PhaseDraft::line);
    }

    /** The resolved phase; a choice among several is an {@code AMBIGUOUS_DEPENDENCY} warning naming it. */
    private PhaseDraft choose(PhaseDraft phase, PhaseId id, PhaseLookup.Resolution<PhaseDraft> resolution,
            SourceRef where) {
        if (resolution.ambiguous()) {
            warn(ProblemCode.AMBIGUOUS_DEPENDENCY, where, "Phase " + phase.key + " depends on "
                    + resolution.describe(id, c -> c.key));
        }
        return resolution.chosen();
    }

    private void add(PhaseDraft phase, PhaseDraft target, String text, SourceRef where, Set<String> added) {
        if (target == null || target == phase || !added.add(target.key)) {
            return;
        }
        // a backlog target is reported by the analyser, which also sees inferred edges
        phase.dependencies.add(new Dependency(target.key, text, where));
    }

    private void warn(ProblemCode code, SourceRef where, String message) {
        problems.add(Problem.of(code, where, message));
    }
}
