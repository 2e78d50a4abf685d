package io.phasegrid.common.roadmap;

/**
 * Where a fact came from: a file path relative to the analysed root ({@code .planning/ROADMAP.md}) and a 1-based
 * line, 0 when the fact concerns the whole file.
 */
public record SourceRef(String file, int line) {

    public static SourceRef of(String file, int line) {
        return new SourceRef(file, line);
    }

    public static SourceRef wholeFile(String file) {
        return new SourceRef(file, 0);
    }

    /** {@code file:line}, or just the file for a whole-file fact. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
