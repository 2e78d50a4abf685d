package io.phasegrid.worker.git;

import io.phasegrid.worker.executor.GitWork;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's one writer of the orchestrator files, in a worktree at the base with every phase result merged in
 * roadmap order: ticks the phases' ROADMAP boxes and advances STATE.md in one commit (or runs the operator's
 * {@code --git-integrate-command} per phase instead), runs the optional {@code --git-verify-command}, pushes the
 * result to the result ref and every input to {@code refs/heads/phasegrid/<run>/<phase>}, and for a fast-forward
 * delivery moves the base branch if it still points at the base.
 */
final class GitIntegration {

    private static final Logger log = LoggerFactory.getLogger(GitIntegration.class);
    static final String ROADMAP = ".planning/ROADMAP.md";
    static final String STATE = ".planning/STATE.md";

    private final GitOptions options;
    private final RepoCache cache;
    private final Path repo;
    private final Worktree worktree;

    GitIntegration(GitOptions options, RepoCache cache, Path repo, Worktree worktree) {
        this.options = options;
        this.cache = cache;
        this.repo = repo;
        this.worktree = worktree;
    }

    /** Integrates the merged inputs of {@code task} (its worktree is prepared); never charges tokens. */
    PhaseOutcome integrate(PhaseTask task) throws InterruptedException {
        GitWork git = task.git();
        if (options.integrateCommand() != null) {
            for (GitWork.Input input : git.inputs()) {
                OperatorCommand.Result result = OperatorCommand.run(options.integrateCommand(),
                        values(task, input), worktree.path(), options.commandTimeout());
                if (!result.ok()) {
                    return PhaseOutcome.failed(0, "integrate command for phase " + input.phaseKey() + " "
                            + result.describe());
                }
            }
        } else {
            rewrite(ROADMAP, text -> PlanningFiles.tickRoadmap(text, git.inputs()));
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            rewrite(STATE, text -> PlanningFiles.advanceState(text, task.runId(), git.inputs(), today));
        }
        worktree.commitAll("docs(phasegrid): integrate run " + task.runId());
        if (options.verifyCommand() != null) {
            OperatorCommand.Result verify = OperatorCommand.run(options.verifyCommand(), values(task, null),
                    worktree.path(), options.commandTimeout());
            if (!verify.ok()) {
                return PhaseOutcome.failed(0, "verify command " + verify.describe());
            }
        }
        String result = worktree.head();
        String url = git.repoUrl();
        cache.push(repo, url, result, git.checkpointRef());
        cache.push(repo, url, result, git.resultRef());
        for (GitWork.Input input : git.inputs()) {
            cache.push(repo, url, input.commit(), "refs/heads/phasegrid/" + task.runId() + "/" + input.phaseKey());
        }
        String note = git.fastForward() ? fastForward(git, result) : "";
        log.info("run {}: integrated {} phase(s) into {} ({}){}", task.runId(), git.inputs().size(), result,
                git.resultRef(), note.isEmpty() ? "" : "; " + note);
        return PhaseOutcome.succeeded(0, result, note, PhaseOutcome.NO_ACTION);
    }

    /** Moves the base branch to the result if it still points at the base; the delivery note either way. */
    private String fastForward(GitWork git, String result) throws InterruptedException {
        String branch = git.baseBranch();
        if (branch.isEmpty()) {
            return "no base branch given: not fast-forwarded, merge " + resultBranch(git) + " yourself";
        }
        Git.Result push = cache.gitFor(repo, git.repoUrl()).exec(null, "push", "-q", "--no-verify",
                "--force-with-lease=refs/heads/" + branch + ":" + git.baseCommit(), git.repoUrl(),
                result + ":refs/heads/" + branch);
        if (push.exitCode() == 0) {
            return branch + " fast-forwarded to " + result;
        }
        log.info("fast-forward of {} refused: {}", branch, push.stderr());
        if (push.stderr().contains("stale info") || push.stderr().contains("fetch first")
                || push.stderr().contains("non-fast-forward")) {
            return branch + " moved since the base: not fast-forwarded, merge " + resultBranch(git) + " yourself";
        }
        String reason = push.stderr().lines().filter(l -> !l.isBlank()).findFirst().orElse("push refused").strip();
        return branch + " not fast-forwarded (" + reason + "): merge " + resultBranch(git) + " yourself";
    }

    private static String resultBranch(GitWork git) {
        return git.resultRef().replaceFirst("^refs/heads/", "");
    }

    private static Map<String, String> values(PhaseTask task, GitWork.Input input) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("run", task.runId());
        values.put("repo", task.git().repoUrl());
        values.put("start_commit", task.git().startCommit());
        values.put("workspace", task.workspace().toString());
        if (input != null) {
            values.put("phase", input.phaseKey());
            values.put("phase_name", input.phaseName());
        }
        return values;
    }

    private void rewrite(String relative, UnaryOperator<String> change) {
        Path file = worktree.path().resolve(relative);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String updated = change.apply(text);
            if (!updated.equals(text)) {
                Files.writeString(file, updated, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + relative, e);
        }
    }
}
