package io.phasegrid.coordinator.auth;

import java.util.List;
import java.util.Optional;

/** Where tokens live: created, revoked, listed, and looked up by digest on every call. */
public interface TokenStore {

    /** Stores a new token; false when a live token already has that name (nothing changes then). */
    boolean create(TokenRecord token);

    /** Removes the token named {@code name}; the removed token, or empty when there was none. */
    Optional<TokenRecord> revoke(String name);

    /** The token with this digest, if it is live. */
    Optional<TokenRecord> findByDigest(String digest);

    /** The live token named {@code name} (a client certificate's principal). */
    Optional<TokenRecord> findByName(String name);

    /** Every live token, sorted by name. */
    List<TokenRecord> list();
}
