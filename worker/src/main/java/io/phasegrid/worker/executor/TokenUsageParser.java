package io.phasegrid.worker.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.OptionalLong;

/**
 * Reads the tokens a command used from its standard output.
 *
 * <p>The output is searched from its last line backwards; the first line that is a JSON object carrying a token
 * count wins (a command may print other JSON lines, or a final line without usage, after the one that counts).
 * When no line does, the whole output is tried as one JSON document (a pretty-printed object). A JSON object
 * carries a token count when it has:
 * <ol>
 *   <li>a top-level {@code "tokens": N} (PhaseGrid's own convention for scripts), else</li>
 *   <li>a {@code "usage"} object with {@code total_tokens}, which is taken as it is, else</li>
 *   <li>a {@code "usage"} object with {@code input_tokens} and/or {@code output_tokens} (an agent CLI such as
 *       Claude Code with {@code --output-format json} or {@code stream-json}): their sum plus
 *       {@code cache_creation_input_tokens}. {@code cache_read_input_tokens} are <em>not</em> counted: they are
 *       re-reads of context already paid for, billed at a small fraction of the input price, and an agent loop
 *       re-reads its context on every turn, so counting them would charge the same context many times over and
 *       exhaust any budget sized on estimates; else</li>
 *   <li>a {@code "usage"} object with {@code prompt_tokens} and/or {@code completion_tokens} (OpenAI style):
 *       their sum.</li>
 * </ol>
 * Counts must be non-negative integers (a number like {@code 12.0} is accepted); anything else is ignored.
 * Thread-safe.
 */
public final class TokenUsageParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Lines longer than this are not parsed (protects against pathological output). */
    static final int MAX_LINE_CHARS = 4 * 1024 * 1024;

    private TokenUsageParser() {
    }

    /** The tokens reported in {@code output}, if any. */
    public static OptionalLong parse(String output) {
        if (output == null || output.isEmpty()) {
            return OptionalLong.empty();
        }
        int end = output.length();
        while (end > 0) {
            int start = output.lastIndexOf('\n', end - 1) + 1;
            String line = output.substring(start, end).strip();
            if (line.startsWith("{") && line.endsWith("}") && line.length() <= MAX_LINE_CHARS) {
                OptionalLong tokens = fromJson(line);
                if (tokens.isPresent()) {
                    return tokens;
                }
            }
            end = start - 1;
        }
        String whole = output.strip();
        if (whole.startsWith("{") && whole.length() <= MAX_LINE_CHARS) {
            return fromJson(whole);
        }
        return OptionalLong.empty();
    }

    /** The tokens carried by one JSON document, if it is an object that carries them. */
    public static OptionalLong fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return OptionalLong.empty();
        }
        return node == null ? OptionalLong.empty() : fromNode(node);
    }

    static OptionalLong fromNode(JsonNode node) {
        if (!node.isObject()) {
            return OptionalLong.empty();
        }
        OptionalLong tokens = count(node.get("tokens"));
        if (tokens.isPresent()) {
            return tokens;
        }
        JsonNode usage = node.get("usage");
        if (usage == null || !usage.isObject()) {
            return OptionalLong.empty();
        }
        OptionalLong total = count(usage.get("total_tokens"));
        if (total.isPresent()) {
            return total;
        }
        OptionalLong input = count(usage.get("input_tokens"));
        OptionalLong output = count(usage.get("output_tokens"));
        if (input.isPresent() || output.isPresent()) {
            return OptionalLong.of(input.orElse(0) + output.orElse(0)
                    + count(usage.get("cache_creation_input_tokens")).orElse(0));
        }
        OptionalLong prompt = count(usage.get("prompt_tokens"));
        OptionalLong completion = count(usage.get("completion_tokens"));
        if (prompt.isPresent() || completion.isPresent()) {
            return OptionalLong.of(prompt.orElse(0) + completion.orElse(0));
        }
        return OptionalLong.empty();
    }

    private static OptionalLong count(JsonNode value) {
        if (value == null || !value.isNumber()) {
            return OptionalLong.empty();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() && value.longValue() >= 0
                    ? OptionalLong.of(value.longValue()) : OptionalLong.empty();
        }
        double d = value.doubleValue();
        if (d >= 0 && d <= Long.MAX_VALUE && d == Math.rint(d)) {
            return OptionalLong.of((long) d);
        }
        return OptionalLong.empty();
    }
}
