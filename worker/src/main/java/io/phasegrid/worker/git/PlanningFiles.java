package io.phasegrid.worker.git;

import io.phasegrid.worker.executor.GitWork;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PhaseGrid's own update of a GSD project's orchestrator files at integration: ROADMAP.md gets the boxes of the
 * integrated phases (and of their plans) ticked, STATE.md its status and last activity lines. Text in, text out;
 * lines it does not recognise are left as they are.
 */
final class PlanningFiles {

    private static final Pattern STATUS = Pattern.compile("(?im)^(\\**status\\**:\\**)[ \\t]*.*$");
    private static final Pattern LAST_ACTIVITY = Pattern.compile("(?im)^(\\**last activity\\**:\\**)[ \\t]*.*$");

    private PlanningFiles() {
    }

    /** ROADMAP.md with {@code - [ ] **Phase N: ...} and {@code - [ ] NN-MM: ...} ticked for every input phase. */
    static String tickRoadmap(String roadmap, List<GitWork.Input> phases) {
        String text = roadmap;
        for (GitWork.Input phase : phases) {
            String number = Pattern.quote(number(phase.phaseKey()));
            text = tick(text, "(\\*\\*Phase[ \\t]+0*" + number + ":)");
            text = tick(text, "(\\**0*" + number + "-[0-9]+\\**:)");
        }
        return text;
    }

    private static String tick(String text, String afterBox) {
        Pattern box = Pattern.compile("(?m)^([ \\t]*[-*][ \\t]+)\\[ \\]([ \\t]+" + afterBox + ")");
        return box.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "[x]" + m.group(2)));
    }

    /** A phase key's number as a roadmap writes it: "04" is 4, "04.1" is 4.1. */
    static String number(String phaseKey) {
        String key = phaseKey.replaceFirst("^0+(?=\\d)", "");
        return key.isEmpty() ? phaseKey : key;
    }

    /**
     * STATE.md with its status and last activity lines saying the run was integrated (a "Last activity" line is
     * appended when there is none).
     */
    static String advanceState(String state, String runId, List<GitWork.Input> phases, String date) {
        String keys = String.join(", ", phases.stream().map(GitWork.Input::phaseKey).toList());
        String status = "Phases " + keys + " complete (integrated by PhaseGrid run " + runId + ")";
        String activity = date + " - PhaseGrid run " + runId + " integrated phases " + keys;
        String text = replaceValue(state, STATUS, status);
        String updated = replaceValue(text, LAST_ACTIVITY, activity);
        if (updated.equals(text) && !LAST_ACTIVITY.matcher(text).find()) {
            updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "Last activity: " + activity + "\n";
        }
        return updated;
    }

    private static String replaceValue(String text, Pattern line, String value) {
        return line.matcher(text).replaceFirst(m -> Matcher.quoteReplacement(m.group(1) + " " + value));
    }
}
