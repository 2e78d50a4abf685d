package io.phasegrid.coordinator.service;

import io.phasegrid.coordinator.run.EventPage;
import io.phasegrid.coordinator.run.RunEvent;
import io.phasegrid.coordinator.run.store.RunRepository;
import io.phasegrid.coordinator.run.store.RunSummary;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** One watch: a key listener that triggers ordered, coalesced drains of the event log on a watch thread. */
final class RunWatchSession implements RunCoordinator.WatchHandle, RunRepository.RunListener {
    private final RunRepository store;
    private final Executor watchers;
    private final Function<RunSummary, RunView> toView;
    private final String runId;
    private final RunWatch target;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean ended;
    private volatile RunRepository.Subscription subscription;
    private RunView snapshotView;
    private long snapshotSequence;
    private long lastSequence;

    RunWatchSession(RunRepository store, Executor watchers, Function<RunSummary, RunView> toView, String runId,
            RunWatch target) {
        this.store = store;
        this.watchers = watchers;
        this.toView = toView;
        this.runId = runId;
        this.target = target;
    }

    /** Registers the key listener; events from here on trigger drains once {@link #start} ran. */
    void listen() {
        subscription = store.listen(runId, this);
    }

    /** Before {@link #start}: the run is not there after all; removes the listener, tells the target nothing. */
    void abandon() {
        ended = true;
        subscription.close();
    }

    void start(RunSummary snapshot) {
        snapshotView = toView.apply(snapshot);
        snapshotSequence = snapshot.lastSequence();
        lastSequence = snapshot.lastSequence();
        started = true;
        if (snapshot.state().isFinished()) {
            watchers.execute(this::close);
        } else {
            trigger(); // anything between the listener's registration and the snapshot
        }
    }

    @Override
    public void updated() {
        trigger();
    }

    @Override
    public void removed() {
        watchers.execute(this::close);
    }

    private void trigger() {
        if (!started || ended) {
            return;
        }
        dirty.set(true);
        if (draining.compareAndSet(false, true)) {
            watchers.execute(this::drainLoop);
        }
    }

    private void drainLoop() {
        try {
            while (true) {
                dirty.set(false);
                drainOnce();
                draining.set(false);
                if (ended || !dirty.get() || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            draining.set(false);
            close(); // the member is shutting down or the run is gone: end rather than leave a gap
        }
    }

    private synchronized void drainOnce() {
        if (ended) {
            return;
        }
        EventPage page = store.eventsSince(runId, lastSequence);
        if (page == null) {
            close();
            return;
        }
        if (page.truncated()) {
            RunSummary fresh = store.view(runId, true);
            if (fresh == null || !target.onResync(toView.apply(fresh), fresh.lastSequence())) {
                close();
                return;
            }
            lastSequence = fresh.lastSequence();
            if (fresh.state().isFinished()) {
                close();
            }
            return;
        }
        for (RunEvent event : page.events()) {
            if (event.sequence() <= lastSequence) {
                continue;
            }
            target.onEvent(event.sequence(), event);
            lastSequence = event.sequence();
            if (event instanceof RunEvent.RunChanged changed && changed.state().isFinished()) {
                close();
                return;
            }
        }
    }

    @Override
    public RunView snapshot() {
        return snapshotView;
    }

    @Override
    public long snapshotSequence() {
        return snapshotSequence;
    }

    @Override
    public synchronized void close() {
        if (ended) {
            return;
        }
        ended = true;
        RunRepository.Subscription open = subscription;
        if (open != null) {
            try {
                open.close();
            } catch (RuntimeException ignored) {
                // the member is shutting down: its listeners go with it
            }
        }
        target.onEnd();
    }
}
