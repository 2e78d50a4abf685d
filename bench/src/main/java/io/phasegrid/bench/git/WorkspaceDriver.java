package io.phasegrid.bench.git;

import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.GitWork;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import io.phasegrid.worker.executor.ShellExecutor;
import io.phasegrid.worker.executor.ShellOptions;
import io.phasegrid.worker.git.Git;
import io.phasegrid.worker.git.GitCredentials;
import io.phasegrid.worker.git.GitOptions;
import io.phasegrid.worker.git.GitWorkspaceExecutor;
import io.phasegrid.worker.git.RepoCache;
import io.phasegrid.worker.git.Worktree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The git workspace numbers of issue 11, on a generated repository of {@code --files} files and {@code --commits}
 * commits ({@link SyntheticRepository}) served over {@code file://}:
 * (1) preparing a phase workspace from a warm cache (fetch of two new input commits, worktree at the first, merge
 * of the second) against a fresh {@code git clone} of the same repository, side by side in alternating rounds;
 * (2) the integration step merging 100 phase results (and ticking their ROADMAP boxes, pushing the result);
 * (3) a no-op one-plan phase git-backed (worktree, commit, SUMMARY check, checkpoint push) against the same phase
 * plain. Everything runs through the worker's own classes ({@link GitWorkspaceExecutor}).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.phasegrid.bench.git.WorkspaceDriver [--files 10000]
 * [--commits 3000] [--rounds 5] [--phases 100]}.
 */
public final class WorkspaceDriver {

    private final Path dir;
    private final Path origin;
    private final String url;
    private final Git git = Git.cli().withEnv(java.util.Map.of("GIT_CONFIG_GLOBAL", "/dev/null"));
    private final Path scratch;
    private final String base;
    private int counter;

    private WorkspaceDriver(Path dir, int files, int commits) throws Exception {
        this.dir = dir;
        this.origin = dir.resolve("origin.git");
        long t = System.nanoTime();
        SyntheticRepository.create(origin, files, commits, 42);
        this.url = origin.toUri().toString();
        this.scratch = dir.resolve("scratch");
        git.run("clone", "-q", url, scratch.toString());
        Git in = git.in(scratch);
        StringBuilder roadmap = new StringBuilder("# Roadmap\n\n## Phases\n\n");
        for (int p = 1; p <= 100; p++) {
            roadmap.append("- [ ] **Phase ").append(p).append(": Phase ").append(p).append("** - work\n");
        }
        Files.createDirectories(scratch.resolve(".planning"));
        Files.writeString(scratch.resolve(".planning/ROADMAP.md"), roadmap);
        Files.writeString(scratch.resolve(".planning/STATE.md"), "# Project State\n\nStatus: Ready to execute\n");
        Files.createDirectories(scratch.resolve(".planning/phases/01-noop"));
        Files.writeString(scratch.resolve(".planning/phases/01-noop/01-01-PLAN.md"), "---\nwave: 1\n---\nnothing\n");
        in.run("add", "-A");
        in.run("commit", "-q", "-m", "plan");
        in.run("push", "-q", "origin", "HEAD:main");
        this.base = in.run("rev-parse", "HEAD");
        System.out.printf(Locale.ROOT, "repository: %d files, %d commits, %s, generated in %.1f s%n", files,
                commits + 1, size(origin), (System.nanoTime() - t) / 1e9);
    }

