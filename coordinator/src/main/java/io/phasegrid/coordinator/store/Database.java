package io.phasegrid.coordinator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store's database: one connection pool per member, migrated to the current schema (Flyway) when opened. */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final StoreSettings settings;
    private final HikariDataSource pool;

    private Database(StoreSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** Opens the pool and applies the pending migrations; fails with the database's message if it is unreachable. */
    public static Database open(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        settings.user().ifPresent(config::setUsername);
        settings.password().ifPresent(config::setPassword);
        config.setPoolName("phasegrid-store");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        // a database that is away makes callers wait this long before the map operation fails
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration",
                            "classpath:db/" + settings.dialect().name().toLowerCase(java.util.Locale.ROOT))
                    .placeholders(Map.of("binary", settings.dialect().binaryType()))
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("store {}: schema up to date", settings.display());
        return new Database(settings, pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    public SqlDialect dialect() {
        return settings.dialect();
    }

    public StoreSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        pool.close();
    }
}
