package io.phasegrid.common.parse;

import java.util.ArrayList;
import java.util.List;

/** Splits text into lines on LF, CRLF or a lone CR, in one linear pass. */
final class TextLines {

    private TextLines() {
    }

    static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < n) {
            lines.add(text.substring(start));
        }
        return lines;
    }
}
