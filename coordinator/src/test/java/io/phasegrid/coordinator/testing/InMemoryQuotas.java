package io.phasegrid.coordinator.testing;

import com.hazelcast.map.EntryProcessor;
import io.phasegrid.coordinator.quota.PrincipalUsage;
import io.phasegrid.coordinator.quota.RunQuotas;

/** The principals' usage in memory: {@code new RunQuotas(new InMemoryQuotas(), ...)} without a member. */
public final class InMemoryQuotas implements RunQuotas.Entries {

    private final InMemoryEntries<PrincipalUsage> usage = new InMemoryEntries<>();

    @Override
    public PrincipalUsage get(String principal) {
        return usage.get(principal);
    }

    @Override
    public <R> R execute(String principal, EntryProcessor<String, PrincipalUsage, R> processor) {
        return usage.execute(principal, processor);
    }
}
