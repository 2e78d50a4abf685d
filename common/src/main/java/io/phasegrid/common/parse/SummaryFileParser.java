package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import io.phasegrid.common.roadmap.PhaseReference;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code requires:} entries of a {@code NN-MM-SUMMARY.md} frontmatter
 * ({@code - phase: 26-cli-integration-e2e-validation/26-02} or {@code - phase: 25-il-codegen-method-bodies} with an
 * optional {@code plan:}) as references to other phases.
 */
public final class SummaryFileParser {

    private SummaryFileParser() {
    }

    public static List<PhaseReference> requires(String displayFile, String text, PhaseId own, List<Problem> problems) {
        Frontmatter fm = Frontmatter.parse(displayFile, text, problems);
        Object requires = fm.fields().get("requires");
        List<PhaseReference> out = new ArrayList<>();
        if (!(requires instanceof Collection<?> entries)) {
            return out;
        }
        int line = requiresLine(text, fm.bodyFirstLine());
        for (Object entry : entries) {
            Object phase = entry instanceof Map<?, ?> map ? map.get("phase") : entry;
            if (phase == null) {
                continue;
            }
            String written = String.valueOf(phase).strip();
            Optional<PhaseId> target = PlanFileName.phaseOfFolder(written);
            if (target.isEmpty() || target.get().equals(own)) {
                continue;
            }
            Object plan = entry instanceof Map<?, ?> map ? map.get("plan") : null;
            String text2 = plan == null ? written : written + " plan " + plan;
            out.add(new PhaseReference(target.get().normalized(), PhaseReference.Kind.SUMMARY_REQUIRES, text2,
                    SourceRef.of(displayFile, line)));
        }
        return out;
    }

    /**
     * The line of the {@code requires:} key, looked for in the frontmatter lines only (before {@code bodyLine}) by
     * walking the text: it was already split once by {@link Frontmatter#parse}.
     */
    private static int requiresLine(String text, int bodyLine) {
        int n = text.length();
        int line = 1;
        int i = 0;
        while (i < n && line < bodyLine) {
            if (text.startsWith("requires:", i)) {
                return line;
            }
            while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                i++;
            }
            if (i < n && text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                i++;
            }
            i++;
            line++;
        }
        return 1;
    }
}
