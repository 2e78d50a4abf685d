package io.phasegrid.bench.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Invents plausible prose for a phase. Each phase gets its own random stream derived from (seed, phase), so the
 * checklist and the details sections can ask for the same phase twice without keeping anything in memory.
 */
final class PhaseContentFactory {

    private static final String[] AREAS = {
        "Authentication", "Billing", "Search", "Notifications", "Reporting", "Onboarding", "Data Sync",
        "Audit Log", "Export", "Scheduler", "Permissions", "Analytics", "Media Upload", "Checkout", "Webhooks",
        "Settings", "Dashboard", "Inventory", "Messaging", "Localization",
    };
    private static final String[] PREFIXES = {
        "AUTH", "BILL", "SRCH", "NOTF", "REPT", "ONBD", "SYNC", "AUDT", "EXPT", "SCHD", "PERM", "ANLT", "MDIA",
        "CHKT", "HOOK", "SETG", "DASH", "INVT", "MSGS", "I18N",
    };
    private static final String[] ASPECTS = {
        "Foundation", "API", "UI", "Hardening", "Migration", "Integration", "Caching", "Observability",
        "Test Coverage", "Rollout", "Performance", "Refactor",
    };
    private static final String[] VERBS = {
        "Build", "Extend", "Stabilise", "Wire up", "Rework", "Instrument", "Document", "Simplify",
    };
    private static final String[] OUTCOMES = {
        "works end to end for every supported account type",
        "survives restarts without losing in-flight work",
        "is covered by automated tests that run on every commit",
        "exposes metrics and alerts for its failure modes",
        "responds within the agreed latency budget under normal load",
        "handles invalid input with clear, actionable error messages",
        "can be rolled back without data loss",
        "is usable from both the web app and the public API",
    };
    private static final String[] CRITERIA = {
        "A user can complete the main %s flow without leaving the app",
        "%s errors are logged with a correlation id and surface in the dashboard",
        "Existing %s data is migrated with no manual steps",
        "%s endpoints return documented responses for every error case",
        "The %s test suite passes in CI with no skipped tests",
        "Operators can see %s health at a glance",
        "%s changes are audited with who, what and when",
        "Load tests show %s keeps up with twice the current traffic",
    };

    private static final int MAX_REQUIREMENTS = 3;

    private final long seed;

    PhaseContentFactory(long seed) {
        this.seed = seed;
    }

    PhaseContent contentOf(int phase) {
        Random random = new Random(mix(seed, phase));
        int area = random.nextInt(AREAS.length);
        String aspect = ASPECTS[random.nextInt(ASPECTS.length)];
        String name = AREAS[area] + " " + aspect;
        String summary = VERBS[random.nextInt(VERBS.length)] + " " + name;
        String goal = name + " " + OUTCOMES[random.nextInt(OUTCOMES.length)];
        return new PhaseContent(
                name, summary, goal,
                requirements(PREFIXES[area], phase, 1 + random.nextInt(MAX_REQUIREMENTS)),
                successCriteria(AREAS[area], 2 + random.nextInt(3), random),
                1 + random.nextInt(4));
    }

    /** Ids unique over the whole roadmap: phase p owns numbers 3(p-1)+1 .. 3(p-1)+3 whatever the prefix. */
    private static List<String> requirements(String prefix, int phase, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ids.add(String.format(Locale.ROOT, "%s-%02d", prefix, (phase - 1) * MAX_REQUIREMENTS + i));
        }
        return ids;
    }

    private static List<String> successCriteria(String area, int count, Random random) {
        List<String> criteria = new ArrayList<>(count);
        int start = random.nextInt(CRITERIA.length);
        for (int i = 0; i < count; i++) {
            criteria.add(String.format(Locale.ROOT, CRITERIA[(start + i) % CRITERIA.length], area));
        }
        return criteria;
    }

    /** SplitMix64's finaliser, so neighbouring phases get unrelated streams. */
    private static long mix(long seed, int phase) {
        long z = seed + phase * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
