package io.phasegrid.coordinator.run;

import static io.phasegrid.common.testing.RoadmapBuilder.roadmap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.settings.Schedule;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunBlueprintTest {

    private static Analysis analyze(Roadmap roadmap) {
        return RoadmapAnalyzer.analyze(roadmap, AnalysisOptions.defaults());
    }

    @Test
    void compilesAnAnalysedRoadmapInRoadmapOrderWithDependenciesEstimatesAndPlans() {
        Roadmap roadmap = roadmap()
                .phase("1").plan(1).tokens(5_000).and()
                .phase("2").dependsOn("01").and()
                .phase("3").dependsOn("01", "02").build();
        Analysis analysis = analyze(roadmap);

        RunBlueprint bp = RunBlueprint.compile(analysis, RunSettings.defaults());

        assertThat(bp.size()).isEqualTo(3);
        assertThat(List.of(bp.key(0), bp.key(1), bp.key(2))).containsExactly("01", "02", "03");
        assertThat(bp.dependsOn(2)).containsExactly("01", "02");
        assertThat(bp.dependentCount(0)).isEqualTo(2);
        assertThat(bp.estimatedTokens(0)).isEqualTo(analysis.phase("01").orElseThrow().estimatedTokens());
        assertThat(bp.plans(0)).extracting(RunBlueprint.PlanRef::id).containsExactly("01-01");
        assertThat(bp.plans(0).get(0).path()).endsWith("01-01-PLAN.md");
        assertThat(bp.plans(1)).isEmpty();
        assertThat(List.of(bp.wave(0), bp.wave(1), bp.wave(2))).containsExactly(0, 1, 2);
    }

    @Test
    void completePhasesAreSkippedUnlessIncludedAndDoNotHoldTheirDependentsBack() {
        Roadmap roadmap = roadmap()
                .phase("1").complete().and()
                .phase("2").dependsOn("01").build();

        RunBlueprint skipping = RunBlueprint.compile(analyze(roadmap), RunSettings.defaults());
        RunBlueprint including = RunBlueprint.compile(analyze(roadmap),
                RunSettings.builder().includeComplete(true).build());

        assertThat(skipping.skipped(0)).isTrue();
        assertThat(skipping.wave(1)).isZero();
        assertThat(including.skipped(0)).isFalse();
        assertThat(including.wave(1)).isEqualTo(1);
    }

    @Test
    void aCycleConfinedToCompletePhasesDoesNotStopARunThatSkipsThemButStopsOneThatIncludesThem() {
        // issue 9: 01 and 02 are done and name each other; 03 waits for 01, 04 is independent
        Roadmap roadmap = roadmap()
                .phase("1").complete().dependsOn("02")
                .phase("2").complete().dependsOn("01")
                .phase("3").dependsOn("01")
                .phase("4").build();

        RunBlueprint skipping = RunBlueprint.compile(analyze(roadmap), RunSettings.defaults());

        assertThat(skipping.skipped(0)).isTrue();
        assertThat(skipping.skipped(1)).isTrue();
        assertThat(skipping.dependsOn(0)).isEmpty();
        assertThat(skipping.dependsOn(2)).containsExactly("01");
        assertThat(List.of(skipping.wave(2), skipping.wave(3))).containsExactly(0, 0);
        assertThat(RunBlueprint.compile(analyze(roadmap).toleratingCompletePhaseErrors(), RunSettings.defaults())
                .dependsOn(2)).containsExactly("01");
        assertThatThrownBy(() -> RunBlueprint.compile(analyze(roadmap).toleratingCompletePhaseErrors(),
                RunSettings.builder().includeComplete(true).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle: 01 -> 02");
    }

    @Test
    void aCycleThroughAPendingPhaseStopsTheRun() {
        Roadmap roadmap = roadmap()
                .phase("1").complete().dependsOn("02")
                .phase("2").dependsOn("01").build();

        assertThatThrownBy(() -> RunBlueprint.compile(analyze(roadmap), RunSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the roadmap cannot run: ");
    }

    @Test
    void backlogPhasesAreLeftOutUnlessListed() {
        Roadmap roadmap = roadmap()
                .phase("1").and()
                .phase("999.1").and()
                .phase("999.2").build();

        RunBlueprint without = RunBlueprint.compile(analyze(roadmap), RunSettings.defaults());
        RunBlueprint with = RunBlueprint.compile(analyze(roadmap),
                RunSettings.builder().includeBacklog(List.of("999.2")).build());

        assertThat(without.size()).isEqualTo(1);
        assertThat(with.size()).isEqualTo(2);
        assertThat(with.indexOf("999.2")).isEqualTo(1);
        assertThat(with.indexOf("999.1")).isEqualTo(-1);
        assertThatThrownBy(() -> RunBlueprint.compile(analyze(roadmap),
                RunSettings.builder().includeBacklog(List.of("01")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not backlog");
    }

    @Test
    void priorityIsTheLongestRemainingPathByEstimateTiesByRoadmapOrder() {
        // a(1) -> b(10) ; c(5) -> d(5) ; e(11) ; f(11)
        RunBlueprint bp = RunBlueprint.builder()
                .phase("a", 1).phase("b", 10, "a")
                .phase("c", 5).phase("d", 5, "c")
                .phase("e", 11).phase("f", 11)
                .build();

        assertThat(bp.priority(bp.indexOf("a"))).isEqualTo(11);
        assertThat(bp.priority(bp.indexOf("c"))).isEqualTo(10);
        // dispatch order among the initially ready: a (11), e (11, later in roadmap), f, c
        assertThat(bp.rank(bp.indexOf("a"))).isLessThan(bp.rank(bp.indexOf("e")));
        assertThat(bp.rank(bp.indexOf("e"))).isLessThan(bp.rank(bp.indexOf("f")));
        assertThat(bp.rank(bp.indexOf("f"))).isLessThan(bp.rank(bp.indexOf("c")));
    }

    @Test
    void underWavesTheDispatchOrderIsWaveFirst() {
        RunBlueprint bp = RunBlueprint.builder()
                .phase("a", 1).phase("b", 100, "a").phase("c", 2)
                .build(RunSettings.builder().schedule(Schedule.WAVES).build());

        assertThat(bp.rank(bp.indexOf("a"))).isEqualTo(0); // priority 101
        assertThat(bp.rank(bp.indexOf("c"))).isEqualTo(1); // wave 0 before wave 1
        assertThat(bp.rank(bp.indexOf("b"))).isEqualTo(2);
    }

    @Test
    void refusesCyclesUnknownDependenciesAndDuplicateKeys() {
        assertThatThrownBy(() -> RunBlueprint.builder().phase("a", 1, "b").phase("b", 1, "a").build())
                .hasMessageContaining("cycle").hasMessageContaining("a, b");
        assertThatThrownBy(() -> RunBlueprint.builder().phase("a", 1, "zz").build())
                .hasMessageContaining("'zz'");
        assertThatThrownBy(() -> RunBlueprint.builder().phase("a", 1).phase("a", 1).build())
                .hasMessageContaining("duplicate");
    }

    @Test
    void settingsDefaults() {
        RunSettings s = RunSettings.defaults();

        assertThat(s.maxParallel()).isEqualTo(3);
        assertThat(s.schedule()).isEqualTo(Schedule.EAGER);
        assertThat(s.retry()).isEqualTo(new RetryPolicy(3, 1_000, 2.0, 60_000));
        assertThat(s.leaseTtlMs()).isEqualTo(30_000);
        assertThat(s.budgetTokens()).isZero();
        assertThat(s.retry().backoffMs(1)).isEqualTo(1_000);
        assertThat(s.retry().backoffMs(2)).isEqualTo(2_000);
        assertThat(s.retry().backoffMs(20)).isEqualTo(60_000);
    }
}
