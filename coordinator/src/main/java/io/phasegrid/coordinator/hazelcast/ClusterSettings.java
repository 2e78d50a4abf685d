package io.phasegrid.coordinator.hazelcast;

import java.util.List;
import java.util.Objects;

/**
 * How a coordinator's embedded Hazelcast member joins its cluster. Immutable; {@link #builder()} fills defaults:
 * cluster name {@code phasegrid}, bind address 127.0.0.1, port 5701 with auto-increment, no other members.
 *
 * @param clusterName members with the same name form one cluster
 * @param bindAddress the interface the member listens on (loopback by default)
 * @param port the first port tried
 * @param portAutoIncrement try the following ports when {@code port} is taken
 * @param members other members to join, {@code host:port} (TCP/IP join; multicast is never used)
 */
public record ClusterSettings(String clusterName, String bindAddress, int port, boolean portAutoIncrement,
        List<String> members) {

    public static final String DEFAULT_CLUSTER_NAME = "phasegrid";
    public static final int DEFAULT_PORT = 5701;

    public ClusterSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(bindAddress, "bindAddress");
        members = List.copyOf(members);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fills defaults; every setter returns the builder. */
    public static final class Builder {
        private String clusterName = DEFAULT_CLUSTER_NAME;
        private String bindAddress = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private boolean portAutoIncrement = true;
        private List<String> members = List.of();

        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        public Builder bindAddress(String address) {
            this.bindAddress = address;
            return this;
        }

        public Builder port(int firstPort) {
            this.port = firstPort;
            return this;
        }

        public Builder portAutoIncrement(boolean autoIncrement) {
            this.portAutoIncrement = autoIncrement;
            return this;
        }

        public Builder members(List<String> others) {
            this.members = others;
            return this;
        }

        public ClusterSettings build() {
            return new ClusterSettings(clusterName, bindAddress, port, portAutoIncrement, members);
        }
    }
}
