package io.phasegrid.common.graph;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalyzedPhase;
import io.phasegrid.common.roadmap.PhaseId;
import io.phasegrid.common.roadmap.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Answers {@code phasegrid check}: can these phases run at the same time, and which phases can run now.
 *
 * <p>Two phases cannot run together when one depends on the other, directly or through other phases (declared or
 * inferred dependencies, whatever the phases' status), or when plans of both modify the same file.
 */
public final class ParallelCheck {

    /** One dependency along a path: {@code dependent} must wait for {@code dependency}, because of {@code reason}. */
    public record Step(String dependent, String dependency, String reason) {
    }

    /**
     * Why two phases cannot run together: either a dependency path from {@code first} to {@code second} (first
     * depends on second), or, when there is none, a file that plans of both modify.
     */
    public record Conflict(String first, String second, List<Step> path, String sharedFile) {

        public Conflict {
            path = List.copyOf(path);
        }

        /** {@code 03 depends on 01: 03 -> 02 (declared at ...) -> 01 (...)} or {@code 02 and 05 both modify x}. */
        public String describe() {
            if (path.isEmpty()) {
                return first + " and " + second + " both modify " + sharedFile;
            }
            StringBuilder sb = new StringBuilder(first).append(" depends on ").append(second).append(": ").append(first);
            for (Step step : path) {
                sb.append(" -> ").append(step.dependency()).append(" (").append(step.reason()).append(')');
            }
            return sb.toString();
        }
    }

    /**
     * @param parallel true when every known phase can run at the same time as every other
     * @param unknownKeys keys that name no phase of the analysis
     * @param conflicts why not, one entry per conflicting pair
     */
    public record Result(boolean parallel, List<String> unknownKeys, List<Conflict> conflicts) {

        public Result {
            unknownKeys = List.copyOf(unknownKeys);
            conflicts = List.copyOf(conflicts);
        }
    }

    private final Analysis analysis;
    private final PhaseGraph graph;

    private ParallelCheck(Analysis analysis) {
        this.analysis = analysis;
        this.graph = analysis.graph();
    }

    public static ParallelCheck of(Analysis analysis) {
        return new ParallelCheck(analysis);
    }

    /**
     * The key a user means: an exact key, else the only phase whose id has the same normalised form ({@code 3} ->
     * {@code 03}); empty when there is none or several.
     */
    public Optional<String> resolveKey(String keyOrId) {
        if (graph.indexOf(keyOrId).isPresent()) {
            return Optional.of(keyOrId);
        }
        Optional<PhaseId> id = PhaseId.tryParse(keyOrId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        List<String> matches = analysis.phases().stream()
                .filter(p -> p.phase().id().equals(id.get()))
                .map(AnalyzedPhase::key)
                .toList();
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    /** Whether the phases with these keys can run at the same time; if not, why. */
    public Result canRunTogether(Collection<String> keys) {
        List<String> unknown = new ArrayList<>();
        List<Integer> nodes = new ArrayList<>();
        for (String key : new LinkedHashSet<>(keys)) {
            OptionalInt index = graph.indexOf(key);
            if (index.isPresent()) {
                nodes.add(index.getAsInt());
            } else {
                unknown.add(key);
            }
        }
        List<Conflict> conflicts = new ArrayList<>();
        Set<Long> orderedPairs = new HashSet<>();
        int[] parentEdge = new int[graph.size()];
        for (int a : nodes) {
            boolean[] reached = dependenciesOf(a, parentEdge);
            for (int b : nodes) {
                if (b != a && reached[b]) {
                    conflicts.add(new Conflict(graph.key(a), graph.key(b), pathBack(a, b, parentEdge), null));
                    orderedPairs.add(pair(a, b));
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = i + 1; j < nodes.size(); j++) {
                int a = nodes.get(i);
                int b = nodes.get(j);
                if (orderedPairs.contains(pair(a, b)) || orderedPairs.contains(pair(b, a))) {
                    continue;
                }
                sharedFile(a, b).ifPresent(file ->
                        conflicts.add(new Conflict(graph.key(a), graph.key(b), List.of(), file)));
            }
        }
        return new Result(conflicts.isEmpty() && unknown.isEmpty(), unknown, conflicts);
    }

    /**
     * Waves over the phases still to do (not complete, not backlog), complete dependencies counting as satisfied; the
     * first wave is the READY set. Computed by the analyser's wave code over the analysis' graph. Empty when the
     * dependencies have a cycle.
     */
    public List<List<String>> pendingWaves() {
        return RoadmapAnalyzer.pendingWaves(analysis);
    }

    /** Everything {@code from} depends on, transitively; {@code parentEdge} records how each was reached. */
    private boolean[] dependenciesOf(int from, int[] parentEdge) {
        boolean[] reached = new boolean[graph.size()];
        int[] queue = new int[graph.size()];
        int tail = 0;
        queue[tail++] = from;
        reached[from] = true;
        Arrays.fill(parentEdge, -1);
        for (int head = 0; head < tail; head++) {
            int v = queue[head];
            for (int s = graph.predecessorStart(v); s < graph.predecessorEnd(v); s++) {
                int u = graph.predecessor(s);
                if (!reached[u]) {
                    reached[u] = true;
                    parentEdge[u] = graph.predecessorEdge(s);
                    queue[tail++] = u;
                }
            }
        }
        reached[from] = false;
        return reached;
    }

    /** The shortest path {@code a -> ... -> b} in "depends on" direction found by {@link #dependenciesOf}. */
    private List<Step> pathBack(int a, int b, int[] parentEdge) {
        List<Step> reversed = new ArrayList<>();
        for (int v = b; v != a; ) {
            int edge = parentEdge[v];
            int dependent = graph.edgeTo(edge);
            reversed.add(new Step(graph.key(dependent), graph.key(v), graph.edgeReason(edge)));
            v = dependent;
        }
        List<Step> path = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            path.add(reversed.get(i));
        }
        return path;
    }

    private Optional<String> sharedFile(int a, int b) {
        Set<String> filesOfB = analysis.phases().get(b).phase().plans().stream()
                .flatMap(p -> p.filesModified().stream())
                .collect(Collectors.toSet());
        for (Plan plan : analysis.phases().get(a).phase().plans()) {
            for (String file : plan.filesModified()) {
                if (filesOfB.contains(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }
}
