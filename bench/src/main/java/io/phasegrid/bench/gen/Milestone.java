package io.phasegrid.bench.gen;

import java.util.ArrayList;
import java.util.List;

/** A consecutive range of phases released together, e.g. {@code v2.0 Beta (Phases 251-500)}. */
record Milestone(int number, String name, int firstPhase, int lastPhase) {

    private static final String[] NAMES = {
        "MVP", "Beta", "Public Launch", "Teams", "Scale", "Enterprise", "Mobile", "Integrations", "Insights",
        "Automation", "Global", "Platform",
    };

    /** {@code milestones} (at most one per phase) consecutive ranges whose sizes differ by at most one. */
    static List<Milestone> split(int phases, int milestones) {
        int count = Math.min(milestones, phases);
        List<Milestone> result = new ArrayList<>(count);
        for (int m = 0; m < count; m++) {
            int first = (int) ((long) m * phases / count) + 1;
            int last = (int) ((long) (m + 1) * phases / count);
            String name = m < NAMES.length ? NAMES[m] : "Release " + (m + 1);
            result.add(new Milestone(m + 1, name, first, last));
        }
        return result;
    }

    String version() {
        return "v" + number + ".0";
    }

    /** The section heading text, without the leading hashes. */
    String title() {
        return version() + " " + name + " (Phases " + firstPhase + "-" + lastPhase + ")";
    }
}
