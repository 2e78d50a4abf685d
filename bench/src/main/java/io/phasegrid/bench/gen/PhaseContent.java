package io.phasegrid.bench.gen;

import java.util.List;

/** The prose of one generated phase: everything in the roadmap except its number and dependencies. */
record PhaseContent(
        String name, String summary, String goal, List<String> requirements, List<String> successCriteria,
        int plans) {
}
