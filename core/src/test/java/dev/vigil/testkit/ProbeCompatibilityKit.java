package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.ProbeResult;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Probe}, checked for any implementation. A probe module's tests extend
 * this class and say how to make a probe against a healthy target, one that never answers, one
 * that cannot be reached, and one that carries a secret; the tests here then check timeouts,
 * interruption, errors through the engine, secrets and thread safety.
 *
 * <p>In the spirit of Micrometer's {@code MeterRegistryCompatibilityKit}: the probe module owns
 * the targets (a WireMock server, a Prometheus), the kit owns the expectations.
 */
public abstract class ProbeCompatibilityKit {

    /** The secret handed to {@link #probeWithSecret(String)}; it must never be seen again. */
    protected static final String SECRET = "s3cr3t-kit-7f1c9a";

    /** How long the kit gives a probe that never answers before the engine gives up. */
    protected static final Duration SHORT_TIMEOUT = Duration.ofMillis(600);

    /** The upper bound for anything that should end at {@link #SHORT_TIMEOUT}: a liveness bound, not a performance target. */
    protected static final Duration GRACE = Duration.ofSeconds(15);

    /** A probe whose target is healthy: every measurement passes. */
    protected abstract Probe healthyProbe();

    /** A probe whose target accepts the request and never answers (or answers far past any timeout). */
    protected abstract Probe hangingProbe();

    /** A probe whose target cannot be reached or answers nonsense: it must never pass. */
    protected abstract Probe brokenProbe();

    /**
     * A probe configured with {@code secret} as its credential (token, password), against a
     * target that accepts it; the secret must appear in no measurement, message or {@code toString()}.
     */
    protected abstract Probe probeWithSecret(String secret);

    /** A context for calling a probe directly, with the given timeout from now. */
    protected static ProbeContext context(String probeName, Duration timeout) {
        return new KitContext(probeName, Instant.now(), timeout, 1, new ConcurrentHashMap<>());
    }

    @Test
    void healthyProbePassesThroughTheEngine() {
        VerificationReport report = verify(healthyProbe(), Duration.ofSeconds(10));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(measurements(report)).isNotEmpty().allSatisfy(m -> assertThat(m.outcome()).isEqualTo(Outcome.PASS));
    }

    @Test
    void healthyProbeMeasuresDirectlyWithANonNullPassingMeasurement() throws Exception {
        ProbeResult m = healthyProbe().measure(context("kit", Duration.ofSeconds(10)));

        assertThat(m).isNotNull();
        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
    }

    @Test
    void lookbackIsNeverNullOrNegative() {
        // The re-check after a rollback waits for it (RecheckPlan.delayFor).
        for (Probe probe : List.of(healthyProbe(), brokenProbe())) {
            assertThat(probe.lookback()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
        }
    }

    @Test
    void hangingTargetEndsAsErrorAtTheTimeoutThroughTheEngine() {
        VerificationReport report = assertTimeoutPreemptively(GRACE, () -> verify(hangingProbe(), SHORT_TIMEOUT));

        assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
        assertThat(measurements(report)).isNotEmpty().allSatisfy(m -> assertThat(m.outcome()).isEqualTo(Outcome.ERROR));
    }

    @Test
    void hangingTargetCalledDirectlyReturnsOrThrowsByItsDeadline() {
        Probe probe = hangingProbe();
        ProbeResult m = assertTimeoutPreemptively(GRACE, () -> {
            try {
                return probe.measure(context("kit", SHORT_TIMEOUT));
            } catch (Exception e) {
                return ProbeResult.error(String.valueOf(e.getMessage()));
            }
        });

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void interruptedMeasurementEndsPromptly() throws Exception {
        Probe probe = hangingProbe();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            started.countDown();
            try {
                result.set(probe.measure(context("kit", Duration.ofMinutes(5))));
            } catch (Exception e) {
                result.set(e);
            }
        }, "kit-interrupted-probe");
        worker.setDaemon(true);
        worker.start();
        started.await();
        Thread.sleep(300); // let the probe reach its blocking wait
        worker.interrupt();
        worker.join(GRACE.toMillis());

        assertThat(worker.isAlive()).as("probe still running 15 s after it was interrupted").isFalse();
        Object outcome = result.get();
        if (outcome instanceof Measurement m) {
            assertThat(m.outcome()).as("an interrupted measurement must not pass").isNotEqualTo(Outcome.PASS);
        }
    }

