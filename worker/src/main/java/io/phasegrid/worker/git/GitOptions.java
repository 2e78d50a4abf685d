package io.phasegrid.worker.git;

import io.phasegrid.worker.executor.CommandTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a worker handles git leases. Immutable; {@link #none()} allows no repository (every git lease fails with an
 * error naming its URL).
 *
 * @param allow URL prefixes a git lease's repository must start with ({@code --git-allow}); empty = none allowed
 * @param sshKeys URL prefix to the private key git's own fetches and pushes use ({@code --git-ssh-key})
 * @param knownHosts the known_hosts file for those ssh connections; null = ssh's default
 * @param tokens URL prefix to a file holding an https token ({@code --git-token}), handed to git by an askpass
 *     helper, never in argv
 * @param resolver run in the worktree when merging the inputs conflicts ({@code --git-resolver}); null = none
 * @param integrateCommand run per integrated phase ({@code {phase}}, {@code {phase_name}}, {@code {run}})
 *     instead of PhaseGrid's own ROADMAP/STATE update ({@code --git-integrate-command}); null = PhaseGrid's
 * @param verifyCommand run on the integrated result before it is pushed ({@code --git-verify-command}); null = none
 * @param commandTimeout longest one of those commands may run
 */
public record GitOptions(List<String> allow, Map<String, Path> sshKeys, Path knownHosts, Map<String, Path> tokens,
        CommandTemplate resolver, CommandTemplate integrateCommand, CommandTemplate verifyCommand,
        Duration commandTimeout) {

    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(30);

    public GitOptions {
        allow = List.copyOf(allow);
        sshKeys = Map.copyOf(sshKeys);
        tokens = Map.copyOf(tokens);
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        for (String prefix : allow) {
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("a --git-allow prefix must not be blank");
            }
        }
    }

    /** No repository allowed, no credentials, no commands. */
    public static GitOptions none() {
        return new GitOptions(List.of(), Map.of(), null, Map.of(), null, null, null, DEFAULT_COMMAND_TIMEOUT);
    }

    /** These options allowing exactly {@code prefixes} (for an embedded worker: {@code List.of(repoUrl)}). */
    public GitOptions allowing(List<String> prefixes) {
        return new GitOptions(prefixes, sshKeys, knownHosts, tokens, resolver, integrateCommand, verifyCommand,
                commandTimeout);
    }

    /** Whether any repository is allowed (then git must be installed and recent enough). */
    public boolean enabled() {
        return !allow.isEmpty();
    }

    /** Whether {@code url} starts with an allowed prefix. */
    public boolean allows(String url) {
        return allow.stream().anyMatch(url::startsWith);
    }

    /** Fails unless git is installed and at least {@link Git#MINIMUM_VERSION}, when any repository is allowed. */
    public void requireGit() throws InterruptedException {
        if (enabled()) {
            Git.cli().requireMinimumVersion();
        }
    }
}
