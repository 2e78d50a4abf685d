package io.phasegrid.cli.cluster;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.coordinator.auth.ServerSecurity;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code phasegrid coordinator}'s transport and authentication: TLS ({@code --tls-cert/--tls-key}, optionally
 * {@code --tls-client-ca}) or, only when asked, plaintext ({@code --insecure}); bearer tokens always.
 */
public final class ServerSecurityOptions {

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "The server's TLS certificate chain (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM",
            description = "Also accept client certificates signed by this CA (mutual TLS, optional for clients).")
    Path clientCa;

    @Option(names = "--insecure", description = "Serve gRPC in plaintext (loopback or a private network only).")
    boolean insecure;

    @Option(names = "--bootstrap-token-file", paramLabel = "FILE",
            description = "On a cluster with no admin token yet, write a new admin token to FILE (mode 0600).")
    Path bootstrapTokenFile;

    public ServerSecurity security() {
        Optional<Path> bootstrap = Optional.ofNullable(bootstrapTokenFile);
        if (insecure) {
            if (tlsCert != null || tlsKey != null || clientCa != null) {
                throw new InvalidInputException("--insecure and --tls-cert/--tls-key/--tls-client-ca exclude each other");
            }
            return ServerSecurity.insecure(bootstrap);
        }
        if (tlsCert == null || tlsKey == null) {
            throw new InvalidInputException("the coordinator needs TLS (--tls-cert PEM --tls-key PEM), or --insecure"
                    + " to serve plaintext on a trusted network");
        }
        return ServerSecurity.tls(tlsCert, tlsKey, Optional.ofNullable(clientCa), bootstrap);
    }
}
