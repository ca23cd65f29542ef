package dev.vigil.config;

/**
 * One value as given, with where it came from: its canonical key, the key as written (or the
 * environment variable's name), the raw text before placeholders are resolved, and the
 * environment variable it came from ({@code null} for a file or a map).
 */
record Item(Key key, String writtenKey, String raw, String envVar) {
}
