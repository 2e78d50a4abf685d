package io.phasegrid.coordinator.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A map store's database work on a pooled connection: {@link StoreHealth} hears of each outcome, and a failure is a
 * {@link StoreUnavailableException}, so the map operation behind it fails and nothing unstored is acknowledged.
 */
final class StoreCalls {

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Database database;
    private final StoreHealth health;

    StoreCalls(Database database, StoreHealth health) {
        this.database = database;
        this.health = health;
    }

    /** {@code work} on a connection in auto-commit mode (each statement commits by itself). */
    <T> T call(String mapName, Work<T> work) {
        try (Connection connection = database.dataSource().getConnection()) {
            T result = work.run(connection);
            health.succeeded();
            return result;
        } catch (SQLException e) {
            health.failed(mapName, e);
            throw new StoreUnavailableException("store: map " + mapName + ": " + e.getMessage(), e);
        }
    }

    /** {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(String mapName, Work<T> work) {
        return call(mapName, connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollBack(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    private static void rollBack(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
