package io.phasegrid.cli.e2e;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the output of every process of the test's cluster when the test fails. */
final class PrintLogsOnFailure implements TestWatcher {

    private final Supplier<Cluster> cluster;

    PrintLogsOnFailure(Supplier<Cluster> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Cluster c = cluster.get();
        if (c != null) {
            System.out.println("===== " + context.getDisplayName() + " failed; the cluster's processes said:\n"
                    + c.logs());
        }
    }
}
