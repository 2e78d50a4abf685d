package io.phasegrid.coordinator.quota;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.hazelcast.KeyedEntries;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The per-principal quotas of submissions ({@link QuotaLimits}) over {@code phasegrid.quotas}: a submission is
 * admitted before its run is stored, after the principal's listed runs were checked for having finished (one
 * call for all of them), so no path that finishes a run needs to know of quotas.
 */
public final class RunQuotas {

    private final KeyedEntries<PrincipalUsage> usage;
    private final QuotaLimits limits;
    private final Function<Set<String>, Set<String>> finishedOf;

    /** Over {@link MapNames#QUOTAS} of {@code hazelcast}; {@code finishedOf}: which of the ids are finished or gone. */
    public RunQuotas(HazelcastInstance hazelcast, QuotaLimits limits, Function<Set<String>, Set<String>> finishedOf) {
        this(KeyedEntries.of(hazelcast.getMap(MapNames.QUOTAS)), limits, finishedOf);
    }

    /** @param usage one entry per principal (a test's plain entries) */
    public RunQuotas(KeyedEntries<PrincipalUsage> usage, QuotaLimits limits,
            Function<Set<String>, Set<String>> finishedOf) {
        this.usage = Objects.requireNonNull(usage, "usage");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.finishedOf = Objects.requireNonNull(finishedOf, "finishedOf");
    }

    /** @throws QuotaExceeded when the run would take {@code owner} over its quota */
    public void admit(String owner, String runId, long retainedBytes) {
        PrincipalUsage held = usage.get(owner);
        Set<String> finished = held == null || held.runs().isEmpty() ? Set.of() : finishedOf.apply(held.runs().keySet());
        String refusal = usage.execute(owner,
                new AdmitRun(runId, retainedBytes, finished.toArray(String[]::new), limits));
        if (refusal != null) {
            throw new QuotaExceeded("principal '" + owner + "' is at its quota: " + refusal
                    + "; submit again once some of its runs finish (or cancel some)");
        }
    }

    /** Gives back the share of a run whose submission failed after {@link #admit}. */
    public void release(String owner, String runId) {
        usage.execute(owner, AdmitRun.release(runId));
    }

    /** The runs {@code owner} holds against its quota, as last recorded. */
    public PrincipalUsage usage(String owner) {
        PrincipalUsage held = usage.get(owner);
        return held == null ? new PrincipalUsage() : held;
    }
}
