package dev.vigil;

import static dev.vigil.Outcome.ERROR;
import static dev.vigil.Outcome.FAIL;
import static dev.vigil.Outcome.INCONCLUSIVE;
import static dev.vigil.Outcome.PASS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.VerificationPlan.OnInconclusive;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeployVerifierTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    private final VirtualTime time = VirtualTime.start();
    private final List<RollbackEvent> rollbacks = new CopyOnWriteArrayList<>();

    private DeployVerifier.Builder verifier(VerificationPlan plan) {
        return DeployVerifier.builder()
                .plan(plan)
                .timeSource(time)
                .rollback(RollbackTriggers.callback("record", rollbacks::add))
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(1)));
    }

    private static VerificationPlan minutes(int duration, int interval) {
        return VerificationPlan.defaults().withDuration(Duration.ofMinutes(duration)).withInterval(Duration.ofMinutes(interval));
    }

    @Test
    void healthyTenMinuteBakeEndsHealthyAfterExactlyTheConfiguredRounds() {
        ScriptedProbe probe = ScriptedProbe.passing();
        VerificationReport report = verifier(minutes(10, 1).withInitialDelay(Duration.ofSeconds(30)))
                .probe("health", probe)
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.rounds()).isEqualTo(10);
        assertThat(probe.rounds()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(time.sleeps()).first().isEqualTo(Duration.ofSeconds(30));
        assertThat(time.sleeps()).hasSize(10);
        assertThat(time.sleeps().subList(1, 10)).allMatch(d -> d.equals(Duration.ofMinutes(1)));
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(report.detectedAt()).isNull();
        assertThat(report.reason()).isEqualTo("all 1 probe passed within their limits over 10 rounds (10m bake),"
                + " each with a PASS as its latest measurement");
        assertThat(report.schedule()).isEqualTo(dev.vigil.ScheduleReport.asPlanned(10));
        assertThat(report.id()).as("each verification its own id").isNotEqualTo(verifier(minutes(10, 1))
                .probe("health", ScriptedProbe.passing()).build().verifyAfterDeploy(DEPLOYMENT).id());
        assertThat(report.probe("health").orElseThrow().status()).isEqualTo(ProbeReport.Status.PASSED);
        assertThat(rollbacks).isEmpty();
    }

    @Test
    void probesKnowWhenTheVerificationStarted() {
        java.util.List<java.util.Optional<java.time.Instant>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        VerificationReport report = verifier(minutes(3, 1))
                .probe("health", ctx -> {
                    seen.add(ctx.verificationStarted());
                    return ProbeResult.pass(java.util.Map.of(), "ok");
                })
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(seen).hasSize(3).allSatisfy(at -> assertThat(at).contains(report.startedAt()));
    }

    @Test
    void unhealthyInTheRoundOfTheSecondFailureWhenMaxFailuresIsOne() {
        ScriptedProbe probe = ScriptedProbe.of(PASS, FAIL, PASS, FAIL, PASS);
        ScriptedProbe other = ScriptedProbe.passing();
        VerificationReport report = verifier(minutes(10, 1))
                .probe("error-rate", probe, ProbeLimits.defaults().withMaxFailures(1))
                .probe("health", other)
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rounds()).isEqualTo(4);
        assertThat(report.timeToDetect()).contains(Duration.ofMinutes(3));
        assertThat(report.reason()).isEqualTo(
                "probe error-rate failed 2 times (max-failures 1): value(3) bad at 12:03:00Z");
        assertThat(rollbacks).hasSize(1);
        assertThat(rollbacks.get(0).reason()).isEqualTo(report.reason());
        assertThat(rollbacks.get(0).deployment()).isEqualTo(DEPLOYMENT);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(1);
        assertThat(report.probe("error-rate").orElseThrow().status()).isEqualTo(ProbeReport.Status.FAILED);
        assertThat(report.probe("health").orElseThrow().status()).isEqualTo(ProbeReport.Status.NOT_DECIDED);
        // three re-check rounds (round 0) after the rollback, judged, not changing the verdict
        assertThat(report.recheck()).hasSize(6).allMatch(m -> m.round() == 0);
        assertThat(report.recheckResult().status()).isEqualTo(dev.vigil.RecheckReport.Status.HEALTHY);
        assertThat(report.recheckResult().rounds()).isEqualTo(3);
        assertThat(report.recheckResult().delay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(probe.rounds()).containsExactly(1, 2, 3, 4, 0, 0, 0);
    }

    @Test
    void consecutiveErrorsPastTheLimitAreUnhealthy() {
        VerificationReport report = verifier(minutes(10, 1))
                .probe("health", ScriptedProbe.of(PASS, ERROR), ProbeLimits.defaults().withMaxConsecutiveErrors(2))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rounds()).isEqualTo(4);
        assertThat(report.reason()).isEqualTo(
                "probe health could not measure 3 times in a row (max-consecutive-errors 2): could not measure call 3 at 12:03:00Z");
    }

    @Test
    void errorsInterleavedWithPassesBelowTheLimitAreHealthy() {
        VerificationReport report = verifier(minutes(10, 1))
                .probe("health", ScriptedProbe.of(ERROR, ERROR, PASS, ERROR, ERROR, PASS, ERROR, ERROR, PASS, PASS),
                        ProbeLimits.defaults().withMaxConsecutiveErrors(2))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.probes().get(0).errors()).isEqualTo(6);
        assertThat(rollbacks).isEmpty();
    }

    @Test
    void inconclusivePastItsLimitMakesTheEndInconclusiveButTheBakeGoesOnWithoutRollback() {
        VerificationReport report = verifier(minutes(10, 1))
                .probe("error-rate", ScriptedProbe.of(PASS, INCONCLUSIVE), ProbeLimits.defaults().withMaxInconclusive(1))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.rounds()).as("the bake goes on: a later failure would still count").isEqualTo(10);
        assertThat(report.detectedAt()).isNull();
        assertThat(report.reason()).startsWith("probe error-rate was inconclusive 2 times (max-inconclusive 1)");
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
    }

    @Test
    void aBakeWithoutAnyPassIsInconclusiveNeverHealthy() {
        VerificationReport report = verifier(minutes(5, 1))
                .probe("health", ScriptedProbe.of(ERROR, ERROR, ERROR, ERROR, INCONCLUSIVE),
                        ProbeLimits.defaults().withMaxInconclusive(5))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        // 5 planned rounds, then the end-of-bake rule measures again until the 6th INCONCLUSIVE breaks the limit.
        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.rounds()).isEqualTo(10);
        assertThat(report.schedule().settlingRounds()).isEqualTo(5);
        assertThat(report.reason()).startsWith("probe health was inconclusive 6 times (max-inconclusive 5): ");
        assertThat(rollbacks).isEmpty();
    }

    @Test
    void onInconclusiveRollbackTreatsTheEndAsUnhealthyAndPassAcceptsIt() {
        Probe neverPasses = ScriptedProbe.of(INCONCLUSIVE);
        ProbeLimits tolerant = ProbeLimits.defaults().withMaxInconclusive(100);

        VerificationReport rolledBack = verifier(minutes(3, 1).withOnInconclusive(OnInconclusive.ROLLBACK))
                .probe("p", neverPasses, tolerant).build().verifyAfterDeploy(DEPLOYMENT);
        assertThat(rolledBack.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rolledBack.reason()).endsWith("; treated as unhealthy because on-inconclusive=rollback");
        assertThat(rolledBack.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);

        VerificationReport accepted = verifier(minutes(3, 1).withOnInconclusive(OnInconclusive.PASS))
                .probe("p", neverPasses, tolerant).build().verifyAfterDeploy(DEPLOYMENT);
        assertThat(accepted.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(accepted.reason()).endsWith("; accepted because on-inconclusive=pass");
        assertThat(rollbacks).hasSize(1);
    }

    @Test
    void onInconclusivePassDoesNotAcceptAnEndWhoseLatestRoundWasAFailureNotCounted() {
        // A hotfix's query that failed on the incident's data: not the new version's failure, nor a sign of health.
        Probe failsOnOldData = context -> ProbeResult.inconclusive(Map.of("value", 0.2, ProbeResult.FAILURE_NOT_COUNTED, true),
                "value 0.2 > 0.01; not counted as a failure of this hotfix: the query reads from before the start");
        ProbeLimits tolerant = ProbeLimits.defaults().withMaxInconclusive(100);

        VerificationReport report = verifier(minutes(3, 1).withOnInconclusive(OnInconclusive.PASS))
                .probe("errors", failsOnOldData, tolerant).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.reason()).contains("not accepted by on-inconclusive=pass: the latest round of probe errors failed"
                + " on data from before the verification started");
        assertThat(rollbacks).isEmpty();
    }

    @Test
    void aBakeRolledBackAtItsEndByOnInconclusiveReportsEachProbeAsItEndedNotAsUndecided() {
        ProbeLimits tolerant = ProbeLimits.defaults().withMaxConsecutiveErrors(10);
        for (OnInconclusive onInconclusive : List.of(OnInconclusive.FAIL, OnInconclusive.ROLLBACK)) {
            VerificationReport report = verifier(minutes(3, 1).withOnInconclusive(onInconclusive))
                    .probe("health", ScriptedProbe.passing())
                    .probe("error-rate", ScriptedProbe.of(PASS, ERROR), tolerant)
                    .build().verifyAfterDeploy(DEPLOYMENT);

            // Every round ran, the end-of-bake rule too: no probe was cut short by another's decision.
            assertThat(report.rounds()).as(onInconclusive.name()).isEqualTo(6);
            assertThat(report.probe("health").orElseThrow().status()).as(onInconclusive + ": health passed to the end")
                    .isEqualTo(ProbeReport.Status.PASSED);
            assertThat(report.probe("error-rate").orElseThrow().status()).as(onInconclusive + ": error-rate left the end unknown")
                    .isEqualTo(ProbeReport.Status.INCONCLUSIVE);
        }
        assertThat(rollbacks).hasSize(1);
    }

    @Test
    void whateverAProbeThrowsBecomesAnErrorMeasurement() {
        Probe throwing = ctx -> {
            throw new IllegalStateException("boom");
        };
        Probe returnsNull = ctx -> null;
        VerificationReport report = verifier(minutes(1, 1))
                .probe("throws", throwing)
                .probe("null", returnsNull)
                .probe("stack", ctx -> {
                    throw new StackOverflowError();
                })
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        // One planned round and, as no probe passed, one extra round of the end-of-bake rule (at most as many as planned).
        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.probes()).allSatisfy(p -> assertThat(p.measurements()).hasSize(2)
                .allSatisfy(m -> assertThat(m.outcome()).isEqualTo(ERROR)));
        assertThat(report.probes().get(0).measurements().get(0).error()).isEqualTo("IllegalStateException: boom");
        assertThat(report.probes().get(1).measurements().get(0).error()).isEqualTo("probe returned no measurement");
        assertThat(report.probes().get(2).measurements().get(0).error()).isEqualTo("StackOverflowError");
    }

    @Test
    void megabytesOfTextFromAProbeAreCutSoThatALongBakeCannotFillTheHeap() {
        String page = "<html>" + "x".repeat(8_000_000) + "</html>";
        AtomicInteger calls = new AtomicInteger();
        Probe verbose = ctx -> switch (calls.incrementAndGet() % 3) {
            case 0 -> ProbeResult.inconclusive(java.util.Map.of("body", page), page);
            case 1 -> throw new IllegalStateException(page);
            default -> ProbeResult.error(page);
        };
        VerificationReport report = verifier(minutes(3, 1))
                .probe("verbose", verbose, new ProbeLimits(0, ProbeLimits.UNLIMITED, ProbeLimits.UNLIMITED))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        // Lengths and prefixes only: a failure message quoting megabytes would itself be the problem.
        List<Measurement> measurements = report.probes().get(0).measurements();
        assertThat(measurements).hasSizeGreaterThanOrEqualTo(3);
        List<String> texts = measurements.stream().map(m -> m.outcome() == ERROR ? m.error() : m.explanation()).toList();
        assertThat(texts).extracting(String::length).allSatisfy(n -> assertThat(n).isLessThan(16_500));
        assertThat(texts).extracting(t -> t.replaceFirst("^IllegalStateException: ", "").startsWith("<html>xxx")
                && t.endsWith("more characters left out)")).containsOnly(true);
        assertThat(measurements).flatExtracting(m -> List.copyOf(m.values().values()))
                .extracting(v -> v.toString().length()).allSatisfy(n -> assertThat(n).isLessThan(16_500));
        assertThat(report.reason().length()).isLessThan(20_000);
    }

    @Test
    void retryableFailuresAreRetriedWithinTheRoundAndTheAttemptsRecorded() {
        AtomicInteger calls = new AtomicInteger();
        Probe flaky = ctx -> {
            if (calls.incrementAndGet() < 3) {
                throw new RetryableProbeException("connection refused: http://127.0.0.1:1/health");
            }
            return ProbeResult.pass(java.util.Map.of("status", 200), "status(200) == 200");
        };
        Probe alwaysRefused = ctx -> {
            throw new RetryableProbeException("connection refused: http://127.0.0.1:1/other");
        };
        MeasurementPolicy fastRetries = MeasurementPolicy.defaults().withRetryBackoff(Duration.ofMillis(1));
        VerificationReport report = verifier(minutes(1, 1))
                .probe("flaky", flaky, ProbeLimits.defaults(), fastRetries)
                .probe("down", alwaysRefused, ProbeLimits.defaults().withMaxConsecutiveErrors(5), fastRetries)
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        Measurement flakyMeasurement = report.probes().get(0).measurements().get(0);
        assertThat(flakyMeasurement.outcome()).isEqualTo(PASS);
        assertThat(flakyMeasurement.attempts()).isEqualTo(3);
        Measurement down = report.probes().get(1).measurements().get(0);
        assertThat(down.outcome()).isEqualTo(ERROR);
        assertThat(down.attempts()).isEqualTo(3);
        assertThat(down.error()).isEqualTo("connection refused: http://127.0.0.1:1/other (after 3 attempts)");
    }

    @Test
    void aRetryableFailureWrappedInACompletionExceptionEndsWithTheSameErrorAsAPlainOne() {
        Probe wrapped = ctx -> {
            throw new java.util.concurrent.CompletionException(
                    new RetryableProbeException("connection refused: http://127.0.0.1:1/health"));
        };
        VerificationReport report = verifier(minutes(1, 1))
                .probe("wrapped", wrapped, ProbeLimits.defaults().withMaxConsecutiveErrors(5),
                        MeasurementPolicy.defaults().withRetryBackoff(Duration.ofMillis(1)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        Measurement m = report.probes().get(0).measurements().get(0);
        assertThat(m.attempts()).isEqualTo(3);
        assertThat(m.error()).isEqualTo("connection refused: http://127.0.0.1:1/health (after 3 attempts)");
    }

    @Test
    void aRetryableFailureWithoutAMessageIsNamedByItsExceptionNotByNull() {
        Probe silent = ctx -> {
            throw new RetryableProbeException(null);
        };
        VerificationReport report = verifier(minutes(1, 1))
                .probe("silent", silent, ProbeLimits.defaults().withMaxConsecutiveErrors(5),
                        MeasurementPolicy.defaults().withRetryBackoff(Duration.ofMillis(1)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.probes().get(0).measurements().get(0).error()).isEqualTo("RetryableProbeException (after 3 attempts)");
    }

    @Test
    void aHangingProbeGetsAnErrorAtItsTimeoutWhileTheOthersAreUnaffected() {
        Probe hanging = ctx -> {
            Thread.sleep(60_000);
            return ProbeResult.pass(java.util.Map.of(), "never");
        };
        ScriptedProbe quick = ScriptedProbe.passing();
        long start = System.nanoTime();
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMillis(600)).withInterval(Duration.ofMillis(300)))
                .probe("hanging", hanging, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofMillis(200)))
                .probe("quick", quick, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(5)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // 2 planned rounds, then the end-of-bake rule measures the hanging probe for at most 2 more; the quick
        // one joins the second once its PASS (the end of round 2, at 500ms) is older than an interval by then
        // (900ms), which a busy machine that started round 2 late may not reach.
        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.probe("hanging").orElseThrow().measurements())
                .hasSize(4)
                .allSatisfy(m -> {
                    assertThat(m.outcome()).isEqualTo(ERROR);
                    assertThat(m.error()).isEqualTo("timed out after 200ms");
                });
        List<Measurement> quickly = report.probe("quick").orElseThrow().measurements();
        assertThat(quickly).hasSizeBetween(2, 3).allMatch(Measurement::passed);
        assertThat(quick.calls()).isEqualTo(quickly.size());
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aListenerThatThrowsIsIgnoredAndTheOthersStillHearEverything() {
        List<String> heard = new CopyOnWriteArrayList<>();
        VerificationListener broken = new VerificationListener() {
            @Override
            public void measured(Measurement measurement) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void finished(VerificationReport report) {
                throw new IllegalStateException("listener bug");
            }
        };
        VerificationListener recording = new VerificationListener() {
            @Override
            public void started(Deployment deployment, VerificationPlan plan) {
                heard.add("started");
            }

            @Override
            public void measured(Measurement measurement) {
                heard.add("measured " + measurement.round() + " " + measurement.outcome());
            }

            @Override
            public void verdict(Deployment deployment, Verdict verdict, String reason) {
                heard.add("verdict " + verdict);
            }

            @Override
            public void rollbackStarted(Deployment deployment) {
                heard.add("rollback started");
            }

            @Override
            public void rollbackFinished(Deployment deployment, RollbackReport report) {
                heard.add("rollback " + report.outcome());
            }

            @Override
            public void finished(VerificationReport report) {
                heard.add("finished " + report.verdict());
            }
        };
        verifier(minutes(3, 1)).listener(broken).listener(recording)
                .probe("p", ScriptedProbe.of(PASS, FAIL)).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(heard).containsExactly("started", "measured 1 PASS", "measured 2 FAIL", "verdict UNHEALTHY",
                "rollback started", "rollback ROLLED_BACK", "measured 0 FAIL", "finished UNHEALTHY");
    }

    @Test
    void beforeRollbackIsHeardBeforeTheTriggerRunsEvenBehindAListenerSlowOnTheVerdict() {
        List<String> order = new CopyOnWriteArrayList<>();
        VerificationListener slowNotifier = new VerificationListener() {
            @Override
            public void verdict(Deployment deployment, Verdict verdict, String reason) {
                try {
                    Thread.sleep(300); // a webhook that takes its time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        VerificationListener keeper = new VerificationListener() {
            @Override
            public void beforeRollback(Deployment deployment) {
                order.add("before rollback of " + deployment.version());
            }
        };
        VerificationReport report = DeployVerifier.builder().plan(minutes(3, 1)).timeSource(time)
                .rollback(RollbackTriggers.callback("record", e -> order.add("trigger")))
                .listener(slowNotifier).listener(keeper)
                .probe("p", ScriptedProbe.of(FAIL)).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(order).containsExactly("before rollback of 2.4.1", "trigger");
    }

    @Test
    void aListenerHangingBeforeTheRollbackHoldsItUpOneSecondAtMost() {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        VerificationListener hanging = new VerificationListener() {
            @Override
            public void beforeRollback(Deployment deployment) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        long start = System.nanoTime();
        VerificationReport report = verifier(minutes(3, 1)).listener(hanging).listenerTimeout(Duration.ofMillis(100))
                .probe("p", ScriptedProbe.of(FAIL)).build().verifyAfterDeploy(DEPLOYMENT);
        never.countDown();

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(rollbacks).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void withoutARollbackTriggerAnUnhealthyVerdictIsAFailedRollbackForAPersonToHandle() {
        VerificationReport report = DeployVerifier.builder()
                .plan(minutes(3, 1)).timeSource(time)
                .probe("p", ScriptedProbe.of(FAIL))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).isEqualTo("no rollback trigger is configured: roll back by hand");
    }

    @Test
    void aClockJumpingBackwardsNeverMakesTheVerifierWaitLongerThanOneInterval() {
        List<Duration> asked = new ArrayList<>();
        VerificationReport report = DeployVerifier.builder()
                .plan(minutes(3, 1))
                .timeSource(new TimeSource() {
                    @Override
                    public java.time.Instant now() {
                        return time.now();
                    }

                    @Override
                    public long nanoTime() {
                        return time.nanoTime();
                    }

                    @Override
                    public void sleep(Duration d) throws InterruptedException {
                        asked.add(d);
                        time.sleep(d);
                        time.advance(Duration.ofHours(-2));
                    }
                })
                .probe("p", ScriptedProbe.passing())
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(asked).hasSize(2).allMatch(d -> d.compareTo(Duration.ofMinutes(1)) <= 0);
    }

    @Test
    void builderRejectsImpossibleSettingsNamingThem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeployVerifier.builder().build())
                .hasMessage("a verifier needs at least one probe");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> DeployVerifier.builder().probe("a b", ScriptedProbe.passing()))
                .hasMessageContaining("probe name 'a b' is invalid");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> DeployVerifier.builder().probe("a", ScriptedProbe.passing()).probe("a", ScriptedProbe.passing()))
                .hasMessage("probe 'a' is already defined");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProbeLimits.defaults().withMaxFailures(-1))
                .hasMessage("max-failures must be >= 0: -1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VerificationPlan.defaults().withInterval(Duration.ZERO))
                .hasMessage("interval must be positive: PT0S");
    }

    @Test
    void aPlanWhoseIntervalIsLongerThanItsDurationIsRefusedNamingBoth() {
        // A bake of 30s with a round every minute measured once, without a word.
        VerificationPlan plan = VerificationPlan.defaults().withDuration(Duration.ofSeconds(30)).withInterval(Duration.ofMinutes(1));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeployVerifier.builder().plan(plan))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the plan's interval (1m) is longer than its duration (30s)")
                .hasMessageContaining("lower the interval or raise the duration");
        assertThat(verifier(plan.withInterval(Duration.ofSeconds(30))).probe("health", ScriptedProbe.passing()).build()
                .verifyAfterDeploy(DEPLOYMENT).rounds()).as("an interval as long as the duration: one round, as asked").isEqualTo(1);
    }

    @Test
    void aWatchWhoseIntervalIsLongerThanItsDurationIsRefusedNamingBoth() {
        WatchPlan watch = WatchPlan.of(Duration.ofSeconds(30), Duration.ofMinutes(1));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeployVerifier.builder().watch(watch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the watch's interval (1m) is longer than its duration (30s)")
                .hasMessageContaining("lower the interval or raise the duration");
        DeployVerifier.builder().watch(WatchPlan.of(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        DeployVerifier.builder().watch(new WatchPlan(Duration.ZERO, Duration.ofHours(1), WatchPlan.Action.ROLLBACK, java.util.Set.of()));
    }
}
