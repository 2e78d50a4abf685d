package io.phasegrid.coordinator.auth;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a coordinator's gRPC server is secured: TLS (a server certificate, optionally client certificates checked
 * against a CA), and whether every call must carry a token ({@link AuthInterceptor}).
 *
 * @param tlsCert PEM certificate chain of the server; empty = plaintext
 * @param tlsKey PEM private key of {@code tlsCert}
 * @param clientCa PEM CA that client certificates are checked against (mutual TLS, optional for clients); empty =
 *     no client certificates
 * @param authenticate whether calls need a token
 * @param bootstrapTokenFile where to write a first admin token when the store holds none
 * @param localAdminToken a token to accept as admin {@code local} (the embedded {@code run}'s own clients)
 */
public record ServerSecurity(Optional<Path> tlsCert, Optional<Path> tlsKey, Optional<Path> clientCa,
        boolean authenticate, Optional<Path> bootstrapTokenFile, Optional<String> localAdminToken) {

    /** Plaintext, no authentication: in-process tests and the benchmarks. */
    public static final ServerSecurity NONE = new ServerSecurity(Optional.empty(), Optional.empty(), Optional.empty(),
            false, Optional.empty(), Optional.empty());

    public ServerSecurity {
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("a TLS certificate needs its key and a key its certificate");
        }
        if (clientCa.isPresent() && tlsCert.isEmpty()) {
            throw new IllegalArgumentException("client certificates need TLS (a server certificate and key)");
        }
    }

    /** Authenticated plaintext (loopback or a private network, {@code --insecure}). */
    public static ServerSecurity insecure(Optional<Path> bootstrapTokenFile) {
        return new ServerSecurity(Optional.empty(), Optional.empty(), Optional.empty(), true, bootstrapTokenFile,
                Optional.empty());
    }

    /** Authenticated TLS. */
    public static ServerSecurity tls(Path cert, Path key, Optional<Path> clientCa, Optional<Path> bootstrapTokenFile) {
        return new ServerSecurity(Optional.of(cert), Optional.of(key), clientCa, true, bootstrapTokenFile,
                Optional.empty());
    }

    /** The embedded run: plaintext on loopback, only {@code token} (admin {@code local}) accepted. */
    public static ServerSecurity local(String token) {
        return new ServerSecurity(Optional.empty(), Optional.empty(), Optional.empty(), true, Optional.empty(),
                Optional.of(token));
    }

    /** The transport credentials of the server. */
    public ServerCredentials credentials() throws IOException {
        if (tlsCert.isEmpty()) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                .keyManager(tlsCert.get().toFile(), tlsKey.get().toFile());
        if (clientCa.isPresent()) {
            tls.trustManager(clientCa.get().toFile()).clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
        }
        return tls.build();
    }
}
