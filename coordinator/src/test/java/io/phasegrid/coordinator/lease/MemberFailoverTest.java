package io.phasegrid.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.service.RunView;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.coordinator.testing.TestWorker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two coordinator members; the one owning a run dies mid-way and the run finishes on the survivor. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberFailoverTest {

    private HazelcastInstance first;
    private HazelcastInstance second;
    private final Stack[] stacks = new Stack[2];

    private record Stack(HazelcastInstance member, HazelcastRunCoordinator runs, HazelcastWorkerGateway gateway,
            LeaseSweeper sweeper) {

        static Stack on(HazelcastInstance member) {
            return new Stack(member,
                    new HazelcastRunCoordinator(member, SubmissionLimits.defaults(), Clock.systemUTC(), 1_000),
                    new HazelcastWorkerGateway(member),
                    new LeaseSweeper(member, Duration.ofMillis(50), Clock.systemUTC()));
        }

        void close() {
            sweeper.close();
            try {
                gateway.close();
            } catch (RuntimeException ignored) {
                // member already gone
            }
            runs.close();
        }
    }

    @BeforeAll
    void startMembers() {
        ClusterSettings settings = TestMembers.privateCluster("failover");
        first = TestMembers.start(settings);
        second = TestMembers.join(settings);
        stacks[0] = Stack.on(first);
        stacks[1] = Stack.on(second);
    }

    @AfterAll
    void stopMembers() {
        for (Stack s : stacks) {
            s.close();
        }
        for (HazelcastInstance m : List.of(second, first)) {
            if (m.getLifecycleService().isRunning()) {
                m.shutdown();
            }
        }
    }

    private static RunBlueprint.PhaseDef phase(String key, long estimate, String... deps) {
        return new RunBlueprint.PhaseDef(key, "Phase " + key, estimate, List.of(deps), false, List.of());
    }

    @Test
    void whenTheMemberOwningARunDiesTheRunFinishesOnTheSurvivorWithNothingLost() throws Exception {
        new TokenLedger(first).setBudget(1_000_000);
        String runId = stacks[0].runs().submit(new Submission("", "failover", null,
                List.of(phase("A", 1_000), phase("B", 1_000, "A"), phase("C", 1_000, "A"),
                        phase("D", 1_000, "B", "C")),
                RunSettings.builder().leaseTtlMs(1_000).build(), List.of(), 0, true)).runId();
        UUID ownerId = first.getPartitionService().getPartition(runId).getOwner().getUuid();
        int owner = first.getCluster().getLocalMember().getUuid().equals(ownerId) ? 0 : 1;
        Stack dying = stacks[owner];
        Stack survivor = stacks[1 - owner];
        TestWorker worker = new TestWorker(survivor.gateway(), survivor.runs(), "survivor-worker");

        // A done; B done; C leased and held by a worker that will vanish with the member
        LeaseOffer a = survivor.gateway().poll(worker.workerId(), 4, 2_000).get(0);
        worker.step(a, Outcome.SUCCEEDED);
        List<LeaseOffer> bc = survivor.gateway().poll(worker.workerId(), 4, 2_000);
        assertThat(bc).extracting(o -> o.key().phaseKey()).containsExactlyInAnyOrder("B", "C");
        LeaseOffer b = bc.stream().filter(o -> o.key().phaseKey().equals("B")).findFirst().orElseThrow();
        worker.step(b, Outcome.SUCCEEDED);

        dying.member().getLifecycleService().terminate();

        // the survivor's sweeper now owns the run: C's lease expires, C is re-leased, the run finishes
        RunView done = worker.drive(runId, Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.phases()).allMatch(p -> p.state() == PhaseState.SUCCEEDED);
        assertThat(worker.succeeded).containsOnlyKeys("A", "B", "C", "D").allSatisfy((k, n) -> assertThat(n)
                .as("phase %s succeeded once", k).isEqualTo(1));
        PhaseView c = done.phases().stream().filter(p -> p.key().equals("C")).findFirst().orElseThrow();
        assertThat(c.requeues()).isEqualTo(1);
        LedgerSnapshot ledger = new TokenLedger(survivor.member()).snapshot();
        assertThat(ledger.used()).isEqualTo(done.tokensUsed()).isEqualTo(worker.tokensCharged);
        assertThat(ledger.reserved()).isZero();
        assertThat(ledger.running()).isZero();
    }
}
