package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a text file defensively: checks the size before reading, refuses binary content, decodes UTF-8 (with
 * replacement and a {@code NOT_UTF8} warning for other bytes) and drops a byte order mark.
 */
public final class InputReader {

    /** Share of control bytes above which content is treated as binary. */
    private static final double MAX_CONTROL_SHARE = 0.10;

    private InputReader() {
    }

    /**
     * The text of {@code path}, or empty with an error added to {@code problems}.
     *
     * @param displayFile the file name used in problems
     */
    public static Optional<String> read(Path path, String displayFile, long maxBytes, List<Problem> problems) {
        SourceRef where = SourceRef.wholeFile(displayFile);
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > maxBytes) {
                problems.add(Problem.of(ProblemCode.INPUT_TOO_LARGE, where,
                        displayFile + " is " + size + " bytes; the limit is " + maxBytes + " bytes"));
                return Optional.empty();
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException | SecurityException e) {
            problems.add(Problem.of(ProblemCode.UNREADABLE_INPUT, where,
                    "cannot read " + displayFile + ": " + describe(e)));
            return Optional.empty();
        }
        if (bytes.length > maxBytes) {
            problems.add(Problem.of(ProblemCode.INPUT_TOO_LARGE, where,
                    displayFile + " grew beyond the limit of " + maxBytes + " bytes while being read"));
            return Optional.empty();
        }
        return decode(bytes, displayFile, problems);
    }

    /** Decodes bytes already in memory with the same binary and encoding checks as {@link #read}. */
    public static Optional<String> decode(byte[] bytes, String displayFile, List<Problem> problems) {
        SourceRef where = SourceRef.wholeFile(displayFile);
        if (looksBinary(bytes)) {
            problems.add(Problem.of(ProblemCode.BINARY_INPUT, where,
                    displayFile + " is not text (NUL bytes or mostly control characters)"));
            return Optional.empty();
        }
        int start = hasUtf8Bom(bytes) ? 3 : 0;
        ByteBuffer input = ByteBuffer.wrap(bytes, start, bytes.length - start);
        String text;
        try {
            text = strictUtf8().decode(input).toString();
        } catch (CharacterCodingException e) {
            int badOffset = firstMalformedOffset(bytes, start);
            problems.add(Problem.of(ProblemCode.NOT_UTF8, SourceRef.of(displayFile, lineOf(bytes, badOffset)),
                    displayFile + " is not valid UTF-8 (first bad byte at offset " + badOffset
                            + "); undecodable bytes were replaced with U+FFFD"));
            text = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return Optional.of(text);
    }

    static boolean looksBinary(byte[] bytes) {
        int control = 0;
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
            if (b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1b) {
                control++;
            }
        }
        return bytes.length > 0 && control > MAX_CONTROL_SHARE * bytes.length;
    }

    private static boolean hasUtf8Bom(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF;
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static int firstMalformedOffset(byte[] bytes, int start) {
        CharsetDecoder decoder = strictUtf8();
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : start;
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
