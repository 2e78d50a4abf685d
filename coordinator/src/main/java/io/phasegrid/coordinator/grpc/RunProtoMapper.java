package io.phasegrid.coordinator.grpc;

import static io.phasegrid.common.settings.RunSettings.DEFAULT_MIN_TOKENS_PER_PHASE;
import static io.phasegrid.proto.v1.Schedule.SCHEDULE_EAGER;
import static io.phasegrid.proto.v1.Schedule.SCHEDULE_WAVES;

import com.google.protobuf.ByteString;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.settings.RunSettingsResolver;
import io.phasegrid.common.settings.Schedule;
import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RetryPolicy;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunEvent;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.service.RunView;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.submit.ClientText;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.PhaseChanged;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunChanged;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.RunTokens;
import io.phasegrid.proto.v1.SourceLocation;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.SubmitRunResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates RunService messages to the domain and back; no logic beyond defaults of unset fields. One rule for
 * values: 0 (or UNSPECIFIED) takes the default; a negative number or an enum value this server does not know is an
 * {@link IllegalArgumentException} (INVALID_ARGUMENT), never replaced by a default.
 */
final class RunProtoMapper {

    private RunProtoMapper() {
    }

    /** @throws IllegalArgumentException for values out of range (INVALID_ARGUMENT) */
    static Submission submission(SubmitRunRequest request) {
        RunRequestLimits.submit(request);
        RunOptions options = request.getOptions();
        List<String> fromConfig = new ArrayList<>();
        RunSettings.Builder settings = RunSettings.builder()
                .includeComplete(options.getIncludeComplete())
                .includeBacklog(options.getIncludeBacklogList())
                .budgetTokens(nonNegative(options.getBudgetTokens(), "options.budget_tokens"))
                .retry(retry(options));
        if (options.getMaxParallel() > 0) {
            settings.maxParallel(options.getMaxParallel());
        } else if (options.getMaxParallel() < 0) {
            throw new IllegalArgumentException("options.max_parallel must not be negative");
        } else {
            fromConfig.add(RunSettingsResolver.MAX_PARALLEL);
        }
        switch (options.getSchedule()) {
            case SCHEDULE_EAGER -> settings.schedule(Schedule.EAGER);
            case SCHEDULE_WAVES -> settings.schedule(Schedule.WAVES);
            case SCHEDULE_UNSPECIFIED -> fromConfig.add(RunSettingsResolver.SCHEDULE);
            default -> throw new IllegalArgumentException("options.schedule: unknown value "
                    + options.getScheduleValue() + " (expected SCHEDULE_UNSPECIFIED, SCHEDULE_EAGER or SCHEDULE_WAVES)");
        }
        long minTokens = nonNegative(options.getMinTokensPerPhase(), "options.min_tokens_per_phase");
        if (minTokens == 0) {
            fromConfig.add(RunSettingsResolver.MIN_TOKENS_PER_PHASE);
            minTokens = DEFAULT_MIN_TOKENS_PER_PHASE;
        }
        Map<String, byte[]> bundle = null;
        List<RunBlueprint.PhaseDef> structured = null;
        switch (request.getRoadmapCase()) {
            case BUNDLE -> {
                bundle = new LinkedHashMap<>();
                for (BundleFile file : request.getBundle().getFilesList()) {
                    if (bundle.put(file.getPath(), file.getContent().toByteArray()) != null) {
                        throw new IllegalArgumentException("bundle path '" + ClientText.quote(file.getPath())
                                + "' listed twice");
                    }
                }
            }
            case STRUCTURED -> {
                structured = new ArrayList<>();
                for (StructuredPhase phase : request.getStructured().getPhasesList()) {
                    List<RunBlueprint.PlanRef> plans = phase.getPlansList().stream()
                            .map(id -> new RunBlueprint.PlanRef(id, "")).toList();
                    structured.add(new RunBlueprint.PhaseDef(phase.getKey(), phase.getName(),
                            phase.getEstimatedTokens(), phase.getDependsOnList(), phase.getComplete(), plans));
                }
            }
            default -> {
                // neither: the domain refuses it (INVALID_ARGUMENT, no roadmap)
            }
        }
        GitRun git = null;
        if (request.hasGit()) {
            if (request.getRoadmapCase() == SubmitRunRequest.RoadmapCase.STRUCTURED) {
                throw new IllegalArgumentException("git: a git run needs a bundle roadmap (the .planning tree as of "
                        + "git.base_commit), not a structured one");
            }
            git = GitForms.source(request.getGit());
        }
        return new Submission(request.getIdempotencyKey(), request.getName(), bundle, structured, settings.build(),
                fromConfig, minTokens, !options.getNoInfer(), git);
    }

    private static RetryPolicy retry(RunOptions options) {
        if (!options.hasRetry()) {
            return RetryPolicy.DEFAULT;
        }
        var r = options.getRetry();
        RetryPolicy d = RetryPolicy.DEFAULT;
        return new RetryPolicy(
                r.getMaxAttempts() > 0 ? r.getMaxAttempts() : d.maxAttempts(),
                r.getInitialBackoffMs() > 0 ? r.getInitialBackoffMs() : d.initialBackoffMs(),
                r.getBackoffMultiplier() > 0 ? r.getBackoffMultiplier() : d.multiplier(),
                r.getMaxBackoffMs() > 0 ? r.getMaxBackoffMs() : d.maxBackoffMs());
    }

