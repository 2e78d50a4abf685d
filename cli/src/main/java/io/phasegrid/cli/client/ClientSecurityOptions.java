package io.phasegrid.cli.client;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.worker.security.ClientSecurity;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a client proves who it is: a bearer token ({@code --token-file}, else {@code PHASEGRID_TOKEN}, else
 * {@code PHASEGRID_TOKEN_FILE}) and the CA it trusts for TLS ({@code --tls-ca}, else {@code PHASEGRID_TLS_CA};
 * none = plaintext).
 */
public final class ClientSecurityOptions {

    public static final String TOKEN_ENV = "PHASEGRID_TOKEN";
    public static final String TOKEN_FILE_ENV = "PHASEGRID_TOKEN_FILE";
    public static final String TLS_CA_ENV = "PHASEGRID_TLS_CA";

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the bearer token (default: $" + TOKEN_ENV + ", else the file $" + TOKEN_FILE_ENV + ").")
    Path tokenFile;

    @Option(names = "--tls-ca", paramLabel = "PEM",
            description = "Connect with TLS, trusting this CA or certificate (default: $" + TLS_CA_ENV + "; none = plaintext).")
    Path tlsCa;

    @Option(names = "--tls-client-cert", paramLabel = "PEM", description = "Client certificate for mutual TLS.")
    Path clientCert;

    @Option(names = "--tls-client-key", paramLabel = "PEM", description = "Private key of --tls-client-cert.")
    Path clientKey;

    public ClientSecurity security() {
        Optional<String> token = token();
        Optional<Path> ca = Optional.ofNullable(tlsCa).or(() -> env(TLS_CA_ENV).map(Path::of));
        try {
            return new ClientSecurity(token, ca, Optional.ofNullable(clientCert), Optional.ofNullable(clientKey));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private Optional<String> token() {
        try {
            if (tokenFile != null) {
                return Optional.of(ClientSecurity.readToken(tokenFile));
            }
            Optional<String> fromEnv = env(TOKEN_ENV);
            if (fromEnv.isPresent()) {
                return fromEnv;
            }
            return env(TOKEN_FILE_ENV).map(f -> ClientSecurity.readToken(Path.of(f)));
        } catch (RuntimeException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
