package io.phasegrid.common.graph;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plan waves inside one phase, recomputed from the plans' {@code depends_on}.
 *
 * <ol>
 *   <li>Kahn levels over {@code depends_on} between the phase's own plans. A dependency on an id that is not a plan
 *       of this phase is ignored with {@code UNKNOWN_PLAN_DEPENDENCY}. Plans on (or behind) a dependency cycle get
 *       {@code PLAN_CYCLE} and run last, one per wave, in plan order.</li>
 *   <li>A declared {@code wave} that differs from the computed level gives {@code PLAN_WAVE_MISMATCH}; the computed
 *       level is used.</li>
 *   <li>Plans of one level that modify the same file must not run together: each level is split into successive
 *       sub-waves, a plan going to the first sub-wave after every earlier plan (in plan order) of its level that
 *       shares a file with it. The returned waves are these sub-waves.</li>
 * </ol>
 */
public final class PlanWaves {

    /**
     * @param waves plan ids by wave, after same-file splitting
     * @param problems warnings found, in plan order
     */
    public record Result(List<List<String>> waves, List<Problem> problems) {
    }

    private PlanWaves() {
    }

    public static Result compute(Phase phase) {
        List<Plan> plans = phase.plans();
        int n = plans.size();
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < n; i++) {
            indexById.putIfAbsent(plans.get(i).id(), i);
        }
        List<List<Integer>> dependents = new ArrayList<>(n);
        int[] waiting = new int[n];
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        // seen[j] == i + 1 means plan i already depends on plan j
        int[] seen = new int[n];
        for (int i = 0; i < n; i++) {
            Plan plan = plans.get(i);
            for (String dependency : plan.dependsOn()) {
                Integer j = indexById.get(dependency);
                if (j == null) {
                    problems.add(Problem.of(ProblemCode.UNKNOWN_PLAN_DEPENDENCY, plan.source(),
                            "plan " + plan.id() + " depends on " + dependency + ", which is not a plan of phase "
                                    + phase.key() + "; ignored"));
                } else if (j == i) {
                    problems.add(Problem.of(ProblemCode.PLAN_CYCLE, plan.source(),
                            "plan " + plan.id() + " depends on itself; ignored"));
                } else if (seen[j] != i + 1) {
                    seen[j] = i + 1;
                    dependents.get(j).add(i);
                    waiting[i]++;
                }
            }
        }
        int[] level = kahnLevels(dependents, waiting);
        List<Integer> cyclic = new ArrayList<>();
        int maxLevel = 0;
        for (int i = 0; i < n; i++) {
            maxLevel = Math.max(maxLevel, level[i]);
            if (level[i] == 0) {
                cyclic.add(i);
            }
        }
        if (!cyclic.isEmpty()) {
            List<String> ids = cyclic.stream().map(i -> plans.get(i).id()).toList();
            problems.add(Problem.of(ProblemCode.PLAN_CYCLE, plans.get(cyclic.get(0)).source(),
                    "plans " + String.join(", ", ids) + " of phase " + phase.key() + " are on or behind a "
                            + "depends_on cycle; they run last, one at a time, in plan order"));
        }
        for (int i = 0; i < n; i++) {
            Plan plan = plans.get(i);
            if (level[i] > 0 && plan.declaredWave() != null && plan.declaredWave() != level[i]) {
                problems.add(Problem.of(ProblemCode.PLAN_WAVE_MISMATCH, plan.source(),
                        "plan " + plan.id() + " (" + plan.source() + ") declares wave " + plan.declaredWave()
                                + " but its depends_on puts it in wave " + level[i] + "; using wave " + level[i]));
            }
        }
        List<List<Integer>> byLevel = new ArrayList<>(maxLevel);
        for (int l = 0; l < maxLevel; l++) {
            byLevel.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            if (level[i] > 0) {
                byLevel.get(level[i] - 1).add(i);
            }
        }
        List<List<String>> waves = new ArrayList<>();
        for (List<Integer> members : byLevel) {
            waves.addAll(splitBySharedFiles(plans, members));
        }
        for (int i : cyclic) {
            waves.add(List.of(plans.get(i).id()));
        }
        return new Result(waves, problems);
    }

    private static int[] kahnLevels(List<List<Integer>> dependents, int[] waiting) {
        int n = waiting.length;
        int[] level = new int[n];
        int[] remaining = waiting.clone();
        int[] queue = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (remaining[i] == 0) {
                level[i] = 1;
                queue[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++) {
            int i = queue[head];
            for (int j : dependents.get(i)) {
                level[j] = Math.max(level[j], level[i] + 1);
                if (--remaining[j] == 0) {
                    queue[tail++] = j;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (remaining[i] > 0) {
                level[i] = 0;
            }
        }
        return level;
    }

    private static List<List<String>> splitBySharedFiles(List<Plan> plans, List<Integer> members) {
        Map<String, Integer> lastSubWaveByFile = new HashMap<>();
        List<List<String>> subWaves = new ArrayList<>();
        for (int i : members) {
            Plan plan = plans.get(i);
            int subWave = 0;
            for (String file : plan.filesModified()) {
                Integer last = lastSubWaveByFile.get(file);
                if (last != null) {
                    subWave = Math.max(subWave, last + 1);
                }
            }
            for (String file : plan.filesModified()) {
                lastSubWaveByFile.put(file, subWave);
            }
            while (subWaves.size() <= subWave) {
                subWaves.add(new ArrayList<>());
            }
            subWaves.get(subWave).add(plan.id());
        }
        return subWaves;
    }
}
