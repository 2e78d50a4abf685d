package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import java.util.Locale;
import java.util.Optional;

/** Small single-pass helpers for roadmap markdown lines. */
final class MarkdownText {

    /** A phase title split into id and name ({@code Phase 31.1: Fix bugs}). */
    record PhaseTitle(PhaseId id, String name) {
    }

    private MarkdownText() {
    }

    /** Heading level (number of leading {@code #} followed by a space) or 0. Headings only count at line start. */
    static int headingLevel(String line) {
        int i = 0;
        while (i < line.length() && i < 7 && line.charAt(i) == '#') {
            i++;
        }
        if (i == 0 || i > 6 || i >= line.length() || line.charAt(i) != ' ') {
            return 0;
        }
        return i;
    }

    static String headingText(String line, int level) {
        String s = line.substring(level).strip();
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '#') {
            end--;
        }
        return s.substring(0, end).strip();
    }

    /** Removes markdown emphasis markers ({@code **}, {@code ~~}). */
    static String stripEmphasis(String s) {
        if (s.indexOf('*') < 0 && s.indexOf('~') < 0) {
            return s;
        }
        return s.replace("**", "").replace("~~", "");
    }

    /** Parses {@code Phase <id>[:|-|—|.] <name>} at the start of {@code text} (leading symbols skipped). */
    static Optional<PhaseTitle> phaseTitle(String text) {
        String s = stripEmphasis(text);
        int i = 0;
        while (i < s.length() && !Character.isLetterOrDigit(s.charAt(i))) {
            i++;
        }
        if (!s.regionMatches(true, i, "phase", 0, 5) || i + 5 >= s.length() || s.charAt(i + 5) != ' ') {
            return Optional.empty();
        }
        i += 5;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        Optional<PhaseIdScanner.Match> match = PhaseIdScanner.at(s, i);
        if (match.isEmpty()) {
            return Optional.empty();
        }
        int j = match.get().end();
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        if (j < s.length() && ":-\u2013\u2014.".indexOf(s.charAt(j)) >= 0) {
            j++;
        }
        return Optional.of(new PhaseTitle(match.get().id(), s.substring(j).strip()));
    }

    /** The first version token ({@code v1.2}, {@code V2.0}) normalised to lower-case {@code v}, or empty. */
    static String version(String text) {
        for (int i = 0; i + 1 < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == 'v' || c == 'V') && PhaseIdScanner.isDigit(text.charAt(i + 1))
                    && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))) {
                int j = i + 1;
                while (j < text.length() && (PhaseIdScanner.isDigit(text.charAt(j))
                        || (text.charAt(j) == '.' && j + 1 < text.length()
                        && PhaseIdScanner.isDigit(text.charAt(j + 1))))) {
                    j++;
                }
                if (j < text.length() && Character.isLetter(text.charAt(j))) {
                    continue;
                }
                return "v" + text.substring(i + 1, j);
            }
        }
        return "";
    }

    /** A milestone heading or summary that says the milestone is done. */
    static boolean saysShipped(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return (text.contains("\u2705") || lower.contains("shipped") || lower.contains("complete"))
                && !saysNotDone(text);
    }

    /** A milestone heading or summary that says the milestone is still to do. */
    static boolean saysNotDone(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return text.contains("\uD83D\uDEA7") || text.contains("\uD83D\uDCCB") || lower.contains("in progress")
                || lower.contains("queued") || lower.contains("planned") || lower.contains("deferred")
                || lower.contains("active") || lower.contains("upcoming") || lower.contains("not started");
    }

    /** Checklist line {@code - [x] content}: returns the box state ('x', ' ', '~', ...) and the content. */
    record Checkbox(boolean checked, String content) {
    }

    static Optional<Checkbox> checkbox(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i + 5 > line.length() || "-*+".indexOf(line.charAt(i)) < 0 || line.charAt(i + 1) != ' ') {
            return Optional.empty();
        }
        i += 2;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        if (i + 3 > line.length() || line.charAt(i) != '[' || line.charAt(i + 2) != ']') {
            return Optional.empty();
        }
        char box = line.charAt(i + 1);
        return Optional.of(new Checkbox(box == 'x' || box == 'X', line.substring(i + 3).strip()));
    }

    /** The value of a {@code **Label**: value}, {@code **Label:** value} or {@code Label: value} line, or null. */
    static String labelValue(String line, String label) {
        String s = line.strip();
        if (s.startsWith("- ") || s.startsWith("* ")) {
            s = s.substring(2).strip();
        }
        boolean bold = s.startsWith("**");
        int i = bold ? 2 : 0;
        if (!s.regionMatches(true, i, label, 0, label.length())) {
            return null;
        }
        i += label.length();
        if (bold) {
            if (s.startsWith("**:", i)) {
                return s.substring(i + 3).strip();
            }
            if (s.startsWith(":**", i)) {
                return s.substring(i + 3).strip();
            }
            if (s.startsWith("** :", i)) {
                return s.substring(i + 4).strip();
            }
            return null;
        }
        return s.startsWith(":", i) ? s.substring(i + 1).strip() : null;
    }

    /** Leading spaces (a tab counts as four). */
    static int indent(String line) {
        int n = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                n++;
            } else if (c == '\t') {
                n += 4;
            } else {
                break;
            }
        }
        return n;
    }

    /** A numbered ({@code 1.}, {@code 1)}) or bulleted ({@code -}, {@code *}, {@code +}) list item. */
    static boolean isListItem(String line) {
        String s = line.strip();
        if (s.length() >= 2 && "-*+".indexOf(s.charAt(0)) >= 0 && s.charAt(1) == ' ') {
            return true;
        }
        int i = 0;
        while (i < s.length() && PhaseIdScanner.isDigit(s.charAt(i))) {
            i++;
        }
        return i > 0 && i + 1 < s.length() && (s.charAt(i) == '.' || s.charAt(i) == ')') && s.charAt(i + 1) == ' ';
    }
}
