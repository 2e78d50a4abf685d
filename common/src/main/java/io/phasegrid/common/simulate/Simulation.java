package io.phasegrid.common.simulate;

import java.util.List;

/**
 * What {@code phasegrid simulate} reports. Durations are simulated minutes ({@link DurationModel}).
 *
 * @param slots how many phases may run at once in the wave-barrier and dependency-driven schedules
 * @param totalTokens estimated tokens of every scheduled phase
 * @param sequentialMinutes every scheduled phase one after another
 * @param groups the groups of the explicit schedule (the analysis' waves when none were given)
 * @param groupTokens estimated tokens of the phases in the groups
 * @param groupsMinutes groups one after another, each lasting as long as its longest phase
 * @param waveBarrierMinutes each wave starts when the previous one is done; inside a wave phases are
 *     list-scheduled on the slots, longest remaining path first
 * @param dependencyDrivenMinutes a phase starts as soon as its dependencies are done and a slot is free; ready
 *     phases by longest remaining path, then roadmap order
 * @param criticalPathMinutes the longest dependency chain
 * @param lowerBoundMinutes {@code max(critical path, total work / slots)}: no schedule on that many slots is shorter
 * @param dependencyDrivenSchedule when and where each phase ran in the dependency-driven schedule, by start time
 * @param groupOrderProblems explicit groups that break a dependency: a phase grouped with, or before, a phase it
 *     depends on ({@code "02 (group 1) depends on 01 (group 1)"}); empty for the computed waves
 */
public record Simulation(
        int slots,
        long totalTokens,
        double sequentialMinutes,
        List<List<String>> groups,
        long groupTokens,
        double groupsMinutes,
        double waveBarrierMinutes,
        double dependencyDrivenMinutes,
        double criticalPathMinutes,
        double lowerBoundMinutes,
        List<ScheduledPhase> dependencyDrivenSchedule,
        List<String> groupOrderProblems) {

    public Simulation {
        groups = groups.stream().map(List::copyOf).toList();
        dependencyDrivenSchedule = List.copyOf(dependencyDrivenSchedule);
        groupOrderProblems = List.copyOf(groupOrderProblems);
    }
}
