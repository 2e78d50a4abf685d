package io.phasegrid.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.phasegrid.bench.driver.MakespanMath.Chain;
import io.phasegrid.bench.driver.MakespanMath.LowerBound;
import io.phasegrid.bench.driver.MakespanMath.OverrunSplit;
import io.phasegrid.bench.driver.MakespanMath.PhaseTiming;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The makespan driver's pure computations: lower bound, realized chain, overrun split, table and summary. */
class MakespanMathTest {

    // 01 -> 02 -> 04, 03 -> 04 (04 depends on 02 and 03); 05 alone
    private static final List<PhaseTiming> DIAMOND = List.of(
            PhaseTiming.of("01", 10_000),
            PhaseTiming.of("02", 20_000, "01"),
            PhaseTiming.of("03", 5_000),
            PhaseTiming.of("04", 10_000, "02", "03"),
            PhaseTiming.of("05", 15_000));

    @Test
    void lowerBoundIsTheCriticalPathWhenSlotsAreAmple() {
        LowerBound b = MakespanMath.lowerBound(DIAMOND, 8);

        assertThat(b.criticalPathTokens()).isEqualTo(40_000);
        assertThat(b.totalTokens()).isEqualTo(60_000);
        assertThat(b.tokens()).isEqualTo(40_000.0);
        assertThat(b.pathBound()).isTrue();
        assertThat(b.millis(20)).isEqualTo(800.0); // 20 ms per 1,000 tokens
    }

    @Test
    void lowerBoundIsWorkOverSlotsWhenSlotsAreFew() {
        LowerBound b = MakespanMath.lowerBound(DIAMOND, 1);

        assertThat(b.tokens()).isEqualTo(60_000.0);
        assertThat(b.pathBound()).isFalse();
        assertThat(MakespanMath.lowerBound(DIAMOND, 2).tokens()).isEqualTo(40_000.0); // 60,000 / 2 = 30,000 < path
    }

    @Test
    void lowerBoundIgnoresDependenciesOutsideTheRunAndRefusesCycles() {
        assertThat(MakespanMath.lowerBound(List.of(PhaseTiming.of("02", 7_000, "01")), 3).criticalPathTokens())
                .isEqualTo(7_000);
        assertThatThrownBy(() -> MakespanMath.lowerBound(
                List.of(PhaseTiming.of("a", 1, "b"), PhaseTiming.of("b", 1, "a")), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");
        assertThatThrownBy(() -> MakespanMath.lowerBound(DIAMOND, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chainWalksBackFromTheLastCompletionAndAddsUpToTheMakespan() {
        // time scale 10 ms per 1,000 tokens: 01 = 100 ms, 02 = 200 ms, 03 = 50 ms, 04 = 100 ms
        List<PhaseTiming> run = List.of(
                new PhaseTiming("01", 10_000, List.of(), 1_000, 1_105),
                new PhaseTiming("03", 5_000, List.of(), 1_000, 1_052),
                new PhaseTiming("02", 20_000, List.of("01"), 1_108, 1_310),
                new PhaseTiming("04", 10_000, List.of("02", "03"), 1_313, 1_420));

        Chain c = MakespanMath.chain(run, 1_000, 10);

        // 04 <- 02 (finished 1310 <= 1313) <- 01 (1105 <= 1108); 01 starts at the run start
        assertThat(c.phases()).isEqualTo(3);
        assertThat(c.nominalMs()).isEqualTo(400.0);
        assertThat(c.phaseWallMs()).isEqualTo(105 + 202 + 107);
        assertThat(c.gapMs()).isEqualTo(3 + 3);
        assertThat(c.leadMs()).isZero();
        assertThat(c.makespanMs()).isEqualTo(420);
        assertThat(c.overrunMs()).isEqualTo(14.0);
        assertThat(c.overheadPerPhaseMs()).isCloseTo(20.0 / 3, within(1e-9));
        assertThat(MakespanMath.meanOverrunMs(run, 10)).isEqualTo((5 + 2 + 2 + 7) / 4.0);
    }

    @Test
    void chainEndsOnTiesAtTimeScaleZero() {
        List<PhaseTiming> run = List.of(
                new PhaseTiming("a", 1_000, List.of(), 5, 5),
                new PhaseTiming("b", 1_000, List.of(), 5, 5));

        Chain c = MakespanMath.chain(run, 5, 0);

        assertThat(c.phases()).isBetween(1, 2);
        assertThat(c.makespanMs()).isZero();
        assertThat(MakespanMath.chain(List.of(), 0, 10).phases()).isZero();
    }

    @Test
    void overrunSplitsIntoDeliveryWorkerAndReport() {
        List<PhaseTiming> run = List.of(
                new PhaseTiming("01", 10_000, List.of(), 1_000, 1_110),
                new PhaseTiming("02", 10_000, List.of(), 1_000, 1_120));
        Map<String, long[]> worker = Map.of(
                "01", new long[] {1_002, 1_105}, // delivery 2, worker 103 - 100 = 3, report 5
                "02", new long[] {1_004, 1_111}); // delivery 4, worker 107 - 100 = 7, report 9

        OverrunSplit s = MakespanMath.overrunSplit(run, worker, 10);

        assertThat(s.phases()).isEqualTo(2);
        assertThat(s.deliveryMs()).isEqualTo(3.0);
        assertThat(s.workerMs()).isEqualTo(5.0);
        assertThat(s.reportMs()).isEqualTo(7.0);
        assertThat(s.deliveryMs() + s.workerMs() + s.reportMs()).isEqualTo(MakespanMath.meanOverrunMs(run, 10));
        assertThat(MakespanMath.overrunSplit(run, Map.of(), 10).phases()).isZero();
    }

    @Test
    void tableAndSummaryGiveRatiosMedianAndMax() {
        List<MakespanDriver.Row> rows = List.of(
                new MakespanDriver.Row("a", 3, 6, 2_100, 2_400, 2_000, 2_000, 2_300),
                new MakespanDriver.Row("b", 3, 9, 1_000, 1_500, 1_000, 1_000, 1_400),
                new MakespanDriver.Row("c", 3, 4, 1_200, 1_200, 1_000, 1_100, 1_100),
                new MakespanDriver.Row("a", 8, 6, 2_000, 2_000, 2_000, 2_000, 2_000));

        String table = MakespanDriver.table(rows);
        String summary = MakespanDriver.summary(rows, List.of(3, 8));

        assertThat(table.lines().toList()).hasSize(2 + 4);
        assertThat(table).contains("| a | 3 | 6 | 2.10 | 2.40 | 2.00 | 1.050 | 1.200 | 1.000 | 1.050 | 1.043 |");
        assertThat(table).contains("| c | 3 | 4 | 1.20 | 1.20 | 1.00 | 1.200 | 1.200 | 1.100 | 1.091 | 1.091 |");
        assertThat(summary).contains("3 slots: eager / LB median 1.050 max 1.200 (2 of 3 <= 1.05)");
        assertThat(summary).contains("8 slots: eager / LB median 1.000 max 1.000 (1 of 1 <= 1.05)");
        assertThat(summary).contains("all: eager / LB median 1.025 max 1.200 (3 of 4 <= 1.05)");
    }

    @Test
    void displayNameDropsTheRoadmapSuffix() {
        assertThat(MakespanDriver.displayName("hex-di__hex-di__ROADMAP.md")).isEqualTo("hex-di__hex-di");
        assertThat(MakespanDriver.displayName("cyberlife-coder__VelesDB__ROADMAP__early.md"))
                .isEqualTo("cyberlife-coder__VelesDB__early");
    }
}
