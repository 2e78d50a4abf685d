package io.phasegrid.cli.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.proto.v1.Delivery;
import io.phasegrid.worker.git.Git;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's view of a GSD project's repository, on real repositories in a temporary folder. */
class ProjectRepositoryTest {

    @TempDir
    Path dir;

    Path project;
    Git git;

    @BeforeEach
    void createProject() throws Exception {
        project = dir.resolve("project");
        write(".planning/ROADMAP.md", "# Roadmap\n\n### Phase 1: One\n**Depends on**: Nothing\n");
        write(".planning/phases/01-one/01-01-PLAN.md", "---\nwave: 1\n---\nbody\n");
        write("src/app.txt", "app\n");
        git = Git.cli().in(project).withEnv(java.util.Map.of("GIT_CONFIG_GLOBAL", "/dev/null"));
        git.run("init", "-q", "-b", "main");
        commitAll("plan");
    }

    private void write(String path, String content) throws Exception {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private String commitAll(String message) throws Exception {
        git.run("add", "-A");
        git.run("commit", "-q", "-m", message);
        return git.run("rev-parse", "HEAD");
    }

    @Test
    void aProjectRootAtTheTopOfAWorkTreeIsAGitProjectFromEachOfItsPaths() throws Exception {
        assertThat(ProjectRepository.of(project)).isPresent();
        assertThat(ProjectRepository.of(project.resolve(".planning"))).isPresent();
        assertThat(ProjectRepository.of(project.resolve(".planning/ROADMAP.md"))).as("a bare ROADMAP.md").isEmpty();
        assertThat(ProjectRepository.of(project).orElseThrow().fileUrl()).startsWith("file:///").endsWith("/project");
    }

    @Test
    void aPlanningFolderNestedInsideAnotherRepositoryIsNotAGitProject() throws Exception {
        Path nested = project.resolve("examples/demo/.planning");
        Files.createDirectories(nested);
        Files.writeString(nested.resolve("ROADMAP.md"), "# Roadmap\n");
        commitAll("an example");

        assertThat(ProjectRepository.of(project.resolve("examples/demo"))).isEmpty();
        assertThat(ProjectRepository.of(dir)).as("no .planning, no git").isEmpty();
    }

    @Test
    void theRoadmapIsReadFromTheBaseCommitNotFromTheWorkingTree() throws Exception {
        ProjectRepository repository = ProjectRepository.of(project).orElseThrow();
        String base = repository.commit("HEAD");
        write(".planning/ROADMAP.md", "# Changed, not committed\n");
        write(".planning/phases/02-two/02-01-PLAN.md", "untracked\n");
        write("src/app.txt", "changed\n");
        StringWriter warnings = new StringWriter();

        try (GitSubmission submission = GitSubmission.prepare(repository, "HEAD", "file:///srv/p.git",
                Delivery.DELIVERY_FAST_FORWARD, new PrintWriter(warnings, true))) {
            assertThat(Files.readString(submission.planning().resolve("ROADMAP.md"))).startsWith("# Roadmap");
            assertThat(submission.planning().resolve("phases/02-two")).doesNotExist();
            assertThat(submission.planning().resolve("phases/01-one/01-01-PLAN.md")).exists();
            assertThat(submission.source().getBaseCommit()).isEqualTo(base).matches("[0-9a-f]{40}");
            assertThat(submission.source().getBaseBranch()).isEqualTo("main");
            assertThat(submission.source().getRepoUrl()).isEqualTo("file:///srv/p.git");
        }
        assertThat(warnings.toString()).contains("3 uncommitted changes", ".planning/ROADMAP.md",
                ".planning/phases/02-two/02-01-PLAN.md", "src/app.txt", base);
    }

    @Test
    void aCommitWithoutAPlanningFolderOrAnUnknownRevisionIsRefusedNamingIt() throws Exception {
        ProjectRepository repository = ProjectRepository.of(project).orElseThrow();
        assertThatThrownBy(() -> repository.commit("no-such-branch"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'no-such-branch' is not a commit");
        git.run("checkout", "-q", "--orphan", "empty");
        git.run("rm", "-q", "-r", "--cached", ".");
        Files.writeString(project.resolve("other.txt"), "x\n");
        git.run("add", "other.txt");
        git.run("commit", "-q", "-m", "no roadmap");
        String bare = repository.commit("HEAD");

        assertThatThrownBy(() -> GitSubmission.prepare(repository, bare, "file:///x", Delivery.DELIVERY_BRANCH,
                new PrintWriter(new StringWriter())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no .planning folder");
    }

    @Test
    void theBaseMustBeOnTheRemoteAndTheDefaultRemoteIsTheTrackedOne() throws Exception {
        ProjectRepository repository = ProjectRepository.of(project).orElseThrow();
        assertThatThrownBy(repository::trackedRemoteUrl).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--repo URL");
        Path bare = dir.resolve("served.git");
        Git.cli().run("init", "-q", "--bare", bare.toString());
        String url = bare.toUri().toString();
        git.run("remote", "add", "origin", url);
        git.run("push", "-q", "-u", "origin", "main");
        String pushed = repository.commit("HEAD");
        write("src/later.txt", "later\n");
        String local = commitAll("not pushed");

        assertThat(repository.trackedRemoteUrl()).isEqualTo(url);
        repository.requireOnRemote(url, pushed);
        git.run("commit", "-q", "--allow-empty", "-m", "another");
        git.run("push", "-q", "origin", "main");
        repository.requireOnRemote(url, local); // an ancestor of the remote's tip
        git.run("checkout", "-q", "-b", "side", pushed);
        git.run("commit", "-q", "--allow-empty", "-m", "side only");
        String sideOnly = repository.commit("HEAD");
        assertThatThrownBy(() -> repository.requireOnRemote(url, sideOnly))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not on it");
        assertThatThrownBy(() -> repository.requireOnRemote(dir.resolve("missing.git").toUri().toString(), pushed))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot list its refs");
    }

    @Test
    void theCheckoutIsFastForwardedOnlyWhenCleanOnTheBranchAndStillAtTheBase() throws Exception {
        ProjectRepository repository = ProjectRepository.of(project).orElseThrow();
        String base = repository.commit("HEAD");
        git.run("checkout", "-q", "-b", "phasegrid/r1/result");
        write("src/result.txt", "result\n");
        String result = commitAll("result");
        git.run("checkout", "-q", "main");

        write("src/app.txt", "edited\n");
        assertThat(repository.fastForward("main", base, result)).contains("uncommitted changes");
        git.run("checkout", "-q", "--", "src/app.txt");
        assertThat(repository.fastForward("other", base, result)).contains("not on other");
        assertThat(repository.fastForward("main", result, result)).contains("moved since the base");

        assertThat(repository.fastForward("main", base, result)).isEqualTo("main fast-forwarded to " + result);
        assertThat(repository.commit("HEAD")).isEqualTo(result);
        assertThat(project.resolve("src/result.txt")).exists();
    }
}
