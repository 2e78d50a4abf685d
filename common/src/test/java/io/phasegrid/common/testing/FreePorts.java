package io.phasegrid.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for test processes that must be told their port before they start (a worker's metrics port
 * that Prometheus scrapes, a coordinator's gRPC port).
 *
 * <p>A port handed out by {@code new ServerSocket(0)} comes from the kernel's ephemeral range, the same range
 * outgoing connections draw from: between the choice and the bind (tens of seconds for a worker started late in
 * a test) any gRPC or Hazelcast client connection on the machine may take it. Ports below that range are never
 * given to outgoing connections, so a port chosen there, checked free and not handed out twice by this JVM,
 * stays free unless another test JVM picks the same one at random.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int take() {
        int highest = ephemeralRangeStart() - 1;
        if (highest - LOWEST < 1_000) {
            return ephemeral();
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (HANDED_OUT.add(port)) {
                if (bindable(port)) {
                    return port;
                }
            }
        }
        return ephemeral();
    }

    private static boolean bindable(int port) {
        try (ServerSocket loopback = new ServerSocket()) {
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException taken) {
            return false;
        }
        try (ServerSocket wildcard = new ServerSocket()) { // Hazelcast and Prometheus may bind every interface
            wildcard.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int ephemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 49_152; // IANA's dynamic range, used by macOS and Windows
        }
    }
}
