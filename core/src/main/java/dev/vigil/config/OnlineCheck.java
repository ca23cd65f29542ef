package dev.vigil.config;

import dev.vigil.Preflight;
import java.util.List;
import java.util.Objects;

/**
 * What {@link BoundConfig#checkOnline} found about one probe or the rollback trigger. Immutable.
 *
 * @param subject what was checked: {@code probe health}, {@code rollback}
 * @param result what was found; its message never holds a secret
 */
public record OnlineCheck(String subject, Preflight result) {

    /**
     * Validates.
     *
     * @param subject what was checked
     * @param result what was found
     * @throws NullPointerException when either is {@code null}
     */
    public OnlineCheck {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(result, "result");
    }

    /**
     * The worst status among checks: {@code ERROR} over {@code WARNING} over {@code OK}.
     *
     * @param checks the checks, such as {@link BoundConfig#checkOnline} returns
     * @return the worst status; {@code OK} for none
     * @throws NullPointerException when {@code checks} is {@code null}
     */
    public static Preflight.Status worst(List<OnlineCheck> checks) {
        Preflight.Status worst = Preflight.Status.OK;
        for (OnlineCheck check : checks) {
            if (check.result().status().compareTo(worst) > 0) {
                worst = check.result().status();
            }
        }
        return worst;
    }

    @Override
    public String toString() {
        return String.format("%-8s %s: %s", result.status(), subject, result.message());
    }
}
