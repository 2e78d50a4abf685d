package io.phasegrid.cli.client;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import picocli.CommandLine.Option;

/** {@code --coordinator HOST:PORT}: defaults to {@code PHASEGRID_COORDINATOR}, then {@code localhost:7400}. */
public final class CoordinatorOption {

    public static final String ENV = "PHASEGRID_COORDINATOR";
    public static final String DEFAULT = "localhost:7400";

    @Option(names = "--coordinator", paramLabel = "HOST:PORT",
            description = "Coordinator address (default: $" + ENV + ", else " + DEFAULT + ").")
    String address;

    public String address() {
        if (address != null && !address.isBlank()) {
            return address.strip();
        }
        String fromEnv = System.getenv(ENV);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : DEFAULT;
    }

    /** A plaintext channel to the first address of a comma-separated list. */
    public ManagedChannel open() {
        String first = address().split(",")[0].strip();
        return Grpc.newChannelBuilder(first, InsecureChannelCredentials.create())
                .maxInboundMessageSize(64 << 20)
                .build();
    }
}
