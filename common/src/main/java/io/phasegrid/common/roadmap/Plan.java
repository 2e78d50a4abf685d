package io.phasegrid.common.roadmap;

import java.util.List;

/**
 * One {@code NN-MM-PLAN.md} file.
 *
 * @param id normalised plan id, phase id + '-' + two-digit plan number ({@code 07-06}, {@code 02.1-03})
 * @param source the PLAN file (line 1)
 * @param declaredWave {@code wave} from the frontmatter, null when absent
 * @param dependsOn normalised plan ids from {@code depends_on} (short {@code MM} forms expanded with this phase)
 * @param filesModified {@code files_modified} / {@code files-modified}, as written, in file order
 * @param autonomous {@code autonomous}, null when absent
 * @param type {@code type}, null when absent
 * @param mustHaves number of {@code must_haves} entries (truths + artifacts + key links), 0 when absent
 * @param taskCount number of {@code <task} elements in the body
 * @param requirements number of {@code requirements} entries in the frontmatter
 * @param estimatedTokens {@code estimated_tokens} (or {@code tokens}) from the frontmatter, null when absent
 * @param hasSummary a matching {@code NN-MM-SUMMARY.md} exists (the plan is complete)
 * @param references references to other phases (summary includes, summary requires)
 */
public record Plan(
        String id,
        SourceRef source,
        Integer declaredWave,
        List<String> dependsOn,
        List<String> filesModified,
        Boolean autonomous,
        String type,
        int mustHaves,
        int taskCount,
        int requirements,
        Long estimatedTokens,
        boolean hasSummary,
        List<PhaseReference> references) {

    public Plan {
        dependsOn = List.copyOf(dependsOn);
        filesModified = List.copyOf(filesModified);
        references = List.copyOf(references);
    }
}
