package io.phasegrid.coordinator.service;

import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunSettings;
import java.util.List;
import java.util.Map;

/**
 * A request to start a run, translated from {@code SubmitRunRequest}.
 *
 * @param idempotencyKey the same key always returns the same run; empty = none
 * @param name display name; empty = derived from the roadmap
 * @param bundle a {@code .planning} bundle (path -> bytes), or null when {@code structured} is given
 * @param structured a structured roadmap, or null when {@code bundle} is given
 * @param settings run options with defaults filled in, except those config.json may set (see {@code fromConfig})
 * @param fromConfig option names the request left unset, to be taken from the bundle's config.json
 *     ({@code max_parallel}, {@code min_tokens_per_phase}, {@code schedule})
 * @param minTokensPerPhase tokens that must remain per running phase before another starts (ledger rule)
 * @param inferDependencies add inferred dependencies (plans, summaries, shared files)
 * @param git the repository and commit of a git run (its form checked); null for a plain run
 * @param owner the principal that submits: the run is its, and its idempotency keys are its own
 */
public record Submission(
        String idempotencyKey,
        String name,
        Map<String, byte[]> bundle,
        List<RunBlueprint.PhaseDef> structured,
        RunSettings settings,
        List<String> fromConfig,
        long minTokensPerPhase,
        boolean inferDependencies,
        GitRun git,
        String owner) {

    /** The owner of submissions that name none: {@code phasegrid run}'s, and a server without authentication's. */
    public static final String LOCAL_OWNER = "local";

    public Submission {
        fromConfig = List.copyOf(fromConfig);
        owner = owner == null || owner.isEmpty() ? LOCAL_OWNER : owner;
    }

    /** A run of {@link #LOCAL_OWNER}. */
    public Submission(String idempotencyKey, String name, Map<String, byte[]> bundle,
            List<RunBlueprint.PhaseDef> structured, RunSettings settings, List<String> fromConfig,
            long minTokensPerPhase, boolean inferDependencies, GitRun git) {
        this(idempotencyKey, name, bundle, structured, settings, fromConfig, minTokensPerPhase, inferDependencies,
                git, LOCAL_OWNER);
    }

    /** The same submission by {@code principal}. */
    public Submission ownedBy(String principal) {
        return new Submission(idempotencyKey, name, bundle, structured, settings, fromConfig, minTokensPerPhase,
                inferDependencies, git, principal);
    }

    /** A plain run. */
    public Submission(String idempotencyKey, String name, Map<String, byte[]> bundle,
            List<RunBlueprint.PhaseDef> structured, RunSettings settings, List<String> fromConfig,
            long minTokensPerPhase, boolean inferDependencies) {
        this(idempotencyKey, name, bundle, structured, settings, fromConfig, minTokensPerPhase, inferDependencies,
                null);
    }
}
