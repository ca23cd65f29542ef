package dev.vigil.http;

import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Removes the probe's own credentials from a measurement, in case a server echoes them back (a
 * debug endpoint that prints the request) and a condition looks at that text. Immutable.
 */
final class Redactor {

    /** Shorter values are not searched for: they would match ordinary text. */
    static final int MIN_LENGTH = 4;

    private final List<String> secrets;

    Redactor(List<String> secrets) {
        this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> s.length() >= MIN_LENGTH).distinct().toList();
    }

    ProbeResult scrub(ProbeResult m) {
        if (secrets.isEmpty()) {
            return m;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        m.values().forEach((k, v) -> values.put(k, v instanceof String s ? scrub(s) : v));
        String explanation = scrub(m.explanation());
        if (m.outcome() == Outcome.ERROR) {
            return ProbeResult.error(scrub(m.error()), values);
        }
        return ProbeResult.of(m.outcome(), values, explanation);
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, Secret.REDACTED);
        }
        return out;
    }
}
