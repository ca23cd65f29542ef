package dev.vigil.http;

/** Byte counts for messages. */
final class Sizes {

    private Sizes() {
    }

    /** {@code 1MB}, {@code 512KB}, {@code 100B}: the largest unit that divides evenly. */
    static String format(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + "KB";
        }
        return bytes + "B";
    }
}
