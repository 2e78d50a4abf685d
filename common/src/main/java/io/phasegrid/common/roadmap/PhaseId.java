package io.phasegrid.common.roadmap;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GSD phase id: {@code [A-Z]{1,6}-}? {@code \d+[A-Z]?(\.\d+)*}, e.g. {@code 7}, {@code 07}, {@code 2.1},
 * {@code 12A.1.2}, {@code CK-01}.
 *
 * <p>The normalised form zero-pads the integer part to two digits ({@code 2.1 -> 02.1}). Ordering is by prefix
 * (none first), integer, letter (none first), then each decimal segment numerically, so {@code 999.9 < 999.10}.
 * Ids are never parsed as floating point numbers.
 */
public final class PhaseId implements Comparable<PhaseId> {

    /** The grammar, anchored. Letter suffix is upper case; a lower-case letter is accepted and upper-cased. */
    public static final Pattern GRAMMAR =
            Pattern.compile("(?:([A-Za-z]{1,6})-)?(\\d{1,9})([A-Za-z])?((?:\\.\\d{1,9})*)");

    /** Longer text is never an id (also keeps the regex from recursing deeply on hostile input). */
    public static final int MAX_LENGTH = 64;

    private final String prefix;
    private final long number;
    private final String letter;
    private final long[] segments;
    private final String normalized;

    private PhaseId(String prefix, long number, String letter, long[] segments) {
        this.prefix = prefix;
        this.number = number;
        this.letter = letter;
        this.segments = segments;
        this.normalized = render();
    }

    /** Parses {@code text} (surrounding whitespace ignored) or returns empty when it is not a phase id. */
    public static Optional<PhaseId> tryParse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = GRAMMAR.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String prefix = m.group(1) == null ? "" : m.group(1).toUpperCase(java.util.Locale.ROOT);
        long number = Long.parseLong(m.group(2));
        String letter = m.group(3) == null ? "" : m.group(3).toUpperCase(java.util.Locale.ROOT);
        String rest = m.group(4);
        long[] segments = rest.isEmpty()
                ? new long[0]
                : Arrays.stream(rest.substring(1).split("\\.")).mapToLong(Long::parseLong).toArray();
        return Optional.of(new PhaseId(prefix, number, letter, segments));
    }

    /**
     * Builds an id from its parts, for scanners that have already walked the text (no second parse).
     *
     * @param prefix 0 to 6 ASCII letters (upper-cased)
     * @param number the integer part, not negative
     * @param letter empty or one ASCII letter (upper-cased)
     * @param segments the decimal segments, none negative
     * @throws IllegalArgumentException when a part is out of the grammar
     */
    public static PhaseId of(String prefix, long number, String letter, long... segments) {
        if (prefix.length() > 6 || !allAsciiLetters(prefix) || number < 0 || letter.length() > 1
                || !allAsciiLetters(letter) || !noneNegative(segments)) {
            throw new IllegalArgumentException("not a phase id: prefix '" + prefix + "', number " + number
                    + ", letter '" + letter + "', segments " + Arrays.toString(segments));
        }
        return new PhaseId(prefix.isEmpty() ? "" : prefix.toUpperCase(java.util.Locale.ROOT), number,
                letter.isEmpty() ? "" : letter.toUpperCase(java.util.Locale.ROOT), segments.clone());
    }

    private static boolean allAsciiLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean noneNegative(long[] values) {
        for (long v : values) {
            if (v < 0) {
                return false;
            }
        }
        return true;
    }

    /** Parses {@code text} or throws {@link IllegalArgumentException} naming what was expected. */
    public static PhaseId parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(
                "not a phase id: '" + text + "' (expected e.g. 7, 02.1, 12A.1.2 or CK-01)"));
    }

    public String prefix() {
        return prefix;
    }

    public long number() {
        return number;
    }

    public String letter() {
        return letter;
    }

    /** The decimal segments after the integer part ({@code 12A.1.2 -> [1, 2]}). */
    public long[] segments() {
        return segments.clone();
    }

    /** True for an inserted (decimal) phase such as {@code 02.1}. */
    public boolean isDecimal() {
        return segments.length > 0;
    }

    /** The {@code 999.x} backlog convention. */
    public boolean isBacklog() {
        return prefix.isEmpty() && number == 999 && segments.length > 0;
    }

    /** The id with the integer part zero-padded to two digits. */
    public String normalized() {
        return normalized;
    }

    private String render() {
        StringBuilder sb = new StringBuilder();
        if (!prefix.isEmpty()) {
            sb.append(prefix).append('-');
        }
        if (number < 10) {
            sb.append('0');
        }
        sb.append(number).append(letter);
        for (long s : segments) {
            sb.append('.').append(s);
        }
        return sb.toString();
    }

    @Override
    public int compareTo(PhaseId o) {
        int c = prefix.compareTo(o.prefix);
        if (c != 0) {
            return c;
        }
        c = Long.compare(number, o.number);
        if (c != 0) {
            return c;
        }
        c = letter.compareTo(o.letter);
        if (c != 0) {
            return c;
        }
        int n = Math.min(segments.length, o.segments.length);
        for (int i = 0; i < n; i++) {
            c = Long.compare(segments[i], o.segments[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(segments.length, o.segments.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhaseId other && normalized.equals(other.normalized);
    }

    @Override
    public int hashCode() {
        return Objects.hash(normalized);
    }

    @Override
    public String toString() {
        return normalized;
    }
}
