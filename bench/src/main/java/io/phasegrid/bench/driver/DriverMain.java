package io.phasegrid.bench.driver;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.BiConsumer;

/** What the drivers' {@code main}s share: their {@code --name value} options and the line naming the machine. */
final class DriverMain {

    private DriverMain() {
    }

    /** Hands each {@code --name value} pair of {@code argv} to {@code option}, which throws for an unknown name. */
    static void options(String[] argv, BiConsumer<String, String> option) {
        for (int i = 0; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("missing value of " + argv[i]);
            }
            option.accept(argv[i], argv[i + 1]);
        }
    }

    /** The JVM, cpus, max heap and load average, printed at the top of every result. */
    static String machine() {
        return String.format(Locale.ROOT, "JVM %s, %d cpus, max heap %d MB, load average %.2f",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, load());
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
