package io.phasegrid.common.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.phasegrid.common.testing.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every real {@code Depends on} value from DEPENDS_ON_VARIANTS.tsv goes through the parser. */
class DependsOnVariantsTest {

    private static List<String> values() throws IOException {
        List<String> lines = Files.readAllLines(Corpus.root().resolve("DEPENDS_ON_VARIANTS.tsv"), StandardCharsets.UTF_8);
        return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t", 3)[2]).toList();
    }

    private static List<String> ids(String value) {
        return DependsOnParser.parse(value).references().stream()
                .map(r -> r.isRange() ? r.from() + ".." + r.to() : r.from().normalized()).toList();
    }

    @Test
    void everyVariantParsesWithoutException() throws IOException {
        List<String> values = values();
        assertThat(values).hasSizeGreaterThan(100);
        for (String v : values) {
            assertThatCode(() -> DependsOnParser.parse(v)).as(v).doesNotThrowAnyException();
        }
    }

    @Test
    void aSampleOfRowsReadsAsExpected() throws IOException {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("Nothing (first phase)", List.of());
        expected.put("Phase 85, Phase 87, Phase 88", List.of("85", "87", "88"));
        expected.put("Phases 85-98", List.of("85..98"));
        expected.put("Phase 113 (v7.0 complete)", List.of("113"));
        expected.put("Phases 114, 115, 116", List.of("114", "115", "116"));
        expected.put("Phase 38.2 (Plan 38.2-01 service/config/i18n foundations stay; Plans 38.2-02, 38.2-04 partially "
                + "unwound; Plan 38.2-03 partials removed; Plan 38.2-05 tests rewritten)", List.of("38.2"));
        expected.put("none (stands alone \u2014 first phase of v12.0)", List.of());
        expected.put("Phase 104, Phase 105, Phase 106, Phase 107 (the per-platform request-shape tests in 108 codify "
                + "the patterns established in 104-107; HYGIENE-04's coverage target requires the upstream fixes to be "
                + "in place)", List.of("104", "105", "106", "107"));
        expected.put("Phase 33 (tokens), Phase 36 (shell chrome), Phase 37 (DossierGlyph)", List.of("33", "36", "37"));
        expected.put("Phases 33, 34, 35, 36, 37, 38, 39, 40, 41, 42 (can only run after every reskin phase lands)",
                List.of("33", "34", "35", "36", "37", "38", "39", "40", "41", "42"));
        expected.put("Nothing (independent of Phases 20-21; depends only on nt_core from v1.2)", List.of());
        expected.put("Phase 40 (v1.12.0 complete \u2014 independent of Phases 41 and 42)", List.of("40"));
        expected.put("Phase 54.1 (agent memory write-back must exist)", List.of("54.1"));
        expected.put("Previous milestone complete", List.of());
        List<String> values = values();
        expected.forEach((value, ids) -> {
            assertThat(values).as("row present in the corpus").contains(value);
            assertThat(ids(value)).as(value).containsExactlyElementsOf(ids);
        });
        String ncrutzen = values.stream().filter(v -> v.startsWith("Phase 81 (fold Stage 1")).findFirst().orElseThrow();
        assertThat(ids(ncrutzen)).containsExactly("81");
        assertThat(DependsOnParser.parse("v1.4 complete").milestoneText()).isNotEmpty();
        assertThat(DependsOnParser.parse("Previous milestone complete").milestoneText()).isNotEmpty();
    }
}
