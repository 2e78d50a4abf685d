package io.phasegrid.coordinator.service;

import java.util.concurrent.ThreadLocalRandom;

/** New run ids. */
final class RunIds {

    private RunIds() {
    }

    /**
     * Time-ordered unique ids: {@code r-} + the time in base 36 (9 digits, so ids sort by time until the year
     * 5188) + 8 random base-36 digits.
     */
    static String next(long nowMs) {
        String time = Long.toString(nowMs, 36);
        StringBuilder id = new StringBuilder("r-");
        for (int i = time.length(); i < 9; i++) {
            id.append('0');
        }
        id.append(time).append('-');
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            id.append(Character.forDigit(random.nextInt(36), 36));
        }
        return id.toString();
    }
}
