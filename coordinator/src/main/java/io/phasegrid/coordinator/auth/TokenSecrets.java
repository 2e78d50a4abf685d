package io.phasegrid.coordinator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer token secrets: 256 random bits as {@code pgt_} + base64url, stored only as their SHA-256 digest. A token
 * has the entropy of a key, so a plain digest (no salt, no slow hash) is enough: it cannot be guessed, and a stolen
 * digest cannot be turned back into a token.
 */
public final class TokenSecrets {

    public static final String PREFIX = "pgt_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {
    }

    /** A new token. */
    public static String generate() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** The SHA-256 digest of a token, as 64 lowercase hex characters. */
    public static String digest(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
