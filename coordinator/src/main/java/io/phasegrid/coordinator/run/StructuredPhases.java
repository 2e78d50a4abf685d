package io.phasegrid.coordinator.run;

import io.phasegrid.coordinator.submit.ClientText;
import java.util.List;

/**
 * The rules of a structured roadmap's phases (RunService's {@code StructuredPhase}), checked before compiling: keys
 * and plan ids are 1 to {@link #MAX_KEY} characters of {@code A-Z a-z 0-9 . _ - /} (the characters of the keys
 * {@code phasegrid analyze} makes), names at most {@link #MAX_NAME} characters, at most {@link #MAX_DEPENDS_ON}
 * dependencies and {@link #MAX_PLANS} plans per phase, estimates from 0 to {@link #MAX_TOKENS}. Duplicate keys,
 * unknown and self dependencies and cycles are refused by the compiler itself.
 */
public final class StructuredPhases {

    public static final int MAX_KEY = 64;
    public static final int MAX_NAME = 512;
    public static final int MAX_DEPENDS_ON = 1_000;
    public static final int MAX_PLANS = 1_000;
    /** The largest token count a client may state anywhere (estimates, budgets): 10^15. */
    public static final long MAX_TOKENS = 1_000_000_000_000_000L;


    private StructuredPhases() {
    }

    /** @throws IllegalArgumentException naming the first phase (by index and key) that breaks a rule */
    public static void check(List<RunBlueprint.PhaseDef> phases) {
        for (int i = 0; i < phases.size(); i++) {
            RunBlueprint.PhaseDef p = phases.get(i);
            String which = "phase " + (i + 1) + " (key '" + ClientText.quote(p.key()) + "')";
            if (!isKey(p.key())) {
                throw new IllegalArgumentException(which + ": a phase key is 1 to " + MAX_KEY
                        + " characters of A-Z a-z 0-9 . _ - /");
            }
            if (p.name().length() > MAX_NAME) {
                throw new IllegalArgumentException(which + ": the name has " + p.name().length()
                        + " characters; the limit is " + MAX_NAME);
            }
            if (p.estimatedTokens() < 0 || p.estimatedTokens() > MAX_TOKENS) {
                throw new IllegalArgumentException(which + ": estimated_tokens must be 0 to " + MAX_TOKENS + ", was "
                        + p.estimatedTokens());
            }
            if (p.dependsOn().size() > MAX_DEPENDS_ON) {
                throw new IllegalArgumentException(which + ": " + p.dependsOn().size()
                        + " depends_on entries; the limit is " + MAX_DEPENDS_ON);
            }
            for (String dep : p.dependsOn()) {
                if (!isKey(dep)) {
                    throw new IllegalArgumentException(which + ": depends on '" + ClientText.quote(dep)
                            + "', which is not a phase key (1 to " + MAX_KEY + " characters of A-Z a-z 0-9 . _ - /)");
                }
            }
            if (p.plans().size() > MAX_PLANS) {
                throw new IllegalArgumentException(which + ": " + p.plans().size() + " plans; the limit is "
                        + MAX_PLANS);
            }
            for (RunBlueprint.PlanRef plan : p.plans()) {
                if (!isKey(plan.id())) {
                    throw new IllegalArgumentException(which + ": plan id '" + ClientText.quote(plan.id())
                            + "' is not 1 to " + MAX_KEY + " characters of A-Z a-z 0-9 . _ - /");
                }
            }
        }
    }

    /** Whether {@code key} is a well-formed phase key (or plan id). */
    public static boolean isKey(String key) {
        // A loop, not a regex: it runs for every key, dependency and plan id of a submission (10^5 at the limits).
        if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '/' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
