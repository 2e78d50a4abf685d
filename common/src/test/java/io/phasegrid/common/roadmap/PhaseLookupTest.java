package io.phasegrid.common.roadmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The resolution rule shared by declared and inferred references. */
class PhaseLookupTest {

    /** A phase as the lookup sees it: its key, milestone and place in roadmap order. */
    record P(String key, String milestone, int position) {
    }

    private static PhaseLookup.Resolution<P> resolve(List<P> candidates, P referrer) {
        return PhaseLookup.resolve(candidates, referrer, P::milestone, P::position);
    }

    private static final P V1_03 = new P("v1.0/03", "v1.0", 3);
    private static final P V2_03 = new P("v2.0/03", "v2.0", 13);
    private static final P V3_03 = new P("v3.0/03", "v3.0", 23);

    @Test
    void noCandidateIsNotFound() {
        assertThat(resolve(List.of(), V1_03).rule()).isEqualTo(PhaseLookup.Rule.NOT_FOUND);
    }

    @Test
    void theOnlyCandidateIsChosenWithoutAmbiguity() {
        PhaseLookup.Resolution<P> r = resolve(List.of(V1_03), new P("v1.0/04", "v1.0", 4));
        assertThat(r.chosen()).isEqualTo(V1_03);
        assertThat(r.ambiguous()).isFalse();
    }

    @Test
    void theSameMilestoneComesFirstEvenWhenThatIsTheReferrerItself() {
        assertThat(resolve(List.of(V1_03, V2_03), new P("v2.0/04", "v2.0", 14)).chosen()).isEqualTo(V2_03);
        PhaseLookup.Resolution<P> self = resolve(List.of(V1_03, V2_03), V2_03);
        assertThat(self.rule()).isEqualTo(PhaseLookup.Rule.SELF);
        assertThat(self.chosen()).isEqualTo(V2_03);
    }

    @Test
    void elseTheNearestBeforeElseTheFirstAfter() {
        List<P> all = List.of(V1_03, V2_03, V3_03);
        PhaseLookup.Resolution<P> before = resolve(all, new P("v4.0/01", "v4.0", 20));
        assertThat(before.chosen()).isEqualTo(V2_03);
        assertThat(before.describe(PhaseId.parse("3"), P::key))
                .isEqualTo("Phase 03, which matches 3 phases (v1.0/03, v2.0/03, v3.0/03); using v2.0/03, "
                        + "the nearest preceding one");
        PhaseLookup.Resolution<P> after = resolve(all, new P("v0/01", "v0", 1));
        assertThat(after.chosen()).isEqualTo(V1_03);
        assertThat(after.rule()).isEqualTo(PhaseLookup.Rule.FIRST_AFTER);
    }
}
