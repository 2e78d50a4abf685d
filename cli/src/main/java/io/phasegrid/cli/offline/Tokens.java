package io.phasegrid.cli.offline;

import java.util.Locale;

/** Token counts for humans: 950, 12.5k, 1.2M. */
final class Tokens {

    private Tokens() {
    }

    static String format(long tokens) {
        if (tokens < 1_000) {
            return Long.toString(tokens);
        }
        if (tokens < 1_000_000) {
            return trim(String.format(Locale.ROOT, "%.1f", tokens / 1_000.0)) + "k";
        }
        return trim(String.format(Locale.ROOT, "%.2f", tokens / 1_000_000.0)) + "M";
    }

    private static String trim(String number) {
        return number.contains(".") ? number.replaceAll("0+$", "").replaceAll("\\.$", "") : number;
    }
}
