package io.phasegrid.cli.cluster;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.coordinator.store.StoreSettings;
import io.phasegrid.worker.security.ClientSecurity;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --store jdbc:postgresql://HOST:PORT/DB?user=U | jdbc:h2:file:PATH | none} and the password, which never
 * travels in argv: {@code --store-password-file FILE}, else {@code PHASEGRID_STORE_PASSWORD}.
 */
public final class StoreOptions {

    public static final String PASSWORD_ENV = "PHASEGRID_STORE_PASSWORD";

    @Option(names = "--store", paramLabel = "JDBC-URL|none",
            description = "Keep runs, checkpoints, the ledger and tokens in this database (PostgreSQL or an H2 file)"
                    + " so they survive the loss of every member; none = memory only.")
    String store;

    @Option(names = "--store-password-file", paramLabel = "FILE",
            description = "The database password (default: $" + PASSWORD_ENV + "; never in --store).")
    Path passwordFile;

    /** The store asked for; {@code fallback} when --store is not given; empty for {@code none}. */
    public Optional<StoreSettings> settings(Optional<String> fallback) {
        String url = store != null ? store.strip() : fallback.orElse("none");
        if (url.equals("none")) {
            return Optional.empty();
        }
        if (url.matches("(?i).*[?&;]password=.*")) {
            throw new InvalidInputException("--store: the URL carries a password; pass it with --store-password-file"
                    + " FILE or $" + PASSWORD_ENV + " (argv is visible to every user of the machine)");
        }
        Optional<String> password = passwordFile != null ? Optional.of(ClientSecurity.readToken(passwordFile))
                : Optional.ofNullable(System.getenv(PASSWORD_ENV)).filter(p -> !p.isEmpty());
        try {
            return Optional.of(new StoreSettings(url, Optional.empty(), password));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
