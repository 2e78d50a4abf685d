package io.phasegrid.coordinator.submit;

/**
 * Client input quoted in an error message: at most {@link #MAX_QUOTED} characters, the rest cut with "…", so that no
 * error echoes unbounded input (a status description travels in the HTTP/2 trailers, whose size clients limit).
 */
public final class ClientText {

    /** Characters of one client value an error message may quote. */
    public static final int MAX_QUOTED = 200;
    /** Characters of one client value a WorkerService error may quote (worker.proto). */
    public static final int WORKER_QUOTED = 64;

    private ClientText() {
    }

    /** {@code value} cut to {@link #MAX_QUOTED} characters (never splitting a surrogate pair), NULs shown as \0. */
    public static String quote(String value) {
        return cut(value, MAX_QUOTED);
    }

    /** {@code value} cut to {@link #WORKER_QUOTED} characters, for WorkerService errors. */
    public static String quoteForWorker(String value) {
        return cut(value, WORKER_QUOTED);
    }

    /** {@code value} cut to {@code max} characters with "…" appended when cut; null is "null". */
    public static String cut(String value, int max) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > max ? value.substring(0, cutPoint(value, max)) + "…" : value;
        return shown.indexOf('\0') >= 0 ? shown.replace("\0", "\\0") : shown;
    }

    private static int cutPoint(String value, int max) {
        return Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
    }
}
