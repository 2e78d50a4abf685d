package io.phasegrid.bench.driver;

import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.CompletePhaseResult;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SaveCheckpointResponse;
import io.phasegrid.worker.agent.CoordinatorLink;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CoordinatorLink} decorator counting the worker's calls by method (client side: a unary RPC with
 * {@code GrpcCoordinatorLink}, a request message with the default {@code StreamCoordinatorLink}). Poll answers also
 * count the leases they carried.
 */
final class CountingLink implements CoordinatorLink {

    /** Counters shared by every link of a driver. */
    static final class Counters {
        final LongAdder register = new LongAdder();
        final LongAdder poll = new LongAdder();
        final LongAdder emptyPoll = new LongAdder();
        final LongAdder leasesReceived = new LongAdder();
        final LongAdder heartbeat = new LongAdder();
        final LongAdder checkpoint = new LongAdder();
        final LongAdder complete = new LongAdder();
        /** Messages that carried several completions (each completion also counts in {@link #complete}). */
        final LongAdder completeAll = new LongAdder();
        final LongAdder completedInBatches = new LongAdder();
        /** When set, the wall-clock times of each lease at the worker ({@link LeaseTimes}); off by default. */
        volatile Map<String, LeaseTimes> leaseTimes;

        /** Starts recording per-lease times (the makespan driver; the throughput driver does not pay for it). */
        void recordLeaseTimes() {
            leaseTimes = new ConcurrentHashMap<>();
        }

        Map<String, Long> snapshot() {
            Map<String, Long> m = new TreeMap<>();
            m.put("register", register.sum());
            m.put("pollLease", poll.sum());
            m.put("pollLease(empty)", emptyPoll.sum());
            m.put("leasesReceived", leasesReceived.sum());
            m.put("heartbeat", heartbeat.sum());
            m.put("saveCheckpoint", checkpoint.sum());
            m.put("completePhase", complete.sum());
            m.put("completeAll", completeAll.sum());
            m.put("completedInBatches", completedInBatches.sum());
            return m;
        }

        /**
         * Calls (unary RPCs, or request messages on the stream) in all: register + poll + heartbeat + checkpoint +
         * single completions + batched completion messages.
         */
        static long rpcs(Map<String, Long> m) {
            return m.get("register") + m.get("pollLease") + m.get("heartbeat") + m.get("saveCheckpoint")
                    + m.get("completePhase") - m.get("completedInBatches") + m.get("completeAll");
        }
    }

    /**
     * Worker-side times of one lease (epoch ms, {@link System#currentTimeMillis()}, the coordinator's clock in this
     * JVM): the poll answer carrying it returned, its CompletePhase was sent, and answered.
     */
    static final class LeaseTimes {
        volatile long receivedAtMs;
        volatile long completeSentAtMs;
        volatile long completeAnsweredAtMs;
    }

    /** Per phase of a run: a later lease of the same phase overwrites the times of an earlier one. */
    static String leaseKey(String runId, String phaseKey) {
        return runId + "/" + phaseKey;
    }

    private final CoordinatorLink delegate;
    private final Counters counters;
    private final boolean oneMessagePerBatch;

    CountingLink(CoordinatorLink delegate, Counters counters) {
        this.delegate = delegate;
        this.counters = counters;
        // the unary link sends a batch as one call per report
        this.oneMessagePerBatch = delegate instanceof io.phasegrid.worker.agent.StreamCoordinatorLink;
    }

    static Factory factory(Factory delegate, Counters counters) {
        return address -> new CountingLink(delegate.connect(address), counters);
    }

    @Override
    public String address() {
        return delegate.address();
    }

    @Override
    public RegisterWorkerResponse register(RegisterWorkerRequest request) {
        counters.register.increment();
        return delegate.register(request);
    }

    @Override
    public PollLeaseResponse poll(PollLeaseRequest request) {
        counters.poll.increment();
        PollLeaseResponse response = delegate.poll(request);
        if (response.getLeasesCount() == 0) {
            counters.emptyPoll.increment();
        }
        counters.leasesReceived.add(response.getLeasesCount());
        Map<String, LeaseTimes> times = counters.leaseTimes;
        if (times != null) {
            long now = System.currentTimeMillis();
            response.getLeasesList().forEach(l -> times.computeIfAbsent(
                    leaseKey(l.getRunId(), l.getPhaseKey()), k -> new LeaseTimes()).receivedAtMs = now);
        }
        return response;
    }

    @Override
    public HeartbeatResponse heartbeat(HeartbeatRequest request) {
        counters.heartbeat.increment();
        return delegate.heartbeat(request);
    }

    @Override
    public SaveCheckpointResponse checkpoint(SaveCheckpointRequest request) {
        counters.checkpoint.increment();
        return delegate.checkpoint(request);
    }

    /** Passed on as one call (counted once), so the stream link's batching is measured as it is. */
    @Override
    public List<CompletePhaseResult> completeAll(List<CompletePhaseRequest> requests) {
        counters.complete.add(requests.size());
        if (oneMessagePerBatch) {
            counters.completeAll.increment();
            counters.completedInBatches.add(requests.size());
        }
        Map<String, LeaseTimes> times = counters.leaseTimes;
        List<LeaseTimes> ts = new java.util.ArrayList<>();
        long sent = System.currentTimeMillis();
        if (times != null) {
            for (CompletePhaseRequest r : requests) {
                LeaseTimes t = times.computeIfAbsent(leaseKey(r.getLease().getRunId(), r.getLease().getPhaseKey()),
                        k -> new LeaseTimes());
                t.completeSentAtMs = sent;
                ts.add(t);
            }
        }
        List<CompletePhaseResult> results = delegate.completeAll(requests);
        long answered = System.currentTimeMillis();
        ts.forEach(t -> t.completeAnsweredAtMs = answered);
        return results;
    }

    @Override
    public CompletePhaseResponse complete(CompletePhaseRequest request) {
        counters.complete.increment();
        Map<String, LeaseTimes> times = counters.leaseTimes;
        if (times == null) {
            return delegate.complete(request);
        }
        LeaseTimes t = times.computeIfAbsent(leaseKey(request.getLease().getRunId(),
                request.getLease().getPhaseKey()), k -> new LeaseTimes());
        t.completeSentAtMs = System.currentTimeMillis();
        CompletePhaseResponse response = delegate.complete(request);
        t.completeAnsweredAtMs = System.currentTimeMillis();
        return response;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
