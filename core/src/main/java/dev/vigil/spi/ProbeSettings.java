package dev.vigil.spi;

import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One probe's configuration as a {@link ProbeFactory} sees it: its values, read by key relative
 * to the probe ({@code url} for {@code vigil.probes.health.url}) as {@link ConfigSettings}
 * describes, and what the core binds for every probe. Implemented by the configuration binder.
 */
public interface ProbeSettings extends ConfigSettings {

    /**
     * The probe's name, the key under {@code vigil.probes}.
     *
     * @return the name ({@code health})
     */
    String probeName();

    /**
     * The probe's timeout, as bound by the core ({@code timeout}, default 10 s).
     *
     * @return how long one measurement may take
     */
    Duration timeout();

    /**
     * The plan the probe is to run under, as bound with it (the bake's {@code initial-delay},
     * {@code interval} and {@code duration}): for a check that depends on the bake, such as a query
     * that would read only data from before the deployment in every round. The default, for
     * settings bound without a plan, is empty.
     *
     * @return the plan, or empty when not known
     */
    default Optional<dev.vigil.VerificationPlan> plan() {
        return Optional.empty();
    }

    /**
     * The full key of a setting of the plan, for messages about it: {@code duration} is
     * {@code vigil.plan.duration} under the default prefix, and the same key under the
     * configuration's own prefix where it has another. The default names it under {@code vigil}.
     *
     * @param key the plan's key ({@code duration}, {@code interval})
     * @return the full key; never {@code null}
     */
    default String planKey(String key) {
        return "vigil.plan." + key;
    }

    /**
     * Parses {@code pass-when} and {@code fail-when} against the names the probe declares.
     *
     * @param declared the names the probe supplies and their types
     * @param defaultPassWhen used when neither is set, or {@code null} when this type has no
     *     default (then a missing condition is a problem)
     * @return the criteria, or empty when a problem was recorded
     */
    Optional<Criteria> criteria(Map<String, ValueType> declared, String defaultPassWhen);

    /**
     * Blanks the values of the configuration's secret keys (any probe's, not only this one's) out
     * of a text: for a probe whose results may repeat them, as a command's output may. The
     * function holds the secrets known when it is asked for, and may be kept and called from any
     * thread. The default, for settings that know of no secrets, returns the text unchanged.
     *
     * @return a function from a text to the text with every known secret value blanked
     */
    default UnaryOperator<String> redactor() {
        return UnaryOperator.identity();
    }
}
