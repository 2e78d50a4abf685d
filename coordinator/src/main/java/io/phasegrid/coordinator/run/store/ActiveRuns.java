package io.phasegrid.coordinator.run.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This member's index of the runs that may have work, and the signal long polls wait on. Kept only in memory and
 * rebuilt from the stored runs at start: a listener of every run without values ({@link LeaseRuns#listenAll}, on the
 * map {@code includeValue=false}, so no record is shipped) adds a run when it is created or changed and wakes the
 * waiters; a poll drops a run it finds finished and skips a PAUSED one until the run changes again. Ids are
 * time-ordered, so the index iterates oldest first; {@link #order()} starts after the run served last (round-robin
 * across runs).
 */
public final class ActiveRuns implements AutoCloseable {

    /** Longest time a PAUSED run is skipped without a change. */
    public static final long PAUSE_SKIP_MS = 1_000;

    private final NavigableSet<String> active = new ConcurrentSkipListSet<>();
    private final Map<String, Long> paused = new ConcurrentHashMap<>();
    private final AtomicReference<String> cursor = new AtomicReference<>("");
    private final Object signal = new Object();
    /** Per run, a stamp taken from {@link #stamps} at its last change: a removal only stands if none came since. */
    private final Map<String, Long> changes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong stamps = new java.util.concurrent.atomic.AtomicLong();
    private final RunRepository.Subscription listener;
    private long version;

    public ActiveRuns(LeaseRuns store) {
        this.listener = store.listenAll(new Listener());
        for (Map.Entry<String, RunSummary> e : store.summaries().entrySet()) {
            if (!e.getValue().state().isFinished()) {
                active.add(e.getKey());
            }
        }
    }

    private final class Listener implements LeaseRuns.RunsListener {

        @Override
        public void changed(String runId) {
            ActiveRuns.this.changed(runId);
        }

        @Override
        public void removed(String runId) {
            active.remove(runId);
            paused.remove(runId);
            changes.remove(runId);
        }
    }

    /** A run was created or changed: it may have work now. */
    public void changed(String runId) {
        changes.compute(runId, (id, previous) -> {
            active.add(id);
            paused.remove(id);
            return stamps.incrementAndGet();
        });
        signal();
    }

    /** The run's change stamp now; pass it to {@link #finished(String, long)} after looking at the run. */
    public long stamp(String runId) {
        return changes.getOrDefault(runId, 0L);
    }

    /** Wakes every waiting poll. */
    public void signal() {
        synchronized (signal) {
            version++;
            signal.notifyAll();
        }
    }

    public long version() {
        synchronized (signal) {
            return version;
        }
    }

    /** Waits until something changed after {@code seen} or {@code maxWaitMs} passed. */
    public void awaitChange(long seen, long maxWaitMs) throws InterruptedException {
        long until = System.nanoTime() + maxWaitMs * 1_000_000L;
        synchronized (signal) {
            while (version == seen) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                signal.wait(Math.max(1, left / 1_000_000L));
            }
        }
    }

    /** The runs to try, not paused, starting after the one served last. */
    public List<String> order() {
        String last = cursor.get();
        List<String> out = new ArrayList<>(active.size());
        for (String id : active.tailSet(last, false)) {
            if (!skipped(id)) {
                out.add(id);
            }
        }
        for (String id : active.headSet(last, true)) {
            if (!skipped(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Every run in the index, paused ones included. */
    public List<String> all() {
        return new ArrayList<>(active);
    }

    public void served(String runId) {
        cursor.set(runId);
    }

    /**
     * The run was seen finished by a look that started at {@code stamp}: drop it from the index, unless it changed
     * since (a retry may have made it active again; dropping it then would leave it unleased on this member).
     */
    public void finished(String runId, long stamp) {
        changes.compute(runId, (id, current) -> {
            if ((current == null ? 0L : current) != stamp) {
                return current;
            }
            active.remove(id);
            paused.remove(id);
            return null;
        });
    }

    /**
     * Skip a PAUSED run until it changes, or for at most {@link #PAUSE_SKIP_MS} (so a resume whose event overtook
     * this call is never missed for long).
     */
    public void paused(String runId) {
        paused.put(runId, System.nanoTime() + PAUSE_SKIP_MS * 1_000_000L);
    }

    private boolean skipped(String runId) {
        Long until = paused.get(runId);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            paused.remove(runId, until);
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        listener.close();
    }
}
