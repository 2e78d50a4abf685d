package io.phasegrid.coordinator.run.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.hazelcast.MemberConfigFactory;
import io.phasegrid.coordinator.run.GitReport;
import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RetryResult;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The git fields survive Hazelcast serialization wherever they travel: the record (migration, backups), the summary
 * a finished run is read from, the lease batch, the checkpoint, and the report and retry processors.
 */
class GitRunSerializationTest {

    private static final GitRun GIT = new GitRun("file:///srv/p.git", "a".repeat(40), "main",
            GitRun.Delivery.FAST_FORWARD);

    private final InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
            .setConfig(MemberConfigFactory.configureSerialization(new SerializationConfig()))
            .build();

    private <T> T roundTrip(T value) {
        return serialization.toObject(serialization.toData(value));
    }

    private static String commit(char c) {
        return String.valueOf(c).repeat(40);
    }

    /** 01 succeeded with a result, 02 conflicted, 03 (on both) blocked, integration blocked. */
    private static RunRecord finishedGitRun() {
        RunBlueprint blueprint = RunBlueprint.builder().phase("01", 100).phase("02", 100).phase("03", 100, "01", "02")
                .buildGit(RunSettings.defaults(), GIT);
        RunRecord r = RunRecord.create("r-git", "git", blueprint, 1_000);
        List<LeaseGrant> grants = r.lease("w", 2, 1_010, 5_000);
        r.complete(grants.get(0).phase(), grants.get(0).epoch(), Outcome.SUCCEEDED, 50, "",
                GitReport.result(commit('1'), ""), 1_100);
        r.complete(grants.get(1).phase(), grants.get(1).epoch(), Outcome.CONFLICT, 70, "",
                GitReport.conflict(List.of("b.txt", "a.txt")), 1_200);
        return r;
    }

    @Test
    void aGitRecordReadsBackWithItsSourceResultsAndConflicts() {
        RunRecord original = finishedGitRun();

        RunRecord copy = roundTrip(original);

        assertThat(copy.blueprint().git()).isEqualTo(GIT);
        assertThat(copy.blueprint().integration()).isEqualTo(3);
        assertThat(copy.phases()).isEqualTo(original.phases());
        assertThat(copy.phases().get(0).resultCommit()).isEqualTo(commit('1'));
        assertThat(copy.phases().get(1).conflictPaths()).containsExactly("a.txt", "b.txt");
        assertThat(copy.phases().get(3).state()).isEqualTo(PhaseState.BLOCKED);
        assertThat(copy.tokensUsed()).as("the conflict charged nothing").isEqualTo(50);
    }

    @Test
    void theSummaryOfAFinishedGitRunKeepsItsGitFields() {
        RunSummary summary = RunSummary.of(finishedGitRun(), true);

        RunSummary copy = roundTrip(new SummaryData(summary)).summary();

        assertThat(copy.git()).isEqualTo(GIT);
        assertThat(copy.phases()).isEqualTo(summary.phases());
        assertThat(copy.phases()).extracting(PhaseView::resultCommit).containsExactly(commit('1'), "", "", "");
        assertThat(RunSummary.of(RunRecord.create("plain", "p", RunBlueprint.builder().phase("01", 1).build(), 0),
                false).git()).isNull();
    }

    @Test
    void aLeaseBatchCarriesTheGitSideOfEachGrant() {
        RunBlueprint blueprint = RunBlueprint.builder().phase("01", 100).phase("02", 100, "01")
                .buildGit(RunSettings.defaults(), GIT);
        Map.Entry<String, RunRecord> entry = new AbstractMap.SimpleEntry<>("r", RunRecord.create("r", "g", blueprint, 0));
        LeaseBatch first = new LeaseProcessors.Lease("w", 1, 10, false).process(entry);
        RunRecord r = entry.getValue();
        r.complete(0, first.grants().get(0).epoch(), Outcome.SUCCEEDED, 1, "", GitReport.result(commit('1'), ""), 20);

        LeaseBatch second = roundTrip(new LeaseProcessors.Lease("w", 1, 30, false).process(entry));

        PhaseInfo info = second.phases().get(0);
        assertThat(info.git().run()).isEqualTo(GIT);
        assertThat(info.git().integration()).isFalse();
        assertThat(info.git().inputs()).extracting(c -> c.key() + "=" + c.commit()).containsExactly("01=" + commit('1'));
        assertThat(roundTrip(first).phases().get(0).git().inputs()).isEmpty();
    }

    @Test
    void aCheckpointKeepsItsCommit() {
        Checkpoint cp = roundTrip(new Checkpoint(2, List.of("01-01"), new byte[] {1}, 5, 100, commit('c')));

        assertThat(cp.commit()).isEqualTo(commit('c'));
        assertThat(roundTrip(new Checkpoint(1, List.of(), null, 0, 0)).commit()).isEmpty();
    }

    @Test
    void theReportAndRetryProcessorsCarryTheirGitFields() {
        RunBlueprint blueprint = RunBlueprint.builder().phase("01", 100).buildGit(RunSettings.defaults(), GIT);
        Map.Entry<String, RunRecord> entry = new AbstractMap.SimpleEntry<>("r", RunRecord.create("r", "g", blueprint, 0));
        long epoch = entry.getValue().lease("w", 1, 10, 5_000).get(0).epoch();

        CompleteOutcomes outcomes = roundTrip(new ReportProcessors.Complete(List.of(new PhaseReport("01", epoch,
                Outcome.CONFLICT, 9, "", "w", GitReport.conflict(List.of("x.txt")))), 20)).process(entry);
        assertThat(outcomes.get(0).result().accepted()).isTrue();
        assertThat(entry.getValue().phases().get(0).conflictPaths()).containsExactly("x.txt");

        RetryResult retried = roundTrip(new ControlProcessors.Retry(30, Map.of("01", commit('e')))).process(entry);
        assertThat(retried.accepted()).isTrue();
        assertThat(entry.getValue().gitLease(0).resolutionCommit()).isEqualTo(commit('e'));
    }
}
