package dev.vigil;

import java.util.List;
import java.util.Map;

/**
 * The fixes earlier verifications of a service confirmed, with the tests that confirmed them: what
 * the regression guard checks again in every later verification ({@link DeployVerifier.Builder#regressionGuard}).
 * The release history provides it ({@code dev.vigil.history.HistoryRecorder#pastConfirmations}).
 * Implementations must be thread-safe; a failure to answer is logged and the guard skipped, never a
 * changed verdict.
 */
@FunctionalInterface
public interface PastConfirmations {

    /**
     * The fixes confirmed before, for the deployment's service.
     *
     * @param deployment what is about to be verified
     * @return by issue id, the tests that confirmed it, named as {@link ItemResult#label()} names them
     *     ({@code CheckoutSmokeTest#couponsApplyOnce}); never {@code null}
     */
    Map<String, List<String>> confirmedBefore(Deployment deployment);
}
