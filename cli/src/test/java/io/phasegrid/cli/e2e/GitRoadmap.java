package io.phasegrid.cli.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Writes a small GSD {@code .planning} tree into a {@link GitProject}: phases, their dependencies and PLAN bodies. */
final class GitRoadmap {

    /** A phase: number, name, the numbers it depends on, and one PLAN body per plan. */
    record Phase(int number, String name, List<Integer> dependsOn, List<String> plans) {

        String dir() {
            return ".planning/phases/%02d-%s".formatted(number, name.toLowerCase());
        }

        String planId(int plan) {
            return "%02d-%02d".formatted(number, plan);
        }
    }

    private final List<Phase> phases = new ArrayList<>();

    GitRoadmap phase(int number, String name, List<Integer> dependsOn, String... plans) {
        phases.add(new Phase(number, name, dependsOn, List.of(plans)));
        return this;
    }

    /** Writes ROADMAP.md, STATE.md, config.json and the PLAN files. */
    void writeTo(GitProject project) throws IOException {
        StringBuilder roadmap = new StringBuilder("# Roadmap: Git E2E\n\n## Phases\n\n");
        for (Phase p : phases) {
            roadmap.append("- [ ] **Phase %d: %s** - %s work\n".formatted(p.number(), p.name(), p.name()));
        }
        roadmap.append("\n## Phase Details\n");
        for (Phase p : phases) {
            roadmap.append("\n### Phase %d: %s\n**Goal**: %s is done\n**Depends on**: %s\n**Plans**: %d plans\n\nPlans:\n"
                    .formatted(p.number(), p.name(), p.name(), dependsOn(p), p.plans().size()));
            for (int i = 1; i <= p.plans().size(); i++) {
                roadmap.append("- [ ] %s: %s plan %d\n".formatted(p.planId(i), p.name(), i));
                project.write(p.dir() + "/" + p.planId(i) + "-PLAN.md", """
                        ---
                        phase: %02d-%s
                        plan: %02d
                        wave: %d
                        depends_on: []
                        autonomous: true
                        ---
                        %s
                        """.formatted(p.number(), p.name().toLowerCase(), i, i, p.plans().get(i - 1)));
            }
        }
        project.write(".planning/ROADMAP.md", roadmap.toString());
        project.write(".planning/STATE.md", """
                # Project State

                ## Current Position

                Phase: 1 of %d (%s)
                Plan: 0 of %d
                Status: Ready to execute
                Last activity: 2026-12-01 -- roadmap created
                """.formatted(phases.size(), phases.get(0).name(), phases.get(0).plans().size()));
        project.write(".planning/config.json", "{\"parallelization\": {\"enabled\": true}}\n");
    }

    private static String dependsOn(Phase p) {
        if (p.dependsOn().isEmpty()) {
            return "Nothing (first phase)";
        }
        return String.join(", ", p.dependsOn().stream().map(n -> "Phase " + n).toList());
    }
}
