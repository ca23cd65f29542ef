package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackTrigger;
import dev.vigil.TimeSource;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The clock jumping either way never shortens the bake nor hangs it; the caller's interrupt always ends it. */
class TimeAndInterruptTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    @Test
    void aClockJumpingBackwardsAnHourMidBakeStillMeasuresEveryRoundAndWaitsNoLongerThanAnInterval() {
        VirtualTime time = VirtualTime.start();
        AtomicInteger calls = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ctx -> {
                    if (calls.incrementAndGet() == 2) {
                        time.advance(Duration.ofHours(-1));
                    }
                    return dev.vigil.ProbeResult.pass(java.util.Map.of(), "ok");
                })
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time)
                .build();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.rounds()).isEqualTo(6);
        assertThat(report.probes().get(0).measurements()).hasSize(6);
        assertThat(time.sleeps()).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(10)));
    }

    @Test
    void aClockJumpingForwardADayNeverSkipsRoundsSoHealthStillNeedsEveryMeasurement() {
        VirtualTime time = VirtualTime.start();
        AtomicInteger calls = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ctx -> {
                    int call = calls.incrementAndGet();
                    if (call == 2) {
                        time.advance(Duration.ofDays(1));
                    }
                    return call == 5 ? dev.vigil.ProbeResult.fail(java.util.Map.of(), "bad")
                            : dev.vigil.ProbeResult.pass(java.util.Map.of(), "ok");
                })
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(time)
                .build();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rounds()).isEqualTo(5);
    }

    @Test
    void aSleepThatReturnsEarlyNeverShortensTheBakeOrRunsARoundBeforeItIsDue() {
        // The sleeper lets at most 3 s of every wait pass (a sleeper capping its waits, a wake-up before time).
        VirtualTime virtual = VirtualTime.start();
        TimeSource early = virtual.sleepingAtMost(Duration.ofSeconds(3));
        List<Long> roundsAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = virtual.nanoTime();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ctx -> {
                    roundsAt.add(virtual.nanoTime() - start);
                    return dev.vigil.ProbeResult.pass(java.util.Map.of(), "ok");
                })
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(early)
                .build();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(roundsAt).hasSize(6);
        for (int k = 0; k < 6; k++) {
            assertThat(roundsAt.get(k)).as("round %d", k + 1).isGreaterThanOrEqualTo(Duration.ofSeconds(10L * k).toNanos());
        }
    }

    @ParameterizedTest(name = "a monotonic reading that {0}")
    @ValueSource(strings = {"stands still", "goes backwards"})
    void aMonotonicReadingThatNeverMovesForwardEndsTheBakePromptlyWithoutHealth(String how) {
        AtomicLong reading = new AtomicLong(1_000_000_000_000L);
        VirtualTime wall = VirtualTime.start();
        TimeSource stuck = new TimeSource() {
            @Override
            public Instant now() {
                return wall.now();
            }

            @Override
            public long nanoTime() {
                return how.equals("stands still") ? reading.get() : reading.addAndGet(-1_000_000_000L);
            }

            @Override
            public void sleep(Duration duration) {
                // returns at once, and the reading does not move forward
            }
        };
        ScriptedProbe probe = ScriptedProbe.passing();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", probe)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(5)))
                .timeSource(stuck)
                .build();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.reason()).contains("nanoTime").contains("did not move forward");
        assertThat(probe.calls()).isLessThanOrEqualTo(1);
    }

    @Test
    void timesToDetectAndRestoreAndTheRollbacksDurationAreElapsedTimeWhateverTheWallClockDoes() {
        // Rounds every 10 s from 0 s; the wall clock steps back an hour in round 2 and the probe fails
        // from round 3, at 20 s of elapsed time; the rollback takes 5 s, during which the wall clock
        // steps forward a day. The report's durations are elapsed time, as the meters' are.
        VirtualTime time = VirtualTime.start();
        AtomicInteger calls = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ctx -> {
                    int call = calls.incrementAndGet();
                    if (call == 2) {
                        time.advance(Duration.ofHours(-1));
                    }
                    return ctx.round() >= 3 ? ProbeResult.fail(java.util.Map.of(), "bad") : ProbeResult.pass(java.util.Map.of(), "ok");
                })
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(event -> {
                    time.pass(Duration.ofSeconds(5));
                    time.advance(Duration.ofDays(1));
                    return "rolled back";
                })
                .timeSource(time)
                .build();
        long began = time.nanoTime();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.verifyAfterDeploy(DEPLOYMENT));
        Duration elapsed = Duration.ofNanos(time.nanoTime() - began);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rounds()).isEqualTo(3);
        assertThat(report.timeToDetect()).contains(Duration.ofSeconds(20));
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(Duration.between(report.rollback().startedAt(), report.rollback().finishedAt())).isEqualTo(Duration.ofSeconds(5));
        assertThat(Duration.between(report.startedAt(), report.finishedAt())).isEqualTo(elapsed);
        dev.vigil.history.ReleaseRecord record = dev.vigil.history.ReleaseRecord.of(report);
        assertThat(record.timeToDetect()).contains(Duration.ofSeconds(20));
        assertThat(record.timeToRestore()).as(report.recheckResult().reason()).contains(elapsed.minusSeconds(20));
        assertThat(record.rollbackDuration()).contains(Duration.ofSeconds(5));
    }

    @Test
    void aRetryPauseOfThirtySecondsPassesOnTheTimeSourceNotInRealTime() {
        VirtualTime time = VirtualTime.start();
        AtomicInteger calls = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ctx -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new dev.vigil.RetryableProbeException("connection reset");
                    }
                    return ProbeResult.pass(java.util.Map.of(), "ok");
                }, dev.vigil.ProbeLimits.defaults(), dev.vigil.MeasurementPolicy.defaults()
                        .withTimeout(Duration.ofMinutes(1)).withMaxAttempts(2).withRetryBackoff(Duration.ofSeconds(30)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMinutes(1)).withDuration(Duration.ofMinutes(1)))
                .timeSource(time)
                .build();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        dev.vigil.Measurement m = report.probes().get(0).measurements().get(0);
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.attempts()).isEqualTo(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30));
        assertThat(m.duration()).as("the pause took 30 s of the time source").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRollbackBackoffOfThirtySecondsPassesOnTheTimeSourceNotInRealTime() {
        VirtualTime time = VirtualTime.start();
        AtomicInteger attempts = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMinutes(1)).withDuration(Duration.ofMinutes(1)))
                .rollback(event -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new dev.vigil.RollbackException("deployer busy, nothing changed", true, "");
                    }
                    return "rolled back";
                })
                .rollbackPolicy(RollbackPolicy.defaults().withMaxAttempts(3).withBackoff(Duration.ofSeconds(30)))
                .recheck(dev.vigil.RecheckPlan.off())
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(time)
                .build();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.verifyAfterDeploy(DEPLOYMENT));

        dev.vigil.RollbackReport rollback = report.rollback();
        assertThat(rollback.outcome()).as(rollback.error()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(rollback.attempts()).isEqualTo(3);
        assertThat(time.sleeps()).as("the backoffs, doubling, on the time source")
                .endsWith(Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(Duration.between(rollback.startedAt(), rollback.finishedAt()))
                .as("the report's rollback times are the verification's").isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aCallerAlreadyInterruptedGetsAbortedAtOnceWithoutRollbackAndKeepsItsFlag() {
        AtomicInteger rollbacks = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .rollback(event -> {
                    rollbacks.incrementAndGet();
                    return "";
                })
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();

        Thread.currentThread().interrupt();
        Verified verified = verify(verifier);
        VerificationReport report = verified.report();
        boolean flag = verified.interrupted();

        assertThat(report.verdict()).isEqualTo(Verdict.ABORTED);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(rollbacks).hasValue(0);
        assertThat(flag).as("interrupt flag after return").isTrue();
    }

    @Test
    void anInterruptDuringTheRollbackEndsItPromptlyWithoutAnotherAttemptAndKeepsTheFlag() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch rolling = new CountDownLatch(1);
        RollbackTrigger slow = event -> {
            attempts.incrementAndGet();
            rolling.countDown();
            Thread.sleep(60_000);
            return "";
        };
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(10)).withDuration(Duration.ofMillis(10)))
                .rollback(slow)
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(1)).withMaxAttempts(3))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();
        CompletableFuture<VerificationReport> result = new CompletableFuture<>();
        CompletableFuture<Boolean> flag = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            result.complete(verifier.verifyAfterDeploy(DEPLOYMENT));
            flag.complete(Thread.currentThread().isInterrupted());
        }, "pipeline");
        caller.start();
        assertThat(rolling.await(10, TimeUnit.SECONDS)).isTrue();

        caller.interrupt();
        VerificationReport report = result.get(10, TimeUnit.SECONDS);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(attempts).as("attempts of the rollback").hasValue(1);
        assertThat(flag.get(1, TimeUnit.SECONDS)).isTrue();
    }
    @Test
    void anInterruptedExceptionOfTheTriggersOwnIsAFailedAttemptNotAnInterruptOfTheCaller() {
        // A callback whose library was interrupted throws InterruptedException while nobody stopped
        // the verification. It set the caller's interrupt flag, and the re-check, which says which
        // version answers after the failed rollback, reported "interrupted after 0 rounds".
        RollbackTrigger trigger = dev.vigil.rollback.RollbackTriggers.callback("deployer", event -> {
            throw new InterruptedException("deployer client interrupted");
        });
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMinutes(1)).withDuration(Duration.ofMinutes(1)))
                .rollback(trigger)
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(VirtualTime.start())
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(DEPLOYMENT);
        boolean flag = Thread.interrupted();

        assertThat(flag).as("the caller's interrupt flag").isFalse();
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).isEqualTo(1);
        assertThat(report.rollback().error()).contains("InterruptedException: deployer client interrupted",
                "the verification was not interrupted");
        assertThat(report.recheckResult().status()).isEqualTo(dev.vigil.RecheckReport.Status.UNHEALTHY);
        assertThat(report.recheckResult().reason()).doesNotContain("interrupted");
    }

    @Test
    void anInterruptWhileTheRollbackRunsSaysHowLongItRanThatHowFarItGotIsUnknownAndToCheckByHand() {
        VirtualTime virtual = VirtualTime.start();
        Thread pipeline = Thread.currentThread();
        AtomicInteger attempts = new AtomicInteger();
        // The pipeline is signalled 20 s into the rollback, while the trigger still runs.
        RollbackTrigger slow = new RollbackTrigger() {
            @Override
            public String execute(dev.vigil.RollbackEvent event) throws InterruptedException {
                attempts.incrementAndGet();
                virtual.pass(Duration.ofSeconds(20));
                pipeline.interrupt();
                Thread.sleep(60_000);
                return "";
            }

            @Override
            public String description() {
                return "command: kubectl rollout undo deployment/checkout";
            }
        };
        DeployVerifier verifier = rollingBackAtOnceWith(slow, virtual);

        VerificationReport report = verifier.verifyAfterDeploy(DEPLOYMENT);
        boolean flagKept = Thread.interrupted();

        assertThat(flagKept).as("the interrupt flag").isTrue();
        assertThat(attempts).hasValue(1);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).startsWith("command: kubectl rollout undo deployment/checkout failed after 1 attempt: "
                + "the rollback was interrupted after 20s while it ran")
                .contains("a command's process is stopped", "how far it got is unknown", "check by hand which version runs")
                .doesNotContain("InterruptedException");
    }

    /**
     * A signal while a {@code helm rollback} runs: cut in half, it could leave the release stuck
     * (pending-rollback), worse than either version. With a grace the attempt under way finishes and
     * its own result is reported; nothing starts after it, and the re-check ends at once, saying it
     * was interrupted.
     */
    @Test
    void anAttemptRunningWhenTheCallerIsInterruptedFinishesWithinTheGraceAndItsResultIsReported() {
        Thread pipeline = Thread.currentThread();
        AtomicInteger attempts = new AtomicInteger();
        RollbackTrigger helm = named("command: helm rollback checkout", () -> {
            attempts.incrementAndGet();
            pipeline.interrupt();
            Thread.sleep(300);
            return "Rollback was a success! Happy Helming!";
        });

        VerificationReport report = rollingBackWithGrace(helm, Duration.ofSeconds(10)).verifyAfterDeploy(DEPLOYMENT);
        boolean flagKept = Thread.interrupted();

        assertThat(flagKept).as("the interrupt flag, for the caller").isTrue();
        assertThat(attempts).hasValue(1);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().output()).contains("Happy Helming!");
        assertThat(report.recheckResult().status()).isEqualTo(dev.vigil.RecheckReport.Status.INCONCLUSIVE);
        assertThat(report.recheckResult().reason()).contains("was interrupted after 0 rounds");
    }

    /** A failure within the grace is the attempt's own, and no retry starts after the interrupt. */
    @Test
    void anAttemptThatFailsWithinTheGraceIsNotTriedAgain() {
        Thread pipeline = Thread.currentThread();
        AtomicInteger attempts = new AtomicInteger();
        RollbackTrigger busy = named("command: deploy-tool undo", () -> {
            attempts.incrementAndGet();
            pipeline.interrupt();
            Thread.sleep(200);
            throw new dev.vigil.RollbackException("exit code 75: the deployer was busy", true, "busy, nothing changed");
        });

        VerificationReport report = rollingBackWithGrace(busy, Duration.ofSeconds(10)).verifyAfterDeploy(DEPLOYMENT);
        Thread.interrupted();

        assertThat(attempts).as("no retry after the interrupt").hasValue(1);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().output()).contains("busy, nothing changed");
        assertThat(report.rollback().error()).contains("exit code 75: the deployer was busy", "not tried again")
                .doesNotContain("how far it got is unknown");
    }

    /** An attempt that outlasts the grace is stopped then, as it is at once without one. */
    @Test
    void anAttemptThatOutlastsTheGraceIsStoppedAndReportedAsInterrupted() {
        Stopped stopped = hangingAfterAnInterrupt(Duration.ofMillis(500), false);

        assertThat(stopped.took()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(stopped.report().rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(stopped.report().rollback().error()).contains("the rollback was interrupted", "how far it got is unknown");
    }

    /** A second interrupt during the grace stops the attempt at once. */
    @Test
    void aSecondInterruptDuringTheGraceStopsTheAttemptAtOnce() {
        Stopped stopped = hangingAfterAnInterrupt(Duration.ofSeconds(60), true);

        assertThat(stopped.took()).isLessThan(Duration.ofSeconds(15));
        assertThat(stopped.report().rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(stopped.report().rollback().error()).contains("how far it got is unknown");
    }

    /**
     * The grace lets an attempt finish, not outlast its own timeout: a Java trigger that hangs is
     * stopped at {@code rollback.timeout} (and the few seconds after it every attempt gets), however
     * long the grace.
     */
    @Test
    void theGraceDoesNotTakeAnAttemptPastItsTimeout() {
        Thread pipeline = Thread.currentThread();
        RollbackTrigger hanging = named("command: kubectl apply -f previous/", () -> {
            pipeline.interrupt();
            Thread.sleep(60_000);
            return "";
        });
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMinutes(1)).withDuration(Duration.ofMinutes(1)))
                .rollback(hanging)
                .rollbackPolicy(RollbackPolicy.defaults().withTimeout(Duration.ofSeconds(1)).withInterruptGrace(Duration.ofSeconds(60)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(VirtualTime.start())
                .build();
        long started = System.nanoTime();
        VerificationReport report = verifier.verifyAfterDeploy(DEPLOYMENT);
        Thread.interrupted();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("how far it got is unknown");
    }

    /**
     * A chain of triggers: the one running at the interrupt finishes within the grace, and the next
     * one never starts after it; the report names it as not run.
     */
    @Test
    void theTriggerAfterOneThatFinishedWithinTheGraceDoesNotStart() {
        Thread pipeline = Thread.currentThread();
        AtomicInteger second = new AtomicInteger();
        RollbackTrigger first = named("command: helm rollback checkout", () -> {
            pipeline.interrupt();
            Thread.sleep(200);
            return "rolled back";
        });
        DeployVerifier verifier = rollingBackWithGrace(Duration.ofSeconds(10), first,
                named("webhook: POST https://deploy.example/undo", () -> {
                    second.incrementAndGet();
                    return "";
                }));

        VerificationReport report = verifier.verifyAfterDeploy(DEPLOYMENT);
        Thread.interrupted();

        assertThat(second).as("the second trigger's attempts").hasValue(0);
        assertThat(report.rollback().output()).contains("rolled back");
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("webhook: POST https://deploy.example/undo was not started");
    }

    /** A verification's report and how long it took in real time. */
    private record Stopped(VerificationReport report, Duration took) {
    }

    /**
     * Verifies with a rollback that interrupts the verifying thread as it starts (a signal), again
     * 300 ms later when {@code again}, and hangs.
     */
    private static Stopped hangingAfterAnInterrupt(Duration grace, boolean again) {
        Thread pipeline = Thread.currentThread();
        RollbackTrigger hanging = named("command: kubectl apply -f previous/", () -> {
            pipeline.interrupt();
            Thread.sleep(300);
            if (again) {
                pipeline.interrupt();
            }
            Thread.sleep(60_000);
            return "";
        });
        long started = System.nanoTime();
        VerificationReport report = rollingBackWithGrace(hanging, grace).verifyAfterDeploy(DEPLOYMENT);
        Thread.interrupted();
        return new Stopped(report, Duration.ofNanos(System.nanoTime() - started));
    }

    /** A trigger with a description, running {@code body}. */
    private static RollbackTrigger named(String description, java.util.concurrent.Callable<String> body) {
        return new RollbackTrigger() {
            @Override
            public String execute(dev.vigil.RollbackEvent event) throws Exception {
                return body.call();
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    private static DeployVerifier rollingBackWithGrace(RollbackTrigger trigger, Duration grace) {
        return rollingBackWithGrace(grace, trigger);
    }

    /** A verifier whose bake fails at once and that rolls back with these triggers, in order. */
    private static DeployVerifier rollingBackWithGrace(Duration grace, RollbackTrigger... triggers) {
        DeployVerifier.Builder builder = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMinutes(1)).withDuration(Duration.ofMinutes(1)));
        for (RollbackTrigger trigger : triggers) {
            builder.rollback(trigger);
        }
        return builder
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofSeconds(2)).withInterruptGrace(grace))
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(VirtualTime.start())
                .build();
    }

    /**
     * A command stopped by a signal takes a while to die: its process tree is killed and waited for
     * (up to 2 s each where nobody reaps the orphans, as in a container without an init). The time
     * the error gives is when the signal stopped the rollback, which is what tells how far the
     * command got, not when the killed command was done with: before, "interrupted after 3551ms" for
     * a signal 1.3 s into the rollback.
     */
    @Test
    void theTimeAnInterruptedRollbackRanIsTakenWhenItWasStoppedNotWhenTheKilledTriggerEnded() {
        VirtualTime virtual = VirtualTime.start();
        Thread pipeline = Thread.currentThread();
        RollbackTrigger dyingSlowly = new RollbackTrigger() {
            @Override
            public String execute(dev.vigil.RollbackEvent event) throws InterruptedException {
                virtual.pass(Duration.ofSeconds(20));
                pipeline.interrupt();
                try {
                    Thread.sleep(60_000);
                    return "";
                } catch (InterruptedException e) {
                    // Killing the command and waiting for its children.
                    virtual.pass(Duration.ofSeconds(3));
                    throw new dev.vigil.RollbackException("rollback command was stopped and killed", false, "step 1 done");
                }
            }

            @Override
            public String description() {
                return "command: ./rollback.sh";
            }
        };
        DeployVerifier verifier = rollingBackAtOnceWith(dyingSlowly, virtual);

        VerificationReport report = verifier.verifyAfterDeploy(DEPLOYMENT);
        Thread.interrupted();

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("the rollback was interrupted after 20s while it ran");
        assertThat(report.rollback().output()).contains("step 1 done");
    }

    @Test
    void anInterruptWhileWaitingToRetryTheRollbackKeepsWhatTheAttemptSaidAndSaysWhyNoOtherRan() {
        VirtualTime virtual = VirtualTime.start();
        Duration backoff = Duration.ofSeconds(2);
        // The pipeline is signalled during the wait before the rollback's second attempt.
        dev.vigil.TimeSource signalledWhileWaiting = virtual.interruptingWaitsOf(backoff);
        AtomicInteger attempts = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMinutes(1)).withDuration(Duration.ofMinutes(1)))
                .rollback(event -> {
                    attempts.incrementAndGet();
                    throw new dev.vigil.RollbackException("rollback command exited with 75: echo did-nothing", true, "did-nothing");
                })
                .rollbackPolicy(RollbackPolicy.defaults().withMaxAttempts(3).withBackoff(backoff))
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(signalledWhileWaiting)
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(DEPLOYMENT);
        Thread.interrupted();

        assertThat(attempts).hasValue(1);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("failed after 1 attempt: rollback command exited with 75: echo did-nothing",
                "not tried again: the verification was interrupted while waiting to try again");
        assertThat(report.rollback().output()).contains("did-nothing");
    }

    @Test
    void anInterruptBetweenTheVerdictAndTheRollbackStartsNoTriggerAndSaysSo() {
        VirtualTime virtual = VirtualTime.start();
        Thread caller = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger started = new AtomicInteger();
        // The caller's interrupt (a signal, a cancelled job) lands right when the round's failure is
        // decided: on the verifying thread's next reading of the clock, before the rollback starts.
        dev.vigil.TimeSource racing = virtual.beforeEachNow(() -> {
            if (Thread.currentThread() == caller && failed.getAndSet(false)) {
                caller.interrupt();
            }
        });
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ctx -> {
                    failed.set(true);
                    return ProbeResult.fail(java.util.Map.of(), "bad");
                })
                .rollback(event -> {
                    started.incrementAndGet();
                    return "rolled back";
                })
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(racing)
                .build();

        Verified verified = verify(verifier);
        VerificationReport report = verified.report();
        boolean flag = verified.interrupted();

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).as("not rolled back: a person must act").isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).as("no attempt was started").isZero();
        assertThat(report.rollback().rollbackId()).as("no id: nothing ran, and it is not another's shared rollback").isNull();
        assertThat(report.rollback().error()).contains("was not started").contains("interrupted");
        assertThat(started).as("trigger calls after the interrupt").hasValue(0);
        assertThat(report.recheckResult().status()).isEqualTo(dev.vigil.RecheckReport.Status.NOT_RUN);
        assertThat(flag).as("interrupt flag after return").isTrue();
    }

    /** A verification whose first round fails, rolling back with {@code trigger} (3 attempts, 2 s backoff) on {@code virtual} time. */
    private static DeployVerifier rollingBackAtOnceWith(RollbackTrigger trigger, VirtualTime virtual) {
        return DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMinutes(1)).withDuration(Duration.ofMinutes(1)))
                .rollback(trigger)
                .rollbackPolicy(RollbackPolicy.defaults().withMaxAttempts(3).withBackoff(Duration.ofSeconds(2)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(virtual)
                .build();
    }

    /** A verification's report and whether the calling thread was left interrupted (the flag is cleared). */
    private record Verified(VerificationReport report, boolean interrupted) {
    }

    private static Verified verify(DeployVerifier verifier) {
        VerificationReport report;
        try {
            report = verifier.verifyAfterDeploy(DEPLOYMENT);
        } catch (RuntimeException | Error e) {
            Thread.interrupted();
            throw e;
        }
        return new Verified(report, Thread.interrupted());
    }
}
