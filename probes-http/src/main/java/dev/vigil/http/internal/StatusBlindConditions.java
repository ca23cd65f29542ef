package dev.vigil.http.internal;

import dev.vigil.condition.Condition;
import dev.vigil.condition.Criteria;
import dev.vigil.http.HttpProbes;
import dev.vigil.spi.ConfigSettings;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The warning for conditions that read neither {@code status} nor {@code body}: a condition set
 * replaces the default {@code status >= 200 && status < 400}, so {@code pass-when=latency < 2s}
 * passes a 503 that answers fast, a HEALTHY nobody saw. Not an error: a condition on a header alone
 * may be meant, and the probe judges as written.
 */
final class StatusBlindConditions {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatusBlindConditions.class);

    private StatusBlindConditions() {
    }

    /** Logs {@link #warning} when there is one; the configuration is read, so {@code validate} and {@code verify} show it. */
    static void warnIfAny(ConfigSettings settings, Criteria criteria) {
        warning(settings, criteria).ifPresent(LOG::warn);
    }

    /**
     * The warning naming the condition's key ({@code pass-when}, or {@code fail-when} when it is the
     * only one), when neither condition reads {@code status} or {@code body}.
     */
    static Optional<String> warning(ConfigSettings settings, Criteria criteria) {
        Set<String> read = new HashSet<>();
        if (criteria.passWhen() != null) {
            read.addAll(Condition.parse(criteria.passWhen(), HttpProbes.conditionNames()).names());
        }
        if (criteria.failWhen() != null) {
            read.addAll(Condition.parse(criteria.failWhen(), HttpProbes.conditionNames()).names());
        }
        if (read.contains("status") || read.contains("body")) {
            return Optional.empty();
        }
        String key = settings.fullKey(criteria.passWhen() != null ? "pass-when" : "fail-when");
        return Optional.of(key + " reads neither status nor body: a 503 that answers fast passes; add `status < 400 and ...`");
    }
}
