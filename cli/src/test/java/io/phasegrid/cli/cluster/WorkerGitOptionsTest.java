package io.phasegrid.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.git.GitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 11: {@code phasegrid worker --git-*} become the worker's {@link GitOptions}. */
class WorkerGitOptionsTest {

    @TempDir
    Path dir;

    private static WorkerCommand parsed(String... args) {
        WorkerCommand worker = new WorkerCommand();
        new CommandLine(worker).parseArgs(args);
        return worker;
    }

    @Test
    void theGitFlagsBecomeTheWorkersGitOptions() throws Exception {
        Path key = Files.writeString(dir.resolve("id"), "key");
        Path token = Files.writeString(dir.resolve("token"), "t");

        GitOptions git = parsed("--git-allow", "ssh://git@example.com/team/", "--git-allow", "file:///srv/git/",
                "--git-ssh-key", "ssh://git@example.com/=" + key, "--git-token", "https://example.com/=" + token,
                "--git-verify-command", "make test", "--git-integrate-command",
                "gsd-sdk query phase.complete {phase}").gitOptions();

        assertThat(git.allow()).containsExactly("ssh://git@example.com/team/", "file:///srv/git/");
        assertThat(git.allows("file:///srv/git/app.git")).isTrue();
        assertThat(git.allows("file:///etc/")).isFalse();
        assertThat(git.sshKeys()).containsEntry("ssh://git@example.com/", key);
        assertThat(git.tokens()).containsEntry("https://example.com/", token);
        assertThat(git.verifyCommand()).isEqualTo(CommandTemplate.of("make", "test"));
        assertThat(git.integrateCommand().argv()).containsExactly("gsd-sdk", "query", "phase.complete", "{phase}");
        assertThat(git.resolver()).isNull();
    }

    @Test
    void withoutFlagsNoRepositoryIsAllowed() throws Exception {
        assertThat(parsed().gitOptions().enabled()).isFalse();
    }

    @Test
    void anUnreadableKeyFileIsRefusedNamingIt() {
        assertThatThrownBy(() -> parsed("--git-allow", "ssh://h/", "--git-ssh-key", "ssh://h/=" + dir.resolve("nope"))
                .gitOptions())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("nope");
    }
}
