package io.phasegrid.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.bench.gen.Shape;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.RunState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The driver's cluster measurement on a tiny DAG: every phase succeeds and the counters add up (no timing). */
class ThroughputDriverSmokeTest {

    @ParameterizedTest
    @EnumSource(value = Shape.class, names = {"WIDE", "DEEP"})
    void everyPhaseSucceedsOnTheEmbeddedCluster(Shape shape) throws Exception {
        ClusterResult result = ThroughputDriver.clusterOnce(shape, 200, 2, 4);

        assertThat(result.run().getState()).isEqualTo(RunState.RUN_SUCCEEDED);
        assertThat(result.run().getPhasesCount()).isEqualTo(200);
        assertThat(result.run().getPhasesList()).allSatisfy(p ->
                assertThat(p.getState()).isEqualTo(PhaseState.PHASE_SUCCEEDED));
        assertThat(result.rpcs().get("completePhase")).isEqualTo(200);
        assertThat(result.rpcs().get("leasesReceived")).isEqualTo(200);
        assertThat(result.mapOps().operations()).isPositive();
    }
}
