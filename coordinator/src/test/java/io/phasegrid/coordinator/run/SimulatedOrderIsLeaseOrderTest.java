package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.simulate.ScheduleSimulator;
import io.phasegrid.common.simulate.ScheduledPhase;
import io.phasegrid.common.testing.RoadmapBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code phasegrid simulate} predicts the schedule the coordinator runs: for the same roadmap and slots, the order in
 * which the simulator starts phases is the order in which a run leases them, when every phase takes its estimate
 * (both share {@code DispatchOrder}).
 */
class SimulatedOrderIsLeaseOrderTest {

    private static final long TTL = Long.MAX_VALUE / 4;

    static Stream<Arguments> roadmaps() {
        return IntStream.range(0, 60).mapToObj(seed -> Arguments.of(seed, 1 + seed % 4));
    }

    /** Up to 30 phases, each depending on up to 3 earlier ones, with varied estimates and a few complete phases. */
    private static Roadmap randomRoadmap(long seed) {
        Random random = new Random(seed);
        int n = 2 + random.nextInt(29);
        RoadmapBuilder builder = RoadmapBuilder.roadmap();
        for (int i = 0; i < n; i++) {
            RoadmapBuilder.PhaseSpec phase = builder.phase(Integer.toString(i + 1))
                    .requirements(random.nextInt(4)).successCriteria(random.nextInt(3));
            for (int d = 0; i > 0 && d < random.nextInt(4); d++) {
                phase.dependsOn(RoadmapBuilder.key(random.nextInt(i)));
            }
            if (random.nextInt(8) == 0) {
                phase.complete();
            }
        }
        return builder.build();
    }

    @ParameterizedTest(name = "seed {0}, {1} slot(s)")
    @MethodSource("roadmaps")
    void theSimulatorStartsPhasesInTheOrderARunLeasesThem(long seed, int slots) {
        Analysis analysis = RoadmapAnalyzer.analyze(randomRoadmap(seed),
                AnalysisOptions.defaults().withPendingOnly(true)); // `simulate --pending`: a run skips complete phases
        List<String> predicted = ScheduleSimulator.withDefaults().simulate(analysis, null, slots)
                .dependencyDrivenSchedule().stream().map(ScheduledPhase::key).toList();

        RunBlueprint blueprint = RunBlueprint.compile(analysis, RunSettings.builder().maxParallel(slots).build());
        assertThat(leaseOrder(blueprint)).isEqualTo(predicted);
    }

    /** Runs the record in virtual time: every phase takes its estimate; what ends at one instant ends together. */
    private static List<String> leaseOrder(RunBlueprint blueprint) {
        RunRecord run = RunRecord.create("r", "r", blueprint, 0);
        List<String> leased = new ArrayList<>();
        TreeMap<Long, List<LeaseGrant>> endingAt = new TreeMap<>();
        long now = 0;
        for (int step = 0; step <= blueprint.size(); step++) {
            for (LeaseGrant grant : run.lease("w", blueprint.size(), now, TTL)) {
                leased.add(grant.key());
                endingAt.computeIfAbsent(now + grant.estimatedTokens(), t -> new ArrayList<>()).add(grant);
            }
            if (endingAt.isEmpty()) {
                break;
            }
            var next = endingAt.pollFirstEntry();
            now = next.getKey();
            for (LeaseGrant grant : next.getValue()) {
                run.complete(grant.phase(), grant.epoch(), Outcome.SUCCEEDED, 0, "", now);
            }
        }
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        return leased;
    }
}
