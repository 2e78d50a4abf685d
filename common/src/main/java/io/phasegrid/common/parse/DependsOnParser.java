package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the value of a {@code Depends on} line (see docs/parsing.md, "Depends on"):
 * <ol>
 *   <li>a value starting with {@code Nothing} or {@code None} declares no dependency, whatever follows;</li>
 *   <li>parenthesised remarks are removed, then the text is cut at the first {@code ;}, {@code —} or sentence end;</li>
 *   <li>what remains is scanned for {@code Phase}/{@code Phases} followed by ids joined by {@code ,} {@code and}
 *       {@code &} {@code +} {@code /} {@code or}, or a range {@code 85-98} (any dash, also a mis-encoded one);</li>
 *   <li>bare numbers, plan ids, versions and hashes are ignored; a value naming only a milestone is reported as such;
 *       a reference preceded by a project name ({@code api-repo Phase 5}) is external.</li>
 * </ol>
 * Every step is a single left-to-right pass over the value.
 */
public final class DependsOnParser {

    private static final char GARBLED_EN_DASH = '\uE000';
    private static final char GARBLED_EM_DASH = '\uE001';

    private DependsOnParser() {
    }

    public static DependsOn parse(String rawValue) {
        String value = repairDashes(clean(rawValue));
        if (value.isEmpty() || startsWithWord(value, "nothing") || startsWithWord(value, "none")
                || value.equalsIgnoreCase("n/a") || value.equals("-") || value.equals("\u2014")) {
            return new DependsOn(List.of(), "", List.of(), false);
        }
        String relevant = cutAtSentenceEnd(removeParenthesised(value));
        List<DependsOn.Reference> references = new ArrayList<>();
        List<String> external = new ArrayList<>();
        scanPhaseReferences(relevant, references, external);
        if (!references.isEmpty() || !external.isEmpty()) {
            return new DependsOn(references, "", external, false);
        }
        if (mentionsMilestone(value.toLowerCase(Locale.ROOT))) {
            return new DependsOn(List.of(), rawValue.strip(), List.of(), false);
        }
        return new DependsOn(List.of(), "", List.of(), true);
    }

    /** Every phase reference in {@code text}, without removing remarks or cutting at a sentence end. */
    static List<DependsOn.Reference> referencesIn(String text) {
        List<DependsOn.Reference> references = new ArrayList<>();
        scanPhaseReferences(repairDashes(text), references, new ArrayList<>());
        return references;
    }

