package io.phasegrid.common.parse;

import java.util.Locale;

/** Cleans phase names as written in headings and checklists, and decides when two names mean the same phase. */
final class PhaseNames {

    /** A cleaned name and whether the text carried a "complete" marker. */
    record Cleaned(String name, boolean completeMarker) {
    }

    private static final String[] COMPLETE_SUFFIXES = {"(complete)", "(completed)", "(done)", "\u2014 complete",
        "- complete", "\u2013 complete"};
    private static final String[] STATUS_SUFFIXES = {"(in progress)", "(backlog)", "(pending)", "(planned)"};

    private PhaseNames() {
    }

    /** A heading's name: cut at a check mark, drop trailing status words. */
    static Cleaned fromHeading(String raw) {
        return clean(raw);
    }

    /** A checklist entry's name: the bold part, else the text before a plan count or a dash-separated description. */
    static Cleaned fromChecklist(String nameAfterId, String restAfterBold) {
        String s = nameAfterId;
        if (s.isEmpty() && restAfterBold != null) {
            s = restAfterBold;
        }
        if (restAfterBold == null || nameAfterId.isEmpty()) {
            s = cutDescription(s);
        }
        return clean(s);
    }

    private static String cutDescription(String s) {
        int cut = s.length();
        int planCount = planCountStart(s);
        if (planCount >= 0) {
            cut = planCount;
        } else {
            for (String sep : new String[] {" \u2014 ", " -- ", " - ", " \u2013 "}) {
                int at = s.indexOf(sep);
                if (at >= 0 && at < cut) {
                    cut = at;
                }
            }
        }
        return s.substring(0, cut).strip();
    }

    /** Start of {@code (2/2 plans)}, {@code (1 plan)}, {@code (2/2)}, or -1. */
    private static int planCountStart(String s) {
        int from = 0;
        while (true) {
            int open = s.indexOf('(', from);
            if (open < 0 || open + 1 >= s.length()) {
                return -1;
            }
            if (PhaseIdScanner.isDigit(s.charAt(open + 1))) {
                int close = s.indexOf(')', open);
                String inside = close < 0 ? s.substring(open + 1) : s.substring(open + 1, close);
                String lower = inside.toLowerCase(Locale.ROOT);
                if (lower.contains("plan") || inside.matches("\\d{1,4}/\\d{1,4}")) {
                    return open;
                }
            }
            from = open + 1;
        }
    }

    private static Cleaned clean(String raw) {
        String s = MarkdownText.stripEmphasis(raw).strip();
        boolean complete = false;
        for (String mark : new String[] {"\u2705", "\u2713", "\u2714"}) {
            int at = s.indexOf(mark);
            if (at >= 0) {
                complete = true;
                s = s.substring(0, at).strip();
            }
        }
        boolean changed = true;
        while (changed && !s.isEmpty()) {
            changed = false;
            String lower = s.toLowerCase(Locale.ROOT);
            for (String suffix : COMPLETE_SUFFIXES) {
                if (lower.endsWith(suffix)) {
                    s = s.substring(0, s.length() - suffix.length()).strip();
                    complete = true;
                    changed = true;
                    break;
                }
            }
            if (!changed) {
                for (String suffix : STATUS_SUFFIXES) {
                    if (lower.endsWith(suffix)) {
                        s = s.substring(0, s.length() - suffix.length()).strip();
                        changed = true;
                        break;
                    }
                }
            }
        }
        return new Cleaned(s, complete);
    }

    /** Lower-case letters and digits of the name outside parentheses, single-spaced. */
    static String comparable(String name) {
        String s = DependsOnParser.removeParenthesised(name).toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (space && sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(c);
                space = false;
            } else {
                space = true;
            }
        }
        return sb.toString();
    }

    /** Same name after {@link #comparable}, or one is a whole-word prefix of the other, or one is empty. */
    static boolean sameName(String a, String b) {
        String x = comparable(a);
        String y = comparable(b);
        if (x.isEmpty() || y.isEmpty() || x.equals(y)) {
            return true;
        }
        return (x.startsWith(y) && x.charAt(y.length()) == ' ') || (y.startsWith(x) && y.charAt(x.length()) == ' ');
    }

    /** Folder-name form of a name ({@code Fix Function IL Emission Bugs -> fix-function-il-emission-bugs}). */
    static String slug(String name) {
        return comparable(name).replace(' ', '-');
    }
}
