package io.phasegrid.coordinator.auth;

import com.hazelcast.core.HazelcastInstance;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * Authentication as one coordinator installs it: the token store on the cluster, the interceptor every call
 * passes, the token administration behind TokenService, and the start-up duties (a first admin token, the embedded
 * run's own token).
 */
public final class CoordinatorAuth {

    private final TokenAdmin admin;
    private final List<ServerInterceptor> interceptors;

    private CoordinatorAuth(TokenAdmin admin, List<ServerInterceptor> interceptors) {
        this.admin = admin;
        this.interceptors = interceptors;
    }

    public static CoordinatorAuth install(HazelcastInstance hazelcast, ServerSecurity security, Clock clock,
            AuthInterceptor.Refusals refusals) throws IOException {
        TokenStore store = new HazelcastTokenStore(hazelcast);
        Authenticator authenticator = new Authenticator(store);
        TokenAdmin admin = new TokenAdmin(store, authenticator, clock::millis);
        if (!security.authenticate()) {
            return new CoordinatorAuth(admin, List.of());
        }
        if (security.localAdminToken().isPresent()) {
            store.revoke(Principal.LOCAL_ADMIN.name()); // an earlier process's token (run --resume) is dead
            store.create(new TokenRecord(Principal.LOCAL_ADMIN.name(), Role.ADMIN,
                    TokenSecrets.digest(security.localAdminToken().get()), clock.millis()));
        }
        if (security.bootstrapTokenFile().isPresent()) {
            admin.bootstrap(security.bootstrapTokenFile().get());
        }
        return new CoordinatorAuth(admin, List.of(new AuthInterceptor(authenticator, MethodRules.standard(),
                refusals)));
    }

    /** What TokenService administers. */
    public TokenAdmin admin() {
        return admin;
    }

    /** The interceptors every call passes first: none without authentication. */
    public List<ServerInterceptor> interceptors() {
        return interceptors;
    }
}
