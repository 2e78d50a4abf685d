package io.phasegrid.common.settings;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves {@link RunSettings} from defaults, a parsed {@code config.json} and command-line flags (highest wins).
 *
 * <p>{@code config.json} keys, all optional: {@code parallelization} is either a boolean ({@code false} means one
 * phase at a time, {@code true} the default) or an object with {@code enabled}, {@code max_concurrent_agents},
 * {@code min_tokens_per_phase}, {@code fallback_to_sequential} and {@code schedule} ({@code eager|waves}).
 */
public final class RunSettingsResolver {

    public static final String MAX_PARALLEL = "max_parallel";
    public static final String MIN_TOKENS_PER_PHASE = "min_tokens_per_phase";
    public static final String FALLBACK_TO_SEQUENTIAL = "fallback_to_sequential";
    public static final String SCHEDULE = "schedule";

    /** Setting name -> its path in {@code config.json}. */
    public static final Map<String, String> CONFIG_PATHS = Map.of(
            MAX_PARALLEL, "parallelization.max_concurrent_agents",
            MIN_TOKENS_PER_PHASE, "parallelization.min_tokens_per_phase",
            FALLBACK_TO_SEQUENTIAL, "parallelization.fallback_to_sequential",
            SCHEDULE, "parallelization.schedule");

    public static final List<String> NAMES =
            List.of(MAX_PARALLEL, MIN_TOKENS_PER_PHASE, FALLBACK_TO_SEQUENTIAL, SCHEDULE);

    private RunSettingsResolver() {
    }

    /**
     * @param config the parsed {@code config.json} (empty when absent)
     * @param flags flag overrides by setting name; values already typed (Integer, Long, Boolean, Schedule)
     * @throws IllegalArgumentException when {@code config.json} holds a value of the wrong type, naming the key
     */
    public static RunSettings resolve(Map<String, Object> config, Map<String, Object> flags) {
        Object parallelization = config.get("parallelization");
        Map<?, ?> section = parallelization instanceof Map<?, ?> m ? m : Map.of();
        boolean disabled = Boolean.FALSE.equals(parallelization) || Boolean.FALSE.equals(section.get("enabled"));

        Setting<Integer> maxParallel;
        if (flags.containsKey(MAX_PARALLEL)) {
            maxParallel = flag(MAX_PARALLEL, (Integer) flags.get(MAX_PARALLEL));
        } else if (disabled) {
            maxParallel = new Setting<>(MAX_PARALLEL, CONFIG_PATHS.get(MAX_PARALLEL), 1, SettingSource.CONFIG_JSON,
                    "parallelization disabled");
        } else {
            maxParallel = fromConfig(MAX_PARALLEL, section, "max_concurrent_agents")
                    .map(v -> configured(MAX_PARALLEL, positiveInt(v, "parallelization.max_concurrent_agents")))
                    .orElseGet(() -> byDefault(MAX_PARALLEL, RunSettings.DEFAULT_MAX_PARALLEL));
        }
        Setting<Long> minTokens = flags.containsKey(MIN_TOKENS_PER_PHASE)
                ? flag(MIN_TOKENS_PER_PHASE, (Long) flags.get(MIN_TOKENS_PER_PHASE))
                : fromConfig(MIN_TOKENS_PER_PHASE, section, "min_tokens_per_phase")
                        .map(v -> configured(MIN_TOKENS_PER_PHASE,
                                nonNegativeLong(v, "parallelization.min_tokens_per_phase")))
                        .orElseGet(() -> byDefault(MIN_TOKENS_PER_PHASE, RunSettings.DEFAULT_MIN_TOKENS_PER_PHASE));
        Setting<Boolean> fallback = flags.containsKey(FALLBACK_TO_SEQUENTIAL)
                ? flag(FALLBACK_TO_SEQUENTIAL, (Boolean) flags.get(FALLBACK_TO_SEQUENTIAL))
                : fromConfig(FALLBACK_TO_SEQUENTIAL, section, "fallback_to_sequential")
                        .map(v -> configured(FALLBACK_TO_SEQUENTIAL,
                                bool(v, "parallelization.fallback_to_sequential")))
                        .orElseGet(() -> byDefault(FALLBACK_TO_SEQUENTIAL, true));
        Setting<Schedule> schedule = flags.containsKey(SCHEDULE)
                ? flag(SCHEDULE, (Schedule) flags.get(SCHEDULE))
                : fromConfig(SCHEDULE, section, "schedule")
                        .map(v -> configured(SCHEDULE, schedule(v, "parallelization.schedule")))
                        .orElseGet(() -> byDefault(SCHEDULE, Schedule.EAGER));
        return new RunSettings(maxParallel, minTokens, fallback, schedule);
    }

    private static Optional<Object> fromConfig(String name, Map<?, ?> section, String key) {
        Objects.requireNonNull(name);
        return Optional.ofNullable(section.get(key));
    }

    private static <T> Setting<T> flag(String name, T value) {
        return new Setting<>(name, CONFIG_PATHS.get(name), value, SettingSource.FLAG, "");
    }

    private static <T> Setting<T> configured(String name, T value) {
        return new Setting<>(name, CONFIG_PATHS.get(name), value, SettingSource.CONFIG_JSON, "");
    }

    private static <T> Setting<T> byDefault(String name, T value) {
        return new Setting<>(name, CONFIG_PATHS.get(name), value, SettingSource.DEFAULT, "");
    }

    static int positiveInt(Object value, String key) {
        if (value instanceof Number n && n.longValue() >= 1 && n.longValue() <= Integer.MAX_VALUE
                && n.doubleValue() == n.longValue()) {
            return n.intValue();
        }
        throw new IllegalArgumentException(key + ": expected a positive integer, found " + describe(value));
    }

    static long nonNegativeLong(Object value, String key) {
        if (value instanceof Number n && n.longValue() >= 0 && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        throw new IllegalArgumentException(key + ": expected a non-negative integer, found " + describe(value));
    }

    static boolean bool(Object value, String key) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(key + ": expected true or false, found " + describe(value));
    }

    static Schedule schedule(Object value, String key) {
        return value instanceof String s
                ? Schedule.parse(s).orElseThrow(() -> new IllegalArgumentException(
                        key + ": expected \"eager\" or \"waves\", found " + describe(value)))
                : schedule(String.valueOf(value), key);
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    /**
     * Parses a flag or {@code --set} value for setting {@code name} into its type.
     *
     * @throws IllegalArgumentException naming the setting and what was expected
     */
    public static Object parseValue(String name, String text) {
        Object literal = literal(text);
        return switch (name) {
            case MAX_PARALLEL -> positiveInt(literal, name);
            case MIN_TOKENS_PER_PHASE -> nonNegativeLong(literal, name);
            case FALLBACK_TO_SEQUENTIAL -> bool(literal, name);
            case SCHEDULE -> schedule(text, name);
            default -> throw new IllegalArgumentException(
                    "unknown setting '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
        };
    }

    private static Object literal(String text) {
        String t = text.strip();
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        try {
            return Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException e) {
            return t;
        }
    }
}
