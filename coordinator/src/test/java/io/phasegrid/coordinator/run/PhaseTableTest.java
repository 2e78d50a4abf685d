package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-phase columns of a run: one list of columns for creating, copying and the codec. */
class PhaseTableTest {

    @Test
    void aCopySharesValuesUntilEitherSideWrites() {
        PhaseTable original = PhaseTable.create(600);
        original.epoch.set(599, 7);
        original.worker.set(3, "w-1");

        PhaseTable copy = original.copy();
        copy.epoch.set(599, 8);
        original.worker.set(3, "w-2");

        assertThat(copy.epoch.get(599)).isEqualTo(8);
        assertThat(original.epoch.get(599)).isEqualTo(7);
        assertThat(copy.worker.get(3)).isEqualTo("w-1");
        assertThat(original.worker.get(3)).isEqualTo("w-2");
        assertThat(copy.worker.get(4)).isEmpty();
    }

    @Test
    void theArraysOfATableReadBackAsAnEqualTable() {
        PhaseTable table = PhaseTable.create(300);
        table.tokens.set(299, 1_234);
        table.reason.set(0, "lease_expired");
        table.raise(5, PhaseTable.LEASE_OPEN);
        table.leaseCall.set(5, 42);

        PhaseTable back = PhaseTable.fromArrays(table.toArrays());

        assertThat(back.size).isEqualTo(300);
        assertThat(back.tokens.get(299)).isEqualTo(1_234);
        assertThat(back.reason.get(0)).isEqualTo("lease_expired");
        assertThat(back.has(5, PhaseTable.LEASE_OPEN)).isTrue();
        assertThat(back.has(6, PhaseTable.LEASE_OPEN)).isFalse();
        assertThat(back.leaseCall.get(5)).isEqualTo(42);
        assertThat(back.toArrays()).usingRecursiveComparison().isEqualTo(table.toArrays());
    }

    @Test
    void arraysThatDoNotMatchTheColumnsAreRefused() {
        List<Object> arrays = new ArrayList<>(PhaseTable.create(4).toArrays());
        List<Object> tooFew = new ArrayList<>(arrays.subList(0, arrays.size() - 1));
        assertThatThrownBy(() -> PhaseTable.fromArrays(tooFew)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewer columns");

        List<Object> ragged = new ArrayList<>(arrays);
        ragged.set(1, new int[5]);
        assertThatThrownBy(() -> PhaseTable.fromArrays(ragged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column of 5 phases in a table of 4");
    }
}
