package io.phasegrid.worker.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment git's own fetches and pushes get for a repository URL: the ssh key of the longest matching
 * {@code --git-ssh-key} prefix ({@code GIT_SSH_COMMAND}), the token of the longest matching {@code --git-token}
 * prefix (through an askpass helper script, mode 0700, that reads the token file: the token is never in argv or
 * the environment). {@code file://} and {@code git://} need none. Only PhaseGrid's git commands get this
 * environment, never an agent.
 */
public final class GitCredentials {

    private final GitOptions options;
    private final Path helperDir;
    private final Map<Path, Path> askpassScripts = new HashMap<>(); // token file -> script; guarded by this

    public GitCredentials(GitOptions options, Path helperDir) {
        this.options = options;
        this.helperDir = helperDir;
    }

    /** The extra environment for git commands talking to {@code url}. */
    public Map<String, String> environmentFor(String url) {
        Map<String, String> env = new HashMap<>();
        longestPrefix(options.sshKeys(), url).ifPresent(key -> env.put("GIT_SSH_COMMAND", sshCommand(key)));
        longestPrefix(options.tokens(), url).ifPresent(token -> env.put("GIT_ASKPASS", askpass(token).toString()));
        return env;
    }

    private String sshCommand(Path key) {
        StringBuilder command = new StringBuilder("ssh -o BatchMode=yes -o IdentitiesOnly=yes -i ")
                .append(quote(key.toAbsolutePath().toString()));
        if (options.knownHosts() != null) {
            command.append(" -o StrictHostKeyChecking=yes -o UserKnownHostsFile=")
                    .append(quote(options.knownHosts().toAbsolutePath().toString()));
        }
        return command.toString();
    }

    private synchronized Path askpass(Path tokenFile) {
        return askpassScripts.computeIfAbsent(tokenFile.toAbsolutePath(), file -> {
            try {
                Files.createDirectories(helperDir);
                Path script = Files.createTempFile(helperDir, "askpass-", ".sh",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.writeString(script, """
                        #!/bin/sh
                        case "$1" in
                          Username*) echo x-access-token ;;
                          *) tr -d '\\r\\n' < %s ;;
                        esac
                        """.formatted(quote(file.toString())), StandardCharsets.UTF_8);
                return script;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the askpass helper in " + helperDir, e);
            }
        });
    }

    private static <T> Optional<T> longestPrefix(Map<String, T> byPrefix, String url) {
        return byPrefix.entrySet().stream()
                .filter(e -> url.startsWith(e.getKey()))
                .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
                .map(Map.Entry::getValue);
    }

    /** A POSIX shell single-quoted word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
