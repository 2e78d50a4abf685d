package io.phasegrid.worker.executor;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Options of the {@link ShellExecutor}. Immutable; {@link #builder(CommandTemplate)} fills the defaults.
 *
 * @param command the operator's command template, run once per plan
 * @param planTimeout longest a plan's command may run before it is destroyed and the phase FAILS;
 *     {@link Duration#ZERO} = no limit
 * @param killGrace how long a destroyed process tree has to exit after the polite termination request (SIGTERM)
 *     before it is killed forcibly (SIGKILL)
 * @param stdoutLimitBytes how much of a plan's standard output is kept in memory (its tail) for token parsing
 * @param stderrLimitBytes how much of a plan's standard error is kept in memory (its tail) for failure messages
 * @param environment extra environment variables for the command (the worker's environment is inherited;
 *     the {@code PHASEGRID_*} variables win over these)
 */
public record ShellOptions(
        CommandTemplate command,
        Duration planTimeout,
        Duration killGrace,
        int stdoutLimitBytes,
        int stderrLimitBytes,
        Map<String, String> environment) {

    public static final Duration DEFAULT_PLAN_TIMEOUT = Duration.ZERO;
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
    public static final int DEFAULT_STDOUT_LIMIT_BYTES = 1024 * 1024;
    public static final int DEFAULT_STDERR_LIMIT_BYTES = 64 * 1024;

    public ShellOptions {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(planTimeout, "planTimeout");
        Objects.requireNonNull(killGrace, "killGrace");
        if (planTimeout.isNegative()) {
            throw new IllegalArgumentException("plan timeout must not be negative: " + planTimeout);
        }
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("kill grace must not be negative: " + killGrace);
        }
        if (stdoutLimitBytes < 1 || stderrLimitBytes < 1) {
            throw new IllegalArgumentException("output limits must be positive");
        }
        environment = Map.copyOf(environment);
    }

    public static Builder builder(CommandTemplate command) {
        return new Builder(command);
    }

    /** Builder of {@link ShellOptions}; starts from the defaults. */
    public static final class Builder {
        private final CommandTemplate command;
        private Duration planTimeout = DEFAULT_PLAN_TIMEOUT;
        private Duration killGrace = DEFAULT_KILL_GRACE;
        private int stdoutLimitBytes = DEFAULT_STDOUT_LIMIT_BYTES;
        private int stderrLimitBytes = DEFAULT_STDERR_LIMIT_BYTES;
        private Map<String, String> environment = Map.of();

        private Builder(CommandTemplate command) {
            this.command = Objects.requireNonNull(command, "command");
        }

        /** Longest a plan may run; {@link Duration#ZERO} = no limit (the default). */
        public Builder planTimeout(Duration planTimeout) {
            this.planTimeout = planTimeout;
            return this;
        }

        /** Time between SIGTERM and SIGKILL when a process tree is destroyed (default 5 s). */
        public Builder killGrace(Duration killGrace) {
            this.killGrace = killGrace;
            return this;
        }

        /** Tail of standard output kept for token parsing (default 1 MiB). */
        public Builder stdoutLimitBytes(int bytes) {
            this.stdoutLimitBytes = bytes;
            return this;
        }

        /** Tail of standard error kept for failure messages (default 64 KiB). */
        public Builder stderrLimitBytes(int bytes) {
            this.stderrLimitBytes = bytes;
            return this;
        }

        /** Extra environment variables for the command. */
        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        public ShellOptions build() {
            return new ShellOptions(command, planTimeout, killGrace, stdoutLimitBytes, stderrLimitBytes,
                    environment);
        }
    }
}