    private static String clean(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '*' && c != '`' && c != '_') {
                sb.append(c);
            } else if (c == '_' && i > 0 && i + 1 < raw.length()
                    && Character.isLetterOrDigit(raw.charAt(i - 1)) && Character.isLetterOrDigit(raw.charAt(i + 1))) {
                sb.append(c);
            }
        }
        String s = sb.toString().strip();
        while (s.startsWith(":")) {
            s = s.substring(1).strip();
        }
        return s;
    }

    /** Replaces UTF-8 dashes that were decoded as Windows-1252 or Latin-1 ({@code â€“}) by marker characters. */
    private static String repairDashes(String s) {
        if (s.indexOf('\u00e2') < 0) {
            return s;
        }
        return s.replace("\u00e2\u20ac\u201c", String.valueOf(GARBLED_EN_DASH))
                .replace("\u00e2\u0080\u0093", String.valueOf(GARBLED_EN_DASH))
                .replace("\u00e2\u20ac\u201d", String.valueOf(GARBLED_EM_DASH))
                .replace("\u00e2\u0080\u0094", String.valueOf(GARBLED_EM_DASH))
                .replace("\u00e2\u20ac\u2018", String.valueOf(GARBLED_EN_DASH))
                .replace("\u00e2\u20ac", String.valueOf(GARBLED_EN_DASH));
    }

    /** Whether {@code s} starts with the lower-case {@code word}, in any case, as a whole word. */
    private static boolean startsWithWord(String s, String word) {
        return s.regionMatches(true, 0, word, 0, word.length()) && (s.length() == word.length()
                || !Character.isLetterOrDigit(s.charAt(word.length())));
    }

    /** Drops every {@code (...)} remark, nested or not; an unclosed one runs to the end. */
    static String removeParenthesised(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                if (depth == 0) {
                    sb.append(' ');
                }
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Cuts at the first {@code ;}, a dash that is not a range dash, or a full stop that ends a sentence. */
    static String cutAtSentenceEnd(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ';') {
                return s.substring(0, i);
            }
            if ((c == '\u2014' || c == GARBLED_EM_DASH || c == '\u2013' || c == GARBLED_EN_DASH)
                    && !betweenDigits(s, i)) {
                return s.substring(0, i);
            }
            if (c == '.' && (i + 1 == n || Character.isWhitespace(s.charAt(i + 1)))) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static boolean betweenDigits(String s, int i) {
        int before = i - 1;
        while (before >= 0 && s.charAt(before) == ' ') {
            before--;
        }
        int after = i + 1;
        while (after < s.length() && s.charAt(after) == ' ') {
            after++;
        }
        return before >= 0 && after < s.length()
                && PhaseIdScanner.isDigit(s.charAt(before)) && PhaseIdScanner.isDigit(s.charAt(after));
    }

    private static void scanPhaseReferences(String s, List<DependsOn.Reference> references, List<String> external) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            int keywordEnd = phaseKeywordEnd(s, i);
            if (keywordEnd < 0) {
                i++;
                continue;
            }
            boolean isExternal = precededByProjectName(s, i);
            List<DependsOn.Reference> found = new ArrayList<>();
            int end = readIdList(s, keywordEnd, found);
            if (found.isEmpty()) {
                i = keywordEnd;
                continue;
            }
            if (isExternal) {
                external.add(s.substring(projectNameStart(s, i), end).strip());
            } else {
                references.addAll(found);
            }
            i = end;
        }
    }

    /** End of {@code Phase}/{@code Phases} starting at {@code i} as a whole word, or -1. */
    private static int phaseKeywordEnd(String s, int i) {
        if (i > 0 && Character.isLetterOrDigit(s.charAt(i - 1))) {
            return -1;
        }
        if (!s.regionMatches(true, i, "phase", 0, 5)) {
            return -1;
        }
        int end = i + 5;
        if (end < s.length() && (s.charAt(end) == 's' || s.charAt(end) == 'S')) {
            end++;
        }
        if (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) {
            return -1;
        }
        return end;
    }

    private static int readIdList(String s, int from, List<DependsOn.Reference> out) {
        int i = skipSpaces(s, from);
        if (i < s.length() && s.charAt(i) == '#') {
            i++;
        }
        int lastGood = from;
        boolean bareAfterJoiner = false;
        while (true) {
            Optional<PhaseIdScanner.Match> first = PhaseIdScanner.at(s, i);
            if (first.isEmpty()) {
                return lastGood;
            }
            PhaseIdScanner.Match a = first.get();
            int j = a.end();
            DependsOn.Reference ref = new DependsOn.Reference(a.id(), null, s.substring(a.start(), a.end()), false);
            int k = skipSpaces(s, j);
            if (k < s.length() && isDash(s.charAt(k))) {
                boolean garbled = s.charAt(k) == GARBLED_EN_DASH || s.charAt(k) == GARBLED_EM_DASH;
                Optional<PhaseIdScanner.Match> second = PhaseIdScanner.at(s, skipSpaces(s, k + 1));
                if (second.isPresent() && a.id().prefix().isEmpty()) {
                    PhaseIdScanner.Match b = second.get();
                    String text = s.substring(a.start(), b.end());
                    if (b.id().compareTo(a.id()) > 0) {
                        // 85-98, and zero-padded 01-03: the upper end is after the lower one
                        ref = new DependsOn.Reference(a.id(), b.id(), text, garbled);
                    } else {
                        // 60-05: the upper end is not after the lower one, so a plan of phase 60: phase 60
                        ref = new DependsOn.Reference(a.id(), null, text, false);
                    }
                    j = b.end();
                }
            }
            if (bareAfterJoiner && !endsListItem(s, j)) {
                // "Phase 5, 10 days", "Phase 4 and 2 others": a count, not another phase
                return lastGood;
            }
            out.add(ref);
            lastGood = j;
            int next = afterJoiner(s, j);
            if (next < 0) {
                return lastGood;
            }
            int afterKeyword = phaseKeywordEnd(s, next);
            bareAfterJoiner = afterKeyword < 0;
            i = afterKeyword >= 0 ? skipSpaces(s, afterKeyword) : next;
        }
    }

    /**
     * Whether an id without its own {@code Phase} keyword that ends at {@code end} is a list item: followed by
     * another joiner, a {@code (} remark or the end of the text.
     */
    private static boolean endsListItem(String s, int end) {
        int k = skipSpaces(s, end);
        return k == s.length() || s.charAt(k) == '(' || afterJoiner(s, k) >= 0;
    }

    /** Position after a list joiner ({@code ,} {@code &} {@code +} {@code /} {@code and} {@code or}), or -1. */
    private static int afterJoiner(String s, int from) {
        int i = skipSpaces(s, from);
        if (i >= s.length()) {
            return -1;
        }
        char c = s.charAt(i);
        if (c == ',' || c == '&' || c == '+' || c == '/') {
            int j = skipSpaces(s, i + 1);
            if (s.regionMatches(true, j, "and ", 0, 4)) {
                j = skipSpaces(s, j + 4);
            }
            return j;
        }
        for (String word : new String[] {"and", "or"}) {
            int end = i + word.length();
            if (s.regionMatches(true, i, word, 0, word.length())
                    && end < s.length() && Character.isWhitespace(s.charAt(end))) {
                return skipSpaces(s, end);
            }
        }
        return -1;
    }

    private static boolean precededByProjectName(String s, int keywordStart) {
        int start = projectNameStart(s, keywordStart);
        String word = s.substring(start, keywordStart).strip();
        if (word.isEmpty()) {
            return false;
        }
        boolean hasLetter = false;
        boolean hasSeparator = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            hasLetter |= Character.isLetter(c);
            hasSeparator |= c == '-' || c == '_' || c == '/';
        }
        return hasLetter && hasSeparator;
    }

    private static int projectNameStart(String s, int keywordStart) {
        int i = keywordStart - 1;
        while (i >= 0 && s.charAt(i) == ' ') {
            i--;
        }
        while (i >= 0 && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ',') {
            i--;
        }
        return i + 1;
    }

    private static boolean mentionsMilestone(String lower) {
        if (lower.contains("milestone")) {
            return true;
        }
        for (int i = 0; i + 1 < lower.length(); i++) {
            if (lower.charAt(i) == 'v' && PhaseIdScanner.isDigit(lower.charAt(i + 1))
                    && (i == 0 || !Character.isLetterOrDigit(lower.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDash(char c) {
        return c == '-' || c == '\u2013' || c == '\u2014' || c == '\u2011' || c == '\u2012'
                || c == GARBLED_EN_DASH || c == GARBLED_EM_DASH;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
