package io.phasegrid.worker.security;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a client (worker or CLI) reaches a coordinator: TLS trusting {@code tlsCa} (else plaintext), optionally
 * with a client certificate, and a bearer token sent with every call.
 *
 * @param token the bearer token; empty = none
 * @param tlsCa PEM CA (or the server's own certificate) to trust; empty = plaintext
 * @param clientCert PEM certificate for mutual TLS; empty = none
 * @param clientKey its PEM private key
 */
public record ClientSecurity(Optional<String> token, Optional<Path> tlsCa, Optional<Path> clientCert,
        Optional<Path> clientKey) {

    /** Plaintext, no token. */
    public static final ClientSecurity NONE = new ClientSecurity(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public ClientSecurity {
        if (clientCert.isPresent() != clientKey.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key and a key its certificate");
        }
        if (clientCert.isPresent() && tlsCa.isEmpty()) {
            throw new IllegalArgumentException("a client certificate needs TLS (--tls-ca)");
        }
    }

    /** Plaintext with a token (loopback, the embedded run). */
    public static ClientSecurity token(String token) {
        return new ClientSecurity(Optional.of(token), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The token in {@code file} (first line, trimmed); a clear error when it is missing or empty. */
    public static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty() || token.contains("\n")) {
                throw new IllegalArgumentException(file + ": expected one token on one line");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the token: " + e.getMessage(), e);
        }
    }

    public ClientSecurity withToken(String newToken) {
        return new ClientSecurity(Optional.of(newToken), tlsCa, clientCert, clientKey);
    }

    /** The channel credentials: transport security plus the token. */
    public ChannelCredentials credentials() {
        ChannelCredentials transport;
        if (tlsCa.isEmpty()) {
            transport = InsecureChannelCredentials.create();
        } else {
            try {
                TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder()
                        .trustManager(tlsCa.get().toFile());
                if (clientCert.isPresent()) {
                    tls.keyManager(clientCert.get().toFile(), clientKey.get().toFile());
                }
                transport = tls.build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
            }
        }
        return token.<ChannelCredentials>map(t -> CompositeChannelCredentials.create(transport, new BearerToken(t)))
                .orElse(transport);
    }
}
