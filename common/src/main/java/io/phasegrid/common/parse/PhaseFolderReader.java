package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import io.phasegrid.common.roadmap.PhaseReference;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads {@code .planning/phases/*}: matches each folder to a roadmap phase by the id at the start of its name
 * ({@code 31.1-fix-...} is 31.1), reads its PLAN and SUMMARY files and attaches the plans in plan id order.
 */
final class PhaseFolderReader {

    private final String planningPrefix;
    private final LoadLimits limits;
    private final List<Problem> problems;
    private int filesRead;
    private boolean fileLimitReported;

    private PhaseFolderReader(String planningPrefix, LoadLimits limits, List<Problem> problems) {
        this.planningPrefix = planningPrefix;
        this.limits = limits;
        this.problems = problems;
    }

    /**
     * @param planningPrefix display path of the planning folder with a trailing slash ({@code .planning/})
     */
    static void attachPlans(Path planningDir, String planningPrefix, List<PhaseDraft> drafts, LoadLimits limits,
            List<Problem> problems) {
        Path phasesDir = planningDir.resolve("phases");
        if (!Files.isDirectory(phasesDir)) {
            return;
        }
        new PhaseFolderReader(planningPrefix, limits, problems).run(phasesDir, drafts);
    }

    private void run(Path phasesDir, List<PhaseDraft> drafts) {
        Map<PhaseId, List<PhaseDraft>> byId = new HashMap<>();
        for (PhaseDraft d : drafts) {
            byId.computeIfAbsent(d.id, k -> new ArrayList<>()).add(d);
        }
        Map<PhaseDraft, List<String>> foldersByPhase = new java.util.LinkedHashMap<>();
        for (String folder : sortedChildren(phasesDir, true)) {
            Optional<PhaseId> id = PlanFileName.phaseOfFolder(folder);
            if (id.isEmpty()) {
                continue;
            }
            List<PhaseDraft> candidates = byId.get(id.get());
            String display = planningPrefix + "phases/" + folder;
            if (candidates == null) {
                problems.add(Problem.of(ProblemCode.ORPHAN_PHASE_FOLDER, SourceRef.wholeFile(display),
                        "phase folder " + folder + " has no Phase " + id.get() + " in the roadmap; its plans are ignored"));
                continue;
            }
            PhaseDraft target = bySlug(candidates, folder, display);
            foldersByPhase.computeIfAbsent(target, k -> new ArrayList<>()).add(folder);
        }
        for (Map.Entry<PhaseDraft, List<String>> e : foldersByPhase.entrySet()) {
            PhaseDraft phase = e.getKey();
            List<String> folders = e.getValue();
            String chosen = folders.get(0);
            for (String f : folders) {
                if (f.equals(phase.id.normalized() + "-" + PhaseNames.slug(phase.name()))
                        || f.substring(f.indexOf('-') + 1).equals(PhaseNames.slug(phase.name()))) {
                    chosen = f;
                    break;
                }
            }
            for (String f : folders) {
                if (!f.equals(chosen)) {
                    problems.add(Problem.of(ProblemCode.DUPLICATE_PHASE_FOLDER,
                            SourceRef.wholeFile(planningPrefix + "phases/" + f),
                            "Phase " + phase.key + " has several folders; using " + chosen
                                    + " (closest to the roadmap name) and ignoring " + f));
                }
            }
            readFolder(phasesDir.resolve(chosen), chosen, phase);
        }
    }

    /**
     * The phase a folder belongs to when several phases share its id: the one whose name's slug is the folder's slug,
     * else the first, with an {@code AMBIGUOUS_PHASE_FOLDER} warning.
     */
    private PhaseDraft bySlug(List<PhaseDraft> candidates, String folder, String display) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        String slug = folder.substring(folder.indexOf('-') + 1);
        for (PhaseDraft c : candidates) {
            if (PhaseNames.slug(c.name()).equals(slug)) {
                return c;
            }
        }
        PhaseDraft chosen = candidates.get(0);
        List<String> keys = candidates.stream().map(c -> c.key).toList();
        problems.add(Problem.of(ProblemCode.AMBIGUOUS_PHASE_FOLDER, SourceRef.wholeFile(display),
                "phase folder " + folder + " matches phases " + String.join(", ", keys) + " by id and none by name;"
                        + " its plans are attached to " + chosen.key + " (the first); rename the folder to "
                        + chosen.id.normalized() + "-<slug of the phase name> to choose"));
        return chosen;
    }

    private void readFolder(Path dir, String folder, PhaseDraft phase) {
        TreeMap<String, Path> planFiles = new TreeMap<>();
        TreeMap<String, Path> summaryFiles = new TreeMap<>();
        for (String name : sortedChildren(dir, false)) {
            boolean plan = name.endsWith("-PLAN.md");
            boolean summary = name.endsWith("-SUMMARY.md");
            if (!plan && !summary) {
                continue;
            }
            Optional<PlanFileName> parsed = PlanFileName.parse(name);
            if (parsed.isEmpty() || !parsed.get().phase().equals(phase.id)) {
                continue;
            }
            (plan ? planFiles : summaryFiles).putIfAbsent(parsed.get().planNumber(), dir.resolve(name));
        }
        TreeMap<String, Plan> plans = new TreeMap<>();
        Map<String, List<PhaseReference>> requires = new HashMap<>();
        for (Map.Entry<String, Path> s : summaryFiles.entrySet()) {
            String display = display(folder, s.getValue());
            readText(s.getValue(), display).ifPresent(text ->
                    requires.put(s.getKey(), SummaryFileParser.requires(display, text, phase.id, problems)));
        }
        for (Map.Entry<String, Path> p : planFiles.entrySet()) {
            String display = display(folder, p.getValue());
            boolean hasSummary = summaryFiles.containsKey(p.getKey());
            Optional<String> text = readText(p.getValue(), display);
            Plan plan = text.isPresent()
                    ? PlanFileParser.parse(display, text.get(), phase.id, p.getKey(), hasSummary, problems)
                    : emptyPlan(phase.id, p.getKey(), display, hasSummary);
            plans.put(p.getKey(), withRequires(plan, requires.get(p.getKey())));
        }
        // A SUMMARY whose PLAN is gone still records a completed plan.
        for (Map.Entry<String, Path> s : summaryFiles.entrySet()) {
            if (!plans.containsKey(s.getKey())) {
                Plan plan = emptyPlan(phase.id, s.getKey(), display(folder, s.getValue()), true);
                plans.put(s.getKey(), withRequires(plan, requires.get(s.getKey())));
            }
        }
        phase.plans.addAll(plans.values());
    }

    private static Plan withRequires(Plan plan, List<PhaseReference> requires) {
        if (requires == null || requires.isEmpty()) {
            return plan;
        }
        List<PhaseReference> refs = new ArrayList<>(plan.references());
        refs.addAll(requires);
        return new Plan(plan.id(), plan.source(), plan.declaredWave(), plan.dependsOn(), plan.filesModified(),
                plan.autonomous(), plan.type(), plan.mustHaves(), plan.taskCount(), plan.requirements(),
                plan.estimatedTokens(), plan.hasSummary(), refs);
    }

    private static Plan emptyPlan(PhaseId phase, String number, String display, boolean hasSummary) {
        return new Plan(phase.normalized() + "-" + number, SourceRef.of(display, 1), null, List.of(), List.of(),
                null, null, 0, 0, 0, null, hasSummary, List.of());
    }

    private Optional<String> readText(Path file, String display) {
        if (filesRead >= limits.maxFiles()) {
            if (!fileLimitReported) {
                fileLimitReported = true;
                problems.add(Problem.of(ProblemCode.INPUT_TOO_LARGE, SourceRef.wholeFile(display),
                        "more than " + limits.maxFiles() + " plan and summary files; the rest are not read"));
            }
            return Optional.empty();
        }
        filesRead++;
        List<Problem> fileProblems = new ArrayList<>();
        Optional<String> text = InputReader.read(file, display, limits.maxPlanFileBytes(), fileProblems);
        for (Problem p : fileProblems) {
            // a bad plan file does not make the roadmap unrunnable: report it as a warning on that file
            problems.add(p.isError() ? p.asWarning("; file skipped") : p);
        }
        return text;
    }

    private String display(String folder, Path file) {
        return planningPrefix + "phases/" + folder + "/" + file.getFileName();
    }

    private List<String> sortedChildren(Path dir, boolean directories) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                if (Files.isDirectory(child) == directories) {
                    names.add(child.getFileName().toString());
                }
            }
        } catch (IOException | SecurityException e) {
            problems.add(Problem.of(ProblemCode.UNREADABLE_INPUT, SourceRef.wholeFile(planningPrefix + "phases"),
                    "cannot list " + dir.getFileName() + ": " + e.getMessage()));
        }
        names.sort(null);
        return names;
    }
}
