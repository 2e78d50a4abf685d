package io.phasegrid.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.roadmap.PhaseId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scanner builds the id while it walks the text, and agrees with {@link PhaseId#tryParse} on every input. */
class PhaseIdScannerTest {

    private static final List<String> INPUTS = List.of("7", "07", "2.1", "12A.1.2", "CK-01", "ck-1b", "36a", "82.7.1",
            "999.10", "0", "123456789", "1234567890", "ABCDEFG-1", "A-", "1.1.1.1.1.1.1.1.1", "1.2.3.4.5.6.7.8",
            "123456789.123456789.123456789.123456789.123456789.123456789.123456789", "12AB", "x", "");

    @Test
    void scanningAWholeStringGivesTheSameIdAsParsingIt() {
        for (String input : INPUTS) {
            PhaseIdScanner.at(input, 0).filter(m -> m.end() == input.length()).map(PhaseIdScanner.Match::id)
                    .ifPresentOrElse(
                            id -> assertThat(PhaseId.tryParse(input)).as(input).contains(id),
                            () -> assertThat(PhaseId.tryParse(input)).as(input).isEmpty());
        }
    }

    @Test
    void anIdBuiltFromItsPartsEqualsTheParsedOne() {
        assertThat(PhaseId.of("ck", 1, "b", 2, 10)).isEqualTo(PhaseId.parse("CK-01B.2.10"));
        assertThat(PhaseId.of("ck", 1, "b", 2, 10).normalized()).isEqualTo("CK-01B.2.10");
        assertThat(PhaseId.of("", 999, "", 9).compareTo(PhaseId.of("", 999, "", 10))).isNegative();
    }
}
