package io.phasegrid.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** ListRuns pages: newest first, never past the page size, and never larger than a client can receive. */
class RunPagerTest {

    private static RunSummary summary(int i, RunSettings settings) {
        return new RunSummary(String.format("r-%04d", i), "run " + i, RunState.SUCCEEDED, "", 1_000L + i, 0, 0,
                List.of(), 0, 0, 0, 0, 0, false, settings, 0, 0, 0);
    }

    private static RunView view(RunSummary s) {
        return new RunView(s.runId(), s.name(), "k".repeat(256), s.state(), "", s.createdAtMs(), 0, 0, List.of(), 0, 0,
                0, 0, 0, s.settings(), 0);
    }

    @Test
    void runsWithTheLargestBacklogListsStillPageUnderTwoMebibytesAndPagingListsEveryRunOnce() {
        // 1,000 backlog keys of 64 characters: about 200 KB a run once encoded, the most RunOptions allows
        RunSettings heavy = RunSettings.builder().includeBacklog(IntStream.range(0, 1_000)
                .mapToObj(k -> String.format("999.%060d", k)).toList()).build();
        List<RunSummary> all = IntStream.range(0, 60).mapToObj(i -> summary(i, heavy)).toList();

        List<String> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            RunPage page = RunPager.page(all, Set.of(), 1_000, token, RunPagerTest::view);
            assertThat(page.runs().stream().mapToLong(RunPager::encodedBound).sum())
                    .isLessThanOrEqualTo(RunPager.MAX_PAGE_BYTES);
            page.runs().forEach(r -> listed.add(r.runId()));
            token = page.nextPageToken();
            pages++;
        } while (!token.isEmpty() && pages < 20);

        assertThat(pages).isGreaterThan(1);
        assertThat(listed).hasSize(60).doesNotHaveDuplicates()
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void smallRunsFillThePageSizeAndAskingForMoreThanTheMaximumGivesTheMaximum() {
        List<RunSummary> all = IntStream.range(0, 1_500).mapToObj(i -> summary(i, RunSettings.defaults())).toList();

        RunPage page = RunPager.page(all, Set.of(), 5_000, "", RunPagerTest::view);

        assertThat(page.runs()).hasSize(RunPager.MAX_PAGE_SIZE);
        assertThat(page.runs().get(0).runId()).isEqualTo("r-1499");
        assertThat(page.nextPageToken()).isNotEmpty();
    }
}
