package io.phasegrid.common.roadmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The one rule for resolving a phase id that several phases may share (numbering that restarts per milestone,
 * duplicate ids), used for declared {@code Depends on} references and for inferred summary references alike:
 * <ol>
 *   <li>the only phase with that id;</li>
 *   <li>else the only one in the referring phase's milestone: when that is the referring phase itself, the reference
 *       is a self reference (the milestone's own phase wins over another milestone's);</li>
 *   <li>else, among the phases of that milestone (or all of them when none is in it), other than the referring one,
 *       the nearest before the referring phase in roadmap order;</li>
 *   <li>else the first after it.</li>
 * </ol>
 */
public final class PhaseLookup {

    /** How the choice was made. */
    public enum Rule {
        NOT_FOUND(""),
        ONLY(""),
        SELF("the one in its own milestone is the phase itself"),
        SAME_MILESTONE("the one in the same milestone"),
        NEAREST_BEFORE("the nearest preceding one"),
        FIRST_AFTER("the nearest following one (none precedes it)");

        private final String text;

        Rule(String text) {
            this.text = text;
        }

        /** How the rule reads in a warning, e.g. {@code the nearest preceding one}. */
        public String text() {
            return text;
        }
    }

    /**
     * @param chosen the phase referred to; null when none ({@link Rule#NOT_FOUND}); the referring phase itself for
     *     {@link Rule#SELF}
     * @param rule how it was chosen
     * @param candidates every phase with the id, in roadmap order
     * @param milestone the referring phase's milestone (for {@link #describe})
     */
    public record Resolution<T>(T chosen, Rule rule, List<T> candidates, String milestone) {

        public Resolution {
            candidates = List.copyOf(candidates);
        }

        /** Several phases have the id, so the choice follows the rule above. */
        public boolean ambiguous() {
            return candidates.size() > 1;
        }

        /**
         * The shared wording of warnings: {@code Phase 03, which matches 2 phases (v1.0/03, v2.0/03); using v2.0/03,
         * the one in the same milestone v2.0}.
         */
        public String describe(PhaseId id, Function<T, String> key) {
            List<String> keys = candidates.stream().map(key).toList();
            String how = rule == Rule.SAME_MILESTONE || rule == Rule.SELF
                    ? rule.text() + (milestone.isEmpty() ? "" : " " + milestone)
                    : rule.text();
            return "Phase " + id + ", which matches " + keys.size() + " phases (" + String.join(", ", keys)
                    + "); using " + key.apply(chosen) + ", " + how;
        }
    }

    private PhaseLookup() {
    }

    /**
     * @param candidates the phases with the referenced id, in roadmap order
     * @param referrer the referring phase (may be among the candidates)
     * @param milestone a phase's milestone ({@code ""} when it has none)
     * @param position a phase's place in roadmap order (index or line)
     */
    public static <T> Resolution<T> resolve(List<T> candidates, T referrer, Function<T, String> milestone,
            ToIntFunction<T> position) {
        String own = milestone.apply(referrer);
        if (candidates.isEmpty()) {
            return new Resolution<>(null, Rule.NOT_FOUND, candidates, own);
        }
        if (candidates.size() == 1) {
            T only = candidates.get(0);
            return new Resolution<>(only, Objects.equals(only, referrer) ? Rule.SELF : Rule.ONLY, candidates, own);
        }
        List<T> sameMilestone = new ArrayList<>();
        for (T c : candidates) {
            if (milestone.apply(c).equals(own)) {
                sameMilestone.add(c);
            }
        }
        if (sameMilestone.size() == 1) {
            T same = sameMilestone.get(0);
            return new Resolution<>(same, Objects.equals(same, referrer) ? Rule.SELF : Rule.SAME_MILESTONE,
                    candidates, own);
        }
        int at = position.applyAsInt(referrer);
        T before = null;
        T after = null;
        for (T c : sameMilestone.isEmpty() ? candidates : sameMilestone) {
            if (Objects.equals(c, referrer)) {
                continue;
            }
            int p = position.applyAsInt(c);
            if (p < at && (before == null || p > position.applyAsInt(before))) {
                before = c;
            } else if (p >= at && (after == null || p < position.applyAsInt(after))) {
                after = c;
            }
        }
        return before != null
                ? new Resolution<>(before, Rule.NEAREST_BEFORE, candidates, own)
                : new Resolution<>(after, Rule.FIRST_AFTER, candidates, own);
    }
}
