package io.phasegrid.coordinator.hazelcast;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.ledger.LedgerProcessors;
import io.phasegrid.coordinator.ledger.LedgerRecord;
import java.util.Map;
import java.util.function.Supplier;

/** Creates the coordinator's serializable values and entry processors from their class ids. */
public final class PhaseGridSerializableFactory implements DataSerializableFactory {

    private static final Map<Integer, Supplier<IdentifiedDataSerializable>> CONSTRUCTORS = Map.of(
            SerializationIds.LEDGER_RECORD, LedgerRecord::new,
            SerializationIds.LEDGER_RESERVE, LedgerProcessors.Reserve::new,
            SerializationIds.LEDGER_SETTLE, LedgerProcessors.Settle::new,
            SerializationIds.LEDGER_SET_BUDGET, LedgerProcessors.SetBudget::new,
            SerializationIds.LEDGER_TOP_UP, LedgerProcessors.TopUp::new);

    @Override
    public IdentifiedDataSerializable create(int classId) {
        Supplier<IdentifiedDataSerializable> constructor = CONSTRUCTORS.get(classId);
        if (constructor == null) {
            throw new IllegalArgumentException("unknown PhaseGrid class id " + classId);
        }
        return constructor.get();
    }
}
