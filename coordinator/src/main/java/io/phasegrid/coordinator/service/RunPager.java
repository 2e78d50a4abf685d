package io.phasegrid.coordinator.service;

import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.RunSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Pages of runs, newest first by (created time, run id), both descending (AIP-158). A page token is opaque to
 * clients: it encodes the filter and the last run listed, and the next page starts strictly after that run in the
 * order. Runs submitted meanwhile are newer than every run already listed, so they never shift a later page: paging
 * neither repeats nor skips a run that existed at the first call. A token sent with another filter is refused.
 */
final class RunPager {

    /** Page size when the request asks for none. */
    static final int DEFAULT_PAGE_SIZE = 100;
    /** Largest page; larger requests get this many (AIP-158 coerces rather than refuses). */
    static final int MAX_PAGE_SIZE = 1_000;
    /**
     * A page ends early, with a next page token, rather than hold more than this much run data (an upper bound of the
     * encoded size: 3 bytes a character), so that one answer stays under the 4 MiB most gRPC clients accept even for
     * runs with long names, keys and backlog lists.
     */
    static final long MAX_PAGE_BYTES = 2L * 1024 * 1024;

    private static final String VERSION = "p1";
    private static final Comparator<RunSummary> NEWEST_FIRST = Comparator.comparingLong(RunSummary::createdAtMs)
            .thenComparing(RunSummary::runId).reversed();

    private RunPager() {
    }

    /**
     * @param all every run's summary (any order, nulls ignored)
     * @param pageSize 0 = {@link #DEFAULT_PAGE_SIZE}; above {@link #MAX_PAGE_SIZE} = the maximum
     * @param pageToken empty for the first page
     * @throws IllegalArgumentException for a negative page size, or a token not made by this pager for this filter
     */
    static RunPage page(Collection<RunSummary> all, Set<RunState> states, int pageSize, String pageToken,
            Function<RunSummary, RunView> toView) {
        if (pageSize < 0) {
            throw new IllegalArgumentException("page_size must not be negative, was " + pageSize);
        }
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
        int filter = mask(states);
        Cursor after = pageToken == null || pageToken.isEmpty() ? null : Cursor.decode(pageToken, filter);
        List<RunSummary> matching = new ArrayList<>();
        for (RunSummary s : all) {
            if (s != null && (states.isEmpty() || states.contains(s.state()))
                    && (after == null || after.isBefore(s))) {
                matching.add(s);
            }
        }
        matching.sort(NEWEST_FIRST);
        List<RunView> out = new ArrayList<>(Math.min(size, matching.size()));
        long bytes = 0;
        for (int i = 0; i < matching.size() && out.size() < size; i++) {
            RunView view = toView.apply(matching.get(i));
            bytes += encodedBound(view);
            if (!out.isEmpty() && bytes > MAX_PAGE_BYTES) {
                break;
            }
            out.add(view);
        }
        String next = "";
        if (matching.size() > out.size()) {
            RunSummary last = matching.get(out.size() - 1);
            next = new Cursor(filter, last.createdAtMs(), last.runId()).encode();
        }
        return new RunPage(out, next);
    }

    /** At least the encoded size of the run as ListRuns sends it (no phases): its strings at 3 bytes a character. */
    static long encodedBound(RunView view) {
        long chars = view.runId().length() + view.name().length() + view.idempotencyKey().length()
                + view.pauseReason().length();
        for (String key : view.settings().includeBacklog()) {
            chars += key.length() + 2;
        }
        return 256 + 3 * chars;
    }

    private static int mask(Set<RunState> states) {
        int mask = 0;
        for (RunState s : states) {
            mask |= 1 << s.ordinal();
        }
        return mask;
    }

    /** The last run of a page and the filter it was listed under. */
    private record Cursor(int filter, long createdAtMs, String runId) {

        /** Whether {@code s} comes after this cursor's run in newest-first order. */
        boolean isBefore(RunSummary s) {
            return s.createdAtMs() < createdAtMs
                    || (s.createdAtMs() == createdAtMs && s.runId().compareTo(runId) < 0);
        }

        String encode() {
            String plain = VERSION + ":" + filter + ":" + createdAtMs + ":" + runId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token, int filter) {
            String[] parts;
            try {
                parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 4);
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw invalid();
            }
            Cursor cursor;
            try {
                cursor = new Cursor(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), parts[3]);
            } catch (NumberFormatException e) {
                throw invalid();
            }
            if (cursor.filter() != filter) {
                throw new IllegalArgumentException("page_token was made for another states filter: send the same "
                        + "states as the first page");
            }
            return cursor;
        }

        private static IllegalArgumentException invalid() {
            return new IllegalArgumentException("page_token is not a token of this server: send empty for the first "
                    + "page, then each page's next_page_token");
        }
    }
}
