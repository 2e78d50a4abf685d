package io.phasegrid.coordinator.grpc;

import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.auth.AuthInterceptor;
import io.phasegrid.coordinator.auth.Principal;
import io.phasegrid.coordinator.auth.TokenAdmin;
import io.phasegrid.coordinator.auth.TokenRecord;
import io.phasegrid.proto.v1.CreateTokenRequest;
import io.phasegrid.proto.v1.CreateTokenResponse;
import io.phasegrid.proto.v1.ListTokensRequest;
import io.phasegrid.proto.v1.ListTokensResponse;
import io.phasegrid.proto.v1.RevokeTokenRequest;
import io.phasegrid.proto.v1.Role;
import io.phasegrid.proto.v1.TokenInfo;
import io.phasegrid.proto.v1.TokenServiceGrpc;
import io.phasegrid.proto.v1.WhoAmIRequest;

/** TokenService: proto <-> {@link TokenAdmin}; the roles are checked before, by {@link AuthInterceptor}. */
public final class TokenGrpcService extends TokenServiceGrpc.TokenServiceImplBase {

    private final TokenAdmin tokens;

    public TokenGrpcService(TokenAdmin tokens) {
        this.tokens = tokens;
    }

    @Override
    public void createToken(CreateTokenRequest request, StreamObserver<CreateTokenResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            TokenAdmin.Created created = tokens.create(request.getName(), role(request.getRole()));
            return CreateTokenResponse.newBuilder().setInfo(info(created.record())).setToken(created.secret()).build();
        });
    }

    @Override
    public void revokeToken(RevokeTokenRequest request, StreamObserver<TokenInfo> responses) {
        GrpcCalls.unary(responses, () -> info(tokens.revoke(request.getName())));
    }

    @Override
    public void listTokens(ListTokensRequest request, StreamObserver<ListTokensResponse> responses) {
        GrpcCalls.unary(responses, () -> ListTokensResponse.newBuilder()
                .addAllTokens(tokens.list().stream().map(TokenGrpcService::info).toList()).build());
    }

    @Override
    public void whoAmI(WhoAmIRequest request, StreamObserver<TokenInfo> responses) {
        GrpcCalls.unary(responses, () -> {
            Principal caller = AuthInterceptor.caller();
            return TokenInfo.newBuilder().setName(caller.name()).setRole(toProto(caller.role())).build();
        });
    }

    static io.phasegrid.coordinator.auth.Role role(Role role) {
        return switch (role) {
            case ROLE_WORKER -> io.phasegrid.coordinator.auth.Role.WORKER;
            case ROLE_SUBMITTER -> io.phasegrid.coordinator.auth.Role.SUBMITTER;
            case ROLE_READER -> io.phasegrid.coordinator.auth.Role.READER;
            case ROLE_ADMIN -> io.phasegrid.coordinator.auth.Role.ADMIN;
            default -> throw new IllegalArgumentException("role: expected ROLE_WORKER, ROLE_SUBMITTER, ROLE_READER"
                    + " or ROLE_ADMIN");
        };
    }

    static Role toProto(io.phasegrid.coordinator.auth.Role role) {
        return switch (role) {
            case WORKER -> Role.ROLE_WORKER;
            case SUBMITTER -> Role.ROLE_SUBMITTER;
            case READER -> Role.ROLE_READER;
            case ADMIN -> Role.ROLE_ADMIN;
        };
    }

    private static TokenInfo info(TokenRecord record) {
        return TokenInfo.newBuilder().setName(record.name()).setRole(toProto(record.role()))
                .setCreatedAtMs(record.createdAtMs()).build();
    }
}
