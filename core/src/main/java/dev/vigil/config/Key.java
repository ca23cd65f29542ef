package dev.vigil.config;

import java.util.List;

/**
 * A key relative to the prefix, in canonical form: the section ({@code probes}), the group as
 * written (a probe's name under {@code probes}, a trigger's under {@code rollback}), the key's
 * kebab-case name, a list index, and a map sub-key as written. Parts may be {@code null} for an
 * incomplete key such as {@code vigil.probes.health}, or for a key of no group
 * ({@code vigil.rollback.command}).
 */
record Key(String section, String group, String name, Integer index, String sub) {

    /** A key of a section other than probes. */
    static Key of(String section, String name) {
        return new Key(section, null, name, null, null);
    }

    /** The key of a probe's type: {@code probes.<probe>.type}. */
    static Key probeType(String probe) {
        return new Key(CoreKeys.PROBES, probe, "type", null, null);
    }

    /** A key relative to a section or group, as a factory writes it: {@code url}, {@code headers.X-Name}, {@code fixes[0]}. */
    static Key relative(String section, String group, String rel) {
        List<String> segs = Keys.split(rel);
        Key named = withName(section, group, segs.get(0));
        return segs.size() == 1 ? named : named.withSub(String.join(".", unbracket(segs.subList(1, segs.size()))));
    }

    /** Parses a structural segment ({@code passWhen}, {@code fixes[0]}) into name and index. */
    static Key withName(String section, String group, String segment) {
        int bracket = segment.indexOf('[');
        if (bracket > 0 && segment.endsWith("]")) {
            String index = segment.substring(bracket + 1, segment.length() - 1);
            String name = canonical(segment.substring(0, bracket));
            if (index.matches("\\d{1,6}")) {
                return new Key(section, group, name, Integer.parseInt(index), null);
            }
            return new Key(section, group, name + segment.substring(bracket), null, null);
        }
        return new Key(section, group, canonical(segment), null, null);
    }

    static String canonical(String segment) {
        return Keys.kebab(segment).toLowerCase(java.util.Locale.ROOT);
    }

    static List<String> unbracket(List<String> segments) {
        return segments.stream()
                .map(s -> s.startsWith("[") && s.endsWith("]") && s.length() > 2 ? s.substring(1, s.length() - 1) : s)
                .toList();
    }

    Key withSub(String value) {
        return new Key(section, group, name, index, value);
    }

    /** The key without index and sub-key: what a list or map is stored under. */
    Key base() {
        return new Key(section, group, name, null, null);
    }

    /** The key's own name with index and sub-key, relative to its group or section ({@code headers.X-Name}). */
    String local() {
        StringBuilder out = new StringBuilder(name == null ? "" : name);
        if (index != null) {
            out.append('[').append(index).append(']');
        }
        if (sub != null) {
            out.append('.').append(segment(sub));
        }
        return out.toString();
    }

    /** The canonical text relative to the prefix ({@code probes.health.pass-when}). */
    String text() {
        StringBuilder out = new StringBuilder(section);
        if (group != null) {
            out.append('.').append(segment(group));
        }
        if (name != null) {
            out.append('.').append(local());
        }
        return out.toString();
    }

    private static String segment(String s) {
        return s.contains(".") && !s.startsWith("[") && s.equals(s.trim()) && !s.contains("]") ? "[" + s + "]" : s;
    }

    @Override
    public String toString() {
        return text();
    }
}
