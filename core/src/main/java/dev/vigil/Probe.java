package dev.vigil;


/**
 * Measures the deployed system once when asked and says what it found, a {@link ProbeResult}; the
 * engine records it as a {@link Measurement}. This is what probe modules implement.
 *
 * <p>Contract, checked for every probe by the compatibility kit in core's test jar:
 * <ul>
 *   <li>{@link #measure} may be called from several threads, and again while an earlier call that
 *       timed out has not yet returned: implementations must be thread-safe.</li>
 *   <li>A measurement that could not be taken is returned as {@link ProbeResult#error(String)} or thrown;
 *       the engine turns anything thrown into an {@code ERROR} measurement. A transient failure
 *       worth another attempt within the round (a refused connection) is thrown as
 *       {@link RetryableProbeException}.</li>
 *   <li>It returns by {@link ProbeContext#deadline()} and reacts to interruption; the engine gives
 *       up on it at the deadline anyway.</li>
 *   <li>No secret (token, password, {@code Authorization} header) ever appears in a measurement,
 *       a message or {@code toString()}.</li>
 *   <li>A probe that holds resources across measurements (a connection pool, I/O threads) frees
 *       them in {@link #close()}; {@link dev.vigil.DeployVerifier#close()} closes every probe it
 *       was built with.</li>
 * </ul>
 */
@FunctionalInterface
public interface Probe extends AutoCloseable {

    /**
     * Takes one measurement.
     *
     * @param context the deployment, the round, the time and the deadline
     * @return what it found; never {@code null}
     * @throws RetryableProbeException for a transient failure worth retrying within the round
     * @throws Exception for any other failure, which becomes an {@code ERROR} measurement
     */
    ProbeResult measure(ProbeContext context) throws Exception;

    /**
     * What this probe measures, for reports ({@code GET http://host/actuator/health}). No secrets.
     *
     * @return the description; the default is the class's simple name
     */
    default String description() {
        return getClass().getSimpleName();
    }

    /**
     * The pass condition as written, for reports.
     *
     * @return the condition, or {@code null} when the probe has none (the default)
     */
    default String passWhen() {
        return null;
    }

    /**
     * The fail condition as written, for reports.
     *
     * @return the condition, or {@code null} when the probe has none (the default)
     */
    default String failWhen() {
        return null;
    }

    /**
     * What the timeline of this probe plots in the HTML report: the values its decision rests on
     * and the threshold that decides, as {@link ProbeReport#plot()} carries them. The default,
     * {@link Plot#automatic()}, lets the report choose from the measurements and the conditions;
     * a probe whose decision rests on a value it can name ({@code value} against the number in
     * {@code fail-when}, an e-value against {@code 1/(1 - confidence)}) says so here. Must not
     * throw; a probe that throws still gets its report, with the automatic plot.
     *
     * @return the plot; never {@code null}
     */
    default Plot plot() {
        return Plot.automatic();
    }

    /**
     * Checks before a deployment that what this probe measures answers, touching it once without
     * changing anything ({@code vigil validate --online}). The default takes one measurement and
     * reads it: {@code PASS} is fine, {@code FAIL} and {@code INCONCLUSIVE} are warnings (the
     * condition does not hold now, there is no data now), {@code ERROR} is an error. A probe whose
     * measurement has effects, or is expensive, overrides it with something lighter.
     *
     * @param context a context of round 0 with the probe's timeout
     * @return what was found; never {@code null}
     * @throws Exception whatever measuring throws; the caller turns it into an error
     */
    default Preflight preflight(ProbeContext context) throws Exception {
        ProbeResult m = measure(context);
        if (m == null) {
            return Preflight.error("the probe returned no measurement");
        }
        return switch (m.outcome()) {
            case PASS -> Preflight.ok("answers, and passes now: " + m.explanation());
            case FAIL -> Preflight.warning("answers, but fails now: " + m.explanation()
                    + " (expected before a deployment that fixes it; otherwise check the condition)");
            case INCONCLUSIVE -> Preflight.warning("answers, but proves nothing now: " + m.explanation());
            case ERROR -> Preflight.error(m.error());
        };
    }

