package io.phasegrid.cli.git;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.proto.v1.Delivery;
import io.phasegrid.proto.v1.GitSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A git run as the client prepares it: the base commit and its branch, the {@code .planning} tree as of that
 * commit (what is submitted, never the working tree), and the {@link GitSource} of the request. Close it to delete
 * the checked-out tree.
 */
public final class GitSubmission implements AutoCloseable {

    private final ProjectRepository repository;
    private final GitSource source;
    private final Path scratch;
    private final Path planning;

    private GitSubmission(ProjectRepository repository, GitSource source, Path scratch, Path planning) {
        this.repository = repository;
        this.source = source;
        this.scratch = scratch;
        this.planning = planning;
    }

    /**
     * Prepares a run of {@code repository} at {@code rev} for workers that fetch {@code url}; warns on {@code err}
     * when the run is based on HEAD and the checkout has changes the run will not see.
     */
    public static GitSubmission prepare(ProjectRepository repository, String rev, String url, Delivery delivery,
            PrintWriter err) throws InterruptedException {
        String base = repository.commit(rev);
        String branch = rev.equals("HEAD") ? repository.currentBranch() : repository.isBranch(rev) ? rev : "";
        if (delivery == Delivery.DELIVERY_FAST_FORWARD && branch.isEmpty()) {
            throw new InvalidInputException("--deliver fast-forward needs the base on a branch ('" + rev
                    + "' is not one); use --deliver branch");
        }
        if (rev.equals("HEAD")) {
            List<String> dirty = repository.uncommitted();
            if (!dirty.isEmpty()) {
                err.printf("warning: %d uncommitted change%s in %s are not part of the run (it runs on commit %s):%n",
                        dirty.size(), dirty.size() == 1 ? "" : "s", repository.root(), base);
                dirty.stream().limit(10).forEach(line -> err.println("  " + line));
                err.flush();
            }
        }
        GitSource source = GitSource.newBuilder().setRepoUrl(url).setBaseCommit(base).setBaseBranch(branch)
                .setDelivery(delivery).build();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("phasegrid-base-");
            Path planning = repository.checkoutPlanning(base, scratch);
            return new GitSubmission(repository, source, scratch, planning);
        } catch (IOException e) {
            delete(scratch);
            throw new UncheckedIOException("cannot read the roadmap of commit " + base, e);
        } catch (RuntimeException | InterruptedException e) {
            delete(scratch);
            throw e;
        }
    }

    public ProjectRepository repository() {
        return repository;
    }

    public GitSource source() {
        return source;
    }

    /** The {@code .planning} folder as of the base commit: read the roadmap and the bundle from here. */
    public Path planning() {
        return planning;
    }

    /** {@code --deliver branch|fast-forward}. */
    public static Delivery delivery(String option) {
        return switch (option) {
            case "branch" -> Delivery.DELIVERY_BRANCH;
            case "fast-forward" -> Delivery.DELIVERY_FAST_FORWARD;
            default -> throw new InvalidInputException("--deliver " + option + ": expected branch or fast-forward");
        };
    }

    @Override
    public void close() {
        delete(scratch);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
