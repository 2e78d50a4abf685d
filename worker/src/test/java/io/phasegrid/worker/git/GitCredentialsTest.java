package io.phasegrid.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCredentialsTest {

    @TempDir
    Path dir;

    private GitCredentials credentials(Map<String, Path> keys, Path knownHosts, Map<String, Path> tokens) {
        GitOptions options = new GitOptions(List.of("ssh://", "https://"), keys, knownHosts, tokens, null, null, null,
                GitOptions.DEFAULT_COMMAND_TIMEOUT);
        return new GitCredentials(options, dir.resolve("helpers"));
    }

    private static String run(Path script, String prompt) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", script.toString(), prompt).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void theLongestMatchingPrefixsKeyAndTheKnownHostsMakeGitsSshCommand() {
        Path hosts = dir.resolve("known_hosts");
        GitCredentials creds = credentials(Map.of("ssh://git@h/", dir.resolve("any"),
                "ssh://git@h/team/", dir.resolve("team key")), hosts, Map.of());

        Map<String, String> env = creds.environmentFor("ssh://git@h/team/app.git");

        assertThat(env).containsOnlyKeys("GIT_SSH_COMMAND");
        assertThat(env.get("GIT_SSH_COMMAND")).contains("-i '" + dir.resolve("team key") + "'")
                .contains("UserKnownHostsFile='" + hosts + "'").contains("StrictHostKeyChecking=yes");
        assertThat(creds.environmentFor("file:///srv/app.git")).isEmpty();
    }

    @Test
    void aTokenIsHandedToGitByAnOwnerOnlyAskpassHelperThatReadsItsFile() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cret\n");

        Map<String, String> env = credentials(Map.of(), null, Map.of("https://git.example.com/", token))
                .environmentFor("https://git.example.com/app.git");

        Path script = Path.of(env.get("GIT_ASKPASS"));
        assertThat(Files.getPosixFilePermissions(script)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(script)).doesNotContain("s3cret");
        assertThat(env.values()).noneMatch(v -> v.contains("s3cret"));
        assertThat(run(script, "Username for 'https://git.example.com': ")).isEqualTo("x-access-token");
        assertThat(run(script, "Password for 'https://x-access-token@git.example.com': ")).isEqualTo("s3cret");
    }
}
