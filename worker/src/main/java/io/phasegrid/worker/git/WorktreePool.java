package io.phasegrid.worker.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The worktrees of one cache clone, kept between leases: checking out 10,000 files costs seconds, moving a worktree
 * that is already checked out to a commit near its last one costs the files that differ. A worktree in use holds a
 * file lock ({@code wt-N.lock}), so the slots of this worker and other workers sharing the cache never share one;
 * an idle worktree is reset, cleaned of every untracked and ignored file and moved to the new branch and commit
 * when it is taken, and detached from its branch when it is given back, so nothing of an attempt reaches the next.
 * Called under the cache's lock.
 */
final class WorktreePool {

    private final ConcurrentHashMap<Path, FileLock> held = new ConcurrentHashMap<>();

    /** A worktree on {@code branch} at {@code commit}: an idle one of the pool when there is one, else a new one. */
    Path acquire(Git git, Path repo, String branch, String commit) throws InterruptedException {
        Path pool = repo.resolveSibling(repo.getFileName() + ".worktrees");
        try {
            Files.createDirectories(pool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + pool, e);
        }
        List<Path> existing = list(pool);
        for (Path candidate : existing) {
            FileLock lock = tryLock(candidate);
            if (lock == null) {
                continue;
            }
            Git in = git.in(candidate);
            try {
                // release() reset it; checkout -f discards whatever else changed since
                in.run("clean", "-q", "-ffdx");
                in.run("checkout", "-q", "-f", "-B", branch, commit);
                held.put(candidate, lock);
                return candidate;
            } catch (GitException e) {
                // a worktree git no longer knows (pruned, half removed): drop it and try the next
                git.in(repo).exec(null, "worktree", "remove", "--force", "--force", candidate.toString());
                unlock(lock);
                deleteTree(candidate);
            }
        }
        for (int n = existing.size(); ; n++) {
            Path fresh = pool.resolve("wt-" + n);
            if (Files.exists(fresh)) {
                continue;
            }
            FileLock lock = tryLock(fresh);
            if (lock == null) {
                continue;
            }
            try {
                git.in(repo).run("worktree", "prune");
                git.in(repo).run("worktree", "add", "-q", "-f", "-B", branch, fresh.toString(), commit);
            } catch (GitException e) {
                unlock(lock);
                throw e;
            }
            held.put(fresh, lock);
            return fresh;
        }
    }

    /** Gives a worktree back: detached from its branch (deleted), then free for the next lease. */
    void release(Git git, Path repo, Path worktree, String branch) throws InterruptedException {
        try {
            git.in(worktree).exec(null, "reset", "-q", "--hard");
            git.in(worktree).exec(null, "checkout", "-q", "--detach");
            git.in(repo).exec(null, "branch", "-q", "-D", branch);
        } finally {
            FileLock lock = held.remove(worktree);
            if (lock != null) {
                unlock(lock);
            }
        }
    }

    private static List<Path> list(Path pool) {
        try (Stream<Path> dirs = Files.list(pool)) {
            return dirs.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + pool, e);
        }
    }

    /** The lock of a worktree, or null when it is in use (here or in another process). */
    private static FileLock tryLock(Path worktree) {
        Path lockFile = worktree.resolveSibling(worktree.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            close(channel);
            return null;
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        }
    }

    private static void unlock(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            // the lock goes with the channel anyway
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover folder is skipped next time (git no longer knows it, so it is dropped again)
        }
    }
}
