package io.phasegrid.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.cli.CliRun;
import io.phasegrid.cli.ExitCodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ClientCommandsTest {

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableCoordinatorExitsWithFourAndSaysWhere() throws IOException {
        String address = "127.0.0.1:" + closedPort();

        CliRun run = CliRun.of("status", "r-1", "--coordinator", address);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).contains("coordinator " + address + " unavailable").doesNotContain("\tat ");
    }

    @Test
    void submittingSomethingThatIsNotARoadmapIsInvalidInputBeforeAnyCall() throws IOException {
        CliRun run = CliRun.of("submit", "no-such-folder", "--coordinator", "127.0.0.1:" + closedPort());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("no-such-folder").contains("no ROADMAP.md");
    }

    @Test
    void ledgerSetAndTopUpExcludeEachOther() throws IOException {
        CliRun run = CliRun.of("ledger", "--set", "5", "--top-up", "5", "--coordinator", "127.0.0.1:" + closedPort());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    }
}
