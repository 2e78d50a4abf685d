package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.run.GitLease;
import java.util.List;

/**
 * What an offer needs of a leased phase's blueprint: its name and plans (ids and PLAN paths, in order), and for a git
 * run what the lease works on ({@code git}, null for a plain run).
 */
public record PhaseInfo(String name, List<String> planIds, List<String> planPaths, GitLease git) {

    public PhaseInfo {
        planIds = List.copyOf(planIds);
        planPaths = List.copyOf(planPaths);
    }

    public PhaseInfo(String name, List<String> planIds, List<String> planPaths) {
        this(name, planIds, planPaths, null);
    }
}
