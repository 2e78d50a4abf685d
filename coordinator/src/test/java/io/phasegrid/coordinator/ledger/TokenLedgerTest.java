package io.phasegrid.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.testing.TestMembers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The ledger on two real Hazelcast members: atomic under concurrency, and it survives the owner's death. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenLedgerTest {

    private HazelcastInstance first;
    private HazelcastInstance second;

    @BeforeAll
    void startMembers() {
        ClusterSettings settings = TestMembers.privateCluster("ledger");
        first = TestMembers.start(settings);
        second = TestMembers.join(settings);
    }

    @AfterAll
    void stopMembers() {
        if (second != null && second.getLifecycleService().isRunning()) {
            second.shutdown();
        }
        if (first != null && first.getLifecycleService().isRunning()) {
            first.shutdown();
        }
    }

    @BeforeEach
    void resetLedger() {
        first.getMap(io.phasegrid.coordinator.hazelcast.MapNames.LEDGER).clear();
    }

    @Test
    void concurrentReservationsNeverOverspendTheBudget() throws Exception {
        new TokenLedger(first).setBudget(1_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                TokenLedger ledger = new TokenLedger(i % 2 == 0 ? first : second);
                long call = i;
                tasks.add(() -> ledger.fund("run#0", call, new long[] {5_000}, 0));
            }
            int granted = 0;
            for (Future<Integer> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                granted += f.get();
            }

            // reservations stop at the 95 % stop level: 190 x 5k = 950k
            assertThat(granted).isEqualTo(190);
            LedgerSnapshot after = new TokenLedger(second).snapshot();
            assertThat(after.reserved()).isEqualTo(950_000);
            assertThat(after.running()).isEqualTo(190);
            assertThat(after.level()).isEqualTo(BudgetLevel.STOP);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLedgerSurvivesTheDeathOfTheMemberThatOwnsIt() {
        ClusterSettings settings = TestMembers.privateCluster("ledger-failover");
        HazelcastInstance a = TestMembers.start(settings);
        HazelcastInstance b = TestMembers.join(settings);
        try {
            new TokenLedger(a).setBudget(100_000);
            new TokenLedger(b).fund("run#0", 1, new long[] {40_000}, 0);
            HazelcastInstance owner = a.getPartitionService().getPartition(TokenLedger.KEY).getOwner().localMember()
                    ? a : b;
            HazelcastInstance survivor = owner == a ? b : a;

            owner.getLifecycleService().terminate();

            assertThat(new TokenLedger(survivor).snapshot()).isEqualTo(new LedgerSnapshot(100_000, 40_000, 0, 1));
        } finally {
            a.getLifecycleService().terminate();
            b.getLifecycleService().terminate();
        }
    }

    @Test
    void fundsAndSyncsFromEitherMemberAreAppliedOnce() {
        TokenLedger fromFirst = new TokenLedger(first);
        TokenLedger fromSecond = new TokenLedger(second);
        fromFirst.setBudget(100_000);

        assertThat(fromSecond.fund("r#1", 3, new long[] {40_000, 40_000, 40_000}, 0)).isEqualTo(2);
        assertThat(fromFirst.fund("r#1", 3, new long[] {40_000, 40_000, 40_000}, 0)).isEqualTo(2);
        assertThat(fromFirst.fund("r#1", 4, new long[0], 0)).isZero();
        LedgerShare confirmed = new LedgerShare("r#1", 4, 80_000, 0, 2, new long[0], 0);
        assertThat(fromSecond.sync(confirmed, 1_000)).isTrue();
        fromFirst.syncAll(List.of(confirmed, new LedgerShare("s#1", 2, 0, 7_000, 0, new long[0], 0)), 1_000);
        fromFirst.syncAll(List.of(), 1_000);

        assertThat(fromFirst.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 80_000, 7_000, 2));
    }

    @Test
    void theSharesAndFundingsSurviveTheDeathOfTheMemberThatOwnsTheLedger() {
        ClusterSettings settings = TestMembers.privateCluster("ledger-shares-failover");
        HazelcastInstance a = TestMembers.start(settings);
        HazelcastInstance b = TestMembers.join(settings);
        try {
            new TokenLedger(a).setBudget(100_000);
            TokenLedger fromB = new TokenLedger(b);
            fromB.fund("r#1", 3, new long[] {40_000}, 0);
            fromB.sync(new LedgerShare("r#1", 4, 0, 5_000, 0, new long[] {3}, 0), 1_000);
            LedgerSnapshot before = fromB.snapshot();
            HazelcastInstance owner = a.getPartitionService().getPartition(TokenLedger.KEY).getOwner().localMember()
                    ? a : b;
            HazelcastInstance survivor = owner == a ? b : a;

            owner.getLifecycleService().terminate();

            TokenLedger onSurvivor = new TokenLedger(survivor);
            assertThat(onSurvivor.snapshot()).isEqualTo(before)
                    .isEqualTo(new LedgerSnapshot(100_000, 40_000, 5_000, 1));
            // the funding survived: its retry answers the first count and reserves nothing more
            assertThat(onSurvivor.fund("r#1", 3, new long[] {40_000}, 0)).isEqualTo(1);
            assertThat(onSurvivor.snapshot()).isEqualTo(before);
        } finally {
            a.getLifecycleService().terminate();
            b.getLifecycleService().terminate();
        }
    }

    @Test
    void aSyncChargesTheRunsTokensOnceAndReleasesItsFundedReservations() {
        TokenLedger ledger = new TokenLedger(first);
        ledger.setBudget(100_000);
        assertThat(ledger.fund("done#0", 3, new long[] {30_000, 20_000}, 0)).isEqualTo(2);

        // the run confirmed both leases (version 4), then both ended: 25k used, nothing reserved (version 9)
        ledger.sync(new LedgerShare("done#0", 9, 0, 25_000, 0, new long[0], 0), 1_000);
        ledger.sync(new LedgerShare("done#0", 9, 0, 25_000, 0, new long[0], 0), 1_000);

        assertThat(new TokenLedger(second).snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 25_000, 0));
    }

    @Test
    void topUpOfAnUnlimitedBudgetIsRefusedWithTheReason() {
        TokenLedger ledger = new TokenLedger(first);

        assertThatThrownBy(() -> ledger.topUp(1_000)).hasMessageContaining("unlimited");
        assertThat(ledger.setBudget(5_000).budget()).isEqualTo(5_000);
        assertThat(ledger.topUp(1_000).budget()).isEqualTo(6_000);
    }
}
