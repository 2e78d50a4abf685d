package io.phasegrid.bench.driver;

/** The raw state floor: wall time and calls. */
public record FloorResult(int phases, double wallMs, long leaseCalls, long emptyLeaseCalls, long completeCalls,
        long ledgerCalls, MapOps mapOps) {
    public double phasesPerSecond() {
        return phases * 1000.0 / wallMs;
    }

    public long driverCalls() {
        return leaseCalls + completeCalls + ledgerCalls;
    }
}
