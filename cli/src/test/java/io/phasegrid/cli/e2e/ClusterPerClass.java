package io.phasegrid.cli.e2e;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One coordinator process for a whole test class: started before the class's tests, its workers stopped after each
 * test, everything stopped after the class, and every process's output printed when a test fails. Register it as a
 * static field beside the class's static {@code @TempDir} (JUnit fills that first):
 *
 * <pre>{@code
 * @TempDir static Path dir;
 * @RegisterExtension static final ClusterPerClass CLUSTER = new ClusterPerClass("e2e-name", () -> dir);
 * }</pre>
 */
final class ClusterPerClass implements BeforeAllCallback, AfterEachCallback, AfterAllCallback, TestWatcher {

    private final String name;
    private final Supplier<Path> dir;
    private volatile Cluster cluster;

    ClusterPerClass(String name, Supplier<Path> dir) {
        this.name = name;
        this.dir = dir;
    }

    /** The class's cluster (started). */
    Cluster get() {
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = Cluster.start(dir.get(), name);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (cluster != null) {
            cluster.stopWorkers();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        new PrintLogsOnFailure(this::get).testFailed(context, cause);
    }
}
