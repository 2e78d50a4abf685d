package io.phasegrid.cli.client;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.phasegrid.worker.security.ClientSecurity;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --coordinator HOST:PORT} (defaults to {@code PHASEGRID_COORDINATOR}, then {@code localhost:7400}) and how
 * to reach it ({@link ClientSecurityOptions}).
 */
public final class CoordinatorOption {

    public static final String ENV = "PHASEGRID_COORDINATOR";
    public static final String DEFAULT = "localhost:7400";

    @Option(names = "--coordinator", paramLabel = "HOST:PORT",
            description = "Coordinator address (default: $" + ENV + ", else " + DEFAULT + ").")
    String address;

    @Mixin
    ClientSecurityOptions security;

    public String address() {
        if (address != null && !address.isBlank()) {
            return address.strip();
        }
        String fromEnv = System.getenv(ENV);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : DEFAULT;
    }

    /** The client's TLS and token. */
    public ClientSecurity clientSecurity() {
        return security.security();
    }

    /** A channel to the first address of a comma-separated list, with the client's TLS and token. */
    public ManagedChannel open() {
        String first = address().split(",")[0].strip();
        return Grpc.newChannelBuilder(first, clientSecurity().credentials())
                .maxInboundMessageSize(64 << 20)
                .build();
    }
}
