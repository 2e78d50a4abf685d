package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import io.phasegrid.common.roadmap.PhaseReference;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code NN-MM-PLAN.md}: frontmatter fields ({@code wave}, {@code depends_on}, {@code files_modified} /
 * {@code files-modified}, {@code autonomous}, {@code type}, {@code requirements}, {@code must_haves},
 * {@code estimated_tokens} / {@code tokens}), the number of {@code <task} elements, and
 * {@code @.planning/phases/.../NN-MM-SUMMARY.md} includes of another phase's summary.
 */
public final class PlanFileParser {

    private PlanFileParser() {
    }

    /**
     * @param displayFile the file as shown in problems ({@code .planning/phases/07-x/07-02-PLAN.md})
     * @param phase the phase the plan belongs to (from its folder)
     * @param planNumber the two-digit plan number from the file name
     */
    public static Plan parse(String displayFile, String text, PhaseId phase, String planNumber, boolean hasSummary,
            List<Problem> problems) {
        Frontmatter fm = Frontmatter.parse(displayFile, text, problems);
        Map<String, Object> f = fm.fields();
        String planId = phase.normalized() + "-" + planNumber;
        List<PhaseReference> references = new ArrayList<>();
        int tasks = 0;
        for (int i = 0; i < fm.body().size(); i++) {
            String line = fm.body().get(i);
            tasks += countTasks(line);
            collectSummaryIncludes(line, phase, SourceRef.of(displayFile, fm.bodyFirstLine() + i), references);
        }
        Object files = f.containsKey("files_modified") ? f.get("files_modified") : f.get("files-modified");
        Object tokens = f.containsKey("estimated_tokens") ? f.get("estimated_tokens") : f.get("tokens");
        return new Plan(
                planId,
                SourceRef.of(displayFile, 1),
                toInteger(f.get("wave")),
                dependsOn(f.get("depends_on"), phase),
                strings(files),
                toBoolean(f.get("autonomous")),
                f.get("type") == null ? null : String.valueOf(f.get("type")),
                mustHaves(f.get("must_haves")),
                tasks,
                count(f.get("requirements")),
                toLong(tokens),
                hasSummary,
                references);
    }

    static int countTasks(String line) {
        int count = 0;
        int from = 0;
        while (true) {
            int at = line.indexOf("<task", from);
            if (at < 0) {
                return count;
            }
            int next = at + 5;
            if (next >= line.length() || line.charAt(next) == ' ' || line.charAt(next) == '>'
                    || line.charAt(next) == '/' || line.charAt(next) == '\t') {
                count++;
            }
            from = next;
        }
    }

    private static void collectSummaryIncludes(String line, PhaseId own, SourceRef where, List<PhaseReference> out) {
        int from = 0;
        while (true) {
            int at = line.indexOf("@.planning/phases/", from);
            if (at < 0) {
                return;
            }
            int end = at;
            while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && line.charAt(end) != '`'
                    && line.charAt(end) != ')' && line.charAt(end) != '"') {
                end++;
            }
            String path = line.substring(at, end);
            from = end;
            if (!path.endsWith("-SUMMARY.md")) {
                continue;
            }
            String rest = path.substring("@.planning/phases/".length());
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                continue;
            }
            Optional<PhaseId> target = PlanFileName.phaseOfFolder(rest.substring(0, slash));
            if (target.isPresent() && !target.get().equals(own)) {
                out.add(new PhaseReference(target.get().normalized(), PhaseReference.Kind.SUMMARY_INCLUDE,
                        path.substring(1), where));
            }
        }
    }

    /** {@code depends_on} items normalised to plan ids: {@code 07-02}, short {@code 02} or {@code 2} within the phase. */
    static List<String> dependsOn(Object value, PhaseId phase) {
        List<String> out = new ArrayList<>();
        for (Object item : items(value)) {
            String s = String.valueOf(item).strip();
            if (s.isEmpty()) {
                continue;
            }
            if (item instanceof Number || s.chars().allMatch(Character::isDigit)) {
                out.add(phase.normalized() + "-" + PlanFileName.pad(s.length() > 6 ? s.substring(s.length() - 6) : s));
                continue;
            }
            Optional<PlanFileName> full = PlanFileName.parse(s);
            if (full.isPresent() && s.length() <= full.get().phase().normalized().length() + 8) {
                out.add(full.get().planId());
            } else {
                out.add(s);
            }
        }
        return out;
    }

    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object item : items(value)) {
            if (item instanceof Map<?, ?> map && map.containsKey("path")) {
                out.add(String.valueOf(map.get("path")));
            } else if (item != null && !String.valueOf(item).isBlank()) {
                out.add(String.valueOf(item).strip());
            }
        }
        return out;
    }

    private static List<?> items(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (value instanceof String s && s.contains(",")) {
            List<String> parts = new ArrayList<>();
            for (String p : s.split(",")) {
                parts.add(p.strip());
            }
            return parts;
        }
        return List.of(value);
    }

    private static int count(Object value) {
        return (int) items(value).stream().filter(o -> o != null && !String.valueOf(o).isBlank()).count();
    }

    private static int mustHaves(Object value) {
        if (value instanceof Map<?, ?> map) {
            int n = 0;
            for (Object v : map.values()) {
                n += v instanceof Collection<?> c ? c.size() : (v == null ? 0 : 1);
            }
            return n;
        }
        return value instanceof Collection<?> c ? c.size() : 0;
    }

    private static Integer toInteger(Object value) {
        Long l = toLong(value);
        return l == null || l > Integer.MAX_VALUE || l < Integer.MIN_VALUE ? null : l.intValue();
    }

    private static Long toLong(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            String digits = s.strip().replace("_", "").replace(",", "");
            if (!digits.isEmpty() && digits.length() < 18 && digits.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(digits);
            }
        }
        return null;
    }

    private static Boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            String l = s.strip().toLowerCase(Locale.ROOT);
            if (l.equals("true") || l.equals("yes")) {
                return Boolean.TRUE;
            }
            if (l.equals("false") || l.equals("no")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }
}
