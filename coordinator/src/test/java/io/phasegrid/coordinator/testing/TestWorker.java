package io.phasegrid.coordinator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.coordinator.lease.LeaseOffer;
import io.phasegrid.coordinator.lease.WorkerGateway;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.service.RunCoordinator;
import io.phasegrid.coordinator.service.RunView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A worker in the test's thread: polls, checks that every dependency of an offered phase already succeeded, and
 * completes each offer with the outcome chosen by the test, charging a tenth of the estimate.
 */
public final class TestWorker {

    private final WorkerGateway gateway;
    private final RunCoordinator runs;
    private final String workerId;
    public final Map<String, Integer> succeeded = new ConcurrentHashMap<>();
    public final Map<String, Integer> offered = new ConcurrentHashMap<>();
    public final List<LeaseOffer> offers = new ArrayList<>();
    public long tokensCharged;

    public TestWorker(WorkerGateway gateway, RunCoordinator runs, String name) {
        this.gateway = gateway;
        this.runs = runs;
        this.workerId = gateway.register(name, 4, Map.of()).workerId();
    }

    public String workerId() {
        return workerId;
    }

    public static long charge(LeaseOffer offer) {
        return offer.estimatedTokens() / 10;
    }

    /** Polls and completes with SUCCEEDED until the run is finished. */
    public RunView drive(String runId, Duration timeout) throws InterruptedException {
        return drive(runId, timeout, offer -> Outcome.SUCCEEDED);
    }

    public RunView drive(String runId, Duration timeout, Function<LeaseOffer, Outcome> outcome)
            throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            RunView run = runs.get(runId);
            if (run.state().isFinished()) {
                return run;
            }
            assertThat(System.nanoTime() - until).as("run %s still %s", runId, run.state()).isNegative();
            for (LeaseOffer offer : gateway.poll(workerId, 4, 100)) {
                step(offer, outcome.apply(offer));
            }
        }
    }

    /** Checks the offer's dependencies, then reports it. */
    public PhaseState step(LeaseOffer offer, Outcome outcome) {
        offers.add(offer);
        offered.merge(offer.key().phaseKey(), 1, Integer::sum);
        RunView run = runs.get(offer.key().runId());
        Map<String, PhaseState> states = run.phases().stream()
                .collect(Collectors.toMap(PhaseView::key, PhaseView::state));
        PhaseView phase = run.phases().stream().filter(p -> p.key().equals(offer.key().phaseKey())).findFirst()
                .orElseThrow();
        for (String dep : phase.dependsOn()) {
            assertThat(states.get(dep).satisfiesDependents())
                    .as("%s offered before its dependency %s succeeded", phase.key(), dep).isTrue();
        }
        long tokens = charge(offer);
        PhaseState after = gateway.complete(offer.key(), outcome, tokens, outcome == Outcome.FAILED ? "boom" : "");
        tokensCharged += tokens;
        if (outcome == Outcome.SUCCEEDED) {
            succeeded.merge(offer.key().phaseKey(), 1, Integer::sum);
        }
        return after;
    }
}
