package io.phasegrid.cli.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets one value in a JSON document's text and keeps everything else byte for byte: other keys, their order,
 * whitespace and line ends. Used by {@code phasegrid config --set}.
 *
 * <p>The document is scanned with Jackson's streaming parser to find the character span of each member; only the
 * span of the changed value is rewritten. A missing member is appended to its object with the indentation of its
 * siblings. A scalar that stands where an object is needed ({@code "parallelization": true} when setting
 * {@code parallelization.max_concurrent_agents}) becomes an object; a boolean is kept as its {@code enabled} member.
 */
public final class JsonTextEditor {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTextEditor() {
    }

    /** A JSON object's members and where its braces are in the text. */
    private record ObjectSpan(int open, int close, Map<String, Member> members) {
    }

    /** A member's value span; {@code object} is set when the value is an object. */
    private record Member(int valueStart, int valueEnd, ObjectSpan object) {
    }

    /**
     * @param text the document (must be a JSON object)
     * @param path the member path, e.g. {@code ["parallelization", "max_concurrent_agents"]}
     * @param valueJson the new value as JSON text ({@code 4}, {@code true}, {@code "waves"})
     * @return the edited document
     * @throws IllegalArgumentException when {@code text} is not a JSON object, with the line of the problem
     */
    public static String set(String text, List<String> path, String valueJson) {
        String edited = setMember(text, path, valueJson);
        return text.contains("\r\n") ? edited.replace("\r\n", "\n").replace("\n", "\r\n") : edited;
    }

    private static String setMember(String text, List<String> path, String valueJson) {
        ObjectSpan root = scan(text);
        StringBuilder out = new StringBuilder(text);
        ObjectSpan current = root;
        for (int i = 0; i < path.size(); i++) {
            String key = path.get(i);
            Member member = current.members().get(key);
            List<String> rest = path.subList(i + 1, path.size());
            if (member == null) {
                insertMember(out, text, current, key, rest, valueJson);
                return out.toString();
            }
            if (rest.isEmpty()) {
                out.replace(member.valueStart(), member.valueEnd(), valueJson);
                return out.toString();
            }
            if (member.object() == null) {
                String old = text.substring(member.valueStart(), member.valueEnd()).strip();
                Map<String, String> kept = new LinkedHashMap<>();
                if (old.equals("true") || old.equals("false")) {
                    kept.put("enabled", old);
                }
                String indent = indentOfLine(text, member.valueStart());
                out.replace(member.valueStart(), member.valueEnd(),
                        renderObject(kept, rest, valueJson, indent, indentUnit(text, root)));
                return out.toString();
            }
            current = member.object();
        }
        throw new IllegalArgumentException("empty path");
    }

    private static void insertMember(StringBuilder out, String text, ObjectSpan object, String key, List<String> rest,
            String valueJson) {
        String unit = indentUnit(text, object);
        String memberIndent;
        String prefix;
        String value;
        if (object.members().isEmpty()) {
            String closingIndent = indentOfLine(text, object.close());
            memberIndent = closingIndent + unit;
            value = rest.isEmpty() ? valueJson : renderObject(Map.of(), rest, valueJson, memberIndent, unit);
            out.replace(object.open() + 1, object.close(),
                    "\n" + memberIndent + quote(key) + ": " + value + "\n" + closingIndent);
            return;
        }
        Member last = null;
        for (Member m : object.members().values()) {
            if (last == null || m.valueEnd() > last.valueEnd()) {
                last = m;
            }
        }
        Member first = object.members().values().iterator().next();
        memberIndent = indentOfLine(text, memberKeyStart(text, first.valueStart()));
        prefix = sameLine(text, object.open(), first.valueStart()) ? ", " : ",\n" + memberIndent;
        value = rest.isEmpty() ? valueJson : renderObject(Map.of(), rest, valueJson, memberIndent, unit);
        out.insert(last.valueEnd(), prefix + quote(key) + ": " + value);
    }

    private static String renderObject(Map<String, String> kept, List<String> path, String valueJson, String indent,
            String unit) {
        StringBuilder sb = new StringBuilder("{");
        String inner = indent + unit;
        boolean firstMember = true;
        for (Map.Entry<String, String> e : kept.entrySet()) {
            sb.append(firstMember ? "" : ",").append('\n').append(inner).append(quote(e.getKey())).append(": ")
                    .append(e.getValue());
            firstMember = false;
        }
        String value = path.size() == 1
                ? valueJson
                : renderObject(Map.of(), path.subList(1, path.size()), valueJson, inner, unit);
        sb.append(firstMember ? "" : ",").append('\n').append(inner).append(quote(path.get(0))).append(": ")
                .append(value).append('\n').append(indent).append('}');
        return sb.toString();
    }

    private static String quote(String key) {
        return "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean sameLine(String text, int from, int to) {
        return text.substring(from, to).indexOf('\n') < 0;
    }

    /** Start of the quoted key that precedes a value. */
    private static int memberKeyStart(String text, int valueStart) {
        int colon = text.lastIndexOf(':', valueStart);
        int closingQuote = text.lastIndexOf('"', colon);
        int i = closingQuote - 1;
        while (i >= 0 && !(text.charAt(i) == '"' && (i == 0 || text.charAt(i - 1) != '\\'))) {
            i--;
        }
        return Math.max(i, 0);
    }

    private static String indentOfLine(String text, int offset) {
        int lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
        int i = lineStart;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(lineStart, Math.min(i, offset));
    }

    /** The document's indentation step: the indent of the root's first member, else two spaces. */
    private static String indentUnit(String text, ObjectSpan root) {
        if (!root.members().isEmpty()) {
            Member first = root.members().values().iterator().next();
            String indent = indentOfLine(text, memberKeyStart(text, first.valueStart()));
            String outer = indentOfLine(text, root.open());
            if (indent.length() > outer.length() && indent.startsWith(outer)) {
                return indent.substring(outer.length());
            }
        }
        return "  ";
    }

    private static ObjectSpan scan(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("line 1: expected a JSON object");
            }
            ObjectSpan root = scanObject(parser);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("line " + parser.currentLocation().getLineNr()
                        + ": unexpected content after the JSON object");
            }
            return root;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Called with the parser on START_OBJECT; returns with it on the matching END_OBJECT. */
    private static ObjectSpan scanObject(JsonParser parser) throws IOException {
        int open = (int) parser.currentTokenLocation().getCharOffset();
        Map<String, Member> members = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            int start = (int) parser.currentTokenLocation().getCharOffset();
            ObjectSpan nested = null;
            if (value == JsonToken.START_OBJECT) {
                nested = scanObject(parser);
            } else if (value == JsonToken.START_ARRAY) {
                parser.skipChildren();
            }
            int end = (int) parser.currentLocation().getCharOffset();
            members.put(name, new Member(start, end, nested));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("line " + parser.currentLocation().getLineNr() + ": malformed object");
        }
        int close = (int) parser.currentTokenLocation().getCharOffset();
        return new ObjectSpan(open, close, members);
    }
}
