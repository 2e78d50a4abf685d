package io.phasegrid.common.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.testing.SyntheticRoadmaps;
import org.junit.jupiter.api.Test;

class CycleTest {

    private static String cycleMessage(int length) {
        return RoadmapAnalyzer.analyze(SyntheticRoadmaps.chain(length, true), AnalysisOptions.defaults())
                .errors().stream().map(Problem::message).findFirst().orElseThrow();
    }

    private static int arrows(String message) {
        return message.split(" -> ", -1).length - 1;
    }

    @Test
    void aCycleOfSixtyFourDependenciesIsPrintedInFull() {
        String message = cycleMessage(64);

        assertThat(arrows(message)).isEqualTo(64);
        assertThat(message).doesNotContain("more dependenc");
    }

    @Test
    void aLongerCycleElidesItsMiddleAndSaysHowMuch() {
        assertThat(cycleMessage(65)).contains("-> 34 (.planning/ROADMAP.md:352) ... 1 more dependency ... 33 -> 32 (");
        assertThat(arrows(cycleMessage(65))).isEqualTo(64);
        assertThat(cycleMessage(100)).contains(" ... 36 more dependencies ... ");
    }
}
