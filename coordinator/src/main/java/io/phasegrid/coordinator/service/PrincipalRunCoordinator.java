package io.phasegrid.coordinator.service;

import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.submit.ClientText;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The runs as one principal uses them ({@link RunCoordinator#as}): what it submits is owned by it, and unless it
 * sees every run it reaches only its own; another's run and an unknown id both answer {@link RunAccessDenied}.
 */
final class PrincipalRunCoordinator implements RunCoordinator {

    private final RunCoordinator runs;
    private final String principal;
    private final boolean seesEveryRun;

    PrincipalRunCoordinator(RunCoordinator runs, String principal, boolean seesEveryRun) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.principal = Objects.requireNonNull(principal, "principal");
        this.seesEveryRun = seesEveryRun;
    }

    @Override
    public RunCoordinator as(String otherPrincipal, boolean otherSeesEveryRun) {
        return runs.as(otherPrincipal, otherSeesEveryRun);
    }

    @Override
    public SubmitResult submit(Submission submission) {
        return runs.submit(submission.ownedBy(principal));
    }

    /** The run id, once the principal may use that run. */
    private String mine(String runId) {
        if (seesEveryRun) {
            return runId;
        }
        String owner;
        try {
            owner = runs.owner(runId);
        } catch (RunNotFoundException e) {
            owner = null;
        }
        if (!principal.equals(owner)) {
            throw new RunAccessDenied("no run '" + ClientText.quote(String.valueOf(runId)) + "' of principal '"
                    + principal + "': a submitter reaches only the runs it submitted");
        }
        return runId;
    }

    @Override
    public RunView get(String runId) {
        return runs.get(mine(runId));
    }

    @Override
    public List<RunView> list(Set<RunState> states, int limit) {
        return page(states, limit > 0 ? limit : RunPager.MAX_PAGE_SIZE, "").runs();
    }

    @Override
    public RunPage page(Set<RunState> states, int pageSize, String pageToken) {
        return runs.page(states, pageSize, pageToken, seesEveryRun ? null : principal);
    }

    @Override
    public RunPage page(Set<RunState> states, int pageSize, String pageToken, String owner) {
        return runs.page(states, pageSize, pageToken, seesEveryRun ? owner : principal);
    }

    @Override
    public String owner(String runId) {
        return runs.owner(mine(runId));
    }

    @Override
    public WatchHandle watch(String runId, RunWatch watch) {
        return runs.watch(mine(runId), watch);
    }

    @Override
    public RunView cancel(String runId) {
        return runs.cancel(mine(runId));
    }

    @Override
    public RunView retry(String runId) {
        return runs.retry(mine(runId));
    }

    @Override
    public RunView retry(String runId, Map<String, String> resolutions) {
        return runs.retry(mine(runId), resolutions);
    }

    @Override
    public RunView setBudget(String runId, long budgetTokens) {
        return runs.setBudget(mine(runId), budgetTokens);
    }
}
