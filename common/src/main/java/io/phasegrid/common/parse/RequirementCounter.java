package io.phasegrid.common.parse;

/**
 * Counts requirement ids in a {@code Requirements} value: {@code AUTH-01, AUTH-02} is 2, {@code OTEL-01..08} is 8,
 * {@code TBD} is 0. Parenthesised remarks are ignored.
 */
final class RequirementCounter {

    private static final int MAX_TOKEN = 80;

    private RequirementCounter() {
    }

    static int count(String value) {
        String s = DependsOnParser.removeParenthesised(value);
        int count = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSeparator(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSeparator(s.charAt(i))) {
                i++;
            }
            if (i > start && i - start <= MAX_TOKEN) {
                count += idsIn(s.substring(start, i));
            }
        }
        return count;
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || c == ',' || c == '[' || c == ']' || c == ';' || c == '`' || c == '*';
    }

    /** 1 for {@code AUTH-01}, the range size for {@code OTEL-01..08}, 0 for anything else. */
    private static int idsIn(String token) {
        String t = token.endsWith(".") && !token.endsWith("..") ? token.substring(0, token.length() - 1) : token;
        int dots = t.indexOf("..");
        String head = dots >= 0 ? t.substring(0, dots) : t;
        int dash = head.lastIndexOf('-');
        if (dash <= 0 || !Character.isUpperCase(head.charAt(0)) || !allDigits(head, dash + 1, head.length())) {
            return 0;
        }
        if (dots < 0) {
            return 1;
        }
        String tail = t.substring(dots + 2);
        if (!allDigits(tail, 0, tail.length()) || tail.length() > 6) {
            return 1;
        }
        int from = Integer.parseInt(head.substring(dash + 1).length() > 6 ? "0" : head.substring(dash + 1));
        int to = Integer.parseInt(tail);
        return to >= from ? to - from + 1 : 1;
    }

    private static boolean allDigits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!PhaseIdScanner.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
