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
                Duration d = n < 0 ? null : switch (unit) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> null;
                };
                if (d != null) {
                    d.toMillis(); // too long to count in milliseconds: rejected here, not at every pass
                    return d;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new TypeConversionException("expected 0 or a whole number with s, m, h or d (e.g. 7d), not '" + value
                + "'");
    }
}