    /** The states of a ListRuns filter; UNSPECIFIED and values this server does not know are refused. */
    static Set<io.phasegrid.coordinator.run.RunState> runStates(List<Integer> values) {
        Set<io.phasegrid.coordinator.run.RunState> states = EnumSet.noneOf(io.phasegrid.coordinator.run.RunState.class);
        for (int value : values) {
            RunState state = RunState.forNumber(value);
            if (state == null || state == RunState.RUN_STATE_UNSPECIFIED) {
                throw new IllegalArgumentException("states: unknown run state " + value
                        + " (expected RUN_QUEUED to RUN_CANCELLED)");
            }
            states.add(runState(state));
        }
        return states;
    }

    private static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    static Run run(RunView view) {
        Run.Builder run = Run.newBuilder()
                .setRunId(view.runId())
                .setName(view.name())
                .setIdempotencyKey(view.idempotencyKey())
                .setOwner(view.owner())
                .setState(runState(view.state()))
                .setPauseReason(view.pauseReason())
                .setCreatedAtMs(view.createdAtMs())
                .setStartedAtMs(view.startedAtMs())
                .setFinishedAtMs(view.finishedAtMs())
                .setTokens(RunTokens.newBuilder().setBudget(view.tokensBudget()).setReserved(view.tokensReserved())
                        .setUsed(view.tokensUsed()))
                .setMaxParallelism(view.maxParallelism())
                .setFallbacks(view.fallbacks())
                .setOptions(options(view));
        int integration = view.git() == null ? -1 : view.phases().size() - 1;
        for (int k = 0; k < view.phases().size(); k++) {
            PhaseView phase = view.phases().get(k);
            RunPhase mapped = phase(phase);
            if (k == integration) {
                run.setGit(GitProtoMapper.runGit(view, mapped, phase));
            } else {
                run.addPhases(mapped);
            }
        }
        return run.build();
    }

    private static RunPhase phase(PhaseView phase) {
        return RunPhase.newBuilder()
                .setKey(phase.key())
                .setName(phase.name())
                .setState(phaseState(phase.state()))
                .setAttempts(phase.attempts())
                .setRequeues(phase.requeues())
                .setWorker(phase.worker())
                .setStartedAtMs(phase.startedAtMs())
                .setFinishedAtMs(phase.finishedAtMs())
                .setTokens(phase.tokens())
                .setReason(phase.reason())
                .setEstimatedTokens(phase.estimatedTokens())
                .addAllDependsOn(phase.dependsOn())
                .addAllInferredDependsOn(phase.inferredDependsOn())
                .setResultCommit(phase.resultCommit())
                .addAllConflictPaths(phase.conflictPaths())
                .build();
    }

    private static RunOptions options(RunView view) {
        RunSettings s = view.settings();
        RunOptions.Builder options = RunOptions.newBuilder()
                .setMaxParallel(s.maxParallel())
                .setBudgetTokens(s.budgetTokens())
                .setSchedule(s.schedule() == Schedule.WAVES ? SCHEDULE_WAVES : SCHEDULE_EAGER)
                .setIncludeComplete(s.includeComplete())
                .addAllIncludeBacklog(s.includeBacklog())
                .setMinTokensPerPhase(view.minTokensPerPhase());
        options.getRetryBuilder()
                .setMaxAttempts(s.retry().maxAttempts())
                .setInitialBackoffMs(s.retry().initialBackoffMs())
                .setBackoffMultiplier(s.retry().multiplier())
                .setMaxBackoffMs(s.retry().maxBackoffMs());
        return options.build();
    }

    /** Domain and proto enums share their order; proto numbers start at 1. */
    static RunState runState(io.phasegrid.coordinator.run.RunState state) {
        return RunState.forNumber(state.ordinal() + 1);
    }

    static io.phasegrid.coordinator.run.RunState runState(RunState state) {
        int index = state.getNumber() - 1;
        if (index < 0 || index >= io.phasegrid.coordinator.run.RunState.values().length) {
            throw new IllegalArgumentException("unknown run state " + state);
        }
        return io.phasegrid.coordinator.run.RunState.values()[index];
    }

    static PhaseState phaseState(io.phasegrid.coordinator.run.PhaseState state) {
        return PhaseState.forNumber(state.ordinal() + 1);
    }

    static io.phasegrid.proto.v1.RunEvent event(String runId, RunEvent event) {
        io.phasegrid.proto.v1.RunEvent.Builder proto = io.phasegrid.proto.v1.RunEvent.newBuilder()
                .setRunId(runId).setSequence(event.sequence()).setAtMs(event.atMs());
        if (event instanceof RunEvent.PhaseChanged p) {
            proto.setPhaseChanged(PhaseChanged.newBuilder().setKey(p.key()).setState(phaseState(p.state()))
                    .setAttempt(p.attempt()).setWorker(p.worker()).setReason(p.reason()).setTokens(p.tokens()));
        } else if (event instanceof RunEvent.RunChanged r) {
            proto.setRunChanged(RunChanged.newBuilder().setState(runState(r.state())).setPauseReason(r.pauseReason()));
        }
        return proto.build();
    }

    /** The analysis warnings of a submission, in order. */
    static void addWarnings(SubmitRunResponse.Builder response, List<Problem> warnings) {
        for (Problem p : warnings) {
            response.addWarningsBuilder()
                    .setLocation(SourceLocation.newBuilder().setFile(p.source().file()).setLine(p.source().line()))
                    .setCode(p.code().name())
                    .setMessage(p.message());
        }
    }

    static ByteString bytes(byte[] value) {
        return value == null ? ByteString.EMPTY : ByteString.copyFrom(value);
    }
}
