package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.coordinator.ledger.Tokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's token counts at the edges: a report over 10^12 is refused, sums saturate at 10^18, none goes negative. */
class RunTokensTest {

    private static final long TTL = 30_000;

    private static RunRecord run(RunBlueprint bp) {
        return RunRecord.create("r1", "test", bp, 0);
    }

    @Test
    void aReportOverTheMaximumIsRefusedAndTheLeaseStaysOpenForAnHonestOne() {
        RunRecord run = run(RunBlueprint.builder().phase("a", 10).build());
        LeaseGrant g = run.lease("w", 1, 1, TTL).get(0);

        assertThatThrownBy(() -> run.complete(g.phase(), g.epoch(), Outcome.SUCCEEDED, Long.MAX_VALUE, "", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10^12");
        assertThat(run.tokensUsed()).isZero();

        assertThat(run.complete(g.phase(), g.epoch(), Outcome.SUCCEEDED, Tokens.MAX_PER_REPORT, "", 3).accepted())
                .isTrue();
        assertThat(run.tokensUsed()).isEqualTo(Tokens.MAX_PER_REPORT);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void hugeEstimatesSaturateTheReservationAndReleasingThemNeverGoesNegative() {
        RunRecord run = run(RunBlueprint.builder().phase("a", Long.MAX_VALUE).phase("b", Long.MAX_VALUE)
                .phase("c", Long.MAX_VALUE).build());
        List<LeaseGrant> grants = run.lease("w", 3, 1, TTL);
        assertThat(grants).hasSize(3);
        assertThat(run.tokensReserved()).isEqualTo(Tokens.CAP);

        for (LeaseGrant g : grants) {
            run.complete(g.phase(), g.epoch(), Outcome.SUCCEEDED, 7, "", 2);
            assertThat(run.tokensReserved()).isBetween(0L, Tokens.CAP);
        }
        assertThat(run.tokensReserved()).isZero();
        assertThat(run.tokensUsed()).isEqualTo(21);
    }
}
