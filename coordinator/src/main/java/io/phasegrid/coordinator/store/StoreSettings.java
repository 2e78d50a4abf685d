package io.phasegrid.coordinator.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a coordinator keeps the state a user would miss: a JDBC database behind its Hazelcast maps.
 *
 * @param jdbcUrl {@code jdbc:postgresql://HOST:PORT/DB?user=U} or {@code jdbc:h2:file:PATH}; never holds a
 *     password in argv: pass it as {@code password}
 * @param user the database user; empty = from the URL
 * @param password the password (from a file or the environment); empty = none
 */
public record StoreSettings(String jdbcUrl, Optional<String> user, Optional<String> password) {

    public StoreSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        SqlDialect.of(jdbcUrl);
    }

    public static StoreSettings of(String jdbcUrl) {
        return new StoreSettings(jdbcUrl, Optional.empty(), Optional.empty());
    }

    public SqlDialect dialect() {
        return SqlDialect.of(jdbcUrl);
    }

    /** The URL without credentials, for logs. */
    public String display() {
        return jdbcUrl.replaceAll("password=[^&;]*", "password=***");
    }

    @Override
    public String toString() {
        return "StoreSettings[" + display() + "]";
    }
}
