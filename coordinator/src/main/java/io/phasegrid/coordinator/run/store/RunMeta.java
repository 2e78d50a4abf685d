package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a run needs besides its state: the principal that submitted it, the idempotency key, the ledger's {@code min_tokens_per_phase} for the run,
 * and the contents of its PLAN files (bundle path -> bytes) that lease offers carry. Stored in
 * {@code phasegrid.runmeta} under the run id, so in the run's partition. Written at submission; the only change
 * afterwards is {@link #keepingOnly}: a finished run drops the contents no retry can lease again
 * ({@link ReleasePlans}). Owner, key and minimum never change.
 */
public final class RunMeta implements IdentifiedDataSerializable {

    private String owner;
    private String idempotencyKey;
    private long minTokensPerPhase;
    private String[] planPaths;
    private byte[][] planContents;
    private transient Map<String, byte[]> byPath;

    public RunMeta() {
    }

    /** @param owner the principal that submitted the run */
    public RunMeta(String owner, String idempotencyKey, long minTokensPerPhase, Map<String, byte[]> plans) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
        this.minTokensPerPhase = minTokensPerPhase;
        this.planPaths = plans.keySet().toArray(String[]::new);
        this.planContents = new byte[planPaths.length][];
        for (int i = 0; i < planPaths.length; i++) {
            planContents[i] = Objects.requireNonNull(plans.get(planPaths[i]));
        }
    }

    /** The same key and minimum with no plan contents: what status, list and watch read. */
    public RunMeta header() {
        return new RunMeta(owner, idempotencyKey, minTokensPerPhase, Map.of());
    }

    /** The same key and minimum with only the contents of {@code paths} (those it holds). */
    public RunMeta keepingOnly(java.util.Set<String> paths) {
        Map<String, byte[]> kept = new java.util.LinkedHashMap<>();
        for (int i = 0; i < planPaths.length; i++) {
            if (paths.contains(planPaths[i])) {
                kept.put(planPaths[i], planContents[i]);
            }
        }
        return new RunMeta(owner, idempotencyKey, minTokensPerPhase, kept);
    }

    /** How many PLAN files' contents it holds. */
    public int planCount() {
        return planPaths.length;
    }

    /** The bytes of the PLAN contents it holds: what the cap on retained submissions counts. */
    public long retainedBytes() {
        long sum = 0;
        for (byte[] content : planContents) {
            sum += content.length;
        }
        return sum;
    }

    /** The principal that submitted the run. */
    public String owner() {
        return owner;
    }

    /** The key as its client sent it (and sees it); empty = none. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** The key's entry in {@code phasegrid.submissions}: keys are per principal. Empty = none. */
    public String storedIdempotencyKey() {
        return storedKey(owner, idempotencyKey);
    }

    /** {@code key} of {@code owner} as {@code phasegrid.submissions} holds it; empty for no key. */
    public static String storedKey(String owner, String key) {
        return key == null || key.isEmpty() ? "" : owner + "\n" + key;
    }

    public long minTokensPerPhase() {
        return minTokensPerPhase;
    }

    /** The PLAN file's content, or an empty array when the bundle had none at that path (structured roadmaps). */
    public byte[] plan(String path) {
        Map<String, byte[]> map = byPath;
        if (map == null) {
            map = new HashMap<>(planPaths.length * 2);
            for (int i = 0; i < planPaths.length; i++) {
                map.put(planPaths[i], planContents[i]);
            }
            byPath = map;
        }
        byte[] content = map.get(path);
        return content == null ? new byte[0] : content;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_META;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(owner);
        out.writeString(idempotencyKey);
        out.writeLong(minTokensPerPhase);
        out.writeStringArray(planPaths);
        for (byte[] content : planContents) {
            out.writeByteArray(content);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        owner = in.readString();
        idempotencyKey = in.readString();
        minTokensPerPhase = in.readLong();
        planPaths = in.readStringArray();
        planContents = new byte[planPaths.length][];
        for (int i = 0; i < planPaths.length; i++) {
            planContents[i] = in.readByteArray();
        }
    }
}
