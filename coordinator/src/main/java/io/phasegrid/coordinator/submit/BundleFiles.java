package io.phasegrid.coordinator.submit;

import io.phasegrid.coordinator.submit.SubmissionRejected.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A submitted {@code .planning} bundle written to a private temporary folder, so the same loader that reads a
 * folder on disk reads it. Paths are checked first: relative, {@code /}-separated, under {@code .planning/}, no
 * {@code ..}, no duplicates; sizes against {@link SubmissionLimits}.
 */
public final class BundleFiles implements AutoCloseable {

    private static final String PLANNING_PREFIX = ".planning/";

    private final Path root;

    private BundleFiles(Path root) {
        this.root = root;
    }

    /** The project root of the written bundle (it contains {@code .planning}). */
    public Path root() {
        return root;
    }

    /**
     * @param files bundle path -> content
     * @throws SubmissionRejected for bad paths (INVALID), sizes over the limits (TOO_LARGE) or no ROADMAP.md (EMPTY,
     *     answered INVALID_ARGUMENT)
     */
    public static BundleFiles write(Map<String, byte[]> files, SubmissionLimits limits) {
        check(files, limits);
        Path root;
        try {
            root = Files.createTempDirectory("phasegrid-bundle-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BundleFiles bundle = new BundleFiles(root);
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = root.resolve(file.getKey()).normalize();
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
        } catch (FileSystemException e) {
            bundle.close();
            // e.g. both "x" and "x/y-PLAN.md": one path is a file where the other needs a folder
            throw new SubmissionRejected(Reason.INVALID, "bundle paths conflict at '"
                    + ClientText.quote(root.relativize(Path.of(e.getFile())).toString())
                    + "': a path is both a file and a folder");
        } catch (IOException e) {
            bundle.close();
            throw new UncheckedIOException(e);
        }
        return bundle;
    }

    private static void check(Map<String, byte[]> files, SubmissionLimits limits) {
        if (files.size() > limits.maxFiles()) {
            throw new SubmissionRejected(Reason.TOO_LARGE,
                    "bundle has " + files.size() + " files; the limit is " + limits.maxFiles());
        }
        long total = 0;
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            checkPath(path);
            if (!seen.add(path)) {
                throw new SubmissionRejected(Reason.INVALID, ClientText.quote(path) + ": listed twice in the bundle");
            }
            long size = file.getValue().length;
            if (size > limits.maxFileBytes()) {
                throw new SubmissionRejected(Reason.TOO_LARGE,
                        ClientText.quote(path) + ": " + size + " bytes; the limit per file is "
                                + limits.maxFileBytes());
            }
            total += size;
            if (total > limits.maxTotalBytes()) {
                throw new SubmissionRejected(Reason.TOO_LARGE,
                        "bundle is over " + limits.maxTotalBytes() + " bytes (the limit for all files together)");
            }
        }
        if (!files.containsKey(PLANNING_PREFIX + "ROADMAP.md")) {
            throw new SubmissionRejected(Reason.EMPTY, files.isEmpty() ? "the bundle is empty: it needs at least "
                    + ".planning/ROADMAP.md" : "bundle has no .planning/ROADMAP.md");
        }
    }

    static void checkPath(String path) {
        boolean bad = path.isEmpty()
                || !path.startsWith(PLANNING_PREFIX)
                || path.startsWith("/")
                || path.contains("\\")
                || path.indexOf('\0') >= 0
                || path.endsWith("/");
        if (!bad) {
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            throw new SubmissionRejected(Reason.INVALID, "bundle path '" + ClientText.quote(path)
                    + "': expected a relative path under .planning/ with '/' separators and no '.' or '..' segments");
        }
    }

    /** Deletes the temporary folder. */
    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
