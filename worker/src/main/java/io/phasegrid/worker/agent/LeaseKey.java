package io.phasegrid.worker.agent;

import io.phasegrid.proto.v1.LeaseRef;

/** Identifies a lease: run, phase and epoch. */
record LeaseKey(String runId, String phaseKey, long epoch) {

    static LeaseKey of(LeaseRef ref) {
        return new LeaseKey(ref.getRunId(), ref.getPhaseKey(), ref.getEpoch());
    }

    @Override
    public String toString() {
        return "run " + runId + " phase " + phaseKey + " epoch " + epoch;
    }
}
