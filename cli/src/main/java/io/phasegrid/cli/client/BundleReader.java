package io.phasegrid.cli.client;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.common.parse.PlanningLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads what a submission sends of a {@code .planning} folder: ROADMAP.md, config.json, STATE.md and the phase
 * folders' PLAN and SUMMARY files, keyed by their path under the project root ({@code .planning/...}).
 */
public final class BundleReader {

    private static final List<String> TOP_FILES = List.of("ROADMAP.md", "config.json", "STATE.md");

    private BundleReader() {
    }

    public static Map<String, byte[]> read(Path path) {
        PlanningLayout layout = PlanningLayout.of(path).orElseThrow(() -> new InvalidInputException(path
                + ": no ROADMAP.md (expected a ROADMAP.md file, a .planning folder or a project root containing one)"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            if (layout.isBareFile()) {
                files.put(".planning/ROADMAP.md", Files.readAllBytes(layout.roadmapFile()));
                return files;
            }
            Path planning = layout.planningDir();
            for (String name : TOP_FILES) {
                Path file = planning.resolve(name);
                if (Files.isRegularFile(file)) {
                    files.put(".planning/" + name, Files.readAllBytes(file));
                }
            }
            Path phases = planning.resolve("phases");
            if (Files.isDirectory(phases)) {
                try (Stream<Path> walk = Files.walk(phases)) {
                    for (Path file : walk.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().endsWith("-PLAN.md")
                                    || f.getFileName().toString().endsWith("-SUMMARY.md"))
                            .sorted().toList()) {
                        files.put(".planning/" + planning.relativize(file).toString().replace('\\', '/'),
                                Files.readAllBytes(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read: " + e.getMessage(), e);
        }
        return files;
    }
}
