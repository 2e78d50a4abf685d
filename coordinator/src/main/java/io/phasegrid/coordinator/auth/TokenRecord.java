package io.phasegrid.coordinator.auth;

import java.util.Objects;

/**
 * A stored token: never the secret, only its digest.
 *
 * @param name the principal's name
 * @param role its role
 * @param digest {@link TokenSecrets#digest} of the secret
 * @param createdAtMs when it was created
 */
public record TokenRecord(String name, Role role, String digest, long createdAtMs) {

    public TokenRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(digest, "digest");
    }

    public Principal principal() {
        return new Principal(name, role);
    }
}
