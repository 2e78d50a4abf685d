package io.phasegrid.coordinator.run;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The per-phase state of a run, one {@link Column} per field (chunked, copy-on-write). The constructor is the one
 * place that lists the columns: creating, copying and serializing a table all go through it ({@link Source}), so a
 * new per-phase field is its declaration and one line there; the codec ({@link #toArrays()}) follows by itself.
 *
 * <p>Not thread-safe, like the record.
 */
final class PhaseTable {

    /** The phase has an entry in the ready queue. */
    static final byte IN_READY = 1;
    /** The phase's latest lease is open (not expired, not reported). */
    static final byte LEASE_OPEN = 2;
    /** The open lease holds a reservation of the phase's estimate. */
    static final byte RESERVED = 4;
    /** A reservation the cluster ledger funded (or not) but the run has not been told: see {@link RunFunding}. */
    static final byte UNCONFIRMED = 8;

    final int size;
    final Column.Bytes state;
    final Column.Ints remainingDeps;
    final Column.Ints attempts;
    final Column.Ints failures;
    final Column.Ints requeues;
    final Column.Longs epoch;
    final Column.Strings worker;
    final Column.Longs deadline;
    final Column.Longs notBefore;
    /** When the phase last became READY (its backoff's end for a retry): ready -> leased latency, queue age. */
    final Column.Longs readyAt;
    final Column.Longs startedAt;
    final Column.Longs finishedAt;
    final Column.Longs tokens;
    final Column.Strings reason;
    final Column.Bytes flags;
    /** Version of the lease call that granted the phase's current lease (see {@link RunFunding}). */
    final Column.Longs leaseCall;
    /** Git runs: the commit a SUCCEEDED phase (or the integration step) reported. */
    final Column.Strings resultCommit;
    /** Git runs: the paths of a merge conflict, sorted, joined by '\n'; empty otherwise. */
    final Column.Strings conflictPaths;
    /** Git runs: where the next attempt starts instead of merging its inputs (RetryRun resolutions). */
    final Column.Strings resolutionCommit;
    /** Git runs, the integration step: what delivery did beyond the result branch. */
    final Column.Strings deliveryNote;

    private final List<Column<?>> columns = new ArrayList<>(16);

    private PhaseTable(int size, Source source) {
        this.size = size;
        state = add(source.bytes());
        remainingDeps = add(source.ints());
        attempts = add(source.ints());
        failures = add(source.ints());
        requeues = add(source.ints());
        epoch = add(source.longs());
        worker = add(source.strings(""));
        deadline = add(source.longs());
        notBefore = add(source.longs());
        readyAt = add(source.longs());
        startedAt = add(source.longs());
        finishedAt = add(source.longs());
        tokens = add(source.longs());
        reason = add(source.strings(""));
        flags = add(source.bytes());
        leaseCall = add(source.longs());
        resultCommit = add(source.strings(""));
        conflictPaths = add(source.strings(""));
        resolutionCommit = add(source.strings(""));
        deliveryNote = add(source.strings(""));
        for (Column<?> column : columns) {
            if (column.size != size) {
                throw new IllegalArgumentException("column of " + column.size + " phases in a table of " + size);
            }
        }
    }

    /** A table of {@code size} phases, every field at its default. */
    static PhaseTable create(int size) {
        return new PhaseTable(size, new Fresh(size));
    }

    /** A copy sharing every chunk until either side writes it. O(phases / 256). */
    PhaseTable copy() {
        return new PhaseTable(size, new Copy(columns.iterator()));
    }

    /** The columns' values, one array each ({@code byte[]}, {@code int[]}, {@code long[]} or {@code String[]}). */
    List<Object> toArrays() {
        List<Object> out = new ArrayList<>(columns.size());
        for (Column<?> column : columns) {
            out.add(column.toArray());
        }
        return out;
    }

    /** The inverse of {@link #toArrays()}; a list that does not match the columns is refused. */
    static PhaseTable fromArrays(List<Object> arrays) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("no columns");
        }
        PhaseTable table = new PhaseTable(Array.getLength(arrays.get(0)), new FromArrays(arrays.iterator()));
        if (arrays.size() != table.columns.size()) {
            throw new IllegalArgumentException(arrays.size() + " columns for a table of " + table.columns.size());
        }
        return table;
    }

    /** The columns in the constructor's order, for {@link RunRecordParts}; not to be changed. */
    List<Column<?>> columns() {
        return columns;
    }

    private <C extends Column<?>> C add(C column) {
        columns.add(column);
        return column;
    }

    PhaseState stateOf(int i) {
        return PhaseState.of(state.get(i));
    }

    boolean has(int i, byte flag) {
        return (flags.get(i) & flag) != 0;
    }

    void raise(int i, byte flag) {
        flags.set(i, (byte) (flags.get(i) | flag));
    }

    void clear(int i, byte flag) {
        flags.set(i, (byte) (flags.get(i) & ~flag));
    }

    boolean contains(int i) {
        return i >= 0 && i < size;
    }

    PhaseView view(int i, RunBlueprint blueprint) {
        return new PhaseView(i, blueprint.key(i), blueprint.name(i), stateOf(i), attempts.get(i), failures.get(i),
                requeues.get(i), epoch.get(i), worker.get(i), startedAt.get(i), finishedAt.get(i), tokens.get(i),
                reason.get(i), notBefore.get(i), blueprint.estimatedTokens(i), blueprint.dependsOn(i),
                blueprint.inferredDependsOn(i), resultCommit.get(i), conflictPathsOf(i), deliveryNote.get(i));
    }

    List<String> conflictPathsOf(int i) {
        String joined = conflictPaths.get(i);
        return joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
    }

    List<PhaseView> views(RunBlueprint blueprint) {
        List<PhaseView> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(view(i, blueprint));
        }
        return out;
    }

    /** The earliest {@link #readyAt} of a READY phase; {@code Long.MAX_VALUE} when none is or {@code !anyReady}. */
    long oldestReadyAt(boolean anyReady) {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; anyReady && i < size; i++) {
            if (stateOf(i) == PhaseState.READY && readyAt.get(i) < oldest) {
                oldest = readyAt.get(i);
            }
        }
        return oldest;
    }

    /** Where the columns of a new table come from, in the constructor's order. */
    private interface Source {
        Column.Bytes bytes();

        Column.Ints ints();

        Column.Longs longs();

        Column.Strings strings(String initial);
    }

    private record Fresh(int size) implements Source {
        public Column.Bytes bytes() {
            return new Column.Bytes(size);
        }

        public Column.Ints ints() {
            return new Column.Ints(size);
        }

        public Column.Longs longs() {
            return new Column.Longs(size);
        }

        public Column.Strings strings(String initial) {
            return new Column.Strings(size, initial);
        }
    }

    private record Copy(Iterator<Column<?>> source) implements Source {
        public Column.Bytes bytes() {
            return new Column.Bytes((Column.Bytes) source.next());
        }

        public Column.Ints ints() {
            return new Column.Ints((Column.Ints) source.next());
        }

        public Column.Longs longs() {
            return new Column.Longs((Column.Longs) source.next());
        }

        public Column.Strings strings(String initial) {
            return new Column.Strings((Column.Strings) source.next());
        }
    }

    private record FromArrays(Iterator<Object> arrays) implements Source {
        public Column.Bytes bytes() {
            return Column.Bytes.of((byte[]) next());
        }

        public Column.Ints ints() {
            return Column.Ints.of((int[]) next());
        }

        public Column.Longs longs() {
            return Column.Longs.of((long[]) next());
        }

        public Column.Strings strings(String initial) {
            return Column.Strings.of((String[]) next());
        }

        private Object next() {
            if (!arrays.hasNext()) {
                throw new IllegalArgumentException("fewer columns than the table has");
            }
            return arrays.next();
        }
    }
}
