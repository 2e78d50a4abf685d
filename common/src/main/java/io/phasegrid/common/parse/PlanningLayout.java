package io.phasegrid.common.parse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a roadmap's files are, for a path that is a {@code ROADMAP.md} file, a {@code .planning} folder, or a
 * project root containing {@code .planning}.
 *
 * @param roadmapFile the {@code ROADMAP.md}
 * @param planningDir the folder with {@code config.json}, {@code STATE.md} and {@code phases/}; null for a bare file
 * @param prefix how files of {@code planningDir} are named in problems ({@code .planning/}, or empty)
 */
public record PlanningLayout(Path roadmapFile, Path planningDir, String prefix) {

    public static final String ROADMAP = "ROADMAP.md";
    public static final String PLANNING = ".planning";

    /** Empty when {@code path} is neither a file nor a folder with a {@code ROADMAP.md} (directly or in .planning). */
    public static Optional<PlanningLayout> of(Path path) {
        if (Files.isRegularFile(path)) {
            return Optional.of(new PlanningLayout(path, null, ""));
        }
        if (!Files.isDirectory(path)) {
            return Optional.empty();
        }
        Path nested = path.resolve(PLANNING);
        if (Files.isRegularFile(nested.resolve(ROADMAP))) {
            return Optional.of(new PlanningLayout(nested.resolve(ROADMAP), nested, PLANNING + "/"));
        }
        if (Files.isRegularFile(path.resolve(ROADMAP))) {
            Path name = path.toAbsolutePath().normalize().getFileName();
            String prefix = name != null && name.toString().equals(PLANNING) ? PLANNING + "/" : "";
            return Optional.of(new PlanningLayout(path.resolve(ROADMAP), path, prefix));
        }
        return Optional.empty();
    }

    public boolean isBareFile() {
        return planningDir == null;
    }

    /** How the ROADMAP.md is named in problems. */
    public String roadmapDisplay() {
        return isBareFile() ? String.valueOf(roadmapFile.getFileName()) : prefix + ROADMAP;
    }

    /** How a file of the planning folder is named in problems ({@code .planning/config.json}). */
    public String display(String fileName) {
        return prefix + fileName;
    }

    /** The folder that problem file names are relative to. */
    public Path root() {
        Path base = isBareFile() ? roadmapFile.getParent() : planningDir;
        if (!prefix.isEmpty()) {
            base = base.getParent();
        }
        return base == null ? Path.of("") : base;
    }
}
