package io.phasegrid.coordinator.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;

/**
 * The one check before any handler: the call's bearer token, or else its verified client certificate's CN, names a
 * live principal whose role may call the method ({@link MethodRules}). Otherwise the call ends UNAUTHENTICATED (no token, unknown or revoked token) or
 * PERMISSION_DENIED (wrong role), counted by method and principal. Handlers read the caller from {@link #PRINCIPAL}.
 */
public final class AuthInterceptor implements ServerInterceptor {

    /** The authenticated caller of the current call. */
    public static final Context.Key<Principal> PRINCIPAL = Context.key("phasegrid.principal");
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final String BEARER = "Bearer ";
    /** The principal label of a refusal without a known principal. */
    public static final String ANONYMOUS = "anonymous";

    /** Receives every refusal (a metric). */
    @FunctionalInterface
    public interface Refusals {
        Refusals NONE = (method, principal, code) -> { };

        void refused(String fullMethodName, String principal, Status.Code code);
    }

    private final Authenticator authenticator;
    private final MethodRules rules;
    private final Refusals refusals;

    public AuthInterceptor(Authenticator authenticator, MethodRules rules, Refusals refusals) {
        this.authenticator = authenticator;
        this.rules = rules;
        this.refusals = refusals;
    }

    /** The caller of the current call; {@link Principal#LOCAL_ADMIN} on a server without authentication. */
    public static Principal caller() {
        Principal principal = PRINCIPAL.get();
        return principal == null ? Principal.LOCAL_ADMIN : principal;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<MethodRules.Rule> rule = rules.rule(method);
        if (rule.isPresent() && rule.get().open()) {
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        Optional<Principal> principal;
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            principal = authenticator.authenticate(header.substring(BEARER.length()).strip());
            if (principal.isEmpty()) {
                return refuse(call, method, ANONYMOUS, Status.UNAUTHENTICATED.withDescription(
                        "unknown or revoked token"));
            }
        } else {
            Optional<ClientCertificates.Identity> certificate = ClientCertificates.identity(call.getAttributes());
            if (certificate.isEmpty()) {
                return refuse(call, method, ANONYMOUS, Status.UNAUTHENTICATED.withDescription(
                        "no credentials: send the metadata 'authorization: Bearer <token>'"
                                + " (phasegrid token create; the CLI reads PHASEGRID_TOKEN), or a client"
                                + " certificate signed by the coordinator's --tls-client-ca"));
            }
            principal = authenticator.authenticateCertificate(certificate.get().commonName(),
                    certificate.get().notBeforeMs());
            if (principal.isEmpty()) {
                return refuse(call, method, ANONYMOUS, Status.UNAUTHENTICATED.withDescription(
                        "the client certificate's CN names no live principal (phasegrid token create --name CN),"
                                + " or the certificate is older than that principal's token"));
            }
        }
        Principal caller = principal.get();
        if (rule.isEmpty() || !rule.get().allows(caller.role())) {
            return refuse(call, method, caller.name(), Status.PERMISSION_DENIED.withDescription(
                    "principal '" + caller.name() + "' (role " + caller.role().name().toLowerCase()
                            + ") may not call " + method));
        }
        return Contexts.interceptCall(Context.current().withValue(PRINCIPAL, caller), call, headers, next);
    }

    private <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, String method,
            String principal, Status status) {
        refusals.refused(method, principal, status.getCode());
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
