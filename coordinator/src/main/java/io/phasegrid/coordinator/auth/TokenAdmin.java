package io.phasegrid.coordinator.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The token domain service: create, revoke, list, and the first admin token of an empty store. */
public final class TokenAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TokenAdmin.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The name of the admin token {@link #bootstrap} creates. */
    public static final String BOOTSTRAP_NAME = "bootstrap-admin";

    /** A token just created: its record and its secret, shown once. */
    public record Created(TokenRecord record, String secret) {
    }

    /** A token name that is already taken. */
    public static final class NameTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NameTaken(String name) {
            super("a token named '" + name + "' exists: revoke it first (phasegrid token revoke " + name + ")");
        }
    }

    /** A token name that names no token. */
    public static final class UnknownToken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownToken(String name) {
            super("no token named '" + name + "'");
        }
    }

    private final TokenStore store;
    private final Authenticator authenticator;
    private final LongSupplier clock;

    public TokenAdmin(TokenStore store, Authenticator authenticator, LongSupplier clock) {
        this.store = store;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    public Created create(String name, Role role) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name '" + name.substring(0, Math.min(name.length(), 64))
                    + "': expected 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        String secret = TokenSecrets.generate();
        TokenRecord record = new TokenRecord(name, role, TokenSecrets.digest(secret), clock.getAsLong());
        if (!store.create(record)) {
            throw new NameTaken(name);
        }
        authenticator.invalidate(); // a certificate of this name refused a moment ago works at once here
        return new Created(record, secret);
    }

    /** Revokes {@code name}; an admin's last admin token cannot be revoked (the cluster would lock itself out). */
    public TokenRecord revoke(String name) {
        TokenRecord record = store.list().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownToken(name));
        if (record.role() == Role.ADMIN && store.list().stream().filter(t -> t.role() == Role.ADMIN).count() == 1) {
            throw new IllegalStateException("'" + name + "' is the last admin token: create another admin first");
        }
        TokenRecord revoked = store.revoke(name).orElseThrow(() -> new UnknownToken(name));
        authenticator.invalidate();
        return revoked;
    }

    public List<TokenRecord> list() {
        return store.list();
    }

    /**
     * On a store without an admin token, creates {@link #BOOTSTRAP_NAME} and writes its secret to {@code file}
     * (mode 0600, refusing to overwrite a file); otherwise changes nothing. The created record, if any.
     */
    public Optional<TokenRecord> bootstrap(Path file) throws IOException {
        if (store.list().stream().anyMatch(t -> t.role() == Role.ADMIN)) {
            return Optional.empty();
        }
        Created created;
        try {
            created = create(BOOTSTRAP_NAME, Role.ADMIN);
        } catch (NameTaken e) {
            return Optional.empty(); // another member bootstrapped at the same moment
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            store.revoke(BOOTSTRAP_NAME);
            throw new IOException(file + " exists: refusing to overwrite it with a new admin token", e);
        }
        Files.writeString(file, created.secret() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        LOG.info("no admin token yet: created '{}' and wrote its token to {}", BOOTSTRAP_NAME, file);
        return Optional.of(created.record());
    }
}
