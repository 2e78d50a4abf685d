package io.phasegrid.common.roadmap;

import java.util.Comparator;
import java.util.Objects;

/** A structured finding: where, a stable code and a readable message that says what was expected. */
public record Problem(Severity severity, ProblemCode code, SourceRef source, String message) {

    /** Sorts problems by file, line, code, message: the order of every JSON output. */
    public static final Comparator<Problem> ORDER = Comparator
            .comparing((Problem p) -> p.source().file())
            .thenComparingInt(p -> p.source().line())
            .thenComparing(p -> p.code().name())
            .thenComparing(Problem::message);

    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    public static Problem of(ProblemCode code, SourceRef source, String message) {
        return new Problem(code.defaultSeverity(), code, source, message);
    }

    /** This problem downgraded to a warning, its message extended by {@code suffix} ("; STATE.md ignored"). */
    public Problem asWarning(String suffix) {
        return new Problem(Severity.WARNING, code, source, message + suffix);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: message}, the form errors are printed in. */
    @Override
    public String toString() {
        return source + ": " + message;
    }
}
