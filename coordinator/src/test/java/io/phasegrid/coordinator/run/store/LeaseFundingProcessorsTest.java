package io.phasegrid.coordinator.run.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.UnfundedResult;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The run side of a poll's funding ({@code FundingRule}) as the processors apply it, on a plain map entry: no
 * Hazelcast member. Three independent phases of 400 tokens each, up to three in parallel.
 */
class LeaseFundingProcessorsTest {

    private static final long TTL = 30_000;

    private static Map.Entry<String, RunRecord> run(long budgetTokens) {
        RunBlueprint bp = RunBlueprint.builder().phase("a", 400).phase("b", 400).phase("c", 400)
                .build(RunSettings.builder().budgetTokens(budgetTokens).maxParallel(3).leaseTtlMs(TTL).build());
        return new AbstractMap.SimpleEntry<>("r1", RunRecord.create("r1", "test", bp, 0));
    }

    @Test
    void theRunsBudgetLeasesOnlyThePrefixThatFitsAndTheRefusedBurnNoEpoch() {
        Map.Entry<String, RunRecord> entry = run(1_000);

        LeaseBatch batch = new LeaseProcessors.Lease("w", 3, 1, true).process(entry);

        assertThat(batch.grants()).hasSize(2);
        assertThat(batch.refusedByRunBudget()).isEqualTo(1);
        assertThat(batch.fellBack()).isTrue(); // something was granted: one at a time from now on
        assertThat(batch.paused()).isFalse();
        RunRecord stored = entry.getValue();
        assertThat(stored.tokensReserved()).isEqualTo(800);
        assertThat(stored.epoch(2)).isZero();
        assertThat(stored.phaseState(2)).isEqualTo(PhaseState.READY);
    }

    @Test
    void aRunWhoseBudgetCarriesNoPhaseWithNothingRunningPausesAndAPausedRunLeasesNothing() {
        Map.Entry<String, RunRecord> entry = run(300);

        LeaseBatch first = new LeaseProcessors.Lease("w", 3, 1, true).process(entry);
        assertThat(first.grants()).isEmpty();
        assertThat(first.paused()).isTrue();
        assertThat(entry.getValue().state()).isEqualTo(RunState.PAUSED);
        assertThat(entry.getValue().pauseReason()).isEqualTo(RunRecord.REASON_TOKEN_BUDGET);

        RunRecord paused = entry.getValue();
        LeaseBatch again = new LeaseProcessors.Lease("w", 3, 2, true).process(entry);
        assertThat(again.grants()).isEmpty();
        assertThat(again.paused()).isTrue();
        assertThat(entry.getValue()).isSameAs(paused); // nothing stored
    }

    /** Two leases of a run without a budget of its own, both awaiting the ledger. */
    private static List<LeaseGrant> leaseTwo(Map.Entry<String, RunRecord> entry) {
        return new LeaseProcessors.Lease("w", 2, 1, true).process(entry).grants();
    }

    @Test
    void theLedgerRefusingTheWholeBatchOfAnIdleRunPausesIt() {
        Map.Entry<String, RunRecord> entry = run(0);
        List<LeaseGrant> grants = leaseTwo(entry);
        LeaseGrant a = grants.get(0);
        LeaseGrant b = grants.get(1);

        UnfundedResult result = new LeaseProcessors.ConfirmFunding(new int[0], new long[0],
                new int[] {a.phase(), b.phase()}, new long[] {a.epoch(), b.epoch()}, true, 2).process(entry);

        assertThat(result.pausedNow()).isTrue();
        assertThat(entry.getValue().state()).isEqualTo(RunState.PAUSED);
        assertThat(entry.getValue().tokensReserved()).isZero();
        assertThat(entry.getValue().count(PhaseState.READY)).isEqualTo(3);
    }

    @Test
    void theLedgerFundingAPrefixConfirmsItAndFallsBackForTheRest() {
        Map.Entry<String, RunRecord> entry = run(0);
        List<LeaseGrant> grants = leaseTwo(entry);
        LeaseGrant a = grants.get(0);
        LeaseGrant b = grants.get(1);
        assertThat(entry.getValue().confirmedReserved()).isZero(); // both wait for the ledger

        UnfundedResult result = new LeaseProcessors.ConfirmFunding(new int[] {a.phase()}, new long[] {a.epoch()},
                new int[] {b.phase()}, new long[] {b.epoch()}, false, 2).process(entry);

        assertThat(result.fellBack()).isTrue();
        assertThat(result.paused()).isFalse();
        RunRecord stored = entry.getValue();
        assertThat(stored.sequentialFallback()).isTrue();
        assertThat(stored.confirmedReserved()).isEqualTo(400);
        assertThat(stored.confirmedLeases()).isEqualTo(1);
        assertThat(stored.phaseState(b.phase())).isEqualTo(PhaseState.READY);
    }
}
