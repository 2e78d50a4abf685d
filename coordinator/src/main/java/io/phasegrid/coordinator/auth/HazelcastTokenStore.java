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

    private final IMap<String, TokenRecord> tokens;
    private final IMap<String, String> digests;

    public HazelcastTokenStore(HazelcastInstance hazelcast) {
        this.tokens = hazelcast.getMap(TOKENS);
        this.digests = hazelcast.getMap(DIGESTS);
    }

    @Override
    public boolean create(TokenRecord token) {
        if (tokens.putIfAbsent(token.name(), token) != null) {
            return false;
        }
        digests.set(token.digest(), token.name());
        return true;
    }

    @Override
    public Optional<TokenRecord> revoke(String name) {
        TokenRecord record = tokens.get(name);
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
        TokenRecord record = tokens.get(name);
        return record != null && record.digest().equals(digest) ? Optional.of(record) : Optional.empty();
    }

    @Override
    public List<TokenRecord> list() {
        return tokens.values().stream().sorted(Comparator.comparing(TokenRecord::name)).toList();
    }
}
