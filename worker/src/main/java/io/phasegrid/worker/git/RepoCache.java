package io.phasegrid.worker.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One bare clone per repository URL under {@code <dir>/<hash of the URL>.git}, shared by every lease of the worker
 * (and by other workers with the same workspace). It has no remote configured, so an agent's {@code git push origin}
 * in a worktree fails; PhaseGrid fetches and pushes by URL. Whatever changes the clone's shared state (fetch,
 * worktree add and remove) runs under a lock: a JVM lock (slots of this worker) and a file lock (other processes).
 * {@code .phasegrid/} (the executors' control files) is excluded in every worktree; automatic gc is off, so commits
 * fetched by hash stay without a ref.
 */
public final class RepoCache {

    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final Git git;
    private final GitCredentials credentials;
    private final WorktreePool worktrees = new WorktreePool();

    public RepoCache(Path dir, Git git, GitCredentials credentials) {
        this.dir = dir.toAbsolutePath().normalize();
        this.git = git;
        this.credentials = credentials;
    }

    /** A worktree of the cache, on its own branch. */
    public record Checkout(Path repo, Path path, String branch) {
    }

    /** Something done while holding a repository's lock. */
    @FunctionalInterface
    interface Locked<T> {
        T run() throws InterruptedException;
    }

    /** The bare clone of {@code url}, created empty if it does not exist yet. */
    public Path repository(String url) throws InterruptedException {
        Path repo = dir.resolve(hash(url) + ".git");
        return locked(repo, () -> {
            if (!Files.isRegularFile(repo.resolve("HEAD"))) {
                try {
                    Files.createDirectories(repo);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the git cache " + repo, e);
                }
                git.in(repo).run("init", "-q", "--bare");
                git.in(repo).run("config", "gc.auto", "0");
                // index v4 and the untracked cache: each worktree scan (status, clean, checkout) reads less
                git.in(repo).run("config", "feature.manyFiles", "true");
                try {
                    Files.createDirectories(repo.resolve("info"));
                    Files.writeString(repo.resolve("info").resolve("exclude"), "/.phasegrid/\n",
                            StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + repo.resolve("info/exclude"), e);
                }
            }
            return repo;
        });
    }

    /**
     * Fetches from {@code url} the commits the cache lacks: by hash, else every branch and the run's refs
     * ({@code refs/phasegrid/<run>/*}, where the checkpoints are). Fails naming the commits still missing.
     */
    public void fetch(Path repo, String url, List<String> commits, String runId) throws InterruptedException {
        locked(repo, () -> {
            List<String> missing = missing(repo, commits);
            if (missing.isEmpty()) {
                return null;
            }
            Git remote = git.in(repo).withEnv(credentials.environmentFor(url));
            List<String> byHash = new ArrayList<>(List.of("fetch", "-q", "--no-tags", "--no-write-fetch-head", url));
            // each fetched commit gets a ref, so the next fetch tells the server what this clone has (without
            // refs, every fetch would send the whole history again)
            missing.forEach(c -> byHash.add(c + ":refs/cache/commits/" + c));
            if (remote.exec(null, byHash.toArray(String[]::new)).exitCode() != 0) {
                remote.run("fetch", "-q", "--no-tags", url, "+refs/heads/*:refs/cache/heads/*",
                        "+refs/phasegrid/" + runId + "/*:refs/cache/phasegrid/" + runId + "/*");
            }
            List<String> still = missing(repo, commits);
            if (!still.isEmpty()) {
                throw new GitException("git fetch " + url, 0, "commit(s) not found on " + url + ": "
                        + String.join(", ", still));
            }
            return null;
        });
    }

    /** The commits the clone lacks, asked in one {@code cat-file --batch-check} (a process per commit costs more). */
    private List<String> missing(Path repo, List<String> commits) throws InterruptedException {
        List<String> distinct = commits.stream().distinct().toList();
        if (distinct.isEmpty()) {
            return List.of();
        }
        StringBuilder query = new StringBuilder();
        distinct.forEach(c -> query.append(c).append("^{commit}\n"));
        List<String> missing = new ArrayList<>();
        Git.Result result = git.in(repo).exec(query.toString().getBytes(StandardCharsets.UTF_8), "cat-file",
                "--batch-check=%(objecttype)");
        String[] lines = result.stdout().split("\n", -1);
        for (int i = 0; i < distinct.size(); i++) {
            if (result.exitCode() != 0 || i >= lines.length || !lines[i].strip().equals("commit")) {
                missing.add(distinct.get(i));
            }
        }
        return missing;
    }

    /**
     * A worktree on branch {@code branch} at {@code commit}, from this clone's pool ({@link WorktreePool}): a
     * warm lease moves an existing worktree instead of checking out every file again.
     */
    public Checkout addWorktree(Path repo, String branch, String commit) throws InterruptedException {
        return locked(repo, () -> new Checkout(repo, worktrees.acquire(git, repo, branch, commit), branch));
    }

    /** Gives the worktree back to the pool and deletes its branch. Never throws for git. */
    public void removeWorktree(Checkout checkout) throws InterruptedException {
        locked(checkout.repo(), () -> {
            worktrees.release(git, checkout.repo(), checkout.path(), checkout.branch());
            return null;
        });
    }

    /** Pushes {@code commit} to {@code ref} on {@code url} (forced: each ref PhaseGrid writes is its own). */
    public void push(Path repo, String url, String commit, String ref) throws InterruptedException {
        git.in(repo).withEnv(credentials.environmentFor(url))
                .run("push", "-q", "--force", "--no-verify", url, commit + ":" + ref);
    }

    /** The git PhaseGrid uses in {@code directory}, with the credentials for {@code url}. */
    public Git gitFor(Path directory, String url) {
        return git.in(directory).withEnv(credentials.environmentFor(url));
    }

    <T> T locked(Path repo, Locked<T> action) throws InterruptedException {
        ReentrantLock lock = LOCKS.computeIfAbsent(repo, r -> new ReentrantLock());
        lock.lockInterruptibly();
        try {
            Files.createDirectories(repo.getParent());
            try (FileChannel channel = FileChannel.open(repo.resolveSibling(repo.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock fileLock = channel.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the git cache " + repo, e);
        } finally {
            lock.unlock();
        }
    }

    static String hash(String url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
