package io.phasegrid.coordinator.quota;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.hazelcast.KeyedEntries;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The per-principal quotas of submissions ({@link QuotaLimits}) over {@code phasegrid.quotas}: a submission is
 * admitted before its run is stored, after the principal's listed runs were checked for having finished (one
 * call for all of them), so no path that finishes a run needs to know of quotas.
 */
public final class RunQuotas {

    /** How long an admitted run that is not (yet) stored counts as in flight: its submission stores it meanwhile. */
    static final long ADMISSION_GRACE_MS = 60_000;

    private final KeyedEntries<PrincipalUsage> usage;
    private final QuotaLimits limits;
    private final Function<Set<String>, Map<String, Boolean>> finishedOf;

    /** Over {@link MapNames#QUOTAS} of {@code hazelcast}; {@code finishedOf}: whether each stored run is finished. */
    public RunQuotas(HazelcastInstance hazelcast, QuotaLimits limits,
            Function<Set<String>, Map<String, Boolean>> finishedOf) {
        this(KeyedEntries.of(hazelcast.getMap(MapNames.QUOTAS)), limits, finishedOf);
    }

    /** @param usage one entry per principal (a test's plain entries) */
    public RunQuotas(KeyedEntries<PrincipalUsage> usage, QuotaLimits limits,
            Function<Set<String>, Map<String, Boolean>> finishedOf) {
        this.usage = Objects.requireNonNull(usage, "usage");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.finishedOf = Objects.requireNonNull(finishedOf, "finishedOf");
    }

    /** @throws QuotaExceeded when the run would take {@code owner} over its quota */
    public void admit(String owner, String runId, long retainedBytes) {
        long now = System.currentTimeMillis();
        PrincipalUsage held = usage.get(owner);
        Set<String> finished = new HashSet<>();
        if (held != null && !held.runs().isEmpty()) {
            Map<String, Boolean> stored = finishedOf.apply(held.runs().keySet());
            for (String id : held.runs().keySet()) {
                Boolean done = stored.get(id);
                // a run not stored is gone, unless admitted a moment ago: its submission may still be storing it
                if (Boolean.TRUE.equals(done) || (done == null && now - held.admittedAt(id) >= ADMISSION_GRACE_MS)) {
                    finished.add(id);
                }
            }
        }
        String refusal = usage.execute(owner,
                new AdmitRun(runId, retainedBytes, finished.toArray(String[]::new), limits, now));
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
