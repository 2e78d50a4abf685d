package io.phasegrid.cli.cluster;

import io.phasegrid.coordinator.submit.SubmissionLimits;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --max-retained-bytes}: a percentage of the coordinator's maximum heap ({@code 25%}) or a size in bytes with
 * an optional binary unit ({@code 512m}, {@code 2g}, {@code 65536k}, {@code 1000000}); positive.
 */
final class RetainedBytesConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("%")) {
                int percent = Integer.parseInt(v.substring(0, v.length() - 1));
                if (percent >= 1 && percent <= 100) {
                    return SubmissionLimits.retainedBytesOfHeap(percent);
                }
            } else {
                int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
                    case 'k' -> 10;
                    case 'm' -> 20;
                    case 'g' -> 30;
                    default -> 0;
                };
                long n = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1));
                if (n > 0 && n <= Long.MAX_VALUE >> shift) {
                    return n << shift;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        throw new TypeConversionException("expected a percentage of the heap (1%..100%) or a positive size such as"
                + " 512m or 2g, got '" + shown + "'");
    }
}
