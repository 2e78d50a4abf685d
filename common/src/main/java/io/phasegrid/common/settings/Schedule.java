package io.phasegrid.common.settings;

import java.util.Locale;
import java.util.Optional;

/** How ready phases are dispatched. */
public enum Schedule {
    /** Dependency-driven: a phase starts the moment its last dependency succeeded. */
    EAGER,
    /** The GSD behaviour: a wave starts when the previous wave is done. */
    WAVES;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Schedule> parse(String text) {
        for (Schedule s : values()) {
            if (s.json().equalsIgnoreCase(text.strip())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
