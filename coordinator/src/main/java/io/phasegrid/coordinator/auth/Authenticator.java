package io.phasegrid.coordinator.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns a bearer token into its principal, through a short cache: a call costs a digest and a map lookup in this
 * JVM, not a cluster round trip, and a revocation reaches every coordinator within {@link #CACHE_MS}.
 */
public final class Authenticator {

    /** How long a lookup (found or not) is trusted. */
    public static final long CACHE_MS = 5_000;
    private static final int MAX_CACHED = 10_000;

    private record Cached(Optional<Principal> principal, long expiresAtMs) {
    }

    private final TokenStore store;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public Authenticator(TokenStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    public Authenticator(TokenStore store) {
        this(store, System::currentTimeMillis);
    }

    /** The principal of {@code token}; empty for an unknown or revoked one. */
    public Optional<Principal> authenticate(String token) {
        if (token.length() > 256) {
            return Optional.empty();
        }
        String digest = TokenSecrets.digest(token);
        return cached(digest, () -> store.findByDigest(digest).map(TokenRecord::principal));
    }

    /** The cached answer for {@code key}, else {@code lookup}'s, kept for {@link #CACHE_MS}. */
    private Optional<Principal> cached(String key, Supplier<Optional<Principal>> lookup) {
        long now = clock.getAsLong();
        Cached cached = cache.get(key);
        if (cached != null && cached.expiresAtMs() > now) {
            return cached.principal();
        }
        Optional<Principal> principal = lookup.get();
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // unknown credentials sent by a scanner must not grow the cache without bound
        }
        cache.put(key, new Cached(principal, now + CACHE_MS));
        return principal;
    }

    /**
     * How much earlier than its principal's token a certificate may have been issued (clock skew, and the usual order
     * of creating the token, then signing the certificate): an older certificate of a name revoked and created again
     * does not come back with the new principal.
     */
    public static final long CERTIFICATE_SKEW_MS = 5 * 60_000;

    /**
     * The principal of a verified client certificate: the live token named as the certificate's subject CN (so
     * {@code phasegrid token create --name CN} makes the principal and {@code token revoke CN} ends it), provided
     * the certificate was issued no more than {@link #CERTIFICATE_SKEW_MS} before that token; empty otherwise.
     * Cached like tokens.
     */
    public Optional<Principal> authenticateCertificate(String commonName, long notBeforeMs) {
        if (commonName.length() > 128) {
            return Optional.empty();
        }
        // a digest is hex, so no token's key starts like this
        return cached("cn:" + notBeforeMs + ":" + commonName, () -> store.findByName(commonName)
                .filter(t -> notBeforeMs >= t.createdAtMs() - CERTIFICATE_SKEW_MS).map(TokenRecord::principal));
    }

    /** Forgets every cached lookup (a revocation on this member takes effect at once). */
    public void invalidate() {
        cache.clear();
    }
}
