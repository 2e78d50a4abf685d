package io.phasegrid.coordinator.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.lease.LeaseOffer;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RetryPolicy;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.RetainedSubmissions;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.service.RunView;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.coordinator.submit.SubmissionRejected;
import io.phasegrid.coordinator.testing.TestMembers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A finished run keeps only the plan contents a retry can lease again, and the cluster's cap on retained submission
 * bytes refuses what would pass it until runs finish. Real member, real gateway; the releaser passes when asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinishedRunReleaserTest {

    /** Three phases of two 10 KiB plans each: 2 depends on 1, 3 on nothing. */
    static final int PLAN_BYTES = 10 * 1024;
    static final long BUNDLE_PLAN_BYTES = 6L * PLAN_BYTES;

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;
    private FinishedRunReleaser releaser;
    private String worker;

    @BeforeAll
    void start() {
        member = TestMembers.start(TestMembers.privateCluster("releaser"));
        runs = coordinator(member, Long.MAX_VALUE);
        gateway = new HazelcastWorkerGateway(member);
        releaser = new FinishedRunReleaser(member, Duration.ZERO, Clock.systemUTC());
        worker = gateway.register("releaser-test", 8, Map.of()).workerId();
    }

    @AfterAll
    void stop() {
        releaser.close();
        gateway.close();
        runs.close();
        member.shutdown();
    }

    @BeforeEach
    void emptyMaps() {
        for (String map : List.of(MapNames.RUNS, MapNames.RUN_META, MapNames.SUBMISSIONS, MapNames.RETAINED)) {
            member.getMap(map).clear();
        }
    }

    static HazelcastRunCoordinator coordinator(HazelcastInstance on, long cap) {
        return new HazelcastRunCoordinator(on, SubmissionLimits.defaults().withMaxRetainedBytes(cap),
                Clock.systemUTC());
    }

    static String plan(String phase, int plan) {
        String folder = switch (phase) {
            case "01" -> "01-one";
            case "02" -> "02-two";
            default -> "03-three";
        };
        return ".planning/phases/" + folder + "/" + phase + "-0" + plan + "-PLAN.md";
    }

    static Map<String, byte[]> bundle() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".planning/ROADMAP.md", ("# Roadmap: Memory\n\n## Phases\n\n"
                + "- [ ] **Phase 1: One** - first\n- [ ] **Phase 2: Two** - second\n- [ ] **Phase 3: Three** - third\n\n"
                + "## Phase Details\n\n"
                + "### Phase 1: One\n**Goal**: one\n**Depends on**: Nothing\n\n"
                + "### Phase 2: Two\n**Goal**: two\n**Depends on**: Phase 1\n\n"
                + "### Phase 3: Three\n**Goal**: three\n**Depends on**: Nothing\n").getBytes(StandardCharsets.UTF_8));
        for (String phase : List.of("01", "02", "03")) {
            for (int p = 1; p <= 2; p++) {
                String path = plan(phase, p);
                StringBuilder text = new StringBuilder("---\nphase: " + phase + "\nplan: 0" + p + "\nwave: " + p
                        + "\n---\n\n# " + path + "\n");
                while (text.length() < PLAN_BYTES) {
                    text.append("- step of ").append(path).append('\n');
                }
                text.setLength(PLAN_BYTES);
                files.put(path, text.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    static Submission submission(String key) {
        RunSettings settings = RunSettings.builder().maxParallel(3)
                .retry(new RetryPolicy(1, 1, 1.0, 1)).build();
        return new Submission(key, "memory", bundle(), null, settings, List.of(), 0, false);
    }

    private RunMeta meta(HazelcastInstance on, String runId) {
        IMap<String, RunMeta> metas = on.getMap(MapNames.RUN_META);
        return metas.get(runId);
    }

    /** Polls until nothing is offered, reporting each offer with {@code outcomeOf} its phase; returns the offers. */
    private List<LeaseOffer> work(HazelcastWorkerGateway on, String workerId, Map<String, Outcome> outcomeOf)
            throws InterruptedException {
        List<LeaseOffer> all = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            List<LeaseOffer> offers = on.poll(workerId, 8, 200);
            if (offers.isEmpty()) {
                return all;
            }
            for (LeaseOffer offer : offers) {
                all.add(offer);
                on.complete(workerId, offer.key(), outcomeOf.getOrDefault(offer.key().phaseKey(), Outcome.SUCCEEDED),
                        100, "");
            }
        }
        throw new AssertionError("the run kept offering phases");
    }

    @Test
    void aSucceededRunKeepsNoPlanContentsAndItsStatusStaysWhole() throws Exception {
        String runId = runs.submit(submission("memory-1")).runId();
        assertThat(meta(member, runId).retainedBytes()).isEqualTo(BUNDLE_PLAN_BYTES);
        assertThat(new RetainedSubmissions(member).snapshot().total()).isEqualTo(BUNDLE_PLAN_BYTES);

        List<LeaseOffer> offers = work(gateway, worker, Map.of());
        assertThat(offers).allSatisfy(o -> assertThat(o.plans()).allSatisfy(p ->
                assertThat(p.content()).as("offered with its content").hasSize(PLAN_BYTES)));
        assertThat(releaser.releaseFinished()).isEqualTo(1);

        RunMeta released = meta(member, runId);
        assertThat(released.planCount()).isZero();
        assertThat(released.retainedBytes()).isZero();
        assertThat(released.idempotencyKey()).isEqualTo("memory-1");
        assertThat(new RetainedSubmissions(member).snapshot().total()).isZero();
        RunView view = runs.get(runId);
        assertThat(view.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(view.idempotencyKey()).isEqualTo("memory-1");
        assertThat(view.phases()).hasSize(3).allSatisfy(p -> assertThat(p.state()).isEqualTo(PhaseState.SUCCEEDED));
        assertThat(runs.submit(submission("memory-1")).runId()).as("the key still answers the run").isEqualTo(runId);
    }

    @Test
    void aFailedRunKeepsExactlyTheContentsOfItsFailedAndBlockedPhasesAndItsRetryLeasesThemAndSucceeds()
            throws Exception {
        String runId = runs.submit(submission("")).runId();
        work(gateway, worker, Map.of("01", Outcome.FAILED));
        assertThat(runs.get(runId).state()).isEqualTo(RunState.FAILED);
        assertThat(releaser.releaseFinished()).isEqualTo(1);

        RunMeta released = meta(member, runId);
        assertThat(released.planCount()).as("phase 1 failed, 2 blocked, 3 succeeded").isEqualTo(4);
        for (String phase : List.of("01", "02")) {
            for (int p = 1; p <= 2; p++) {
                assertThat(released.plan(plan(phase, p))).hasSize(PLAN_BYTES);
            }
        }
        assertThat(released.plan(plan("03", 1))).isEmpty();
        assertThat(new RetainedSubmissions(member).snapshot().of(runId)).isEqualTo(4L * PLAN_BYTES);

        runs.retry(runId);
        List<LeaseOffer> retried = work(gateway, worker, Map.of());
        assertThat(retried).extracting(o -> o.key().phaseKey()).containsExactly("01", "02");
        assertThat(retried).allSatisfy(o -> assertThat(o.plans()).hasSize(2).allSatisfy(p ->
                assertThat(new String(p.content(), StandardCharsets.UTF_8)).contains("# " + p.path())));
        assertThat(runs.get(runId).state()).isEqualTo(RunState.SUCCEEDED);
        releaser.releaseFinished();
        assertThat(meta(member, runId).planCount()).isZero();
        assertThat(new RetainedSubmissions(member).snapshot().total()).isZero();
    }

    @Test
    void theCapRefusesASubmissionThatWouldPassItAndAcceptsItOnceEarlierRunsFinish() throws Exception {
        HazelcastRunCoordinator capped = coordinator(member, 2 * BUNDLE_PLAN_BYTES);
        try {
            capped.submit(submission("cap-1"));
            capped.submit(submission("cap-2"));
            assertThatThrownBy(() -> capped.submit(submission("cap-3")))
                    .isInstanceOfSatisfying(SubmissionRejected.class, e -> {
                        assertThat(e.reason()).as("RESOURCE_EXHAUSTED").isEqualTo(SubmissionRejected.Reason.TOO_LARGE);
                        assertThat(e.getMessage()).contains("holds 120.0 KiB", "submission's 60.0 KiB",
                                "cap of 120.0 KiB").hasSizeLessThan(300);
                    });
            assertThat(member.getMap(MapNames.SUBMISSIONS).containsKey("cap-3"))
                    .as("a refused submission claims no key").isFalse();
            assertThat(member.getMap(MapNames.RUNS).size()).isEqualTo(2);

            work(gateway, worker, Map.of());
            releaser.releaseFinished();
            String third = capped.submit(submission("cap-3")).runId();
            assertThat(capped.get(third).state()).isEqualTo(RunState.QUEUED);
            assertThat(new RetainedSubmissions(member).snapshot().total()).isEqualTo(BUNDLE_PLAN_BYTES);
        } finally {
            capped.close();
        }
    }

    @Test
    void aReservationWhoseMetadataNeverArrivedIsRepairedAfterItsGracePeriod() {
        RetainedSubmissions retained = new RetainedSubmissions(member);
        long now = System.currentTimeMillis();
        assertThat(retained.reserve("r-lost", 1_000, Long.MAX_VALUE, now - 2 * FinishedRunReleaser.RECONCILE_GRACE_MS)
                .accepted()).isTrue();
        assertThat(retained.reserve("r-young", 500, Long.MAX_VALUE, now).accepted()).isTrue();
        assertThat(releaser.reconcile()).as("the young one may still be on its way").isEqualTo(500);
    }

    private static long finished(HazelcastRunCoordinator on, List<String> ids) {
        return ids.stream().filter(id -> on.get(id).state().isFinished()).count();
    }

    @Test
    void theAccountStaysExactWhenTheMemberHoldingItLeaves() throws Exception {
        var settings = TestMembers.privateCluster("releaser-two");
        HazelcastInstance a = TestMembers.start(settings);
        HazelcastInstance b = TestMembers.join(settings);
        HazelcastRunCoordinator onA = coordinator(a, Long.MAX_VALUE);
        HazelcastWorkerGateway gatewayB = new HazelcastWorkerGateway(b);
        FinishedRunReleaser releaserA = new FinishedRunReleaser(a, Duration.ZERO, Clock.systemUTC());
        FinishedRunReleaser releaserB = new FinishedRunReleaser(b, Duration.ZERO, Clock.systemUTC());
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(onA.submit(submission("two-" + i)).runId());
            }
            String workerB = gatewayB.register("two", 8, Map.of()).workerId();
            Map<String, Outcome> outcomes = new HashMap<>();
            outcomes.put("01", Outcome.FAILED);
            // every run fails its phase 1; work until three runs have finished
            for (int round = 0; round < 30 && finished(onA, ids) < 3; round++) {
                for (LeaseOffer o : gatewayB.poll(workerB, 3, 200)) {
                    gatewayB.complete(workerB, o.key(), outcomes.getOrDefault(o.key().phaseKey(), Outcome.SUCCEEDED),
                            1, "");
                }
            }
            assertThat(finished(onA, ids)).isGreaterThanOrEqualTo(3);
            releaserA.releaseFinished();
            releaserB.releaseFinished();

            HazelcastInstance holder = new RetainedSubmissions(a).ownedHere() ? a : b;
            HazelcastInstance survivor = holder == a ? b : a;
            holder.getLifecycleService().terminate();

            FinishedRunReleaser survivorReleaser = survivor == a ? releaserA : releaserB;
            survivorReleaser.releaseFinished();
            long held = 0;
            for (String id : ids) {
                held += meta(survivor, id).retainedBytes();
            }
            assertThat(held).as("some runs released something, some hold all").isGreaterThan(0)
                    .isLessThan(6 * BUNDLE_PLAN_BYTES);
            assertThat(new RetainedSubmissions(survivor).snapshot().total()).isEqualTo(held);
        } finally {
            releaserA.close();
            releaserB.close();
            gatewayB.close();
            onA.close();
            a.getLifecycleService().terminate();
            b.getLifecycleService().terminate();
        }
    }
}
