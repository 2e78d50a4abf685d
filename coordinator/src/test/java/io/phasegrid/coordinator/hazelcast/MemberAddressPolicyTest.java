package io.phasegrid.coordinator.hazelcast;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A member binds private networks only, unless the operator explicitly accepts a public address. */
class MemberAddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.5.6.7", "10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.10",
        "169.254.1.1", "100.64.0.1", "100.127.255.255", "::1", "fd12:3456::1", "fe80::1"})
    void privateAddressesAreAccepted(String host) {
        assertThatCode(() -> MemberAddressPolicy.check(host, false)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "100.128.0.1", "11.0.0.1", "2001:db8::1"})
    void publicAddressesAreRefusedNamingTheWayOut(String host) {
        assertThatThrownBy(() -> MemberAddressPolicy.check(host, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(host).hasMessageContaining("--allow-public-member");
        assertThatCode(() -> MemberAddressPolicy.check(host, true)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::"})
    void everyInterfaceIsRefusedUnlessAllowed(String host) {
        assertThatThrownBy(() -> MemberAddressPolicy.check(host, false))
                .hasMessageContaining("every interface");
        assertThatCode(() -> MemberAddressPolicy.check(host, true)).doesNotThrowAnyException();
    }
}
