package io.phasegrid.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache keeps its worktrees between leases: a given-back worktree is taken again, moved to the new branch and
 * commit with nothing of the last attempt left; one in use is never handed out twice.
 */
class WorktreePoolTest {

    @TempDir
    Path dir;

    @Test
    void aReturnedWorktreeIsReusedCleanOnTheNewBranchAndOneInUseIsNeverShared() throws Exception {
        Origin origin = Origin.create(dir);
        String first = origin.commit("first", "main");
        origin.write("second.txt", "second\n");
        String second = origin.commit("second", "main");
        RepoCache cache = new RepoCache(dir.resolve("cache"), Git.cli(),
                new GitCredentials(GitOptions.none().allowing(List.of(origin.url())), dir.resolve("helpers")));
        Path repo = cache.repository(origin.url());
        cache.fetch(repo, origin.url(), List.of(first, second), "run");

        RepoCache.Checkout a = cache.addWorktree(repo, "worktree-agent-pg/run/01/e1", first);
        RepoCache.Checkout b = cache.addWorktree(repo, "worktree-agent-pg/run/02/e1", second);
        assertThat(b.path()).as("a worktree in use is not handed out again").isNotEqualTo(a.path());
        Files.writeString(a.path().resolve("left-behind.txt"), "untracked\n");
        Files.writeString(a.path().resolve("README.md"), "modified\n");
        cache.removeWorktree(a);
        assertThat(Git.cli().in(repo).exec(null, "rev-parse", "--verify", "-q", "refs/heads/worktree-agent-pg/run/01/e1")
                .exitCode()).as("the attempt's branch is deleted").isNotZero();

        RepoCache.Checkout c = cache.addWorktree(repo, "worktree-agent-pg/run/03/e1", second);

        assertThat(c.path()).as("the returned worktree is reused").isEqualTo(a.path());
        assertThat(c.path().resolve("left-behind.txt")).doesNotExist();
        assertThat(Files.readString(c.path().resolve("README.md"))).isEqualTo("# demo\n");
        assertThat(c.path().resolve("second.txt")).exists();
        Git in = Git.cli().in(c.path());
        assertThat(in.run("rev-parse", "HEAD")).isEqualTo(second);
        assertThat(in.run("symbolic-ref", "--short", "HEAD")).isEqualTo("worktree-agent-pg/run/03/e1");
        assertThat(Files.isRegularFile(c.path().resolve(".git"))).as("a linked worktree, as GSD expects").isTrue();
        cache.removeWorktree(b);
        cache.removeWorktree(c);
    }
}
