package io.phasegrid.cli;

import java.util.List;

/**
 * Input the command cannot work with. Each line is printed to stderr as is ({@code file:line: message}) and the
 * command exits with {@link ExitCodes#INVALID_INPUT}.
 */
public final class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> lines;

    public InvalidInputException(List<String> lines) {
        super(String.join("\n", lines));
        this.lines = List.copyOf(lines);
    }

    public InvalidInputException(String line) {
        this(List.of(line));
    }

    public InvalidInputException(String line, Throwable cause) {
        super(line, cause);
        this.lines = List.of(line);
    }

    public List<String> lines() {
        return lines;
    }
}