    @Test
    void brokenTargetNeverPassesAndBecomesErrorOrFailureThroughTheEngine() {
        VerificationReport report = assertTimeoutPreemptively(GRACE, () -> verify(brokenProbe(), Duration.ofSeconds(5)));

        assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
        assertThat(measurements(report)).isNotEmpty().allSatisfy(m -> {
            assertThat(m.outcome()).isIn(Outcome.ERROR, Outcome.FAIL);
            if (m.outcome() == Outcome.ERROR) {
                assertThat(m.error()).isNotBlank();
            }
        });
    }

    @Test
    void exceptionsThrownByAProbeBecomeErrorMeasurements() {
        Probe probe = healthyProbe();
        Probe throwing = context -> {
            probe.measure(context);
            throw new IllegalStateException("kit: the probe blew up");
        };

        VerificationReport report = verify(throwing, Duration.ofSeconds(5));

        assertThat(measurements(report)).isNotEmpty().allSatisfy(m -> {
            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.error()).contains("kit: the probe blew up");
        });
    }

    @Test
    void secretAppearsInNoMeasurementReportOrToString() throws Exception {
        Probe probe = probeWithSecret(SECRET);
        List<String> seen = new ArrayList<>();
        seen.add(String.valueOf(probe));
        seen.add(String.valueOf(probe.description()));
        seen.add(String.valueOf(probe.passWhen()));
        seen.add(String.valueOf(probe.failWhen()));
        ProbeResult direct = probe.measure(context("kit", Duration.ofSeconds(10)));
        VerificationReport report = verify(probe, Duration.ofSeconds(10));
        seen.add(String.valueOf(direct));
        seen.add(String.valueOf(report));

        assertThat(direct.outcome()).as("the probe with a secret should be able to measure: " + direct.explanation())
                .isEqualTo(Outcome.PASS);
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(SECRET));
    }

    @Test
    void concurrentMeasurementsOfOneProbeAllSucceed() throws Exception {
        Probe probe = healthyProbe();
        int threads = 8;
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<Outcome, Integer> outcomes = new ConcurrentHashMap<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        ProbeResult m = probe.measure(context("kit", Duration.ofSeconds(10)));
                        outcomes.merge(m.outcome(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(GRACE.toMillis() * 2, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(outcomes).containsExactly(Map.entry(Outcome.PASS, threads * perThread));
    }

    /** Runs one round of a verification with a single probe, no retries, real time. */
    protected static VerificationReport verify(Probe probe, Duration timeout) {
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("kit", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(timeout).withMaxAttempts(1))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .build();
        return verifier.verifyAfterDeploy(Deployment.of("kit-service", "1.0.0", "0.9.0"));
    }

    /** Every measurement of every probe in the report. */
    protected static List<Measurement> measurements(VerificationReport report) {
        return report.probes().stream().map(ProbeReport::measurements).flatMap(List::stream).toList();
    }

    private record KitContext(String probeName, Instant time, Duration timeout, int attempt, Map<String, Object> state)
            implements ProbeContext {

        @Override
        public Deployment deployment() {
            return Deployment.of("kit-service", "1.0.0", "0.9.0");
        }

        @Override
        public int round() {
            return 1;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T state(String key, Supplier<T> initial) {
            return (T) state.computeIfAbsent(probeName + "\u0000" + key, k -> initial.get());
        }
    }
}
