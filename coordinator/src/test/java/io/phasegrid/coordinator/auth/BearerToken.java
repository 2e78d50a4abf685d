package io.phasegrid.coordinator.auth;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Test call credentials: {@code authorization: Bearer TOKEN}. */
final class BearerToken extends CallCredentials {

    private final String token;

    private BearerToken(String token) {
        this.token = token;
    }

    static BearerToken of(String token) {
        return new BearerToken(token);
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, AuthInterceptor.BEARER + token);
        applier.apply(headers);
    }
}
