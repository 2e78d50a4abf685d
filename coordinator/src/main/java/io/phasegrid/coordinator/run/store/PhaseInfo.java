package io.phasegrid.coordinator.run.store;

import java.util.List;

/** What an offer needs of a leased phase's blueprint: its name and plans (ids and PLAN paths, in order). */
public record PhaseInfo(String name, List<String> planIds, List<String> planPaths) {

    public PhaseInfo {
        planIds = List.copyOf(planIds);
        planPaths = List.copyOf(planPaths);
    }
}
