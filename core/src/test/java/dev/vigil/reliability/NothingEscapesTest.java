package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackReport;
import dev.vigil.RollbackTrigger;
import dev.vigil.TimeSource;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code verifyAfterDeploy} throws nothing but a {@link NullPointerException} for a null
 * deployment, whatever a probe, a listener, a rollback trigger or a sleeper does.
 */
class NothingEscapesTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    /** What a plug-in may throw: unchecked, an Error, and a checked exception smuggled past the compiler. */
    static Stream<Arguments> throwables() {
        List<Supplier<Throwable>> kinds = List.of(
                () -> new IllegalStateException("plug-in blew up"),
                () -> new AssertionError("plug-in assertion"),
                () -> new StackOverflowError(),
                () -> new java.io.IOException("sneaky checked"));
        return kinds.stream().map(k -> Arguments.of(k.get().getClass().getSimpleName(), k));
    }

    @Test
    void aNullDeploymentIsTheOnlyThingThatThrows() {
        DeployVerifier verifier = DeployVerifier.builder().probe("health", ScriptedProbe.passing()).build();

        assertThatThrownBy(() -> verifier.verifyAfterDeploy(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("deployment");
    }

    @ParameterizedTest(name = "a listener throwing {0} in every callback")
    @MethodSource("throwables")
    void aListenerThatThrowsInEveryCallbackChangesNothing(String kind, Supplier<Throwable> thrown) {
        VerificationListener listener = new VerificationListener() {
            @Override
            public void started(Deployment deployment, VerificationPlan plan) {
                sneakyThrow(thrown.get());
            }

            @Override
            public void measured(Measurement measurement) {
                sneakyThrow(thrown.get());
            }

            @Override
            public void roundFinished(int round, int rounds, Duration elapsed) {
                sneakyThrow(thrown.get());
            }

            @Override
            public void verdict(Deployment deployment, Verdict verdict, String reason) {
                sneakyThrow(thrown.get());
            }

            @Override
            public void rollbackStarted(Deployment deployment) {
                sneakyThrow(thrown.get());
            }

            @Override
            public void rollbackFinished(Deployment deployment, RollbackReport report) {
                sneakyThrow(thrown.get());
            }

            @Override
            public void finished(VerificationReport report) {
                sneakyThrow(thrown.get());
            }
        };

        VerificationReport healthy = verify(b -> b.probe("health", ScriptedProbe.passing()).listener(listener));
        VerificationReport unhealthy = verify(b -> b.probe("health", ScriptedProbe.of(dev.vigil.Outcome.FAIL))
                .listener(listener).rollback(RollbackTriggersForTests.succeeding()));

        assertThat(healthy.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(unhealthy.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(unhealthy.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
    }

    @ParameterizedTest(name = "a rollback trigger throwing {0}")
    @MethodSource("throwables")
    void aTriggerThatThrowsIsAFailedRollback(String kind, Supplier<Throwable> thrown) {
        RollbackTrigger trigger = event -> sneakyThrow(thrown.get());

        VerificationReport report = verify(b -> b.probe("health", ScriptedProbe.of(dev.vigil.Outcome.FAIL)).rollback(trigger)
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(1))));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).isNotBlank();
    }

    @ParameterizedTest(name = "a rollback trigger whose description throws {0}")
    @MethodSource("throwables")
    void aTriggerWhoseDescriptionThrowsStillRollsBack(String kind, Supplier<Throwable> thrown) {
        java.util.concurrent.atomic.AtomicInteger executed = new java.util.concurrent.atomic.AtomicInteger();
        RollbackTrigger trigger = new CountingTrigger(executed) {
            @Override
            public String description() {
                return sneakyThrow(thrown.get());
            }
        };

        VerificationReport report = verify(b -> b.probe("health", ScriptedProbe.of(dev.vigil.Outcome.FAIL)).rollback(trigger));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).as(report.rollback().toString()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().trigger()).contains("its description failed");
        assertThat(executed).hasValue(1);
    }

    @ParameterizedTest(name = "a rollback trigger whose identity throws {0}")
    @MethodSource("throwables")
    void aTriggerWhoseIdentityFailsStillRollsBackOnItsOwn(String kind, Supplier<Throwable> thrown) {
        Object unhashable = new Object() {
            @Override
            public int hashCode() {
                return sneakyThrow(thrown.get());
            }
        };
        for (Deployment deployment : List.of(DEPLOYMENT, DEPLOYMENT.withEnvironment("prod"))) {
            for (Supplier<Object> identity : List.<Supplier<Object>>of(() -> sneakyThrow(thrown.get()), () -> unhashable)) {
                java.util.concurrent.atomic.AtomicInteger executed = new java.util.concurrent.atomic.AtomicInteger();
                RollbackTrigger trigger = new CountingTrigger(executed) {
                    @Override
                    public Object identity() {
                        return identity.get();
                    }
                };

                VerificationReport report = verify(deployment, b -> b.probe("health", ScriptedProbe.of(dev.vigil.Outcome.FAIL))
                        .rollback(trigger));

                assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
                assertThat(report.rollback().outcome()).as(report.rollback().toString()).isEqualTo(RollbackOutcome.ROLLED_BACK);
                assertThat(executed).hasValue(1);
            }
        }
    }

    @ParameterizedTest(name = "a probe whose description and conditions throw {0}")
    @MethodSource("throwables")
    void aProbeWhoseEveryMethodThrowsIsNeverHealthyAndNeverThrows(String kind, Supplier<Throwable> thrown) {
        VerificationReport report = verify(b -> b.probe("health", throwingEverywhere(thrown)));

        assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
    }

    @ParameterizedTest(name = "a probe whose description throws {0}")
    @MethodSource("throwables")
    void aVerifiersToStringSurvivesAProbeWhoseDescriptionThrows(String kind, Supplier<Throwable> thrown) {
        try (DeployVerifier verifier = DeployVerifier.builder().probe("health", throwingEverywhere(thrown)).build()) {
            assertThat(verifier.toString()).contains("health=description unavailable: ", thrown.get().getMessage() == null
                    ? kind : thrown.get().getMessage());
        }
    }

    /** A probe each of whose methods throws what {@code thrown} gives. */
    private static Probe throwingEverywhere(Supplier<Throwable> thrown) {
        return new Probe() {
            @Override
            public ProbeResult measure(dev.vigil.ProbeContext context) {
                return sneakyThrow(thrown.get());
            }

            @Override
            public String description() {
                return sneakyThrow(thrown.get());
            }

            @Override
            public String passWhen() {
                return sneakyThrow(thrown.get());
            }

            @Override
            public String failWhen() {
                return sneakyThrow(thrown.get());
            }

            @Override
            public String toString() {
                return sneakyThrow(thrown.get());
            }
        };
    }

    @ParameterizedTest(name = "a probe whose close() throws {0}")
    @MethodSource("throwables")
    void aProbeWhoseCloseThrowsNeitherEscapesTheVerifiersCloseNorKeepsTheNextProbesOpen(String kind, Supplier<Throwable> thrown) {
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        Probe failing = new Probe() {
            @Override
            public ProbeResult measure(dev.vigil.ProbeContext context) {
                return ProbeResult.pass(java.util.Map.of(), "up");
            }

            @Override
            public void close() {
                sneakyThrow(thrown.get());
            }
        };
        Probe next = countingCloses(closed);
        DeployVerifier verifier = DeployVerifier.builder().probe("first", failing).probe("second", next).build();

        try (LogCapture log = LogCapture.start()) {
            verifier.close();

            assertThat(closed).as("the probe after the one that failed to close").hasValue(1);
            assertThat(log.text()).contains("probe 'first' failed to close: " + kind);
        }
    }

    @Test
    void aProbeWhoseCloseNeverReturnsHoldsTheVerifiersCloseFiveSecondsAtMostOnADaemonThread() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        Probe stuck = new Probe() {
            @Override
            public ProbeResult measure(dev.vigil.ProbeContext context) {
                return ProbeResult.pass(java.util.Map.of(), "up");
            }

            @Override
            public void close() {
                // A pool shutdown that waits for a connection that never ends, deaf to interrupts.
                while (true) {
                    try {
                        if (release.await(1, java.util.concurrent.TimeUnit.MINUTES)) {
                            return;
                        }
                    } catch (InterruptedException ignored) {
                        // keeps waiting
                    }
                }
            }
        };
        Probe next = countingCloses(closed);
        DeployVerifier verifier = DeployVerifier.builder().probe("stuck", stuck).probe("next", next).build();

        try (LogCapture log = LogCapture.start()) {
            assertTimeoutPreemptively(Duration.ofSeconds(8), verifier::close);

            assertThat(closed).as("the probe after the one that does not close").hasValue(1);
            assertThat(log.text()).contains("probe 'stuck' did not close within 5s");
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals("vigil-close-stuck"))
                    .isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
        } finally {
            release.countDown();
        }
    }

    @ParameterizedTest(name = "a probe whose confirmationTests throws {0}")
    @MethodSource("throwables")
    void aProbeThatCannotSayWhichTestsConfirmAFixIsNamedInTheRefusalWhateverItThrows(String kind, Supplier<Throwable> thrown) {
        DeployVerifier verifier = DeployVerifier.builder().probe("smoke", confirming(() -> sneakyThrow(thrown.get()))).build();

        assertThatThrownBy(() -> verifier.verifyAfterDeploy(DEPLOYMENT.asHotfix("INC-1")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hotfix checkout 2.4.1 fixes INC-1 but no probe confirms it: probe smoke: ")
                .hasMessageContaining(thrown.get().getClass().getSimpleName());
    }

    @Test
    void aProbeThatNamesANullConfirmationTestIsNamedInTheRefusal() {
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("smoke", confirming(() -> java.util.Arrays.asList("CheckoutTest#coupons", null))).build();

        assertThat(verifier.confirmationProblems(DEPLOYMENT.asHotfix("INC-1"))).singleElement().asString()
                .startsWith("hotfix checkout 2.4.1 fixes INC-1 but no probe confirms it: probe smoke: ")
                .contains("confirmationTests(\"INC-1\") of smoke named a null test among [CheckoutTest#coupons, null]");
        assertThatThrownBy(() -> verifier.verifyAfterDeploy(DEPLOYMENT.asHotfix("INC-1")))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("named a null test");
    }

    /** A passing probe whose confirmation tests are what {@code tests} gives. */
    private static Probe confirming(Supplier<List<String>> tests) {
        return new Probe() {
            @Override
            public ProbeResult measure(dev.vigil.ProbeContext context) {
                return ProbeResult.pass(java.util.Map.of(), "up");
            }

            @Override
            public List<String> confirmationTests(String issue) {
                return tests.get();
            }
        };
    }

    @ParameterizedTest(name = "a sleeper throwing {0}")
    @MethodSource("throwables")
    void aSleeperThatThrowsEndsTheVerificationWithoutAVerdictOfHealth(String kind, Supplier<Throwable> thrown) {
        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> DeployVerifier.builder()
                .probe("health", ScriptedProbe.passing())
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .timeSource(new TimeSource() {
                    @Override
                    public java.time.Instant now() {
                        return java.time.Instant.now();
                    }

                    @Override
                    public long nanoTime() {
                        return System.nanoTime();
                    }

                    @Override
                    public void sleep(Duration d) {
                        sneakyThrow(thrown.get());
                    }
                })
                .build()
                .verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
    }

    @Test
    void aClockThatThrowsEndsTheVerificationWithoutAVerdictOfHealth() {
        TimeSource broken = new TimeSource() {
            @Override
            public java.time.Instant now() {
                throw new IllegalStateException("clock unavailable");
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                TimeSource.system().sleep(d);
            }
        };

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> DeployVerifier.builder()
                .probe("health", ScriptedProbe.passing())
                .timeSource(broken)
                .build()
                .verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
        assertThat(report.reason()).contains("clock unavailable");
    }

    @Test
    void aClockThatAnswersNullEndsTheVerificationWithoutAVerdictOfHealth() {
        VirtualTime virtual = VirtualTime.start();
        TimeSource noTime = new TimeSource() {
            @Override
            public java.time.Instant now() {
                return null;
            }

            @Override
            public long nanoTime() {
                return virtual.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                virtual.sleep(d);
            }
        };

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> DeployVerifier.builder()
                .probe("health", ScriptedProbe.passing())
                .timeSource(noTime)
                .build()
                .verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.reason()).contains("the time source's now() returned null");
        assertThat(report.startedAt()).as("stamped by the system clock instead").isNotNull();
        assertThat(report.finishedAt()).isNotNull();
    }

    /** A trigger that rolls back at once and counts its attempts. */
    private static class CountingTrigger implements RollbackTrigger {
        private final java.util.concurrent.atomic.AtomicInteger executed;

        CountingTrigger(java.util.concurrent.atomic.AtomicInteger executed) {
            this.executed = executed;
        }

        @Override
        public String execute(dev.vigil.RollbackEvent event) {
            executed.incrementAndGet();
            return "rolled back";
        }
    }

    /** A passing probe that counts the times it is closed. */
    private static Probe countingCloses(java.util.concurrent.atomic.AtomicInteger closed) {
        return new Probe() {
            @Override
            public ProbeResult measure(dev.vigil.ProbeContext context) {
                return ProbeResult.pass(java.util.Map.of(), "up");
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }

    private static VerificationReport verify(java.util.function.UnaryOperator<DeployVerifier.Builder> setup) {
        return verify(DEPLOYMENT, setup);
    }

    private static VerificationReport verify(Deployment deployment, java.util.function.UnaryOperator<DeployVerifier.Builder> setup) {
        VirtualTime time = VirtualTime.start();
        DeployVerifier verifier = setup.apply(DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(time)).build();
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> verifier.verifyAfterDeploy(deployment));
    }

    @SuppressWarnings("unchecked")
    static <T, E extends Throwable> T sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    /** Triggers for these tests. */
    static final class RollbackTriggersForTests {
        private RollbackTriggersForTests() {
        }

        static RollbackTrigger succeeding() {
            return event -> "rolled back to " + event.deployment().previousVersion();
        }
    }
}
