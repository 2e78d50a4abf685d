package io.phasegrid.coordinator.service;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.settings.RunSettingsResolver;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.submit.BundleAnalyzer;
import io.phasegrid.coordinator.submit.ClientText;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.coordinator.submit.SubmissionRejected.Reason;
import io.phasegrid.coordinator.submit.SubmissionRejected;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compile step of a submission: the bundle is analysed ({@link BundleAnalyzer}) and compiled with the request's
 * settings, taking from {@code config.json} the ones the request left unset ({@link Submission#fromConfig()},
 * resolved with {@link RunSettingsResolver}), else the defaults; a structured roadmap is compiled as given. Every
 * refusal is a {@link SubmissionRejected}; nothing is stored here.
 */
final class SubmissionCompiler {

    /** What a run is made of, before it gets an id. */
    record Compiled(RunBlueprint blueprint, String name, long minTokensPerPhase, Map<String, byte[]> plans,
            List<Problem> warnings) {
    }

    private final BundleAnalyzer analyzer;
    private final SubmissionLimits limits;
    private final long leaseTtlMs;

    SubmissionCompiler(SubmissionLimits limits, long leaseTtlMs) {
        this.analyzer = new BundleAnalyzer(limits);
        this.limits = limits;
        this.leaseTtlMs = leaseTtlMs;
    }

    /** @throws SubmissionRejected INVALID, TOO_LARGE, or EMPTY (no roadmap: neither bundle nor phases) */
    Compiled compile(Submission s) {
        RunSettings settings = (s.settings() == null ? RunSettings.defaults() : s.settings()).toBuilder()
                .leaseTtlMs(leaseTtlMs).build();
        return s.bundle() != null ? bundle(s, settings) : structured(s, settings);
    }

    private Compiled bundle(Submission s, RunSettings settings) {
        Analysis analysis = analyzer.analyze(s.bundle(), s.inferDependencies());
        ResolvedSettings resolved = fromConfig(s, analysis.roadmap().config(), settings, s.minTokensPerPhase());
        RunBlueprint blueprint;
        try {
            blueprint = RunBlueprint.compile(analysis, resolved.settings(), s.git());
        } catch (IllegalArgumentException e) {
            throw new SubmissionRejected(Reason.INVALID, e.getMessage());
        }
        Map<String, byte[]> plans = new LinkedHashMap<>();
        for (int i = 0; i < blueprint.size(); i++) {
            for (RunBlueprint.PlanRef plan : blueprint.plans(i)) {
                byte[] content = s.bundle().get(plan.path());
                if (content != null) {
                    plans.put(plan.path(), content);
                }
            }
        }
        String name = s.name() == null || s.name().isBlank() ? title(s.bundle()) : s.name();
        return new Compiled(blueprint, name, resolved.minTokens(), plans, analysis.warnings());
    }

    private Compiled structured(Submission s, RunSettings settings) {
        if (s.git() != null) {
            throw new SubmissionRejected(Reason.INVALID, "git: a git run needs a bundle roadmap (the .planning tree "
                    + "as of git.base_commit), not a structured one");
        }
        if (s.structured() == null || s.structured().isEmpty()) {
            throw new SubmissionRejected(Reason.EMPTY, "the submission has neither a bundle nor a structured roadmap "
                    + "with phases: set bundle (with .planning/ROADMAP.md) or structured.phases");
        }
        if (s.structured().size() > limits.maxPhases()) {
            throw new SubmissionRejected(Reason.TOO_LARGE, "structured roadmap has " + s.structured().size()
                    + " phases; the limit is " + limits.maxPhases());
        }
        if (!settings.includeBacklog().isEmpty()) {
            // the rule of a bundle (every key must be a backlog phase of the roadmap); a structured one has none
            throw new SubmissionRejected(Reason.INVALID, "include_backlog names '"
                    + ClientText.quote(settings.includeBacklog().get(0)) + "', which is not a backlog phase of the "
                    + "roadmap: a structured roadmap has no backlog phases (every phase it gives runs)");
        }
        ResolvedSettings resolved = fromConfig(s, Map.of(), settings, s.minTokensPerPhase());
        try {
            RunBlueprint blueprint = RunBlueprint.of(s.structured(), resolved.settings());
            String name = s.name() == null || s.name().isBlank() ? "roadmap" : s.name();
            return new Compiled(blueprint, name, resolved.minTokens(), Map.of(), List.of());
        } catch (IllegalArgumentException e) {
            throw new SubmissionRejected(Reason.INVALID, e.getMessage());
        }
    }

    private record ResolvedSettings(RunSettings settings, long minTokens) {
    }

    /** Request values win; names in {@code fromConfig} come from config.json, else the defaults. */
    private static ResolvedSettings fromConfig(Submission s, Map<String, Object> config, RunSettings settings,
            long minTokens) {
        if (s.fromConfig().isEmpty()) {
            return new ResolvedSettings(settings, minTokens);
        }
        io.phasegrid.common.settings.RunSettings resolved;
        try {
            resolved = RunSettingsResolver.resolve(config, Map.of());
        } catch (IllegalArgumentException e) {
            throw new SubmissionRejected(Reason.INVALID, ".planning/config.json: " + e.getMessage());
        }
        RunSettings.Builder b = settings.toBuilder();
        if (s.fromConfig().contains(RunSettingsResolver.MAX_PARALLEL)) {
            b.maxParallel(resolved.maxParallel().value());
        }
        if (s.fromConfig().contains(RunSettingsResolver.SCHEDULE)) {
            b.schedule(resolved.schedule().value());
        }
        long min = s.fromConfig().contains(RunSettingsResolver.MIN_TOKENS_PER_PHASE)
                ? resolved.minTokensPerPhase().value() : minTokens;
        return new ResolvedSettings(b.build(), min);
    }

    /** The first {@code # } heading of ROADMAP.md, else "roadmap". */
    private static String title(Map<String, byte[]> bundle) {
        byte[] roadmap = bundle.get(".planning/ROADMAP.md");
        if (roadmap != null) {
            for (String line : new String(roadmap, StandardCharsets.UTF_8).split("\n", 200)) {
                if (line.startsWith("# ")) {
                    return ClientText.cut(line.substring(2).strip(), 256);
                }
            }
        }
        return "roadmap";
    }
}
