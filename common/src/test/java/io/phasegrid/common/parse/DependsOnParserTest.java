package io.phasegrid.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.roadmap.PhaseId;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependsOnParserTest {

    private static List<String> ids(String value) {
        return DependsOnParser.parse(value).references().stream()
                .map(r -> r.isRange() ? r.from() + ".." + r.to() : r.from().normalized())
                .toList();
    }

    @Test
    void remarksInParenthesesAreRemovedBeforeReadingIds() {
        assertThat(ids("Phase 33 (tokens), Phase 34 (topbar)")).containsExactly("33", "34");
    }

    @Test
    void theValueEndsAtTheFirstSentenceEnd() {
        assertThat(ids("Phase 12 only. It can run beside Phase 13")).containsExactly("12");
    }

    @Test
    void theValueEndsAtSemicolonAndEmDash() {
        assertThat(ids("Phase 4; Phase 5 later")).containsExactly("04");
        assertThat(ids("Phase 4 \u2014 not Phase 5")).containsExactly("04");
    }

    @Test
    void idsJoinedByCommaAndAmpersandPlusSlash() {
        assertThat(ids("Phases 1, 2 and 3")).containsExactly("01", "02", "03");
        assertThat(ids("Phase 4 & 5 + 6 / 7")).containsExactly("04", "05", "06", "07");
        assertThat(ids("Phase 85, Phase 86")).containsExactly("85", "86");
    }

    @Test
    void rangesWithAnyDashIncludingMojibake() {
        assertThat(ids("Phases 85-98")).containsExactly("85..98");
        assertThat(ids("Phases 85\u201398")).containsExactly("85..98");
        assertThat(ids("Phases 85\u2014 98")).containsExactly("85..98");
        DependsOn garbled = DependsOnParser.parse("Phases 85\u00e2\u20ac\u201c98");
        assertThat(garbled.references()).singleElement().satisfies(r -> {
            assertThat(r.to()).isEqualTo(PhaseId.parse("98"));
            assertThat(r.garbledDash()).isTrue();
        });
    }

    @Test
    void nothingOrNoneMeansNoDependencyWhateverFollows() {
        DependsOn noDependency = new DependsOn(List.of(), "", List.of(), false);
        assertThat(DependsOnParser.parse("Nothing (independent of Phases 20-21)")).isEqualTo(noDependency);
        assertThat(DependsOnParser.parse("None (extends Phase 5)")).isEqualTo(noDependency);
        assertThat(DependsOnParser.parse("none").references()).isEmpty();
    }

    @Test
    void bareNumbersVersionsAndPlanIdsAreNotDependencies() {
        assertThat(ids("3 days, 60-05 and v1.2")).isEmpty();
        assertThat(ids("commit 4cb60d73")).isEmpty();
    }

    @Test
    void aMilestoneInsteadOfAPhaseIsReported() {
        DependsOn parsed = DependsOnParser.parse("v1.4 complete");
        assertThat(parsed.references()).isEmpty();
        assertThat(parsed.milestoneText()).isEqualTo("v1.4 complete");
    }

    @Test
    void anotherProjectsPhaseIsExternal() {
        DependsOn parsed = DependsOnParser.parse("api-repo Phase 5");
        assertThat(parsed.references()).isEmpty();
        assertThat(parsed.externalReferences()).containsExactly("api-repo Phase 5");
    }

    @Test
    void multiLevelDecimalsAndLetterSuffixes() {
        assertThat(ids("Phase 82.7.1")).containsExactly("82.7.1");
        assertThat(ids("Phase 36a and Phase 38.2")).containsExactly("36A", "38.2");
    }

    @Test
    void aPlanIdAfterPhaseRefersToItsPhase() {
        assertThat(ids("Phase 60-05")).containsExactly("60");
    }

    @Test
    void aDashWhoseUpperEndIsAfterTheLowerIsARangeEvenZeroPadded() {
        assertThat(ids("Phases 01-03")).containsExactly("01..03");
        assertThat(ids("Phases 1-3")).containsExactly("01..03");
        assertThat(ids("Phases 09-10")).containsExactly("09..10");
    }

    @Test
    void aDashWhoseUpperEndIsNotAfterTheLowerIsAPlanIdOfThatPhase() {
        assertThat(ids("Phase 60-05")).containsExactly("60");
        assertThat(ids("Phase 07-07")).containsExactly("07");
        assertThat(ids("Phase 38.2-01")).containsExactly("38.2");
    }

    @Test
    void aBareNumberAfterAJoinerIsAnIdOnlyWhenTheListGoesOnOrEnds() {
        assertThat(ids("Phase 5, 10 days")).containsExactly("05");
        assertThat(ids("Phase 4 and 2 others")).containsExactly("04");
        assertThat(ids("Phase 4 or 5 weeks of work")).containsExactly("04");
        assertThat(ids("Phases 1, 2 and 3 weeks")).containsExactly("01", "02");
    }

    @Test
    void listsOfIdsStillReadInFull() {
        assertThat(ids("Phases 114, 115, 116")).containsExactly("114", "115", "116");
        assertThat(ids("Phase 85, Phase 86")).containsExactly("85", "86");
        assertThat(ids("Phases 1, 2 and 3")).containsExactly("01", "02", "03");
        assertThat(ids("Phase 3 & 4")).containsExactly("03", "04");
        assertThat(ids("Phases 1, 2 (core), 3")).containsExactly("01", "02", "03");
        assertThat(ids("Phases 1, 2. Then more")).containsExactly("01", "02");
        assertThat(ids("Phases 1, 3-5")).containsExactly("01", "03..05");
    }

    @Test
    void textWithoutAnyReferenceIsUnparsed() {
        assertThat(DependsOnParser.parse("All previous phases").unparsed()).isTrue();
    }

    @Test
    void hostileValuesAreReadInOnePass() {
        String longValue = "Phase 1, ".repeat(50_000) + "(".repeat(10_000);
        assertThat(DependsOnParser.parse(longValue).references()).hasSize(50_000);
    }
}
