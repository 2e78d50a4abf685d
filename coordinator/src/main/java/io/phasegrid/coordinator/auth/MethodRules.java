package io.phasegrid.coordinator.auth;

import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthGrpc;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.TokenServiceGrpc;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which roles may call which method: one row per RPC (auth.proto states the same table). A method without a row
 * is refused to everyone, and {@code MethodRulesTest} fails for any served method that has none.
 */
public final class MethodRules {

    /** Who may call a method: nobody needs a token ({@link #open}), or a principal of one of {@link #roles}. */
    public record Rule(boolean open, Set<Role> roles) {

        public boolean allows(Role role) {
            return open || roles.contains(role);
        }
    }

    private static final Rule OPEN = new Rule(true, Set.of());
    private static final Set<Role> ANY = EnumSet.allOf(Role.class);
    private static final Set<Role> WORKERS = EnumSet.of(Role.WORKER, Role.ADMIN);
    private static final Set<Role> SUBMITTERS = EnumSet.of(Role.SUBMITTER, Role.ADMIN);
    private static final Set<Role> READERS = EnumSet.of(Role.SUBMITTER, Role.READER, Role.ADMIN);
    private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);
    private static final String REFLECTION = "grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
    private static final String REFLECTION_ALPHA = "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

    private final Map<String, Rule> rules = new HashMap<>();

    private MethodRules() {
        open(HealthGrpc.getCheckMethod());
        open(HealthGrpc.getWatchMethod());
        rules.put(REFLECTION, new Rule(false, ANY));
        rules.put(REFLECTION_ALPHA, new Rule(false, ANY));

        allow(SUBMITTERS, RunServiceGrpc.getSubmitMethod());
        allow(READERS, RunServiceGrpc.getGetRunMethod());
        allow(READERS, RunServiceGrpc.getListRunsMethod());
        allow(READERS, RunServiceGrpc.getWatchRunMethod());
        allow(SUBMITTERS, RunServiceGrpc.getCancelRunMethod());
        allow(SUBMITTERS, RunServiceGrpc.getRetryRunMethod());
        allow(SUBMITTERS, RunServiceGrpc.getSetRunBudgetMethod());

        allow(WORKERS, WorkerServiceGrpc.getRegisterMethod());
        allow(WORKERS, WorkerServiceGrpc.getPollLeaseMethod());
        allow(WORKERS, WorkerServiceGrpc.getHeartbeatMethod());
        allow(WORKERS, WorkerServiceGrpc.getSaveCheckpointMethod());
        allow(WORKERS, WorkerServiceGrpc.getCompletePhaseMethod());
        allow(WORKERS, WorkerServiceGrpc.getConnectMethod());
        allow(EnumSet.of(Role.WORKER, Role.READER, Role.ADMIN), WorkerServiceGrpc.getListWorkersMethod());

        allow(READERS, LedgerServiceGrpc.getGetLedgerMethod());
        allow(ADMINS, LedgerServiceGrpc.getSetBudgetMethod());
        allow(ADMINS, LedgerServiceGrpc.getTopUpMethod());

        allow(ADMINS, TokenServiceGrpc.getCreateTokenMethod());
        allow(ADMINS, TokenServiceGrpc.getRevokeTokenMethod());
        allow(ADMINS, TokenServiceGrpc.getListTokensMethod());
        allow(ANY, TokenServiceGrpc.getWhoAmIMethod());
    }

    private static final MethodRules DEFAULT = new MethodRules();

    public static MethodRules standard() {
        return DEFAULT;
    }

    private void open(MethodDescriptor<?, ?> method) {
        rules.put(method.getFullMethodName(), OPEN);
    }

    private void allow(Set<Role> roles, MethodDescriptor<?, ?> method) {
        rules.put(method.getFullMethodName(), new Rule(false, Set.copyOf(roles)));
    }

    /** The rule of a full method name ({@code phasegrid.v1.RunService/Submit}); empty when it has none. */
    public Optional<Rule> rule(String fullMethodName) {
        return Optional.ofNullable(rules.get(fullMethodName));
    }
}
