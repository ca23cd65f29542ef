package dev.vigil.http;

import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.spi.CredentialNames;
import dev.vigil.spi.HeaderCredentials;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes the probe's own credentials from a measurement, in case a server echoes them back (a
 * debug endpoint that prints the request) and a condition looks at that text. Immutable.
 */
final class Redactor {

    /** How a value cut short ends, in the values ({@code ... (263 chars)}) and in the conditions' explanations. */
    private static final String CUT = "...";

    private final List<String> secrets;

    /** @param secrets the probe's credentials; {@link CredentialNames#searchable} chooses and orders what is looked for */
    Redactor(List<String> secrets) {
        this.secrets = CredentialNames.searchable(secrets);
    }

    /**
     * A credential header's value and the parts of it that a server may echo alone
     * ({@link HeaderCredentials#parts}: the credentials after a scheme, {@code Bearer <token>}, and
     * each cookie's value), as the Prometheus probe takes them.
     *
     * @param value the header's value, or {@code null}
     * @return the value and its parts; empty for {@code null}
     */
    static List<String> credential(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.add(value.strip());
        HeaderCredentials.parts(value).stream().filter(part -> !out.contains(part)).forEach(out::add);
        return out;
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

    /**
     * The text without the probe's credentials, nor the first characters of one where a long value
     * was cut short inside it ({@code tok-4f...}: the values are cut at {@link Values#MAX_TEXT}
     * characters, the conditions' explanations at 80, before the whole credential could be found).
     */
    String scrub(String text) {
        String out = CredentialNames.scrub(text, secrets, Secret.REDACTED);
        if (out == null || !out.contains(CUT)) {
            return out;
        }
        for (String secret : secrets) {
            for (int length = secret.length() - 1; length >= CredentialNames.MIN_MASKED_LENGTH; length--) {
                out = out.replace(secret.substring(0, length) + CUT, Secret.REDACTED + CUT);
            }
        }
        return out;
    }
}
