package io.phasegrid.cli.client;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.ListWorkersResponse;
import io.phasegrid.proto.v1.PhaseChanged;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunEvent;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.WatchRunRequest;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Follows a run's event stream to its end: a live progress bar (phases done / running / ready, tokens, the cluster's
 * busy slots, ETA) on a terminal, one plain line per phase change otherwise. Writes to stderr so {@code --json}
 * output stays clean.
 */
public final class RunProgress {

    private static final Set<PhaseState> DONE = EnumSet.of(PhaseState.PHASE_SUCCEEDED, PhaseState.PHASE_FAILED,
            PhaseState.PHASE_BLOCKED, PhaseState.PHASE_CANCELLED, PhaseState.PHASE_SKIPPED);

    /** Bound on re-watching a run whose stream ended early. */
    static final int MAX_WATCHES = 1_000;

    /** The progress bar asks for the workers' busy slots at most this often (they change with heartbeats). */
    private static final long UTILISATION_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PrintStream err;
    private final boolean live;
    private final boolean quiet;
    /** Slots of a cluster the run has to itself ({@code phasegrid run}); 0 for a shared cluster. */
    private final int ownSlots;
    /** The cluster's slots and busy slots from ListWorkers; -1 until known, and on an older coordinator. */
    private long reportedSlots = -1;
    private long reportedBusy;
    private long utilisationAtNanos;
    private boolean utilisationServed = true;

    /**
     * @param live draw a progress bar (a terminal); otherwise plain lines
     * @param quiet print nothing (only wait)
     */
    public RunProgress(PrintStream err, boolean live, boolean quiet) {
        this(err, live, quiet, 0);
    }

    private RunProgress(PrintStream err, boolean live, boolean quiet, int ownSlots) {
        this.err = err;
        this.live = live;
        this.quiet = quiet;
        this.ownSlots = ownSlots;
    }

    /**
     * For a run that has its cluster to itself (the embedded {@code phasegrid run}) with this many worker slots: its
     * leased and running phases are exactly the busy slots, with no wait for the workers' next heartbeats.
     */
    public RunProgress onOwnCluster(int slots) {
        return new RunProgress(err, live, quiet, slots);
    }

