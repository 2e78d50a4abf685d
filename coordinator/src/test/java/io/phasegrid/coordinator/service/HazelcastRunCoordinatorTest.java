package io.phasegrid.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.common.settings.RunSettingsResolver;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.lease.LeaseOffer;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RetryPolicy;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunEvent;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.coordinator.testing.TestWorker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Runs submitted, followed and driven to their end on one real Hazelcast member. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastRunCoordinatorTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "invoice-portal");

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;

    @BeforeAll
    void start() {
        member = TestMembers.start(TestMembers.privateCluster("coordinator"));
        runs = new HazelcastRunCoordinator(member);
        gateway = new HazelcastWorkerGateway(member);
    }

    @AfterAll
    void stop() {
        gateway.close();
        runs.close();
        member.shutdown();
    }

    @BeforeEach
    void emptyMaps() {
        for (String map : List.of(MapNames.RUNS, MapNames.LEDGER, MapNames.SUBMISSIONS, MapNames.CHECKPOINTS)) {
            member.getMap(map).clear();
        }
    }

    static Map<String, byte[]> exampleBundle() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(EXAMPLE.resolve(".planning"))) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(EXAMPLE.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return files;
    }

    static Submission bundle(String key) throws IOException {
        return new Submission(key, "", exampleBundle(), null, RunSettings.defaults(),
                List.of(RunSettingsResolver.MAX_PARALLEL, RunSettingsResolver.SCHEDULE), 0, true);
    }

    static Submission structured(String key, RunSettings settings, RunBlueprint.PhaseDef... phases) {
        return new Submission(key, "structured", null, List.of(phases), settings, List.of(), 0, true);
    }

    static RunBlueprint.PhaseDef phase(String key, long estimate, String... deps) {
        return new RunBlueprint.PhaseDef(key, "Phase " + key, estimate, List.of(deps), false, List.of());
    }

    @Test
    void theExampleBundleRunsToSuccessEveryPhaseOnceAndNeverBeforeItsDependencies() throws Exception {
        Map<String, byte[]> files = exampleBundle();
        SubmitResult submitted = runs.submit(bundle(""));
        TestWorker worker = new TestWorker(gateway, runs, "example-worker");

        RunView done = worker.drive(submitted.runId(), Duration.ofSeconds(30));

        assertThat(submitted.created()).isTrue();
        assertThat(submitted.run().settings().maxParallel()).as("from config.json").isEqualTo(3);
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        List<String> executed = done.phases().stream().filter(p -> p.state() == PhaseState.SUCCEEDED)
                .map(PhaseView::key).toList();
        assertThat(executed).isNotEmpty();
        assertThat(done.phases()).allMatch(p -> p.state() == PhaseState.SUCCEEDED || p.state() == PhaseState.SKIPPED);
        assertThat(worker.succeeded.keySet()).containsExactlyInAnyOrderElementsOf(executed);
        assertThat(worker.succeeded.values()).allMatch(n -> n == 1);
        // offers carry the PLAN files' content
        LeaseOffer withPlans = worker.offers.stream().filter(o -> !o.plans().isEmpty()).findFirst().orElseThrow();
        for (LeaseOffer.OfferedPlan plan : withPlans.plans()) {
            assertThat(plan.content()).isEqualTo(files.get(plan.path()));
            assertThat(plan.completed()).isFalse();
        }
        // what the run was charged is what the ledger used
        assertThat(done.tokensUsed()).isEqualTo(worker.tokensCharged)
                .isEqualTo(done.phases().stream().mapToLong(PhaseView::tokens).sum());
        assertThat(new TokenLedger(member).snapshot().used()).isEqualTo(done.tokensUsed());
        assertThat(new TokenLedger(member).snapshot().reserved()).isZero();
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameRunAlsoUnderConcurrentSubmission() throws Exception {
        SubmitResult first = runs.submit(bundle("key-1"));
        SubmitResult again = runs.submit(bundle("key-1"));
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(again.created()).isFalse();
        assertThat(again.run().idempotencyKey()).isEqualTo("key-1");

        List<SubmitResult> concurrent = submitAtOnce(runs, 8, "key-2");
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (SubmitResult r : concurrent) {
            ids.add(r.runId());
            created += r.created() ? 1 : 0;
        }
        assertThat(ids).hasSize(1);
        assertThat(created).isEqualTo(1);
        assertThat(runs.list(Set.of(), 0)).extracting(RunView::runId)
                .containsExactlyInAnyOrder(first.runId(), ids.iterator().next());
    }

    /** {@code n} threads submit the same one-phase run with the same key at once; their answers. */
    static List<SubmitResult> submitAtOnce(RunCoordinator runs, int n, String key) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SubmitResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return runs.submit(structured(key, RunSettings.defaults(), phase("A", 10)));
                }));
            }
            go.countDown();
            List<SubmitResult> answers = new ArrayList<>();
            for (Future<SubmitResult> f : futures) {
                answers.add(f.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnknownRunIsNotFound() {
        assertThatThrownBy(() -> runs.get("r-nope")).isInstanceOf(RunNotFoundException.class);
        assertThatThrownBy(() -> runs.cancel("r-nope")).isInstanceOf(RunNotFoundException.class);
        assertThatThrownBy(() -> runs.retry("r-nope")).isInstanceOf(RunNotFoundException.class);
        assertThatThrownBy(() -> runs.watch("r-nope", new Collector())).isInstanceOf(RunNotFoundException.class);
    }

    @Test
    void listShowsNewestFirstAndFiltersByState() throws Exception {
        String older = runs.submit(structured("", RunSettings.defaults(), phase("A", 10))).runId();
        Thread.sleep(3);
        String newer = runs.submit(structured("", RunSettings.defaults(), phase("A", 10))).runId();
        runs.cancel(older);

        assertThat(runs.list(Set.of(), 10)).extracting(RunView::runId).containsExactly(newer, older);
        assertThat(runs.list(Set.of(RunState.CANCELLED), 10)).extracting(RunView::runId).containsExactly(older);
        assertThat(runs.list(Set.of(), 1)).extracting(RunView::runId).containsExactly(newer);
        assertThat(runs.list(Set.of(), 10).get(0).phases()).isEmpty();
    }

    @Test
    void aFailureWithRetriesExhaustedBlocksDependentsFailsTheRunAndRetryFinishesIt() throws Exception {
        RunSettings once = RunSettings.builder().retry(new RetryPolicy(1, 0, 1.0, 0)).build();
        String runId = runs.submit(structured("", once, phase("A", 100), phase("B", 100, "A"),
                phase("C", 100, "B"), phase("D", 100))).runId();
        TestWorker worker = new TestWorker(gateway, runs, "failing-worker");

        RunView failed = worker.drive(runId, Duration.ofSeconds(20),
                offer -> offer.key().phaseKey().equals("A") ? Outcome.FAILED : Outcome.SUCCEEDED);

        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        Map<String, PhaseState> states = new LinkedHashMap<>();
        failed.phases().forEach(p -> states.put(p.key(), p.state()));
        assertThat(states).containsExactly(Map.entry("A", PhaseState.FAILED), Map.entry("B", PhaseState.BLOCKED),
                Map.entry("C", PhaseState.BLOCKED), Map.entry("D", PhaseState.SUCCEEDED));

        runs.retry(runId);
        RunView done = worker.drive(runId, Duration.ofSeconds(20));

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(worker.offered).containsEntry("A", 2).containsEntry("B", 1).containsEntry("C", 1)
                .containsEntry("D", 1);
        assertThat(new TokenLedger(member).snapshot().used()).isEqualTo(done.tokensUsed())
                .isEqualTo(worker.tokensCharged);
    }

    @Test
    void aWatchDeliversEveryEventInOrderExactlyOnceThenEnds() throws Exception {
        String runId = runs.submit(structured("", RunSettings.defaults(), phase("A", 100), phase("B", 100, "A"),
                phase("C", 100, "A"), phase("D", 100, "B", "C"))).runId();
        Collector collector = new Collector();
        RunCoordinator.WatchHandle handle = runs.watch(runId, collector);
        assertThat(handle.snapshot().state()).isEqualTo(RunState.QUEUED);

        new TestWorker(gateway, runs, "watched-worker").drive(runId, Duration.ofSeconds(20));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> collector.ended);
        List<RunEvent> all = new RunStore(member).eventsSince(runId, 0).events();
        assertThat(collector.events).isEqualTo(all.subList((int) handle.snapshotSequence(), all.size()));
        assertThat(collector.sequences).isEqualTo(collector.events.stream().map(RunEvent::sequence).toList());
        assertThat(collector.events.get(collector.events.size() - 1))
                .isInstanceOfSatisfying(RunEvent.RunChanged.class,
                        e -> assertThat(e.state()).isEqualTo(RunState.SUCCEEDED));
        assertThat(collector.endCalls).isEqualTo(1);
    }

    static final class Collector implements RunWatch {
        final List<RunEvent> events = new ArrayList<>();
        final List<Long> sequences = new ArrayList<>();
        volatile boolean ended;
        volatile int endCalls;

        @Override
        public synchronized void onEvent(long sequence, RunEvent event) {
            sequences.add(sequence);
            events.add(event);
        }

        @Override
        public synchronized void onEnd() {
            endCalls++;
            ended = true;
        }
    }
}
