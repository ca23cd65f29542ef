package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.history.HistoryRecorder;
import dev.vigil.testkit.MemoryHistoryStore;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Verifications in other processes, seen through the start log on the release history
 * ({@link DeployVerifier.Builder#startLog}): what another process records there is written into the
 * shared store directly, as that process would, since within one JVM the verifiers see each other
 * without the log. Timelines in virtual time: a bake of 1 min with rounds 10 s apart (6 rounds, the
 * probe's calls 1 to 6), then a watch of 1 h with rounds 1 min apart (calls 7 on). Before the start
 * log, each of these rolled back the newer version the other process had deployed.
 */
class OtherProcessesTest {

    private static final Deployment OLD = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production");
    private static final Deployment NEWER = Deployment.of("checkout", "2.4.2", "2.4.1").withEnvironment("production");

    private final VirtualTime virtual = VirtualTime.start();
    private final MemoryHistoryStore store = new MemoryHistoryStore();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * Rule: a watch reads the log between its rounds and is stopped, as close() stops it, when a
     * newer verification started. 2.4.2's verification starts in another process during the watch's
     * second round; 2.4.1's watch must end ABORTED before its third round, which would measure 2.4.2
     * (here failing) and roll it back.
     */
    @Test
    void aWatchStopsWhenAnotherProcessStartsVerifyingANewerVersion() throws Exception {
        VerificationReport report = watchWhileAnotherProcessStarts(NEWER, StartLog.Kind.VERIFICATION, 8);

        assertThat(rollbacks).as(report.reason()).hasValue(0);
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.ABORTED);
        assertThat(report.reason()).contains("superseded by the verification of checkout 2.4.2 (started ")
                .contains(", as the release history records)");
        assertThat(report.supersededBy()).as("what the report says took its place")
                .startsWith("the verification of checkout 2.4.2 (started ").endsWith(", as the release history records)");
        assertThat(calls).as("no round measured 2.4.2 after the start was seen").hasValue(8);
    }

    /**
     * The watch of 2.4.1 after its bake, while another process starts {@code deployment} as
     * {@code kind} during the watch's second round (call 8); the probe passes up to call {@code passing}.
     */
    private VerificationReport watchWhileAnotherProcessStarts(Deployment deployment, StartLog.Kind kind, int passing) throws Exception {
        Probe probe = script(n -> {
            if (n == 8) {
                otherProcessStarts(deployment, kind);
            }
            return n <= passing;
        });
        try (DeployVerifier verifier = verifier(probe); Watch watch = verifier.verifyThenWatch(OLD)) {
            return watch.await();
        }
    }

    /**
     * Rule: a watch reads the log again once its rounds decided, before it acts. The newer
     * verification starts while the failing round measures (after that round's read between
     * rounds): the watch must not roll back, and says what it found and why it did not act.
     */
    @Test
    void aWatchWhoseRoundsJustDecidedDoesNotRollBackANewerVersion() throws Exception {
        Probe probe = failingAsANewerVerificationStarts();
        try (DeployVerifier verifier = verifier(probe); Watch watch = verifier.verifyThenWatch(OLD)) {
            VerificationReport report = watch.await();

            assertThat(rollbacks).as(report.reason()).hasValue(0);
            assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(report.reason()).startsWith("probe health failed once")
                    .contains("not rolled back: the watch was stopped (superseded by the verification of checkout 2.4.2 (started ")
                    .endsWith(") before it acted on this");
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
            assertThat(report.supersededBy()).startsWith("the verification of checkout 2.4.2 (started ");
        }
    }

    /**
     * Rule (docs/watch.md): a superseded watch leaves the bake's verdict in the release history, as a
     * stopped one does, even when its rounds had just decided: what it measured last may have been
     * the newer version, and it acted on nothing. The older release stays HEALTHY there, with the
     * watch's words added, instead of turning INCONCLUSIVE and ending the quiet streak.
     */
    @Test
    void aWatchSupersededAsItDecidedLeavesTheBakesVerdictInTheHistory() throws Exception {
        Probe probe = failingAsANewerVerificationStarts();
        HistoryRecorder recorder = HistoryRecorder.to(store, virtual);
        try (DeployVerifier verifier = builder(probe).startLog(recorder.startLog()).listener(recorder).build();
                Watch watch = verifier.verifyThenWatch(OLD)) {
            VerificationReport report = watch.await();
            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);

            // The bake's record, updated with the watch's words, as the JDBC store keeps it: one record.
            List<dev.vigil.history.ReleaseRecord> releases = store.releases(dev.vigil.history.HistoryQuery.service("checkout"));
            assertThat(releases).hasSize(1);
            dev.vigil.history.ReleaseRecord last = releases.get(0);
            assertThat(last.deployment()).isEqualTo(OLD);
            assertThat(last.verdict()).as(last.reason()).isEqualTo(Verdict.HEALTHY);
            assertThat(last.reason()).contains("; the watch after it was stopped ")
                    .contains("superseded by the verification of checkout 2.4.2");
            // The console's and the reports' streak line spoke of "this inconclusive verification" (or
            // "this unhealthy verification"), a release the record it had just kept counts as quiet.
            assertThat(recorder.lines()).anySatisfy(line -> assertThat(line).startsWith("History: checkout has 1 quiet release"
                    + " in a row (longest 1): the watch of 2.4.1 was superseded before it acted, and its release"
                    + " keeps its bake's HEALTHY record;"))
                    .noneSatisfy(line -> assertThat(line).containsAnyOf("inconclusive verification", "unhealthy verification", "came before"));
        }
    }

    /** A rollback rehearsal in another process changes what runs too: the watch stops for it. */
    @Test
    void aRehearsalInAnotherProcessStopsTheWatch() throws Exception {
        Probe probe = script(n -> {
            if (n == 8) {
                otherProcessStarts(OLD, StartLog.Kind.REHEARSAL);
            }
            return n <= 8;
        });
        try (DeployVerifier verifier = verifier(probe); Watch watch = verifier.verifyThenWatch(OLD)) {
            VerificationReport report = watch.await();

            assertThat(rollbacks).as(report.reason()).hasValue(0);
            assertThat(report.verdict()).isEqualTo(Verdict.ABORTED);
            assertThat(report.reason()).contains("superseded by the rollback rehearsal of checkout 2.4.1 (started ");
            assertThat(report.supersededBy()).startsWith("the rollback rehearsal of checkout 2.4.1 (started ");
        }
    }

    /**
     * Rule: a bake that found its version unhealthy does not roll back when a verification of
     * another version of the service in its environment started since it did. 2.4.2's starts in
     * another process during round 3; round 4 fails.
     */
    @Test
    void aBakeDoesNotRollBackWhatAnotherProcessDeployedSince() {
        Probe probe = script(n -> {
            if (n == 3) {
                otherProcessStarts(NEWER, StartLog.Kind.VERIFICATION);
            }
            return n < 4;
        });
        try (DeployVerifier verifier = verifier(probe)) {
            VerificationReport report = verifier.verifyAfterDeploy(OLD);

            assertThat(rollbacks).as(report.reason()).hasValue(0);
            assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(report.reason()).startsWith("probe health failed once")
                    .contains("; not rolled back: superseded by the verification of checkout 2.4.2, which started during the bake (started ")
                    .endsWith(", and a rollback now would undo it");
            assertThat(report.supersededBy()).startsWith("the verification of checkout 2.4.2, which started during the bake (started ");
        }
    }

    /**
     * What does not overtake a bake, which then rolls back as without the log: the same version
     * verified again (both roll it back, as within one JVM), another environment, another service, a
     * start before the bake's own.
     */
    @Test
    void whatDoesNotOvertakeABakeLeavesItsRollbackAlone() {
        List<Deployment> others = List.of(Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production"),
                NEWER.withEnvironment("staging"), Deployment.of("payments", "2.4.2", "2.4.1").withEnvironment("production"));
        for (Deployment other : others) {
            rollbacks.set(0);
            calls.set(0);
            Probe probe = script(n -> {
                if (n == 3) {
                    otherProcessStarts(other, StartLog.Kind.VERIFICATION);
                }
                return n < 4;
            });
            try (DeployVerifier verifier = verifier(probe)) {
                VerificationReport report = verifier.verifyAfterDeploy(OLD);

                assertThat(report.verdict()).as(other + ": " + report.reason()).isEqualTo(Verdict.UNHEALTHY);
                assertThat(rollbacks).as(other.toString()).hasValue(1);
            }
        }
        // Recorded before this bake started: an earlier verification, not a newer one.
        rollbacks.set(0);
        calls.set(0);
        store.started(new StartLog.Start(UUID.randomUUID().toString(), NEWER, virtual.now().minusSeconds(1), StartLog.Kind.VERIFICATION));
        try (DeployVerifier verifier = verifier(script(n -> n < 4))) {
            VerificationReport report = verifier.verifyAfterDeploy(OLD);

            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(rollbacks).hasValue(1);
        }
    }

    /** A healthy bake overtaken in another process does not start its watch, which would measure the newer version. */
    @Test
    void aBakeOvertakenInAnotherProcessDoesNotStartItsWatch() throws Exception {
        Probe probe = script(n -> {
            if (n == 3) {
                otherProcessStarts(NEWER, StartLog.Kind.VERIFICATION);
            }
            return true;
        });
        try (DeployVerifier verifier = verifier(probe); Watch watch = verifier.verifyThenWatch(OLD)) {
            assertThat(watch.bake().verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(watch.started()).isFalse();
            assertThat(watch.notStartedReason()).hasValueSatisfying(reason -> assertThat(reason)
                    .startsWith("superseded by the verification of checkout 2.4.2 (started ")
                    .endsWith(": a watch of 2.4.1 would measure it"));
        }
    }

    /** Every bake records its start in the log, for the other processes to read. */
    @Test
    void aBakeRecordsItsStart() throws Exception {
        try (DeployVerifier verifier = verifier(script(n -> true))) {
            verifier.verifyAfterDeploy(OLD);
        }
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.starts(dev.vigil.history.HistoryQuery.all()).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(store.starts(dev.vigil.history.HistoryQuery.all())).singleElement().satisfies(start -> {
            assertThat(start.deployment()).isEqualTo(OLD);
            assertThat(start.kind()).isEqualTo(StartLog.Kind.VERIFICATION);
            assertThat(start.at()).isEqualTo(VirtualTime.start().now());
        });
    }

    /**
     * Rule: a dry-run rolls nothing back, but the version it verifies may be a new deployment, which
     * a watch of the older version would measure and roll back. It records its start (kind
     * DRY_RUN), and a watch in another process stops for it as one in the same JVM does.
     */
    @Test
    void aDryRunOfANewerVersionInAnotherProcessStopsTheWatch() throws Exception {
        try (DeployVerifier verifier = builder(script(n -> true)).plan(VerificationPlan.defaults()
                .withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)).withDryRun(true))
                .startLog(HistoryRecorder.to(store, virtual).startLog()).build()) {
            verifier.verifyAfterDeploy(NEWER);
        }
        assertThat(store.starts(dev.vigil.history.HistoryQuery.all())).singleElement()
                .satisfies(start -> assertThat(start.kind()).isEqualTo(StartLog.Kind.DRY_RUN));

        calls.set(0);
        VerificationReport report = watchWhileAnotherProcessStarts(NEWER, StartLog.Kind.DRY_RUN, 8);

        assertThat(rollbacks).as(report.reason()).hasValue(0);
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.ABORTED);
        assertThat(report.reason()).contains("superseded by the dry-run verification of checkout 2.4.2 (started ");
    }

    /**
     * A dry-run of the version a watch measures checks what runs (from a laptop, say) and changes
     * nothing: the watch in another process goes on, and still rolls back what it finds bad.
     */
    @Test
    void aDryRunOfTheWatchedVersionInAnotherProcessLeavesTheWatchRunning() throws Exception {
        VerificationReport report = watchWhileAnotherProcessStarts(OLD, StartLog.Kind.DRY_RUN, 9);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rollbacks).as(report.reason()).hasValue(1);
    }

    /** A log that fails never keeps a bad release from being rolled back. */
    @Test
    void aLogThatFailsLeavesTheRollbackAsWithoutIt() {
        StartLog broken = new StartLog() {
            @Override
            public void record(Start start) {
                throw new dev.vigil.history.HistoryException("history down");
            }

            @Override
            public List<Start> after(Start start) {
                throw new dev.vigil.history.HistoryException("history down");
            }
        };
        try (DeployVerifier verifier = builder(script(n -> n < 4)).startLog(broken).build()) {
            VerificationReport report = verifier.verifyAfterDeploy(OLD);

            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(rollbacks).hasValue(1);
        }
    }

    /**
     * A log that never answers is waited for at most its wait, and not asked again while the
     * question hangs: at most one thread is left on it.
     */
    @Test
    void aLogThatHangsIsWaitedForOnceAndNotAskedAgainWhileItHangs() {
        AtomicInteger asked = new AtomicInteger();
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        StartLog hanging = new StartLog() {
            @Override
            public void record(Start start) {
            }

            @Override
            public List<Start> after(Start start) {
                asked.incrementAndGet();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }
        };
        Elsewhere elsewhere = Elsewhere.of(hanging, virtual, Duration.ofMillis(200));
        StartLog.Start own = elsewhere.record(OLD, StartLog.Kind.VERIFICATION);
        try {
            assertThat(elsewhere.overtookBake(own)).isEmpty();
            assertThat(elsewhere.overtookWatch(own)).isEmpty();
            assertThat(asked).hasValue(1);
        } finally {
            never.countDown();
        }
    }

    /**
     * A history that is down during a day's watch is said once, not once a round: its reads fail
     * every time here, and the warning appears once in six reads.
     */
    @Test
    void aLogThatKeepsFailingIsWarnedOfOnce() {
        StartLog down = new StartLog() {
            @Override
            public void record(Start start) {
            }

            @Override
            public List<Start> after(Start start) {
                throw new dev.vigil.history.HistoryException("history down");
            }
        };
        Elsewhere elsewhere = Elsewhere.of(down, virtual);
        StartLog.Start own = new StartLog.Start("own", OLD, virtual.now(), StartLog.Kind.VERIFICATION);
        try (dev.vigil.reliability.LogCapture log = dev.vigil.reliability.LogCapture.start()) {
            for (int i = 0; i < 6; i++) {
                assertThat(elsewhere.overtookWatch(own)).isEmpty();
            }
            assertThat(log.text().split("history down", -1)).as(log.text()).hasSize(2);
            assertThat(log.text()).contains("the start log could not be read: history down: whether a newer verification of"
                    + " checkout started elsewhere is unknown; going on as without it (said once until it answers again)");
        }
    }

    private void otherProcessStarts(Deployment deployment, StartLog.Kind kind) {
        store.started(new StartLog.Start(UUID.randomUUID().toString(), deployment, virtual.now(), kind));
    }

    /**
     * A probe that passes but for the watch's second round (call 8), during which 2.4.2's
     * verification starts in another process: after that round's read of the log between rounds.
     */
    private Probe failingAsANewerVerificationStarts() {
        return script(n -> {
            if (n == 8) {
                otherProcessStarts(NEWER, StartLog.Kind.VERIFICATION);
                return false;
            }
            return true;
        });
    }

    /** A probe that passes on the calls for which {@code passes} says so (numbered from 1), else fails. */
    private Probe script(IntFunction<Boolean> passes) {
        return context -> passes.apply(calls.incrementAndGet()) ? ProbeResult.pass(Map.of(), "up") : ProbeResult.fail(Map.of(), "down");
    }

    private DeployVerifier verifier(Probe probe) {
        return builder(probe).startLog(HistoryRecorder.to(store, virtual).startLog()).build();
    }

    private DeployVerifier.Builder builder(Probe probe) {
        return DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .watch(WatchPlan.of(Duration.ofHours(1), Duration.ofMinutes(1)))
                .timeSource(virtual).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .rollback(e -> {
                    rollbacks.incrementAndGet();
                    return "rolled back";
                }).probe("health", probe);
    }
}
