package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import java.util.Optional;

/**
 * A plan file name ({@code 07-06-PLAN.md}, {@code 02.1-03-SUMMARY.md}, {@code 110-02-backend-save-PLAN.md}) split into
 * phase id and plan number, and the normalised plan id {@code 07-06}.
 */
record PlanFileName(PhaseId phase, String planNumber) {

    String planId() {
        return phase.normalized() + "-" + planNumber;
    }

    static Optional<PlanFileName> parse(String fileName) {
        Optional<PhaseIdScanner.Match> id = PhaseIdScanner.at(fileName, 0);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        int i = id.get().end();
        if (i >= fileName.length() || fileName.charAt(i) != '-') {
            return Optional.empty();
        }
        int start = ++i;
        while (i < fileName.length() && PhaseIdScanner.isDigit(fileName.charAt(i))) {
            i++;
        }
        if (i == start || i - start > 6) {
            return Optional.empty();
        }
        return Optional.of(new PlanFileName(id.get().id(), pad(fileName.substring(start, i))));
    }

    /** Two-digit plan number: {@code 1 -> 01}, {@code 012 -> 12}. */
    static String pad(String digits) {
        String trimmed = digits.replaceFirst("^0+(?=\\d)", "");
        return trimmed.length() < 2 ? "0" + trimmed : trimmed;
    }

    /** The phase id at the start of a folder name or a {@code phase:} value ({@code 31.1-fix-bugs -> 31.1}). */
    static Optional<PhaseId> phaseOfFolder(String folder) {
        Optional<PhaseIdScanner.Match> id = PhaseIdScanner.at(folder, 0);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        int end = id.get().end();
        if (end < folder.length() && folder.charAt(end) != '-' && folder.charAt(end) != '/'
                && folder.charAt(end) != '_' && folder.charAt(end) != ' ') {
            return Optional.empty();
        }
        return Optional.of(id.get().id());
    }
}