    /** Whether stderr is a terminal a progress bar can be drawn on. */
    public static boolean terminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * Watches until the run ends (the stream completes) or pauses on its budget, and returns the run as it is then.
     */
    public Run follow(ManagedChannel channel, String runId) {
        RunServiceGrpc.RunServiceBlockingStub runs = RunServiceGrpc.newBlockingStub(channel);
        Run run = runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
        // a watch can end before the run does (a coordinator member leaving, a watcher far behind): watch again
        for (int watches = 0; watches < MAX_WATCHES && !settled(run); watches++) {
            Context.CancellableContext watch = Context.current().withCancellation();
            try {
                watch.run(() -> consume(runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build()), runId,
                        WorkerServiceGrpc.newBlockingStub(channel)));
            } finally {
                watch.cancel(null);
            }
            run = runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
        }
        return run;
    }

    /** Finished, or paused on its budget (which needs a person): following it further would wait forever. */
    static boolean settled(Run run) {
        return switch (run.getState()) {
            case RUN_SUCCEEDED, RUN_FAILED, RUN_CANCELLED, RUN_PAUSED -> true;
            default -> false;
        };
    }

    private void consume(Iterator<RunEvent> events, String runId, WorkerServiceGrpc.WorkerServiceBlockingStub workers) {
        Map<String, PhaseState> states = new HashMap<>();
        Map<String, Long> tokens = new HashMap<>();
        ProgressBar bar = null;
        try {
            while (events.hasNext()) {
                RunEvent event = events.next();
                if (event.hasSnapshot()) {
                    Run snapshot = event.getSnapshot();
                    if (snapshot.getState() == RunState.RUN_PAUSED) {
                        return;
                    }
                    for (RunPhase p : snapshot.getPhasesList()) {
                        states.put(p.getKey(), p.getState());
                        tokens.put(p.getKey(), p.getTokens());
                    }
                    if (live && !quiet && bar == null) {
                        bar = new ProgressBarBuilder()
                                .setTaskName(runId)
                                .setInitialMax(states.size())
                                .setStyle(ProgressBarStyle.ASCII)
                                .setUpdateIntervalMillis(200)
                                .setConsumer(new ConsoleProgressBarConsumer(err))
                                .build();
                    }
                } else if (event.hasPhaseChanged()) {
                    PhaseChanged change = event.getPhaseChanged();
                    states.put(change.getKey(), change.getState());
                    tokens.put(change.getKey(), change.getTokens());
                    if (!live && !quiet) {
                        err.printf(Locale.ROOT, "%s %-9s attempt %d%s%s%n", change.getKey(),
                                RunReport.stateName(change.getState()), change.getAttempt(),
                                change.getWorker().isEmpty() ? "" : " on " + change.getWorker(),
                                change.getReason().isEmpty() ? "" : " (" + change.getReason() + ")");
                    }
                } else if (event.hasRunChanged()) {
                    if (!live && !quiet) {
                        err.println("run " + RunReport.stateName(event.getRunChanged().getState())
                                + (event.getRunChanged().getPauseReason().isEmpty() ? ""
                                        : " (" + event.getRunChanged().getPauseReason() + ")"));
                    }
                    if (event.getRunChanged().getState() == RunState.RUN_PAUSED) {
                        return;
                    }
                }
                if (bar != null) {
                    if (ownSlots == 0) {
                        refreshUtilisation(workers);
                    }
                    update(bar, states, tokens);
                }
            }
        } catch (StatusRuntimeException e) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            throw e;
        } finally {
            if (bar != null) {
                update(bar, states, tokens);
                bar.close();
            }
        }
    }

    /** The cluster's slots and busy slots, asked for at most once per second; the last answer in between. */
    private void refreshUtilisation(WorkerServiceGrpc.WorkerServiceBlockingStub workers) {
        long now = System.nanoTime();
        if (utilisationServed && (utilisationAtNanos == 0 || now - utilisationAtNanos >= UTILISATION_REFRESH_NANOS)) {
            utilisationAtNanos = now;
            try {
                Optional<ListWorkersResponse> listed = ClusterView.totals(
                        workers.withDeadlineAfter(5, TimeUnit.SECONDS));
                utilisationServed = listed.isPresent();
                listed.ifPresent(l -> {
                    reportedSlots = l.getSlots();
                    reportedBusy = l.getBusySlots();
                });
            } catch (StatusRuntimeException e) {
                // the bar keeps the last answer; the run's own stream reports a coordinator that is gone
            }
        }
    }

    private void update(ProgressBar bar, Map<String, PhaseState> states, Map<String, Long> tokens) {
        long done = states.values().stream().filter(DONE::contains).count();
        long running = states.values().stream()
                .filter(s -> s == PhaseState.PHASE_RUNNING || s == PhaseState.PHASE_LEASED).count();
        long ready = states.values().stream().filter(s -> s == PhaseState.PHASE_READY).count();
        long used = tokens.values().stream().mapToLong(Long::longValue).sum();
        bar.stepTo(done);
        bar.setExtraMessage(String.format(Locale.ROOT, " running %d, ready %d, tokens %,d%s", running, ready, used,
                slotsPart(running, ownSlots, reportedSlots, reportedBusy)));
    }

    /**
     * The bar's {@code , slots B/S busy}. A leased or running phase holds a worker slot the moment it is leased,
     * while workers report their busy slots only with their next heartbeat: on a cluster of its own the run's active
     * phases are the busy slots; on a shared one the busy slots are at least those (other runs may hold more).
     *
     * @param active the run's leased and running phases
     * @param ownSlots slots of a cluster the run has to itself, 0 for a shared one
     * @param reportedSlots the shared cluster's slots from ListWorkers, -1 when unknown (then the part is empty)
     * @param reportedBusy the busy slots the workers last reported
     */
    static String slotsPart(long active, int ownSlots, long reportedSlots, long reportedBusy) {
        long slots = ownSlots > 0 ? ownSlots : reportedSlots;
        if (slots < 0) {
            return "";
        }
        long busy = ownSlots > 0 ? active : Math.max(reportedBusy, active);
        return String.format(Locale.ROOT, ", slots %d/%d busy", Math.min(busy, Math.max(slots, active)), slots);
    }
}
