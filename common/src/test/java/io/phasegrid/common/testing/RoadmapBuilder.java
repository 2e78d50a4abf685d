package io.phasegrid.common.testing;

import io.phasegrid.common.roadmap.Dependency;
import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.PhaseId;
import io.phasegrid.common.roadmap.PhaseReference;
import io.phasegrid.common.roadmap.PhaseStatus;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Roadmap}s in tests the way a parser would, without a file. Phase {@code i} (0-based) is defined at
 * line {@code 10 * (i + 1)} of {@value #ROADMAP} and declares its dependencies two lines below unless told otherwise.
 */
public final class RoadmapBuilder {

    public static final String ROADMAP = ".planning/ROADMAP.md";

    private final List<PhaseSpec> phases = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    public static RoadmapBuilder roadmap() {
        return new RoadmapBuilder();
    }

    /** Adds a pending phase; its key is the normalised id. */
    public PhaseSpec phase(String id) {
        PhaseSpec spec = new PhaseSpec(this, id, 10 * (phases.size() + 1));
        phases.add(spec);
        return spec;
    }

    /** The key of the phase at {@code index} (0-based) of a generated roadmap whose ids are {@code 1..n}. */
    public static String key(int index) {
        return PhaseId.parse(Integer.toString(index + 1)).normalized();
    }

    /** A chain of phases with ids {@code 1..count}, each depending on the one before. */
    public RoadmapBuilder chain(int count) {
        return chain(count, false);
    }

    /** A chain of phases with ids {@code 1..count}; when {@code cyclic} the first also depends on the last. */
    public RoadmapBuilder chain(int count, boolean cyclic) {
        for (int i = 0; i < count; i++) {
            PhaseSpec spec = phase(Integer.toString(i + 1));
            if (i > 0) {
                spec.dependsOn(key(i - 1));
            } else if (cyclic) {
                spec.dependsOn(key(count - 1));
            }
        }
        return this;
    }

    public RoadmapBuilder problem(Problem problem) {
        problems.add(problem);
        return this;
    }

    public Roadmap build() {
        return new Roadmap(ROADMAP, phases.stream().map(PhaseSpec::toPhase).toList(), Map.of(), problems);
    }

    /** A phase being described. */
    public static final class PhaseSpec {
        private final RoadmapBuilder owner;
        private final PhaseId id;
        private final int line;
        private String key;
        private String milestone = "";
        private PhaseStatus status = PhaseStatus.PENDING;
        private final List<Dependency> dependsOn = new ArrayList<>();
        private int requirements;
        private int criteria;
        private final List<PlanSpec> plans = new ArrayList<>();

        private PhaseSpec(RoadmapBuilder owner, String id, int line) {
            this.owner = owner;
            this.id = PhaseId.parse(id);
            this.key = this.id.normalized();
            this.line = line;
            if (this.id.isBacklog()) {
                status = PhaseStatus.BACKLOG;
            }
        }

        public PhaseSpec key(String phaseKey) {
            this.key = phaseKey;
            return this;
        }

        public PhaseSpec milestone(String name) {
            this.milestone = name;
            return this;
        }

        public PhaseSpec complete() {
            status = PhaseStatus.COMPLETE;
            return this;
        }

        public PhaseSpec backlog() {
            status = PhaseStatus.BACKLOG;
            return this;
        }

        /** Declared dependencies by key, on the line two below the phase heading. */
        public PhaseSpec dependsOn(String... keys) {
            return dependsOnAt(line + 2, keys);
        }

        public PhaseSpec dependsOnAt(int dependsLine, String... keys) {
            for (String k : keys) {
                dependsOn.add(new Dependency(k, "Phase " + k, SourceRef.of(ROADMAP, dependsLine)));
            }
            return this;
        }

        public PhaseSpec requirements(int count) {
            this.requirements = count;
            return this;
        }

        public PhaseSpec successCriteria(int count) {
            this.criteria = count;
            return this;
        }

        /** Adds a plan numbered {@code number} ({@code 03-01} for phase 03, number 1). */
        public PlanSpec plan(int number) {
            PlanSpec plan = new PlanSpec(this, id.normalized() + "-" + String.format("%02d", number));
            plans.add(plan);
            return plan;
        }

        public PhaseSpec phase(String nextId) {
            return owner.phase(nextId);
        }

        public Roadmap build() {
            return owner.build();
        }

        public RoadmapBuilder and() {
            return owner;
        }

        String folder() {
            return ".planning/phases/" + id.normalized() + "-phase";
        }

        Phase toPhase() {
            return new Phase(key, id, "Phase " + id, "", milestone, status, SourceRef.of(ROADMAP, line), dependsOn,
                    dependsOn.isEmpty() ? "" : "Phase ...", requirements, criteria,
                    plans.stream().map(PlanSpec::toPlan).toList());
        }
    }

    /** A plan being described. */
    public static final class PlanSpec {
        private final PhaseSpec phase;
        private final String id;
        private Integer wave;
        private final List<String> dependsOn = new ArrayList<>();
        private final List<String> files = new ArrayList<>();
        private Long tokens;
        private boolean summary;
        private final List<PhaseReference> references = new ArrayList<>();

        private PlanSpec(PhaseSpec phase, String id) {
            this.phase = phase;
            this.id = id;
        }

        public String file() {
            return phase.folder() + "/" + id + "-PLAN.md";
        }

        public PlanSpec wave(int declared) {
            this.wave = declared;
            return this;
        }

        public PlanSpec dependsOn(String... planIds) {
            dependsOn.addAll(List.of(planIds));
            return this;
        }

        public PlanSpec modifies(String... paths) {
            files.addAll(List.of(paths));
            return this;
        }

        public PlanSpec tokens(long estimate) {
            this.tokens = estimate;
            return this;
        }

        public PlanSpec done() {
            this.summary = true;
            return this;
        }

        /** An {@code @.planning/phases/NN-x/NN-01-SUMMARY.md} include on line 12 of this plan. */
        public PlanSpec includesSummaryOf(String phaseId) {
            String normalized = PhaseId.parse(phaseId).normalized();
            references.add(new PhaseReference(normalized, PhaseReference.Kind.SUMMARY_INCLUDE,
                    "@.planning/phases/" + normalized + "-phase/" + normalized + "-01-SUMMARY.md",
                    SourceRef.of(file(), 12)));
            return this;
        }

        /** A {@code requires} entry naming the phase, on line 4 of this plan's summary. */
        public PlanSpec summaryRequires(String phaseId) {
            String normalized = PhaseId.parse(phaseId).normalized();
            references.add(new PhaseReference(normalized, PhaseReference.Kind.SUMMARY_REQUIRES,
                    "phase " + normalized, SourceRef.of(phase.folder() + "/" + id + "-SUMMARY.md", 4)));
            return this;
        }

        public PlanSpec plan(int number) {
            return phase.plan(number);
        }

        public PhaseSpec phase(String nextId) {
            return phase.phase(nextId);
        }

        public PhaseSpec and() {
            return phase;
        }

        public Roadmap build() {
            return phase.build();
        }

        Plan toPlan() {
            return new Plan(id, SourceRef.of(file(), 1), wave, dependsOn, files, null, null, 0, 0, 0, tokens, summary,
                    references);
        }
    }
}