    public static void main(String[] argv) throws Exception {
        int files = 10_000;
        int commits = 3_000;
        int rounds = 5;
        int phases = 100;
        for (int i = 0; i + 1 < argv.length; i += 2) {
            switch (argv[i]) {
                case "--files" -> files = Integer.parseInt(argv[i + 1]);
                case "--commits" -> commits = Integer.parseInt(argv[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(argv[i + 1]);
                case "--phases" -> phases = Integer.parseInt(argv[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        Path dir = Files.createTempDirectory("phasegrid-workspace-bench-");
        try {
            WorkspaceDriver driver = new WorkspaceDriver(dir, files, commits);
            driver.prepareAgainstClone(rounds);
            driver.integration(phases);
            driver.noOpPhase(rounds);
        } finally {
            delete(dir);
        }
    }

    /** A new commit on the base touching one file of its own, pushed to {@code ref}; returns it. */
    private String inputCommit(String ref) throws Exception {
        Git in = git.in(scratch);
        in.run("checkout", "-q", "--detach", base);
        int n = ++counter;
        Files.writeString(scratch.resolve("src/input-" + n + ".txt"), "input " + n + "\n");
        in.run("add", "-A");
        in.run("commit", "-q", "-m", "feat(input-" + n + "): work");
        String commit = in.run("rev-parse", "HEAD");
        in.run("push", "-q", "origin", commit + ":" + ref);
        return commit;
    }

    private GitWorkspaceExecutor executor(Path root, CommandTemplate command) {
        return new GitWorkspaceExecutor(new ShellExecutor(ShellOptions.builder(command).build()),
                GitOptions.none().allowing(List.of(url)), root);
    }

    private PhaseTask phase(String run, String key, List<GitWork.Input> inputs, List<PhaseTask.Plan> plans,
            Path workspace, boolean integration) {
        GitWork work = new GitWork(integration, url, base, inputs, "", "",
                "refs/phasegrid/" + run + "/" + key + "/e1",
                integration ? "refs/heads/phasegrid/" + run + "/result" : "refs/heads/phasegrid/" + run + "/" + key,
                false, "main", "");
        return new PhaseTask(run, key, "Phase " + key, 1, 1, 0, plans, new byte[0], workspace, work);
    }

    /** (1) Warm preparation (fetch two new inputs, worktree at the first, merge the second) vs git clone. */
    private void prepareAgainstClone(int rounds) throws Exception {
        Path root = dir.resolve("worker");
        RepoCache cache = new RepoCache(root.resolve(".git-cache"), Git.cli(),
                new GitCredentials(GitOptions.none().allowing(List.of(url)), root.resolve("helpers")));
        long cold = timePrepare(cache, root, "cold");
        List<Double> warm = new ArrayList<>();
        List<Double> clone = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int order = 0; order < 2; order++) {
                if ((order == 0) == (r % 2 == 0)) {
                    warm.add(timePrepare(cache, root, "r" + r) / 1e6);
                } else {
                    Path target = dir.resolve("clone-" + r);
                    long t = System.nanoTime();
                    git.run("clone", "-q", url, target.toString());
                    clone.add((System.nanoTime() - t) / 1e6);
                    delete(target);
                }
            }
        }
        double w = median(warm);
        double c = median(clone);
        System.out.printf(Locale.ROOT, "prepare a phase workspace with two inputs (fetch + worktree + merge): cold"
                + " cache %.0f ms; warm cache median %.0f ms (%s); fresh git clone median %.0f ms (%s): warm = %.1f %%"
                + " of a clone%n", cold / 1e6, w, list(warm), c, list(clone), 100 * w / c);
    }

    /** The worker's own steps for a phase with two fresh inputs; the worktree is removed afterwards, untimed. */
    private long timePrepare(RepoCache cache, Path root, String run) throws Exception {
        String a = inputCommit("refs/phasegrid/" + run + "/a/e1");
        String b = inputCommit("refs/phasegrid/" + run + "/b/e1");
        long t = System.nanoTime();
        Path repo = cache.repository(url);
        cache.fetch(repo, url, List.of(base, a, b), run);
        long fetched = System.nanoTime();
        RepoCache.Checkout checkout = cache.addWorktree(repo, "worktree-agent-pg/" + run + "/c/e1", a);
        long added = System.nanoTime();
        List<String> conflicts = new Worktree(checkout.path(), cache.gitFor(checkout.path(), url))
                .merge(b, "phasegrid: merge phase b");
        long elapsed = System.nanoTime() - t;
        System.out.printf(Locale.ROOT, "    %s: fetch %.0f ms, worktree %.0f ms, merge %.0f ms%n", run,
                (fetched - t) / 1e6, (added - fetched) / 1e6, (System.nanoTime() - added) / 1e6);
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException("unexpected conflicts " + conflicts);
        }
        cache.removeWorktree(checkout);
        return elapsed;
    }

    /** (2) The integration step over {@code phases} phase results. */
    private void integration(int phases) throws Exception {
        List<GitWork.Input> inputs = new ArrayList<>();
        for (int p = 1; p <= phases; p++) {
            inputs.add(new GitWork.Input(String.valueOf(p), "Phase " + p,
                    inputCommit("refs/phasegrid/int/" + p + "/e1")));
        }
        Path root = dir.resolve("integrator");
        GitWorkspaceExecutor executor = executor(root, CommandTemplate.parse("true"));
        PhaseTask task = phase("int", "integration", inputs, List.of(), root.resolve("int/integration/e1"), true);
        long t = System.nanoTime();
        PhaseOutcome outcome = executor.execute(task, ExecutionListener.NONE);
        long elapsed = System.nanoTime() - t;
        if (outcome.status() != PhaseOutcome.Status.SUCCEEDED) {
            throw new IllegalStateException("integration failed: " + outcome);
        }
        System.out.printf(Locale.ROOT, "integration of %d phase results (merge each --no-ff, tick ROADMAP, advance"
                + " STATE, push result and phase branches): %.1f s%n", phases, elapsed / 1e9);
    }

    /** (3) A no-op one-plan phase git-backed against the same phase plain, alternating. */
    private void noOpPhase(int rounds) throws Exception {
        Path script = dir.resolve("noop.sh");
        Files.writeString(script, "#!/bin/sh\nprintf 'done\\n' > \"${1%-PLAN.md}-SUMMARY.md\"\n");
        CommandTemplate command = CommandTemplate.parse("/bin/sh " + script + " {plan_file}");
        Path root = dir.resolve("noop");
        GitWorkspaceExecutor gitExecutor = executor(root, command);
        ShellExecutor plain = new ShellExecutor(ShellOptions.builder(command).build());
        List<Double> withGit = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int r = -1; r < rounds; r++) {
            String run = "noop" + r;
            PhaseTask.Plan plan = new PhaseTask.Plan("01-01", ".planning/phases/01-noop/01-01-PLAN.md",
                    "---\nwave: 1\n---\nnothing\n".getBytes(), false);
            Path gitWorkspace = root.resolve(run).resolve("01").resolve("e1");
            long t = System.nanoTime();
            PhaseOutcome g = gitExecutor.execute(phase(run, "01", List.of(), List.of(plan), gitWorkspace, false),
                    ExecutionListener.NONE);
            double gitMs = (System.nanoTime() - t) / 1e6;
            Path plainWorkspace = Files.createDirectories(dir.resolve("plain-" + r));
            t = System.nanoTime();
            PhaseOutcome p = plain.execute(new PhaseTask(run, "01", "Phase 01", 1, 1, 0, List.of(plan), new byte[0],
                    plainWorkspace, null), ExecutionListener.NONE);
            double plainMs = (System.nanoTime() - t) / 1e6;
            if (g.status() != PhaseOutcome.Status.SUCCEEDED || p.status() != PhaseOutcome.Status.SUCCEEDED) {
                throw new IllegalStateException("no-op phase failed: git " + g + ", plain " + p);
            }
            if (r >= 0) {
                withGit.add(gitMs);
                without.add(plainMs);
            }
        }
        System.out.printf(Locale.ROOT, "no-op one-plan phase: git-backed median %.0f ms (%s), plain %.0f ms (%s):"
                + " overhead %.0f ms%n", median(withGit), list(withGit), median(without), list(without),
                median(withGit) - median(without));
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static String list(List<Double> v) {
        return String.join(", ", v.stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).toList());
    }

    private static String size(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            long bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            return String.format(Locale.ROOT, "%.1f MB packed", bytes / 1e6);
        }
    }

    private static void delete(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
