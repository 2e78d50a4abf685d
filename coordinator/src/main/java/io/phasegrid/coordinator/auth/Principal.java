package io.phasegrid.coordinator.auth;

import java.util.Objects;

/**
 * Who is calling: the name of an authenticated token and its role.
 *
 * @param name the token's name, unique among live tokens
 * @param role what it may do
 */
public record Principal(String name, Role role) {

    /** The embedded {@code run}'s own principal, and the identity of calls on a server without authentication. */
    public static final Principal LOCAL_ADMIN = new Principal("local", Role.ADMIN);

    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
