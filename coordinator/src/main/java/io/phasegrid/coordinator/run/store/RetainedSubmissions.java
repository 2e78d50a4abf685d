package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cap on retained submission bytes: the plan contents held in {@code phasegrid.runmeta}, counted in one
 * {@link RetainedBytes} entry of {@code phasegrid.retained}. A submission reserves its bytes before its metadata is
 * stored and is refused when the total would pass the cap; a finished run's release and retention's removal lower
 * it. Why a counter entry and not the maps' own statistics ({@code getOwnedEntryMemoryCost}): a reservation is
 * atomic on the entry's owner, so two submissions through two members cannot both take the last free bytes, and it is
 * exact bytes of contents, not an estimate of entry cost that is only known per member after the fact. A member
 * dying between a reservation and the metadata it counts (or between a release and its update here) leaves the total
 * too high, never too low; {@link #reconcile} repairs that from the metadata itself.
 */
public final class RetainedSubmissions {

    /** The key of the one entry. */
    public static final String KEY = "cluster";

    private final HazelcastInstance hazelcast;
    private final IMap<String, RetainedBytes> account;
    private final IMap<String, RunMeta> metas;

    public RetainedSubmissions(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.account = hazelcast.getMap(MapNames.RETAINED);
        this.metas = hazelcast.getMap(MapNames.RUN_META);
    }

    /** Lists the run's bytes unless the total would pass {@code cap}. */
    public RetainedBytesProcessors.Admission reserve(String runId, long bytes, long cap, long now) {
        return account.executeOnKey(KEY, new RetainedBytesProcessors.Reserve(runId, bytes, cap, now));
    }

    /** The run holds at most {@code bytes} now (0 or less: none). */
    public void shrink(String runId, long bytes) {
        account.executeOnKey(KEY, new RetainedBytesProcessors.Shrink(new String[] {runId}, new long[] {bytes}));
    }

    /** The account as stored now (empty when nothing was ever reserved). */
    public RetainedBytes snapshot() {
        RetainedBytes stored = account.get(KEY);
        return stored == null ? new RetainedBytes() : stored;
    }

    /** Whether this member owns the account's partition (the one that repairs it). */
    public boolean ownedHere() {
        var owner = hazelcast.getPartitionService().getPartition(KEY).getOwner();
        return owner != null && owner.localMember();
    }

    /**
     * Lowers every run reserved at or before {@code reservedBefore} to the bytes its metadata holds now (none when it
     * has no metadata); answers the new total.
     */
    public long reconcile(long reservedBefore) {
        List<String> old = new ArrayList<>();
        snapshot().runs().forEach((runId, held) -> {
            if (held.reservedAtMs() <= reservedBefore) {
                old.add(runId);
            }
        });
        if (old.isEmpty()) {
            return snapshot().total();
        }
        Map<String, Long> actual = metas.executeOnKeys(Set.copyOf(old), new MetaProcessors.RetainedBytesOf());
        String[] ids = old.toArray(String[]::new);
        long[] bytes = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Long b = actual.get(ids[i]);
            bytes[i] = b == null ? -1 : b;
        }
        return account.executeOnKey(KEY, new RetainedBytesProcessors.Reconcile(ids, bytes, reservedBefore));
    }
}
