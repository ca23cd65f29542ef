package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What must never happen in a watch: a HEALTHY end on a stale PASS, a watch on a verifier being shut
 * down, a quiet-release note after a rollback, a slow re-check, an old watch measuring a new version,
 * a NOTIFIED report for a deployment another verification rolled back.
 */
class WatchSafetyTest {

    /**
     * A round of the tests that run on the real clock: one round a bake, and long enough that a busy
     * machine neither skips a round (a bake that skipped one of a few proves nothing and is never
     * watched) nor times a trivial probe out.
     */
    private static final Duration ROUND = Duration.ofMillis(200);

    /**
     * A watched probe that hangs in a call that ignores interruption (a blocking read without a
     * timeout, a lock): each round's measurement times out, and before this fix each round called it
     * again on a new thread, so a weekend's watch left one stuck thread behind per round (1,440 a day
     * at 1 min, 8,640 at 10 s) until the process ran out of threads or memory. The call hanging on the
     * version rolled back does not keep the re-check from measuring the previous one.
     */
    @Test
    void aProbeThatIgnoresInterruptionIsNotCalledAgainWhileItsEarlierCallHasNotReturned() throws Exception {
        VirtualTime time = VirtualTime.start();
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean rolledBack = new java.util.concurrent.atomic.AtomicBoolean();
        Probe stuck = context -> {
            if (calls.incrementAndGet() <= 6 || rolledBack.get()) {
                return ProbeResult.pass(java.util.Map.of(), "reachable");
            }
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!release.get() && System.nanoTime() < until) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                Thread.interrupted(); // deliberately swallowed: the fault under test
            }
            return ProbeResult.pass(java.util.Map.of(), "released");
        };
        java.util.List<String> before = dev.vigil.reliability.VigilThreads.alive();
        // The bake: 6 rounds, one every 10 s; the watch: 10 rounds, one a minute; 12 errors in a row break the limit.
        DeployVerifier verifier = DeployVerifier.builder().timeSource(time)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .watch(WatchPlan.of(Duration.ofMinutes(10), Duration.ofMinutes(1)))
                .rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.defaults().withRounds(2))
                .rollback(event -> {
                    rolledBack.set(true);
                    return "rolled back";
                })
                .probe("db", stuck, new ProbeLimits(0, 12, 0),
                        MeasurementPolicy.defaults().withTimeout(Duration.ofMillis(50)).withMaxAttempts(1))
                .build();
        try (verifier; Watch watch = verifier.verifyThenWatch(Deployment.of("stuck-service", "2.0.0", "1.0.0"))) {
            VerificationReport report = watch.await();

            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.reason()).contains("could not measure 13 times in a row (max-consecutive-errors 12)");
            java.util.List<String> left = dev.vigil.reliability.VigilThreads.alive().stream()
                    .filter(t -> !before.contains(t) && t.contains("stuck-service")).toList();
            assertThat(left).as("one stuck thread for the probe, not one a round").hasSize(1);
            // Once in the watch, then not again while that call runs; the re-check of 1.0.0 calls it afresh.
            assertThat(calls).hasValue(7 + report.recheckResult().rounds());
            assertThat(report.recheckResult().healthy()).as(report.recheckResult().reason()).isTrue();
            java.util.List<Measurement> measured = report.probe("db").orElseThrow().measurements();
            assertThat(measured.get(0).error()).isEqualTo("timed out after 50ms");
            assertThat(measured.get(1).error()).isEqualTo("timed out after 50ms: its call of round 1 has not returned"
                    + " (the probe ignores interruption), so it was not called again");
        } finally {
            release.set(true);
        }
    }

    /**
     * The host is suspended for 23 h 50 min during a 24 h watch (a paused VM, a laptop lid, SIGSTOP):
     * the schedule skips the missed rounds, and the watch ends HEALTHY on a PASS taken a day before,
     * with about 10 of 1,440 rounds measured.
     */
    @Test
    void aWatchWhoseHostSleptThroughItMustNotEndHealthyOnAStalePass() throws Exception {
        VirtualTime virtual = VirtualTime.start();
        AtomicInteger sleeps = new AtomicInteger();
        TimeSource suspended = new TimeSource() {
            @Override
            public Instant now() {
                return virtual.now();
            }

            @Override
            public long nanoTime() {
                return virtual.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                virtual.sleep(sleeps.incrementAndGet() == 20 ? d.plus(Duration.ofHours(23).plusMinutes(50)) : d);
            }
        };
        try (DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .watch(WatchPlan.of(Duration.ofHours(24), Duration.ofMinutes(1)))
                .timeSource(suspended).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .rollback(e -> "rolled back").probe("health", ScriptedProbe.passing()).build();
                Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0.0", "1.0.0"))) {
            VerificationReport report = watch.await();

            // Not watched is not healthy: more than a tenth of the watch's rounds skipped.
            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(report.reason()).contains("the watch measured only").contains("1426 of its 1440 planned rounds skipped");
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
            // And the end-of-bake rule measured again the probe whose latest PASS was older than an interval.
            assertThat(report.schedule().settlingRounds()).isEqualTo(1);
            ProbeReport probe = report.probe("health").orElseThrow();
            Measurement last = probe.measurements().get(probe.measurements().size() - 1);
            assertThat(Duration.between(last.time(), report.finishedAt())).isLessThan(Duration.ofMinutes(1));
        }
    }

    /**
     * DeployVerifier.close() while the bake's last round is measuring: close() finds no watch to stop
     * and closes the probes; the bake still ends HEALTHY, verifyThenWatch then starts a watch on the
     * closed probes, whose errors break max-consecutive-errors and roll back a healthy release.
     */
    @Test
    void closingTheVerifierAtTheEndOfTheBakeMustNotLeadToARollback() throws Exception {
        VirtualTime virtual = VirtualTime.start();
        AtomicInteger rollbacks = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<DeployVerifier> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        Probe probe = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) throws Exception {
                if (closed.get()) {
                    throw new IllegalStateException("probe is closed");
                }
                if (calls.incrementAndGet() == 6) {
                    // The application shuts down as the bake's last round measures.
                    Thread t = new Thread(() -> self.get().close());
                    t.start();
                    t.join();
                }
                return ProbeResult.pass(java.util.Map.of(), "up");
            }

            @Override
            public String description() {
                return "health";
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        DeployVerifier verifier = hourWatch(virtual, rollbacks, probe);
        self.set(verifier);
        Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0.0", "1.0.0"));
        VerificationReport report = watch.await();
        assertThat(rollbacks).as(report.reason()).hasValue(0);
        assertThat(watch.started()).isFalse();
        assertThat(watch.notStartedReason()).contains("the verifier was closed during the bake");
    }

    @Test
    void aNewVerificationOfTheSameServiceAndEnvironmentStopsTheWatchOfTheOldVersion() throws Exception {
        Deployment old = Deployment.of("payments", "2.0.0", "1.0.0").withEnvironment("production");
        Deployment elsewhere = old.withEnvironment("staging");
        try (DeployVerifier first = quick(ScriptedProbe.passing(), WatchPlan.of(Duration.ofHours(1), ROUND));
                DeployVerifier second = quick(ScriptedProbe.passing(), WatchPlan.off());
                Watch production = first.verifyThenWatch(old);
                Watch staging = first.verifyThenWatch(elsewhere)) {
            assertThat(production.running()).isTrue();

            second.verifyAfterDeploy(Deployment.of("payments", "2.1.0", "2.0.0").withEnvironment("production"));

            VerificationReport stopped = production.await(Duration.ofSeconds(10)).orElseThrow();
            assertThat(stopped.verdict()).isEqualTo(Verdict.ABORTED);
            assertThat(stopped.reason()).endsWith("superseded by the verification of payments 2.1.0");
            assertThat(stopped.supersededBy()).isEqualTo("the verification of payments 2.1.0");
            assertThat(stopped.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
            assertThat(staging.running()).as("another environment's watch goes on").isTrue();
        }
    }

    /**
     * A dry-run in this JVM as in another process (OtherProcessesTest): of the watched version it
     * checks what runs and leaves the watch running; of another version, it stops the watch.
     */
    @Test
    void aDryRunStopsTheWatchOfAnotherVersionOnly() throws Exception {
        Deployment old = Deployment.of("payments", "2.0.0", "1.0.0").withEnvironment("production");
        try (DeployVerifier first = quick(ScriptedProbe.passing(), WatchPlan.of(Duration.ofHours(1), ROUND));
                DeployVerifier dryRun = DeployVerifier.builder()
                        .plan(VerificationPlan.defaults().withInterval(ROUND).withDuration(ROUND).withDryRun(true))
                        .watch(WatchPlan.off()).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                        .probe("health", ScriptedProbe.passing(), ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(ROUND))
                        .build();
                Watch production = first.verifyThenWatch(old)) {
            assertThat(production.running()).isTrue();

            dryRun.verifyAfterDeploy(old);
            assertThat(production.running()).as("a dry-run of the watched version leaves it running").isTrue();

            dryRun.verifyAfterDeploy(Deployment.of("payments", "2.1.0", "2.0.0").withEnvironment("production"));
            VerificationReport stopped = production.await(Duration.ofSeconds(10)).orElseThrow();
            assertThat(stopped.verdict()).isEqualTo(Verdict.ABORTED);
            assertThat(stopped.reason()).endsWith("superseded by the dry-run verification of payments 2.1.0");
        }
    }

    @Test
    void abortingAWatchInterruptsARollbackUnderWayWhichIsThenReportedFailed() throws Exception {
        java.util.concurrent.CountDownLatch rollingBack = new java.util.concurrent.CountDownLatch(1);
        DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(ROUND).withDuration(ROUND))
                .watch(WatchPlan.of(Duration.ofHours(1), ROUND))
                .rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .rollbackPolicy(RollbackPolicy.defaults().withMaxAttempts(1))
                .rollback(event -> {
                    rollingBack.countDown();
                    new java.util.concurrent.CountDownLatch(1).await();
                    return "rolled back";
                })
                .probe("health", ScriptedProbe.of(Outcome.PASS, Outcome.PASS, Outcome.FAIL), ProbeLimits.defaults(),
                        MeasurementPolicy.defaults().withTimeout(ROUND))
                .build();
        try (verifier; Watch watch = verifier.verifyThenWatch(Deployment.of("ledger", "2.0.0", "1.0.0"))) {
            assertThat(rollingBack.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            VerificationReport report = watch.abort("stopped by SIGTERM", Duration.ofSeconds(10)).orElseThrow();

            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        }
    }

    @Test
    void aNotifyWatchOfADeploymentThatAnotherVerificationRolledBackReportsThatRollback() throws Exception {
        RollbackCoordinator shared = RollbackCoordinator.create();
        AtomicInteger rollbacks = new AtomicInteger();
        Deployment d = Deployment.of("orders", "2.0.0", "1.0.0").withEnvironment("production");
        // One trigger: verifications of the same deployment with the same trigger share one rollback.
        RollbackTrigger trigger = e -> {
            rollbacks.incrementAndGet();
            return "rolled back";
        };
        // The other verification fails late in its bake, while the watch runs.
        DeployVerifier other = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(100)).withDuration(Duration.ofSeconds(5)))
                .rollbackCoordinator(shared).recheck(RecheckPlan.off())
                .rollback(trigger)
                // Fails after 2 s, when the other verification's one-round bake is long over and it watches.
                .probe("errors", ScriptedProbe.of(java.util.stream.Stream.concat(java.util.Collections.nCopies(20, Outcome.PASS).stream(),
                        java.util.stream.Stream.of(Outcome.FAIL)).toArray(Outcome[]::new)), ProbeLimits.defaults(),
                        MeasurementPolicy.defaults().withTimeout(Duration.ofMillis(100)))
                .build();
        DeployVerifier watching = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(ROUND).withDuration(ROUND))
                .watch(WatchPlan.of(Duration.ofHours(1), ROUND).withAction(WatchPlan.Action.NOTIFY))
                .rollbackCoordinator(shared).recheck(RecheckPlan.off())
                .rollback(trigger)
                .probe("health", ScriptedProbe.passing(), ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(ROUND))
                .build();
        java.util.concurrent.CompletableFuture<VerificationReport> otherReport =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> other.verifyAfterDeploy(d));
        Thread.sleep(100);
        try (other; watching; Watch watch = watching.verifyThenWatch(d)) {
            assertThat(otherReport.get(20, java.util.concurrent.TimeUnit.SECONDS).rollback().outcome())
                    .isEqualTo(RollbackOutcome.ROLLED_BACK);

            VerificationReport report = watch.await(Duration.ofSeconds(10)).orElseThrow();

            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.reason()).contains("rolled back by a concurrent verification");
            assertThat(report.rollback().outcome()).as("it was rolled back, not left for a person").isEqualTo(RollbackOutcome.ROLLED_BACK);
            assertThat(rollbacks).hasValue(1);
        }
    }

    @Test
    void aRollbackRehearsalStopsTheWatchOfTheSameServiceAndEnvironment() throws Exception {
        Deployment staged = Deployment.of("payments", "2.0.0", "1.0.0").withEnvironment("staging");
        java.util.concurrent.atomic.AtomicInteger rollbacks = new java.util.concurrent.atomic.AtomicInteger();
        try (DeployVerifier watching = quick(ScriptedProbe.passing(), WatchPlan.of(Duration.ofHours(1), ROUND));
                DeployVerifier rehearsing = DeployVerifier.builder()
                        .plan(VerificationPlan.defaults().withInterval(ROUND).withDuration(ROUND))
                        .rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.defaults().withDelay(Duration.ZERO))
                        .probe("health", ScriptedProbe.passing())
                        .rollback(e -> {
                            rollbacks.incrementAndGet();
                            return "rolled back to 1.0.0";
                        }).build();
                Watch watch = watching.verifyThenWatch(staged);
                Watch elsewhere = watching.verifyThenWatch(staged.withEnvironment("test"))) {
            assertThat(watch.running()).as(watch.bake().reason()).isTrue();

            RehearsalReport rehearsal = rehearsing.rehearseRollback(staged);

            assertThat(rehearsal.outcome()).as(rehearsal.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
            VerificationReport stopped = watch.await(Duration.ofSeconds(10)).orElseThrow();
            assertThat(stopped.verdict()).isEqualTo(Verdict.ABORTED);
            assertThat(stopped.reason()).endsWith("stopped by the rollback rehearsal of payments 2.0.0");
            assertThat(stopped.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
            assertThat(rollbacks).as("the rehearsal's rollback only").hasValue(1);
            assertThat(elsewhere.running()).as("another environment's watch goes on").isTrue();
        }
    }

    /** A minute's bake at 10 s and an hour's watch at a minute, in virtual time, counting its rollbacks. */
    private static DeployVerifier hourWatch(TimeSource virtual, AtomicInteger rollbacks, Probe probe) {
        return DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .watch(WatchPlan.of(Duration.ofHours(1), Duration.ofMinutes(1)))
                .timeSource(virtual).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .rollback(e -> {
                    rollbacks.incrementAndGet();
                    return "rolled back";
                }).probe("health", probe).build();
    }

    private static DeployVerifier quick(Probe probe, WatchPlan watch) {
        return DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(ROUND).withDuration(ROUND))
                .watch(watch).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .probe("health", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(ROUND))
                .build();
    }

    /**
     * A watch that rolls back a release: its own report and console end with the bake's history note,
     * "quiet release #1 in a row", although the history now holds it as rolled back.
     */
    @Test
    void theWatchsReportMustNotCarryTheBakesQuietStreak() throws Exception {
        VirtualTime virtual = VirtualTime.start();
        java.util.Map<String, dev.vigil.history.ReleaseRecord> rows = new java.util.concurrent.ConcurrentHashMap<>();
        dev.vigil.history.HistoryStore store = new dev.vigil.history.HistoryStore() {
            @Override
            public boolean record(dev.vigil.history.ReleaseRecord r) {
                rows.put(r.id(), r);
                return true;
            }

            @Override
            public boolean update(dev.vigil.history.ReleaseRecord r) {
                return rows.replace(r.id(), r) != null;
            }

            @Override
            public boolean record(dev.vigil.history.RehearsalRecord r) {
                return true;
            }

            @Override
            public java.util.List<dev.vigil.history.ReleaseRecord> releases(dev.vigil.history.HistoryQuery q) {
                return new java.util.ArrayList<>(rows.values());
            }

            @Override
            public java.util.List<dev.vigil.history.RehearsalRecord> rehearsals(dev.vigil.history.HistoryQuery q) {
                return java.util.List.of();
            }

            @Override
            public String description() {
                return "memory";
            }
        };
        dev.vigil.history.HistoryRecorder history = dev.vigil.history.HistoryRecorder.to(store);
        java.util.List<String> notesAtWatchEnd = new java.util.concurrent.CopyOnWriteArrayList<>();
        VerificationListener after = new VerificationListener() {
            @Override
            public void finished(VerificationReport report) {
                if (report.watch()) {
                    notesAtWatchEnd.addAll(history.lines());
                }
            }
        };
        AtomicInteger calls = new AtomicInteger();
        Probe probe = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                return calls.incrementAndGet() <= 10 ? ProbeResult.pass(java.util.Map.of(), "up")
                        : ProbeResult.of(Outcome.FAIL, java.util.Map.of(), "down");
            }

            @Override
            public String description() {
                return "health";
            }
        };
        try (DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .watch(WatchPlan.of(Duration.ofHours(1), Duration.ofMinutes(1)))
                .timeSource(virtual).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .rollback(e -> "rolled back").probe("health", probe).listener(history).listener(after).build();
                Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0.0", "1.0.0").withEnvironment("prod"))) {
            VerificationReport report = watch.await();
            // The note is worked out again from the history the watch updated.
            assertThat(notesAtWatchEnd).singleElement().asString()
                    .startsWith("History: 0 quiet releases of checkout in a row came before this rollback");
        }
    }

    /** The re-check after a watch's rollback is paced by the watch's interval, not the bake's. */
    @Test
    void theRecheckAfterAWatchRollbackIsPacedByTheBakesInterval() throws Exception {
        VirtualTime virtual = VirtualTime.start();
        AtomicInteger calls = new AtomicInteger();
        Probe probe = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                int n = calls.incrementAndGet();
                return n <= 8 || n > 9 ? ProbeResult.pass(java.util.Map.of(), "up") : ProbeResult.of(Outcome.FAIL, java.util.Map.of(), "down");
            }

            @Override
            public String description() {
                return "health";
            }
        };
        try (DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .watch(WatchPlan.of(Duration.ofHours(24), Duration.ofMinutes(15)))
                .timeSource(virtual).rollbackCoordinator(RollbackCoordinator.create())
                .rollback(e -> "rolled back").probe("health", probe).build();
                Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0.0", "1.0.0"))) {
            VerificationReport report = watch.await();
            Duration afterDetection = Duration.between(report.detectedAt(), report.finishedAt());
            assertThat(afterDetection).isLessThan(Duration.ofMinutes(5));
        }
    }
    /**
     * A hotfix (2.4.2 fixes INC-1, confirmed by probe "coupons") passes its bake; hours later the watch
     * sees "health" fail and rolls back to 2.4.1, which still has INC-1. The re-check must expect the
     * confirmation to fail there, as after a bake's rollback, instead of calling the previous version
     * unhealthy (exit 5, "a person must look") because of the very bug the hotfix fixed.
     */
    @Test
    void theRecheckAfterAWatchRollsBackAHotfixExpectsItsConfirmationToFailOnThePreviousVersion() throws Exception {
        VirtualTime virtual = VirtualTime.start();
        java.util.concurrent.atomic.AtomicBoolean rolledBack = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger healthCalls = new AtomicInteger();
        Probe health = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                // The bake's 6 rounds and 2 watch rounds pass, then 2.4.2 degrades; 2.4.1 is fine.
                return rolledBack.get() || healthCalls.incrementAndGet() <= 8 ? ProbeResult.pass(java.util.Map.of(), "up")
                        : ProbeResult.fail(java.util.Map.of(), "down");
            }

            @Override
            public String description() {
                return "health";
            }
        };
        Probe coupons = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                // Fixed in 2.4.2; 2.4.1 still applies a coupon twice.
                return rolledBack.get() ? ProbeResult.fail(java.util.Map.of(), "coupon applied twice")
                        : ProbeResult.pass(java.util.Map.of(), "coupon applied once");
            }

            @Override
            public String description() {
                return "coupons";
            }
        };
        Deployment hotfix = new Deployment("checkout", "2.4.2", "2.4.1", "production", Deployment.Kind.HOTFIX,
                java.util.List.of("INC-1"), java.util.Map.of());
        try (DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .watch(WatchPlan.of(Duration.ofHours(1), Duration.ofMinutes(1)))
                .timeSource(virtual).rollbackCoordinator(RollbackCoordinator.create())
                .rollback(e -> {
                    rolledBack.set(true);
                    return "rolled back";
                })
                .probe("health", health).probe("coupons", coupons).confirms("coupons", "INC-1").build();
                Watch watch = verifier.verifyThenWatch(hotfix)) {
            assertThat(watch.bake().verdict()).as(watch.bake().reason()).isEqualTo(Verdict.HEALTHY);

            VerificationReport report = watch.await();

            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
            assertThat(report.recheckResult().status()).as(report.recheckResult().reason())
                    .isEqualTo(RecheckReport.Status.HEALTHY);
            assertThat(report.recheck()).filteredOn(m -> m.probe().equals("coupons")).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.explanation()).startsWith("as expected: 2.4.1 still has INC-1"));
        }
    }
    /**
     * Two pipelines in one release service: checkout 2.4.2 is verified while the bake of 2.4.1 still
     * runs. The new verification finds no watch to stop (the old one has not started yet); the old
     * bake then ends HEALTHY and starts the watch of 2.4.1, which measures 2.4.2 and rolls it back.
     */
    @Test
    void aBakeOvertakenByANewerVerificationOfTheSameServiceMustNotStartItsWatch() throws Exception {
        VirtualTime virtual = VirtualTime.start();
        AtomicInteger rollbacks = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Deployment older = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production");
        DeployVerifier newer = quick(ScriptedProbe.passing(), WatchPlan.off());
        Probe probe = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) throws Exception {
                int n = calls.incrementAndGet();
                if (n == 3) {
                    // Meanwhile, the other pipeline deploys and verifies 2.4.2.
                    Thread t = new Thread(() -> newer.verifyAfterDeploy(Deployment.of("checkout", "2.4.2", "2.4.1")
                            .withEnvironment("production")));
                    t.start();
                    t.join();
                }
                // What 2.4.1's watch would measure is 2.4.2, which this probe does not like.
                return n <= 6 ? ProbeResult.pass(java.util.Map.of(), "up") : ProbeResult.fail(java.util.Map.of(), "down");
            }

            @Override
            public String description() {
                return "health";
            }
        };
        try (newer; DeployVerifier verifier = hourWatch(virtual, rollbacks, probe);
                Watch watch = verifier.verifyThenWatch(older)) {
            VerificationReport report = watch.await();

            assertThat(rollbacks).as(report.reason()).hasValue(0);
            assertThat(watch.started()).isFalse();
            assertThat(watch.notStartedReason()).hasValueSatisfying(
                    reason -> assertThat(reason).contains("superseded by the verification of checkout 2.4.2"));
        }
    }
    /**
     * The rule of {@link Watch#close()}: a watch whose rounds have decided but which has not begun to
     * act is stopped like one between rounds, and does not roll back; once it acts, the rollback runs
     * whole. Here the stop lands in that moment: the monotonic clock, read on the watch's thread right
     * after the failing round's measurements, has another thread close the watch and returns only once the stop's
     * interrupt has reached the watch. Before the fix the watch cleared that interrupt and rolled back.
     */
    @Test
    void aWatchStoppedAfterItsRoundsDecidedButBeforeItActedDoesNotRollBack() throws Exception {
        VirtualTime virtual = VirtualTime.start();
        AtomicInteger rollbacks = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Watch> self = new java.util.concurrent.CompletableFuture<>();
        // The bake's 6 rounds and the watch's first pass; the watch's second round fails.
        Probe probe = context -> {
            if (calls.incrementAndGet() <= 7) {
                return ProbeResult.pass(java.util.Map.of(), "up");
            }
            failed.set(true);
            return ProbeResult.fail(java.util.Map.of(), "down");
        };
        TimeSource racing = virtual.beforeEachNanoTime(() -> {
            if (Thread.currentThread().getName().startsWith("vigil-watch") && failed.getAndSet(false)) {
                Watch watch = self.join();
                new Thread(watch::close, "closer").start();
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        });
        try (DeployVerifier verifier = hourWatch(racing, rollbacks, probe)) {
            Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0.0", "1.0.0"));
            self.complete(watch);
            VerificationReport report = watch.await();

            assertThat(calls).as("the watch's failing round was measured").hasValueGreaterThan(7);
            assertThat(rollbacks).as(report.reason()).hasValue(0);
            assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(report.reason()).startsWith("probe health failed once").endsWith("; not rolled back: the watch was stopped (closed)"
                    + " before it acted on this");
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
            assertThat(report.superseded()).as("closed, not superseded").isFalse();
        }
    }
}
