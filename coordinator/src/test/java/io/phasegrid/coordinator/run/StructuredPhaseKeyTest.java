package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StructuredPhaseKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "01", "2.1", "999.1", "api_v2", "auth-tenancy", "milestone/1", "Z", "._/-"})
    void aKeyIsOneToSixtyFourLettersDigitsDotsUnderscoresSlashesOrDashes(String key) {
        assertThat(StructuredPhases.isKey(key)).isTrue();
        assertThat(StructuredPhases.isKey("k".repeat(StructuredPhases.MAX_KEY - key.length()) + key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a\tb", "ä", "phase:1", "1,2", "a\u0000", "😀", "a*", "~", "[1]"})
    void anythingElseIsNotAKey(String key) {
        assertThat(StructuredPhases.isKey(key)).isFalse();
    }

    @Test
    void nullAndTooLongAreNotKeys() {
        assertThat(StructuredPhases.isKey(null)).isFalse();
        assertThat(StructuredPhases.isKey("k".repeat(StructuredPhases.MAX_KEY + 1))).isFalse();
    }
}
