package io.phasegrid.worker.executor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test tasks. */
final class Tasks {

    private Tasks() {
    }

    static PhaseTask.Plan plan(String id) {
        return new PhaseTask.Plan(id, ".planning/phases/" + id + "-PLAN.md",
                ("# plan " + id + "\n").getBytes(StandardCharsets.UTF_8), false);
    }

    /** A first attempt of phase "07" with these plans (all pending). */
    static PhaseTask task(Path workspace, long estimate, String... planIds) {
        List<PhaseTask.Plan> plans = new ArrayList<>();
        for (String id : planIds) {
            plans.add(plan(id));
        }
        return new PhaseTask("run-1", "07", "Authentication", 1, 1, estimate, plans, new byte[0], workspace);
    }

    static PhaseTask withPlansCompleted(PhaseTask task, String... completedIds) {
        List<String> done = List.of(completedIds);
        List<PhaseTask.Plan> plans = task.plans().stream()
                .map(p -> done.contains(p.id()) ? p.asCompleted() : p)
                .toList();
        return new PhaseTask(task.runId(), task.phaseKey(), task.phaseName(), task.attempt() + 1, task.epoch() + 1,
                task.estimatedTokens(), plans, task.checkpoint(), task.workspace());
    }
}
