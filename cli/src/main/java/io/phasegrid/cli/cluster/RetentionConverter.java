package io.phasegrid.cli.cluster;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A retention period: {@code 0} (keep forever) or a whole number with a unit, {@code 30m}, {@code 12h}, {@code 7d}. */
final class RetentionConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        if (v.length() >= 2) {
            char unit = v.charAt(v.length() - 1);
            try {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                if (n >= 0) {
                    switch (unit) {
                        case 's': return Duration.ofSeconds(n);
                        case 'm': return Duration.ofMinutes(n);
                        case 'h': return Duration.ofHours(n);
                        case 'd': return Duration.ofDays(n);
                        default: break;
                    }
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new TypeConversionException("expected 0 or a whole number with s, m, h or d (e.g. 7d), not '" + value
                + "'");
    }
}
