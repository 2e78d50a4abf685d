package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.GitLease;
import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.store.codec.HazelcastWire;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Answer of {@link LeaseProcessors.Lease}. {@link IdentifiedDataSerializable} (not a Java-serialized record) because
 * Hazelcast serializes a processor's result on the partition thread even for a local caller, once per poll.
 */
public final class LeaseBatch implements IdentifiedDataSerializable {

    private List<LeaseGrant> grants;
    private List<PhaseInfo> phases;
    private int refusedByRunBudget;
    private boolean paused;
    private boolean finished;
    private long nextNotBefore;
    private boolean fellBack;
    private String shareKey = "";
    private long leaseCall;

    /** For deserialization. */
    public LeaseBatch() {
    }

    /**
     * @param grants leases made, highest priority first (not yet funded by the cluster ledger)
     * @param phases the name and plans of each granted phase, in the order of {@code grants}
     * @param refusedByRunBudget grants taken back at once because the run's own budget could not carry them
     * @param paused the run is PAUSED after the call
     * @param finished the run has ended (nothing more to lease from it)
     * @param nextNotBefore earliest time a phase waiting on a retry backoff becomes leasable ({@code Long.MAX_VALUE}:
     *     none)
     */
    public LeaseBatch(List<LeaseGrant> grants, List<PhaseInfo> phases, int refusedByRunBudget, boolean paused,
            boolean finished, long nextNotBefore) {
        this.grants = List.copyOf(grants);
        this.phases = List.copyOf(phases);
        this.refusedByRunBudget = refusedByRunBudget;
        this.paused = paused;
        this.finished = finished;
        this.nextNotBefore = nextNotBefore;
    }

    public List<LeaseGrant> grants() {
        return grants;
    }

    public List<PhaseInfo> phases() {
        return phases;
    }

    public int refusedByRunBudget() {
        return refusedByRunBudget;
    }

    public boolean paused() {
        return paused;
    }

    public boolean finished() {
        return finished;
    }

    public long nextNotBefore() {
        return nextNotBefore;
    }

    /** The run's own budget made it fall back to one phase at a time in this call. */
    public boolean fellBack() {
        return fellBack;
    }

    LeaseBatch withFellBack(boolean fellBack) {
        this.fellBack = fellBack;
        return this;
    }

    /** The run's ledger share the grants are funded in ({@code ""} when nothing was granted). */
    public String shareKey() {
        return shareKey;
    }

    /** The run's version after the call: the key of the grants' funding on the ledger. */
    public long leaseCall() {
        return leaseCall;
    }

    LeaseBatch withFunding(String shareKey, long leaseCall) {
        this.shareKey = shareKey;
        this.leaseCall = leaseCall;
        return this;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_LEASE_BATCH;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(grants.size());
        for (int k = 0; k < grants.size(); k++) {
            LeaseGrant g = grants.get(k);
            out.writeInt(g.phase());
            out.writeString(g.key());
            out.writeLong(g.epoch());
            out.writeInt(g.attempt());
            out.writeLong(g.deadlineMs());
            out.writeLong(g.estimatedTokens());
            out.writeLong(g.readyAtMs());
            PhaseInfo info = phases.get(k);
            out.writeString(info.name());
            out.writeStringArray(info.planIds().toArray(String[]::new));
            out.writeStringArray(info.planPaths().toArray(String[]::new));
            writeGit(out, info.git());
        }
        out.writeInt(refusedByRunBudget);
        out.writeBoolean(paused);
        out.writeBoolean(finished);
        out.writeLong(nextNotBefore);
        out.writeBoolean(fellBack);
        out.writeString(shareKey);
        out.writeLong(leaseCall);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        List<LeaseGrant> g = new ArrayList<>(n);
        List<PhaseInfo> p = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            g.add(new LeaseGrant(in.readInt(), in.readString(), in.readLong(), in.readInt(), in.readLong(),
                    in.readLong(), in.readLong()));
            p.add(new PhaseInfo(in.readString(), List.of(in.readStringArray()), List.of(in.readStringArray()),
                    readGit(in)));
        }
        grants = g;
        phases = p;
        refusedByRunBudget = in.readInt();
        paused = in.readBoolean();
        finished = in.readBoolean();
        nextNotBefore = in.readLong();
        fellBack = in.readBoolean();
        shareKey = in.readString();
        leaseCall = in.readLong();
    }

    private static void writeGit(ObjectDataOutput out, GitLease git) throws IOException {
        out.writeBoolean(git != null);
        if (git == null) {
            return;
        }
        git.run().writeTo(HazelcastWire.of(out));
        out.writeBoolean(git.integration());
        out.writeInt(git.inputs().size());
        for (GitLease.PhaseCommit input : git.inputs()) {
            out.writeString(input.key());
            out.writeString(input.name());
            out.writeString(input.commit());
        }
        out.writeString(git.resolutionCommit());
    }

    private static GitLease readGit(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        GitRun run = GitRun.readFrom(HazelcastWire.of(in));
        boolean integration = in.readBoolean();
        int n = in.readInt();
        List<GitLease.PhaseCommit> inputs = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            inputs.add(new GitLease.PhaseCommit(in.readString(), in.readString(), in.readString()));
        }
        return new GitLease(run, integration, inputs, in.readString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeaseBatch b && grants.equals(b.grants) && phases.equals(b.phases)
                && refusedByRunBudget == b.refusedByRunBudget && paused == b.paused && finished == b.finished
                && nextNotBefore == b.nextNotBefore;
    }

    @Override
    public int hashCode() {
        return Objects.hash(grants, phases, refusedByRunBudget, paused, finished, nextNotBefore);
    }

    @Override
    public String toString() {
        return "LeaseBatch[grants=" + grants + ", refusedByRunBudget=" + refusedByRunBudget + ", paused=" + paused
                + ", finished=" + finished + ", nextNotBefore=" + nextNotBefore + "]";
    }
}
