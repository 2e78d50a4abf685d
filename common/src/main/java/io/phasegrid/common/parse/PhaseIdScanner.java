package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds a phase id ({@code 7}, {@code 02.1}, {@code 36a}, {@code 82.7.1}, {@code CK-01}) at a position in a string by
 * walking characters once: no regular expression, so no backtracking on hostile input.
 */
final class PhaseIdScanner {

    /** An id found in {@code text} from {@code start} (inclusive) to {@code end} (exclusive). */
    record Match(PhaseId id, int start, int end) {
    }

    private static final int MAX_DIGITS = 9;
    private static final int MAX_SEGMENTS = 8;
    private static final long[] NO_SEGMENTS = new long[0];

    private PhaseIdScanner() {
    }

    static Optional<Match> at(String text, int start) {
        int n = text.length();
        int i = start;
        // optional prefix: 1-6 letters and a dash, then a digit
        int letters = 0;
        while (i < n && letters <= 6 && isAsciiLetter(text.charAt(i))) {
            i++;
            letters++;
        }
        String prefix = "";
        if (letters > 0) {
            if (letters > 6 || i + 1 >= n || text.charAt(i) != '-' || !isDigit(text.charAt(i + 1))) {
                return Optional.empty();
            }
            prefix = text.substring(start, i);
            i++;
        }
        int digitsStart = i;
        long number = 0;
        while (i < n && isDigit(text.charAt(i))) {
            number = number * 10 + (text.charAt(i) - '0');
            i++;
        }
        int digits = i - digitsStart;
        if (digits == 0 || digits > MAX_DIGITS) {
            return Optional.empty();
        }
        String letter = "";
        if (i < n && isAsciiLetter(text.charAt(i)) && (i + 1 >= n || !Character.isLetterOrDigit(text.charAt(i + 1)))) {
            letter = String.valueOf(text.charAt(i));
            i++;
        }
        long[] segments = NO_SEGMENTS;
        int segmentCount = 0;
        while (i + 1 < n && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
            if (segmentCount == MAX_SEGMENTS) {
                return Optional.empty();
            }
            int segStart = ++i;
            long segment = 0;
            while (i < n && isDigit(text.charAt(i))) {
                segment = segment * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i - segStart > MAX_DIGITS) {
                return Optional.empty();
            }
            if (segments.length == segmentCount) {
                segments = Arrays.copyOf(segments, Math.max(2, segmentCount * 2));
            }
            segments[segmentCount++] = segment;
        }
        if (i < n && Character.isLetterOrDigit(text.charAt(i))) {
            return Optional.empty();
        }
        if (i - start > PhaseId.MAX_LENGTH) {
            return Optional.empty();
        }
        PhaseId id = PhaseId.of(prefix, number, letter, Arrays.copyOf(segments, segmentCount));
        return Optional.of(new Match(id, start, i));
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