    /**
     * Gets ready to measure: called once before the first round of a verification or a rehearsal,
     * outside every measurement's timeout, so that what the first measurement would otherwise do
     * inside its timeout (build an HTTP client, load its classes and TLS context: about a second in
     * a fresh JVM on a busy host) does not count against the service. Must not wait on the service
     * or the network, which is the measurement's business; Vigil waits for it
     * {@link #PREPARE_WAIT} at most, then starts without it. A throw is logged, and the first
     * measurement meets whatever did not get ready. Idempotent; the default does nothing.
     *
     * @throws Exception whatever getting ready throws; logged, never a verdict
     */
    default void prepare() throws Exception {
    }

    /** How long a verification waits at most for its probes' {@link #prepare}, all at once: five seconds. */
    java.time.Duration PREPARE_WAIT = java.time.Duration.ofSeconds(5);

    /**
     * How long after a change this probe's measurements still read from before it: the longest
     * window its query looks back over ({@code rate(x[1m])}: a minute), plus a range query's own
     * range. The re-check after a rollback waits at least this long unless its delay is set
     * ({@link RecheckPlan#delayFor(VerificationPlan, java.util.Collection)}), so that it judges the
     * previous version, not the one just rolled back. The default, zero, suits a probe that
     * measures the present (a request, a test run). Must not throw.
     *
     * @return zero or more; never {@code null}
     */
    default java.time.Duration lookback() {
        return java.time.Duration.ZERO;
    }

    /**
     * What this probe warns about the plan it is to run under, found without measuring: a canary
     * judge's query whose range is longer than the plan's interval, whose rounds would overlap
     * and be left {@code INCONCLUSIVE}. {@code vigil validate} and {@link dev.vigil.config.BoundConfig#describe()}
     * show each under the probe. The default is none. Must not throw.
     *
     * @param plan the plan the probe is to run under
     * @return one sentence per warning, naming the value at fault and the one to use; never {@code null}
     */
    default java.util.List<String> warnings(VerificationPlan plan) {
        return java.util.List.of();
    }

    /**
     * The tests of this probe that confirm a fix: those tagged with the issue id
     * ({@code @Tag("INC-123")}), found without running them, named as
     * {@link ItemResult#label()} names them. Vigil asks before anything is measured, so that every
     * fix a deployment lists is known to be confirmed by some probe. The default is none; a probe
     * that runs tests (a JUnit suite) answers from its selection.
     *
     * @param issue the issue id
     * @return the tests, possibly empty; never {@code null}, and no {@code null} among them (a list
     *     holding one is taken as a failure to look, as a throw is)
     * @throws RuntimeException when the tests cannot be looked for now (a jar of tests not built yet);
     *     its message, which says why, is part of the refusal of a fix that no probe then confirms.
     *     Anything else thrown (an {@code Error} too) is taken the same way: it never escapes
     *     {@link DeployVerifier#verifyAfterDeploy}
     */
    default java.util.List<String> confirmationTests(String issue) {
        return java.util.List.of();
    }

    /**
     * The setting under which this probe passes without having measured anything, found without
     * measuring: a Prometheus probe with {@code on-no-data=pass} passes a query that returns nothing
     * (a misspelt metric, a counter the fix never registers); a canary judge passes a canary that is
     * no worse than the baseline, the previous version, which still has the bug. Such a probe cannot
     * confirm a fix: its pass is no evidence that the fix works. {@link DeployVerifier.Builder#confirms} and the
     * configuration's {@code confirms=} refuse it with {@link Confirmation#refusal}. The default is
     * none. Must not throw.
     *
     * @return the setting as configuration writes it, then why it passes without evidence and what to
     *     set instead ({@code on-no-data=pass: a query without data passes; leave on-no-data out}); or
     *     {@code null} when every pass of this probe rests on a measurement (the default)
     */
    default String passesWithoutEvidence() {
        return null;
    }

    /**
     * Frees what the probe keeps between measurements (connections, threads). Called once the probe
     * is no longer used; a probe that is measured again after it was closed opens what it needs
     * again. Idempotent; the default does nothing. Must not throw, and should return promptly:
     * {@link DeployVerifier#close()} waits 5 seconds for it, then leaves it on its daemon thread.
     */
    @Override
    default void close() {
    }
}
