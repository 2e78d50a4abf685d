package io.phasegrid.worker.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The operator's command: an argv list whose elements may contain placeholders. No shell is ever involved: each
 * element becomes exactly one argument of the process, and a substituted value stays inside the element it was
 * substituted into, whatever characters it contains.
 *
 * <p>Placeholders: {@value #PLAN_FILE}, {@value #PLAN_ID}, {@value #PHASE}, {@value #PHASE_NAME}, {@value #RUN},
 * {@value #ATTEMPT}, {@value #WORKSPACE}, {@value #CHECKPOINT_FILE}, and for git leases {@value #REPO} and
 * {@value #START_COMMIT} (empty for a plain lease). Any other {@code {...}} text (a JSON
 * argument, say) is left as it is. Substitution is one pass: a value containing a placeholder's text is not
 * substituted again.
 */
public final class CommandTemplate {

    public static final String PLAN_FILE = "{plan_file}";
    public static final String PLAN_ID = "{plan_id}";
    public static final String PHASE = "{phase}";
    public static final String PHASE_NAME = "{phase_name}";
    public static final String RUN = "{run}";
    public static final String ATTEMPT = "{attempt}";
    public static final String WORKSPACE = "{workspace}";
    public static final String CHECKPOINT_FILE = "{checkpoint_file}";
    /** Git leases: the repository URL. */
    public static final String REPO = "{repo}";
    /** Git leases: the commit the phase's worktree was prepared at. */
    public static final String START_COMMIT = "{start_commit}";

    /** The placeholder names (without braces) that are substituted. */
    public static final Set<String> PLACEHOLDERS = Set.of(
            "plan_file", "plan_id", "phase", "phase_name", "run", "attempt", "workspace", "checkpoint_file", "repo",
            "start_commit");

    private final List<String> argv;

    private CommandTemplate(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("the command template is empty");
        }
        if (argv.get(0).isBlank()) {
            throw new IllegalArgumentException("the command template's program is blank");
        }
        this.argv = List.copyOf(argv);
    }

    /** The template from an argv list, e.g. {@code ["claude", "-p", "{plan_file}", "--output-format", "json"]}. */
    public static CommandTemplate of(List<String> argv) {
        return new CommandTemplate(Objects.requireNonNull(argv, "argv"));
    }

    /** @see #of(List) */
    public static CommandTemplate of(String... argv) {
        return of(List.of(argv));
    }

    /**
     * The template from one string, split into words the way a POSIX shell would split a simple command, with no
     * expansion of any kind: whitespace separates words; {@code '...'} is literal; inside {@code "..."} a
     * backslash escapes {@code " \ $ `} and newline, otherwise it is kept; outside quotes a backslash escapes the
     * next character. {@code ''} or {@code ""} makes an empty word. Variables, globs, pipes and redirections
     * are not interpreted ({@code |}, {@code >}, {@code $HOME} are ordinary characters).
     *
     * @throws IllegalArgumentException on an unterminated quote or a trailing backslash, or when there are no words
     */
    public static CommandTemplate parse(String command) {
        Objects.requireNonNull(command, "command");
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i);
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' in command template: " + command);
                }
                word.append(command, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = command.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\"\\$`\n".indexOf(command.charAt(i + 1)) >= 0) {
                        if (command.charAt(i + 1) != '\n') {
                            word.append(command.charAt(i + 1));
                        }
                        i += 2;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated \" in command template: " + command);
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("trailing \\ in command template: " + command);
                }
                char next = command.charAt(i + 1);
                if (next != '\n') {
                    word.append(next);
                    inWord = true;
                }
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the command template is empty");
        }
        return new CommandTemplate(words);
    }

    /** The template's elements, placeholders unsubstituted. */
    public List<String> argv() {
        return argv;
    }

    /**
     * The argv with placeholders substituted.
     *
     * @param values placeholder name (without braces) to value; a placeholder without a value is left as it is
     */
    public List<String> expand(Map<String, String> values) {
        List<String> out = new ArrayList<>(argv.size());
        for (String element : argv) {
            out.add(substitute(element, values));
        }
        return List.copyOf(out);
    }

    static String substitute(String element, Map<String, String> values) {
        StringBuilder out = new StringBuilder(element.length());
        int i = 0;
        while (i < element.length()) {
            char c = element.charAt(i);
            if (c == '{') {
                int close = element.indexOf('}', i + 1);
                if (close > 0) {
                    String name = element.substring(i + 1, close);
                    String value = PLACEHOLDERS.contains(name) ? values.get(name) : null;
                    if (value != null) {
                        out.append(value);
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandTemplate t && argv.equals(t.argv);
    }

    @Override
    public int hashCode() {
        return argv.hashCode();
    }

    @Override
    public String toString() {
        return argv.toString();
    }
}
