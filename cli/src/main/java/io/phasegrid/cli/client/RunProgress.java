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
    /** The bar's ", slots B/S busy" part, from ListWorkers; empty until known, and on an older coordinator. */
    private String utilisation = "";
    private long utilisationAtNanos;
    private boolean utilisationServed = true;

    /**
     * @param live draw a progress bar (a terminal); otherwise plain lines
     * @param quiet print nothing (only wait)
     */
    public RunProgress(PrintStream err, boolean live, boolean quiet) {
        this.err = err;
        this.live = live;
        this.quiet = quiet;
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
                    update(bar, states, tokens, utilisation(workers));
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
                update(bar, states, tokens, utilisation);
                bar.close();
            }
        }
    }

    /** The cluster's busy slots for the bar, asked for at most once per second; the last answer in between. */
    private String utilisation(WorkerServiceGrpc.WorkerServiceBlockingStub workers) {
        long now = System.nanoTime();
        if (utilisationServed && (utilisationAtNanos == 0 || now - utilisationAtNanos >= UTILISATION_REFRESH_NANOS)) {
            utilisationAtNanos = now;
            try {
                Optional<ListWorkersResponse> listed = ClusterView.totals(
                        workers.withDeadlineAfter(5, TimeUnit.SECONDS));
                utilisationServed = listed.isPresent();
                listed.ifPresent(l -> utilisation = String.format(Locale.ROOT, ", slots %d/%d busy",
                        l.getBusySlots(), l.getSlots()));
            } catch (StatusRuntimeException e) {
                // the bar keeps the last answer; the run's own stream reports a coordinator that is gone
            }
        }
        return utilisation;
    }

    private static void update(ProgressBar bar, Map<String, PhaseState> states, Map<String, Long> tokens,
            String utilisation) {
        long done = states.values().stream().filter(DONE::contains).count();
        long running = states.values().stream()
                .filter(s -> s == PhaseState.PHASE_RUNNING || s == PhaseState.PHASE_LEASED).count();
        long ready = states.values().stream().filter(s -> s == PhaseState.PHASE_READY).count();
        long used = tokens.values().stream().mapToLong(Long::longValue).sum();
        bar.stepTo(done);
        bar.setExtraMessage(String.format(Locale.ROOT, " running %d, ready %d, tokens %,d%s", running, ready, used,
                utilisation));
    }
}
