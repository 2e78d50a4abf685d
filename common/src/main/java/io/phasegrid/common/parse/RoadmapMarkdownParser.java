package io.phasegrid.common.parse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads ROADMAP.md line by line into phase definitions: {@code ##}..{@code ####} phase headings (only at line start),
 * checklist entries {@code - [x] **Phase 1: Name**}, plain {@code Phase 1: Name} lines inside {@code <details>}
 * history, and in a phase's section its goal, {@code Depends on}, requirements, success criteria and plan boxes.
 * Tracks the milestone context from milestone headings and {@code <summary>} lines. One pass, no recursion.
 */
final class RoadmapMarkdownParser {

    record Result(List<PhaseDefinition> definitions, List<MilestoneRange> ranges) {
    }

    /** Milestone context saved when a {@code <details>} block opens and restored when it closes. */
    private record Context(String headingMilestone, int headingLevel, boolean headingShipped, int backlogLevel) {
    }

    private record DetailsBlock(Context outer, String milestone, boolean history) {
    }

    private final List<PhaseDefinition> definitions = new ArrayList<>();
    private final List<MilestoneRange> ranges = new ArrayList<>();
    private final Deque<DetailsBlock> details = new ArrayDeque<>();

    private String headingMilestone = "";
    private int headingMilestoneLevel;
    private boolean headingShipped;
    private int backlogLevel;

    private PhaseDefinition section;
    private int sectionLevel;
    private boolean inSuccessCriteria;
    private int criteriaIndent = -1;
    private boolean inDependencyList;

    private RoadmapMarkdownParser() {
    }

    /**
     * The markdown pass itself reports nothing: oddities are found when definitions are assembled and dependencies
     * resolved.
     */
    static Result parse(String markdown) {
        RoadmapMarkdownParser parser = new RoadmapMarkdownParser();
        parser.run(TextLines.split(markdown));
        return new Result(parser.definitions, parser.ranges);
    }

    private void run(List<String> lines) {
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNo = i + 1;
            String trimmed = line.strip();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            if (handleDetails(trimmed)) {
                continue;
            }
            int level = MarkdownText.headingLevel(line);
            if (level > 0) {
                handleHeading(line, level, lineNo);
                continue;
            }
            Optional<MarkdownText.Checkbox> box = MarkdownText.checkbox(line);
            if (box.isPresent() && handleCheckbox(box.get(), lineNo)) {
                continue;
            }
            if (!details.isEmpty() && handleListedLine(trimmed, lineNo)) {
                continue;
            }
            if (section != null) {
                handleSectionLine(line, trimmed, lineNo);
            } else {
                collectRange(trimmed);
            }
        }
    }

    private boolean handleDetails(String trimmed) {
        if (trimmed.isEmpty() || trimmed.charAt(0) != '<') {
            return false; // every tag handled here starts the line; most lines are not tags
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        boolean handled = false;
        if (lower.startsWith("<details")) {
            endSection();
            details.push(new DetailsBlock(currentContext(), "", true));
            handled = true;
        }
        int summary = lower.indexOf("<summary");
        if (summary >= 0 && (handled || lower.startsWith("<summary"))) {
            String text = trimmed.replaceAll("<[^<>]{0,40}>", " ").strip();
            if (!details.isEmpty()) {
                DetailsBlock open = details.pop();
                details.push(new DetailsBlock(open.outer(), MarkdownText.version(text), !MarkdownText.saysNotDone(text)));
            }
            collectRange(text);
            handled = true;
        }
        if (lower.startsWith("</details")) {
            endSection();
            if (!details.isEmpty()) {
                restore(details.pop().outer());
            }
            handled = true;
        }
        return handled;
    }

    private void handleHeading(String line, int level, int lineNo) {
        String text = MarkdownText.headingText(line, level);
        Optional<MarkdownText.PhaseTitle> title = level >= 2 && level <= 4
                ? MarkdownText.phaseTitle(text) : Optional.empty();
        if (title.isPresent()) {
            PhaseNames.Cleaned name = PhaseNames.fromHeading(title.get().name());
            PhaseDefinition def = define(title.get(), PhaseDefinition.Kind.HEADING, lineNo, name.name(), null);
            def.completeMarker = name.completeMarker();
            section = def;
            sectionLevel = level;
            inSuccessCriteria = false;
            inDependencyList = false;
            return;
        }
        if (section != null && level > sectionLevel) {
            String lower = text.toLowerCase(Locale.ROOT);
            inDependencyList = lower.startsWith("dependencies") || lower.startsWith("depends on");
            inSuccessCriteria = lower.startsWith("success criteria");
            criteriaIndent = -1;
            return;
        }
        endSection();
        String version = MarkdownText.version(text);
        if (!version.isEmpty()) {
            headingMilestone = version;
            headingMilestoneLevel = level;
            headingShipped = MarkdownText.saysShipped(text);
            collectRange(text);
        } else if (level <= headingMilestoneLevel) {
            headingMilestone = "";
            headingMilestoneLevel = 0;
            headingShipped = false;
        }
        if (text.toLowerCase(Locale.ROOT).contains("backlog")) {
            backlogLevel = level;
        } else if (backlogLevel > 0 && level <= backlogLevel) {
            backlogLevel = 0;
        }
    }

    private boolean handleCheckbox(MarkdownText.Checkbox box, int lineNo) {
        String content = box.content();
        String nameAfterId;
        String rest = null;
        Optional<MarkdownText.PhaseTitle> title;
        if (content.startsWith("**") && content.indexOf("**", 2) > 2) {
            int close = content.indexOf("**", 2);
            title = MarkdownText.phaseTitle(content.substring(2, close));
            rest = content.substring(close + 2).strip();
            if (rest.startsWith(":")) {
                rest = rest.substring(1).strip();
            }
        } else {
            title = MarkdownText.phaseTitle(content);
        }
        if (title.isEmpty()) {
            if (section != null && looksLikePlan(content)) {
                section.planBoxes++;
                if (box.checked()) {
                    section.checkedPlanBoxes++;
                }
            }
            return section != null;
        }
        nameAfterId = title.get().name();
        PhaseNames.Cleaned name = PhaseNames.fromChecklist(nameAfterId, rest);
        endSection();
        PhaseDefinition def = define(title.get(), PhaseDefinition.Kind.CHECKLIST, lineNo, name.name(), box.checked());
        def.completeMarker = name.completeMarker();
        return true;
    }

    private boolean handleListedLine(String trimmed, int lineNo) {
        String s = trimmed.startsWith("- ") || trimmed.startsWith("* ") ? trimmed.substring(2).strip() : trimmed;
        if (!s.regionMatches(true, 0, "phase ", 0, 6)) {
            return false;
        }
        Optional<MarkdownText.PhaseTitle> title = MarkdownText.phaseTitle(s);
        if (title.isEmpty()) {
            return false;
        }
        PhaseNames.Cleaned name = PhaseNames.fromChecklist(title.get().name(), null);
        endSection();
        define(title.get(), PhaseDefinition.Kind.LISTED, lineNo, name.name(), null);
        return true;
    }

    private PhaseDefinition define(MarkdownText.PhaseTitle title, PhaseDefinition.Kind kind, int lineNo, String name,
            Boolean checked) {
        DetailsBlock block = details.peek();
        String milestone = block != null && !block.milestone().isEmpty() ? block.milestone() : headingMilestone;
        PhaseDefinition def = new PhaseDefinition(title.id(), kind, lineNo, name, milestone, checked);
        def.history = block != null && block.history();
        def.shippedMilestone = headingShipped && !headingMilestone.isEmpty();
        def.backlogSection = backlogLevel > 0;
        definitions.add(def);
        return def;
    }

    private void handleSectionLine(String line, String trimmed, int lineNo) {
        if (trimmed.isEmpty()) {
            return;
        }
        if (inSuccessCriteria) {
            if (MarkdownText.isListItem(line)) {
                int indent = MarkdownText.indent(line);
                if (criteriaIndent < 0) {
                    criteriaIndent = indent;
                }
                if (indent == criteriaIndent) {
                    section.successCriterionCount++;
                }
                return;
            }
            if (criteriaIndent >= 0 && MarkdownText.indent(line) > criteriaIndent) {
                return;
            }
            inSuccessCriteria = false;
        }
        if (inDependencyList) {
            if (MarkdownText.isListItem(line)) {
                String item = trimmed.substring(trimmed.indexOf(' ') + 1).strip();
                section.dependsOn.add(new PhaseDefinition.DependsOnLine(item, lineNo));
                return;
            }
            inDependencyList = false;
        }
        String value;
        if ((value = MarkdownText.labelValue(trimmed, "Goal")) != null) {
            if (section.goal.isEmpty()) {
                section.goal = value;
            }
        } else if ((value = MarkdownText.labelValue(trimmed, "Depends on")) != null
                || (value = MarkdownText.labelValue(trimmed, "Dependencies")) != null) {
            if (value.isEmpty()) {
                inDependencyList = true;
            } else {
                section.dependsOn.add(new PhaseDefinition.DependsOnLine(value, lineNo));
            }
        } else if ((value = MarkdownText.labelValue(trimmed, "Requirements")) != null) {
            section.requirementCount += RequirementCounter.count(value);
        } else if (startsWithLabel(trimmed, "Success Criteria")) {
            inSuccessCriteria = true;
            criteriaIndent = -1;
        }
    }

    private static boolean startsWithLabel(String trimmed, String label) {
        String s = trimmed.startsWith("**") ? trimmed.substring(2) : trimmed;
        return s.regionMatches(true, 0, label, 0, label.length());
    }

    private static boolean looksLikePlan(String content) {
        String s = content.replace("`", "").replace("*", "").strip();
        if (s.contains("-PLAN.md")) {
            return true;
        }
        Optional<PhaseIdScanner.Match> id = PhaseIdScanner.at(s, 0);
        return id.isEmpty() && planIdAtStart(s);
    }

    private static boolean planIdAtStart(String s) {
        int i = 0;
        while (i < s.length() && (PhaseIdScanner.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        return i > 0 && i + 1 < s.length() && s.charAt(i) == '-' && PhaseIdScanner.isDigit(s.charAt(i + 1));
    }

    /** Records {@code v1.2 ... Phases 19-29} style declarations. */
    private void collectRange(String text) {
        String version = MarkdownText.version(text);
        if (version.isEmpty()) {
            return;
        }
        int at = text.indexOf(version.substring(1));
        String after = at >= 0 ? text.substring(at) : text;
        for (DependsOn.Reference ref : DependsOnParser.referencesIn(after)) {
            ranges.add(new MilestoneRange(version, ref.from(), ref.isRange() ? ref.to() : ref.from()));
        }
    }

    private Context currentContext() {
        return new Context(headingMilestone, headingMilestoneLevel, headingShipped, backlogLevel);
    }

    private void restore(Context context) {
        headingMilestone = context.headingMilestone();
        headingMilestoneLevel = context.headingLevel();
        headingShipped = context.headingShipped();
        backlogLevel = context.backlogLevel();
    }

    private void endSection() {
        section = null;
        inSuccessCriteria = false;
        inDependencyList = false;
    }
}
