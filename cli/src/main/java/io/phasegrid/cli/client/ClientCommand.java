package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.Subcommand;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.Run;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Base of the commands that talk to a coordinator: the address, {@code --json}, and a channel per call. */
abstract class ClientCommand extends Subcommand {

    @Mixin
    CoordinatorOption coordinator;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public final Integer call() throws Exception {
        ManagedChannel channel = coordinator.open();
        try {
            return Rpc.call(coordinator.address(), () -> {
                try {
                    return run(channel);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    abstract int run(ManagedChannel channel) throws Exception;

    void printRun(Run run) {
        printRun(run, null);
    }

    /** The run and, unless {@code cluster} is null, the workers' utilisation and the ledger after it. */
    void printRun(Run run, ClusterView cluster) {
        long now = System.currentTimeMillis();
        if (json) {
            ObjectNode root = RunReport.json(run, now);
            if (cluster != null) {
                cluster.addTo(root, now);
            }
            out().println(Json.pretty(root));
        } else {
            RunReport.printSummary(out(), run, now);
            if (cluster != null) {
                out().println();
                cluster.print(out(), now);
            }
        }
    }
}
