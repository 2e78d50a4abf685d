package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.List;
import java.util.Map;

/**
 * YAML frontmatter between a first line {@code ---} and the next {@code ---} line, parsed with SnakeYAML Engine.
 *
 * @param fields the mapping, empty when absent or invalid
 * @param body the text after the frontmatter
 * @param bodyFirstLine 1-based line number of the body's first line
 */
record Frontmatter(Map<String, Object> fields, List<String> body, int bodyFirstLine) {

    static Frontmatter parse(String displayFile, String text, List<Problem> problems) {
        List<String> lines = TextLines.split(text);
        if (lines.isEmpty() || !lines.get(0).strip().equals("---")) {
            return new Frontmatter(Map.of(), lines, 1);
        }
        int close = -1;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("---") || l.equals("...")) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            problems.add(Problem.of(ProblemCode.INVALID_FRONTMATTER, SourceRef.of(displayFile, 1),
                    "frontmatter starts with '---' on line 1 but is never closed by another '---' line"));
            return new Frontmatter(Map.of(), lines, 1);
        }
        String yaml = String.join("\n", lines.subList(1, close));
        Map<String, Object> fields = load(displayFile, yaml, 1, problems);
        return new Frontmatter(fields, lines.subList(close + 1, lines.size()), close + 2);
    }

    /** Loads one YAML document that must be a mapping; {@code firstLine} is the file line of the YAML's line 0. */
    static Map<String, Object> load(String displayFile, String yaml, int firstLine, List<Problem> problems) {
        StructuredText.Loaded loaded =
                StructuredText.loadMapping(displayFile, yaml, StructuredText.Syntax.YAML, firstLine + 1);
        if (!loaded.ok()) {
            problems.add(Problem.of(ProblemCode.INVALID_FRONTMATTER, SourceRef.of(displayFile, loaded.line()),
                    loaded.error()));
        }
        return loaded.mapping();
    }
}
