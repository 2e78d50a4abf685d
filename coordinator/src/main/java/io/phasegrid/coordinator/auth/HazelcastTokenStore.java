package io.phasegrid.coordinator.auth;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Tokens in two maps: {@code phasegrid.tokens} (name to record) and {@code phasegrid.tokendigests} (digest to
 * name, the lookup of every call). A record is written before its digest, so a token works only once it is
 * complete; revocation removes the digest first.
 */
public final class HazelcastTokenStore implements TokenStore {

    public static final String TOKENS = "phasegrid.tokens";
    public static final String DIGESTS = "phasegrid.tokendigests";

    /** name -> "ROLE createdAtMs digest": plain strings, readable by any member and from the durable store. */
    private final IMap<String, String> tokens;
    private final IMap<String, String> digests;

    public HazelcastTokenStore(HazelcastInstance hazelcast) {
        this.tokens = hazelcast.getMap(TOKENS);
        this.digests = hazelcast.getMap(DIGESTS);
    }

    @Override
    public boolean create(TokenRecord token) {
        if (tokens.putIfAbsent(token.name(), encode(token)) != null) {
            return false;
        }
        digests.set(token.digest(), token.name());
        return true;
    }

    @Override
    public Optional<TokenRecord> revoke(String name) {
        TokenRecord record = decode(name, tokens.get(name));
        if (record == null) {
            return Optional.empty();
        }
        digests.delete(record.digest());
        tokens.delete(name);
        return Optional.of(record);
    }

    @Override
    public Optional<TokenRecord> findByDigest(String digest) {
        String name = digests.get(digest);
        if (name == null) {
            return Optional.empty();
        }
        TokenRecord record = decode(name, tokens.get(name));
        return record != null && record.digest().equals(digest) ? Optional.of(record) : Optional.empty();
    }

    @Override
    public Optional<TokenRecord> findByName(String name) {
        return Optional.ofNullable(decode(name, tokens.get(name)));
    }

    @Override
    public List<TokenRecord> list() {
        return tokens.entrySet().stream().map(e -> decode(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(TokenRecord::name)).toList();
    }

    private static String encode(TokenRecord token) {
        return token.role().name() + " " + token.createdAtMs() + " " + token.digest();
    }

    private static TokenRecord decode(String name, String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(" ");
        return new TokenRecord(name, Role.valueOf(parts[0]), parts[2], Long.parseLong(parts[1]));
    }
}
