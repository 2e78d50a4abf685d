package io.phasegrid.coordinator.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.coordinator.testing.TestMembers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Per-principal quotas: a principal may hold two runs in flight and 10,000 bytes of PLAN contents here. Over either,
 * Submit is refused (RESOURCE_EXHAUSTED at the API), claims no key and changes nothing; another principal is not
 * affected, and a run that finishes frees its share at the next submission.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunQuotasTest {

    private static final QuotaLimits TWO_RUNS_10_KB = new QuotaLimits(2, 10_000);

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;

    @BeforeAll
    void start() {
        member = TestMembers.start(TestMembers.privateCluster("quotas"));
        runs = new HazelcastRunCoordinator(member, SubmissionLimits.defaults().withQuotas(TWO_RUNS_10_KB),
                Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        runs.close();
        member.shutdown();
    }

    @BeforeEach
    void emptyMaps() {
        for (String map : List.of(MapNames.RUNS, MapNames.RUN_META, MapNames.SUBMISSIONS, MapNames.QUOTAS,
                MapNames.RETAINED)) {
            member.getMap(map).clear();
        }
    }

    /** A one-phase bundle whose PLAN file holds {@code planBytes} bytes. */
    private static Submission bundle(String owner, String key, int planBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".planning/ROADMAP.md", ("# Roadmap: Q\n\n## Phases\n\n- [ ] **Phase 1: One** - first\n\n"
                + "## Phase Details\n\n### Phase 1: One\n**Goal**: one\n**Depends on**: Nothing\n")
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder plan = new StringBuilder("---\nphase: 01\nplan: 01\nwave: 1\n---\n\n# plan\n");
        while (plan.length() < planBytes) {
            plan.append('x');
        }
        files.put(".planning/phases/01-one/01-01-PLAN.md", plan.toString().getBytes(StandardCharsets.UTF_8));
        return new Submission(key, "q", files, null, RunSettings.builder().build(), List.of(), 0, true)
                .ownedBy(owner);
    }

    private String submit(String owner, String key, int planBytes) {
        return runs.submit(bundle(owner, key, planBytes)).runId();
    }

    @Test
    void aThirdRunInFlightIsRefusedUntilOneFinishesAndOthersAreNotAffected() {
        String first = submit("erin", "", 100);
        submit("erin", "", 100);

        assertThatThrownBy(() -> submit("erin", "third", 100)).isInstanceOf(QuotaExceeded.class)
                .hasMessageContaining("principal 'erin'").hasMessageContaining("2 runs in flight");
        assertThat(member.getMap(MapNames.SUBMISSIONS).isEmpty()).as("the refused key is free").isTrue();
        assertThat(member.getMap(MapNames.RUNS).size()).isEqualTo(2);
        submit("frank", "", 100);

        runs.cancel(first);
        String third = submit("erin", "third", 100);
        assertThat(third).isNotEqualTo(first);
        assertThat(new RunQuotasOf(member).runs("erin")).doesNotContain(first).contains(third).hasSize(2);
    }

    @Test
    void runsOverTheBytesQuotaAreRefused() {
        String big = submit("gina", "", 6_000);

        assertThatThrownBy(() -> submit("gina", "", 6_000)).isInstanceOf(QuotaExceeded.class)
                .hasMessageContaining("bytes");
        submit("gina", "", 2_000);
        runs.cancel(big);
        submit("gina", "", 6_000);
    }

    @Test
    void aDuplicateOfAnAdmittedSubmissionIsAnsweredEvenAtTheQuota() {
        String first = submit("hank", "nightly", 100);
        submit("hank", "", 100);

        assertThat(submit("hank", "nightly", 100)).isEqualTo(first);
    }

    @Test
    void aRunAdmittedButNotStoredYetStillCountsForTheNextAdmission() {
        RunQuotas quotas = new RunQuotas(member, TWO_RUNS_10_KB, new RunStore(member)::finishedOf);
        quotas.admit("ivy", "r-being-stored-1", 10); // two submissions still writing their runs
        quotas.admit("ivy", "r-being-stored-2", 10);

        assertThatThrownBy(() -> quotas.admit("ivy", "r-third", 10)).isInstanceOf(QuotaExceeded.class);
        quotas.release("ivy", "r-being-stored-1");
        quotas.admit("ivy", "r-third", 10);
    }

    @Test
    void aRetriedRunIsInFlightAgainAndCountsAgainstTheQuota() {
        String first = submit("jill", "", 100);
        String second = submit("jill", "", 100);
        runs.cancel(first);
        runs.cancel(second);
        submit("jill", "", 100); // drops the two cancelled runs from the count

        runs.retry(first);
        assertThatThrownBy(() -> runs.retry(second)).isInstanceOf(QuotaExceeded.class);
        assertThat(runs.get(second).state()).as("the refused retry changed nothing")
                .isEqualTo(io.phasegrid.coordinator.run.RunState.CANCELLED);
        runs.cancel(first);
        runs.retry(second);
    }

    /** The quota map as the coordinator left it. */
    private record RunQuotasOf(HazelcastInstance member) {

        List<String> runs(String owner) {
            PrincipalUsage usage = member.<String, PrincipalUsage>getMap(MapNames.QUOTAS).get(owner);
            return usage == null ? List.of() : List.copyOf(usage.runs().keySet());
        }
    }
}
