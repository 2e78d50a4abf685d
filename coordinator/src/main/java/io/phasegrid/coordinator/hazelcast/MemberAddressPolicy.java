package io.phasegrid.coordinator.hazelcast;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Hazelcast Community has no TLS between members: a member may only listen on an address of a private network
 * (loopback, RFC 1918, link-local, carrier-grade NAT 100.64/10 as WireGuard and Tailscale use, IPv6 unique local)
 * unless the operator explicitly accepts a public one.
 */
public final class MemberAddressPolicy {

    private MemberAddressPolicy() {
    }

    /** Whether {@code address} is on a private network. */
    public static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10
    }

    /** Fails with a message naming the address and the way out unless it is private or {@code allowPublic}. */
    public static void check(String host, boolean allowPublic) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + ": unknown host", e);
        }
        if (address.isAnyLocalAddress()) {
            if (!allowPublic) {
                throw new IllegalArgumentException("--host " + host + ": a Hazelcast member on every interface would"
                        + " be reachable from public networks without TLS; bind one private address, or pass"
                        + " --allow-public-member if a firewall keeps others out");
            }
            return;
        }
        if (!isPrivate(address) && !allowPublic) {
            throw new IllegalArgumentException("--host " + host + " (" + address.getHostAddress() + ") is a public"
                    + " address: Hazelcast members talk without TLS, so bind a private network (10/8, 172.16/12,"
                    + " 192.168/16, 100.64/10 of WireGuard or Tailscale, fc00::/7), or pass --allow-public-member if"
                    + " a firewall or NetworkPolicy keeps others out (docs/cluster.md, \"Network\")");
        }
    }
}
