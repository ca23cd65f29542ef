package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.history.HistoryNote;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryRecorder;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder as a listener of real verifications: what it stores, the streak it tells, and that a broken history changes nothing. */
class HistoryRecorderTest {

    @TempDir
    Path dir;

    private static final String NEVER_REHEARSED =
            "; its rollback was never rehearsed successfully (vigil rehearse in staging proves it works)";

    private final VirtualTime time = VirtualTime.start();

    private HistorySettings database(String name) {
        return HistorySettings.defaults().withDatabase("jdbc:h2:file:" + dir.resolve(name), null, null);
    }

    private VerificationReport verify(HistoryRecorder recorder, Deployment d, Outcome... outcomes) {
        return verify(recorder, d, ScriptedProbe.of(outcomes));
    }

    private VerificationReport verify(HistoryRecorder recorder, Deployment d, dev.vigil.Probe probe,
            dev.vigil.VerificationListener... more) {
        // The recorder first, as the command line has it: the reports and the console read its lines.
        DeployVerifier.Builder builder = DeployVerifier.builder().listener(recorder);
        for (dev.vigil.VerificationListener listener : more) {
            builder.listener(listener);
        }
        return builder
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                .timeSource(time)
                .probe("health", probe)
                .rollback(RollbackTriggers.callback("record", e -> { }))
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(1)))
                .build()
                .verifyAfterDeploy(d);
    }

    /** Lines that warn of a rollback the run may have measured the result of. */
    private static java.util.List<String> rollbackWarnings(HistoryRecorder recorder) {
        return recorder.lines().stream().filter(l -> l.contains("rolled back") || l.contains("never finished")).toList();
    }

    @Test
    void aVersionVerifiedAgainAfterItsRollbackIsWarnedOfUntilAnotherVerificationIsRecorded() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("rolled-back"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            Deployment v2 = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("production");
            VerificationReport failed = verify(recorder, v2, Outcome.FAIL);
            assertThat(failed.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(store.rollbacks(HistoryQuery.service("checkout"))).singleElement()
                    .satisfies(r -> assertThat(r.outcome()).isEqualTo(dev.vigil.RollbackOutcome.ROLLED_BACK))
                    .satisfies(r -> assertThat(r.startedAt()).isEqualTo(failed.rollback().startedAt()));
            assertThat(rollbackWarnings(recorder)).isEmpty();

            // Verified again "to see where things stand": the probes measure 1.9.0, which is healthy.
            time.advance(Duration.ofMinutes(10));
            java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
            dev.vigil.report.ReportWriter reports = dev.vigil.report.ReportWriter.to(dir.resolve("reports"),
                    java.util.Set.of(dev.vigil.report.ReportFormat.JSON)).notes(recorder::lines);
            VerificationReport again = verify(recorder, v2, ScriptedProbe.of(Outcome.PASS), reports,
                    dev.vigil.report.ConsoleProgress.builder(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8))
                            .notes(recorder::lines).build());

            assertThat(again.verdict()).as("the verdict stays what the probes measured").isEqualTo(Verdict.HEALTHY);
            String warning = "Warning: checkout 2.0.0 was rolled back to 1.9.0 in production at "
                    + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC)
                            .format(failed.rollback().startedAt())
                    + " UTC (verification " + failed.id() + ") and no verification is recorded since: unless 2.0.0 was"
                    + " deployed again, this run measures what the rollback left running (docs/rollback.md)";
            assertThat(recorder.lines()).first().isEqualTo(warning);
            assertThat(store.releases(HistoryQuery.service("checkout"))).last()
                    .satisfies(r -> assertThat(r.reason()).endsWith("; warned: " + warning.substring("Warning: ".length())));
            assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(warning);
            assertThat(java.nio.file.Files.readString(reports.written().get(dev.vigil.report.ReportFormat.JSON)))
                    .contains(warning);

            // The verification just recorded measured what runs now: the next one is not warned.
            verify(recorder, Deployment.of("checkout", "2.1.0", "1.9.0").withEnvironment("production"), Outcome.PASS);
            assertThat(rollbackWarnings(recorder)).isEmpty();
        }
    }

    /**
     * A pipeline that passes the version it deployed last as the previous version aims the rollback
     * at a version the history found bad: 2.0.0 was rolled back to 1.9.0, and 2.1.0 is deployed with
     * previous version 2.0.0. The run is warned (console, reports, the record), and its verdict stays
     * what the probes measure; with 1.9.0 as the previous version, no warning.
     */
    @Test
    void aPreviousVersionTheHistoryFoundUnhealthyIsWarnedOf() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("bad-previous"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            VerificationReport failed = verify(recorder, Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("production"),
                    Outcome.FAIL);
            assertThat(failed.verdict()).isEqualTo(Verdict.UNHEALTHY);

            time.advance(Duration.ofMinutes(10));
            VerificationReport next = verify(recorder, Deployment.of("checkout", "2.1.0", "2.0.0").withEnvironment("production"),
                    Outcome.PASS);

            assertThat(next.verdict()).isEqualTo(Verdict.HEALTHY);
            String warning = "Warning: the version a rollback of this run returns to, checkout 2.0.0 in production, was found"
                    + " UNHEALTHY by the verification that started at "
                    + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC)
                            .format(failed.startedAt())
                    + " UTC (verification " + failed.id() + ", which rolled it back to 1.9.0), and none has found it healthy"
                    + " since: a rollback would bring back a version found bad; check that the previous version"
                    + " (--previous-version, vigil.deployment.previous-version) is the one that ran before this deployment"
                    + " (docs/rollback.md)";
            assertThat(recorder.lines()).first().isEqualTo(warning);
            assertThat(store.releases(HistoryQuery.service("checkout"))).last()
                    .satisfies(r -> assertThat(r.reason()).endsWith("; warned: " + warning.substring("Warning: ".length())));

            verify(recorder, Deployment.of("checkout", "2.2.0", "2.1.0").withEnvironment("production"), Outcome.PASS);
            assertThat(recorder.lines()).noneMatch(l -> l.startsWith("Warning:"));
        }
    }

    /**
     * Two processes verify checkout 2.4.1 in production, given 2.3.0 and 2.4.0 as previous version:
     * nothing coordinates their rollbacks, and each would roll back to its own. The second is warned
     * as it starts; a start of this JVM (whose verifications share one rollback) and one older than a
     * bake are not warned of, and the verdict stays what the probes measure.
     */
    @Test
    void aVerificationOfTheSameDeploymentInAnotherProcessWithAnotherPreviousVersionIsWarnedOf() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("other-previous"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            Deployment retried = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production");
            java.time.Instant otherStarted = time.now();
            // Another process's start, as its start log wrote it into the shared history.
            store.started(new dev.vigil.StartLog.Start("other-process", Deployment.of("checkout", "2.4.1", "2.3.0")
                    .withEnvironment("production"), otherStarted, dev.vigil.StartLog.Kind.VERIFICATION));
            // This JVM's own start of the same deployment with yet another previous version: shared in the JVM.
            recorder.startLog().record(new dev.vigil.StartLog.Start("this-jvm", Deployment.of("checkout", "2.4.1", "2.2.0")
                    .withEnvironment("production"), otherStarted, dev.vigil.StartLog.Kind.VERIFICATION));
            time.advance(Duration.ofMinutes(1));

            VerificationReport report = verify(recorder, retried, Outcome.PASS);

            assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
            String warning = "Warning: the verification of checkout 2.4.1 in production that started at "
                    + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC)
                            .format(otherStarted)
                    + " UTC in another process (start other-process) was given previous version 2.3.0, this one previous"
                    + " version 2.4.0: rollbacks are not coordinated across processes, so if both find 2.4.1 unhealthy each"
                    + " rolls back to its own previous version and whichever finishes last stays; check which previous"
                    + " version is right (--previous-version, vigil.deployment.previous-version) and let one pipeline at a"
                    + " time verify a service (docs/rollback.md, 'Coordination')";
            assertThat(recorder.lines()).first().isEqualTo(warning);
            assertThat(recorder.lines()).noneMatch(l -> l.contains("2.2.0"));
            assertThat(store.releases(HistoryQuery.service("checkout"))).last()
                    .satisfies(r -> assertThat(r.reason()).endsWith("; warned: " + warning.substring("Warning: ".length())));

            // A bake (3 minutes) later, that other verification has ended: nothing to warn of.
            time.advance(Duration.ofMinutes(5));
            verify(recorder, retried, Outcome.PASS);
            assertThat(recorder.lines()).noneMatch(l -> l.startsWith("Warning:"));
        }
    }

    @Test
    void theRollbacksRowIsInTheHistoryBeforeItsTriggerRunsEvenBehindASlowNotifier() {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("before-trigger"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            java.util.List<java.util.List<dev.vigil.history.RollbackRecord>> seenByTrigger = new java.util.concurrent.CopyOnWriteArrayList<>();
            dev.vigil.VerificationListener slowNotifier = new dev.vigil.VerificationListener() {
                @Override
                public void verdict(Deployment deployment, Verdict verdict, String reason) {
                    try {
                        Thread.sleep(300); // a webhook on the verdict, registered before the history
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            Deployment v2 = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("production");
            VerificationReport report = DeployVerifier.builder()
                    .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                    .timeSource(time).probe("health", ScriptedProbe.of(Outcome.FAIL))
                    // Where a kill -9 during the rollback would stop Vigil: the history must already know.
                    .rollback(RollbackTriggers.callback("record", e -> seenByTrigger.add(store.rollbacks(HistoryQuery.service("checkout")))))
                    .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(1)))
                    .listener(slowNotifier).listener(recorder)
                    .build().verifyAfterDeploy(v2);

            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(seenByTrigger).singleElement().asList().singleElement()
                    .isInstanceOfSatisfying(dev.vigil.history.RollbackRecord.class, r -> {
                        assertThat(r.finished()).isFalse();
                        assertThat(r.deployment().version()).isEqualTo("2.0.0");
                    });
        }
    }

    @Test
    void aRehearsalsRollbackIsInTheHistoryBeforeItsTriggerRunsAndEndsWithTheRehearsal() {
        // A rehearsal changes what runs in staging as a rollback does: killed during it, Vigil must
        // have left the row that the next verification warns of.
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("rehearsal-row"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            Deployment staging = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("staging");
            java.util.List<java.util.List<dev.vigil.history.RollbackRecord>> seenByTrigger = new java.util.concurrent.CopyOnWriteArrayList<>();
            dev.vigil.RehearsalReport rehearsal = DeployVerifier.builder()
                    .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                    .timeSource(time).probe("health", ScriptedProbe.of(Outcome.PASS))
                    .rollback(RollbackTriggers.callback("record", e -> seenByTrigger.add(store.rollbacks(HistoryQuery.service("checkout")))))
                    .listener(recorder)
                    .build().rehearseRollback(staging);

            assertThat(rehearsal.outcome()).isEqualTo(dev.vigil.RehearsalReport.Outcome.REHEARSED);
            assertThat(seenByTrigger).singleElement().asList().singleElement()
                    .isInstanceOfSatisfying(dev.vigil.history.RollbackRecord.class, r -> assertThat(r.finished()).isFalse());
            assertThat(store.rollbacks(HistoryQuery.service("checkout"))).singleElement()
                    .satisfies(r -> assertThat(r.outcome()).isEqualTo(dev.vigil.RollbackOutcome.ROLLED_BACK));
            assertThat(store.rehearsals(HistoryQuery.service("checkout"))).singleElement()
                    .satisfies(r -> assertThat(r.rollbackRan()).as("its trigger started").isTrue());

            time.advance(Duration.ofMinutes(10));
            verify(recorder, staging, Outcome.PASS);
            assertThat(rollbackWarnings(recorder)).singleElement().asString()
                    .startsWith("Warning: checkout 2.0.0 was rolled back to 1.9.0 in staging at ")
                    .contains("(rehearsal " + store.rehearsals(HistoryQuery.service("checkout")).get(0).id() + ")");
        }
    }

    @Test
    void theVerificationsOwnRollbackIsNotTakenForOneThatNeverFinishedWhenTheListenersHearOfItsStartLate() {
        // The listeners hear of the start on their own thread: behind a slow one, the recorder read the
        // history after the rollback's row was written, and warned of it as of a killed rollback.
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("late-start"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            dev.vigil.VerificationListener slowOnTheStart = new dev.vigil.VerificationListener() {
                @Override
                public void started(Deployment deployment, VerificationPlan plan) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            VerificationReport report = DeployVerifier.builder()
                    .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                    .timeSource(time).probe("health", ScriptedProbe.of(Outcome.FAIL))
                    .rollback(RollbackTriggers.callback("record", e -> { }))
                    .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(1)))
                    .listener(slowOnTheStart).listener(recorder)
                    .build().verifyAfterDeploy(Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("production"));

            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(rollbackWarnings(recorder)).isEmpty();
        }
    }

    /**
     * A rollback that never started (the caller's interrupt landed between the verdict and the
     * rollback's start: no trigger ran) left 2.4.1 deployed, and the next verification of 2.4.1 is
     * told so; one whose trigger started and failed may have left anything, and is told that.
     */
    @Test
    void aRollbackThatNeverStartedIsToldFromOneThatFailedAfterItStarted() {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("not-started"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            Deployment v241 = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production");
            Thread caller = Thread.currentThread();
            java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger triggered = new java.util.concurrent.atomic.AtomicInteger();
            VerificationReport interrupted;
            try {
                interrupted = DeployVerifier.builder().listener(recorder)
                        .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                        .timeSource(time.beforeEachNow(() -> {
                            if (Thread.currentThread() == caller && failed.getAndSet(false)) {
                                caller.interrupt();
                            }
                        }))
                        .probe("health", ctx -> {
                            failed.set(true);
                            return dev.vigil.ProbeResult.fail(java.util.Map.of(), "bad");
                        })
                        .rollback(RollbackTriggers.callback("record", e -> triggered.incrementAndGet()))
                        .rollbackCoordinator(dev.vigil.RollbackCoordinator.create())
                        .build()
                        .verifyAfterDeploy(v241);
            } finally {
                Thread.interrupted();
            }
            assertThat(interrupted.rollback().attempts()).as("no trigger ran").isZero();
            assertThat(triggered).hasValue(0);
            assertThat(store.releases(HistoryQuery.service("checkout"))).singleElement()
                    .satisfies(r -> assertThat(r.rollbackRan()).isFalse());

            time.advance(Duration.ofMinutes(10));
            verify(recorder, v241, Outcome.PASS);
            assertThat(recorder.lines()).first().asString()
                    .startsWith("Warning: the rollback of checkout 2.4.1 to 2.4.0 in production due at ")
                    .contains("(verification " + interrupted.id() + ") never started (no trigger ran)")
                    .contains("no rollback ran: 2.4.1 is still deployed")
                    .doesNotContain("unknown");

            // Started, then failed: which version runs is unknown.
            Deployment v242 = Deployment.of("checkout", "2.4.2", "2.4.0").withEnvironment("production");
            time.advance(Duration.ofMinutes(10));
            DeployVerifier.builder().listener(recorder)
                    .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                    .timeSource(time)
                    .probe("health", ScriptedProbe.of(Outcome.FAIL))
                    .rollback(RollbackTriggers.callback("record", e -> {
                        throw new IllegalStateException("kubectl: connection refused");
                    }))
                    .rollbackPolicy(RollbackPolicy.defaults().withMaxAttempts(1))
                    .build()
                    .verifyAfterDeploy(v242);
            time.advance(Duration.ofMinutes(10));
            verify(recorder, v242, Outcome.PASS);
            assertThat(recorder.lines()).first().asString()
                    .startsWith("Warning: the rollback of checkout 2.4.2 to 2.4.0 in production that started at ")
                    .contains("the rollback failed after it started: which version runs is unknown");
        }
    }

    @Test
    void aRollbackThatNeverFinishedIsWarnedOfByTheNextVerificationOfAnyVersion() {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("killed"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            Deployment v2 = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("production");
            verify(recorder, Deployment.of("checkout", "1.9.0", "1.8.0").withEnvironment("production"), Outcome.PASS);
            // As a Vigil killed during the rollback of 2.0.0 leaves the history: the rollback's start, nothing else.
            time.advance(Duration.ofMinutes(10));
            store.rollbackStarted(dev.vigil.history.RollbackRecord.started("killed", v2, time.instant()));
            time.advance(Duration.ofMinutes(10));

            VerificationReport next = verify(recorder, Deployment.of("checkout", "2.0.1", "1.9.0").withEnvironment("production"), Outcome.PASS);
            assertThat(next.verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(recorder.lines()).first().asString()
                    .startsWith("Warning: a rollback of checkout 2.0.0 to 1.9.0 in production started at ")
                    .contains("never finished (Vigil stopped during it")
                    .endsWith("which version runs is unknown; find it before trusting this verdict (docs/rollback.md,"
                            + " 'When Vigil itself was killed')");

            // A verification started after it measured what the rollback left: the warning is not repeated.
            verify(recorder, Deployment.of("checkout", "2.0.1", "1.9.0").withEnvironment("production"), Outcome.PASS);
            assertThat(rollbackWarnings(recorder)).isEmpty();
        }
    }

    @Test
    void aHistoryThatCannotBeReadAtTheStartIsOneWarningLineAndTheVerdictStands() {
        try (JdbcHistoryStore jdbc = JdbcHistoryStore.open(database("unreadable"), time);
                dev.vigil.reliability.LogCapture log = dev.vigil.reliability.LogCapture.start()) {
            dev.vigil.history.HistoryStore store = new dev.vigil.history.HistoryStore() {
                @Override
                public boolean record(ReleaseRecord record) {
                    return jdbc.record(record);
                }

                @Override
                public boolean record(dev.vigil.history.RehearsalRecord record) {
                    return jdbc.record(record);
                }

                @Override
                public java.util.List<ReleaseRecord> releases(HistoryQuery query) {
                    return jdbc.releases(query);
                }

                @Override
                public java.util.List<dev.vigil.history.RehearsalRecord> rehearsals(HistoryQuery query) {
                    return jdbc.rehearsals(query);
                }

                @Override
                public java.util.List<dev.vigil.history.RollbackRecord> rollbacks(HistoryQuery query) {
                    throw new dev.vigil.history.HistoryException("history test-db could not be read: connection reset");
                }

                @Override
                public String description() {
                    return "test-db";
                }
            };
            HistoryRecorder recorder = HistoryRecorder.to(store, time);
            VerificationReport report = verify(recorder, Deployment.of("checkout", "2.0.0"), Outcome.PASS);
            assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(recorder.lines()).containsExactly(
                    "Warning: the release history test-db could not be read: connection reset; the verdict stands on what"
                            + " the probes measure",
                    "History: quiet release #1 in a row for checkout (longest 1)" + NEVER_REHEARSED);
            assertThat(log.text()).contains("history test-db could not be read").doesNotContain("\tat dev.vigil");
        }
    }

    @Test
    void eachVerificationIsRecordedAndTheStreakCounted() {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("history"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            Deployment checkout = Deployment.of("checkout", "1.0").withEnvironment("production");
            verify(recorder, checkout, Outcome.PASS);
            verify(recorder, checkout.withPreviousVersion("1.0"), Outcome.PASS);
            assertThat(recorder.note()).contains(new HistoryNote("quiet release #2 in a row for checkout (longest 2)"
                    + NEVER_REHEARSED, false));

            VerificationReport failed = verify(recorder, checkout, Outcome.FAIL);
            assertThat(failed.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(recorder.note().orElseThrow().text())
                    .isEqualTo("2 quiet releases of checkout in a row came before this rollback (longest 2)" + NEVER_REHEARSED);

            verify(recorder, checkout, Outcome.PASS);
            // The version just rolled back, verified again: what runs may be the rollback's, and the lines say so first.
            assertThat(recorder.lines()).hasSize(2).first().asString().startsWith("Warning: checkout 1.0 was rolled back in production");
            // Nor is it a quiet release: it measured what the rollback left running (docs/history.md, "The figures").
            assertThat(recorder.lines()).last().isEqualTo("History: this healthy verification of checkout 1.0 is not counted as"
                    + " a quiet release: the deployment before it, of the same version, was rolled back (longest 2)"
                    + NEVER_REHEARSED);
            assertThat(store.releases(HistoryQuery.service("checkout"))).extracting(ReleaseRecord::verdict)
                    .containsExactly(Verdict.HEALTHY, Verdict.HEALTHY, Verdict.UNHEALTHY, Verdict.HEALTHY);
        }
    }

    @Test
    void aStreakCountedWithoutARecordThatCouldNotBeReadSaysSoAsAWarning() throws Exception {
        HistorySettings settings = database("unreadable");
        Deployment checkout = Deployment.of("checkout", "1.0").withEnvironment("production");
        try (JdbcHistoryStore store = JdbcHistoryStore.open(settings, time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            verify(recorder, checkout, Outcome.PASS);
            VerificationReport rolledBack = verify(recorder, checkout, Outcome.FAIL);
            assertThat(rolledBack.verdict()).isEqualTo(Verdict.UNHEALTHY);
            // A newer Vigil (or a hand edit) gave the rollback's row a verdict this one does not know.
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.url(), null, null);
                    java.sql.PreparedStatement ps = c.prepareStatement("UPDATE vigil_release SET verdict = 'SKIPPED' WHERE id = ?")) {
                ps.setString(1, rolledBack.id());
                assertThat(ps.executeUpdate()).isOne();
            }
            verify(recorder, checkout, Outcome.PASS);

            // Two readable quiet releases, but the rollback between them was not counted: the note must not
            // pass for a quiet streak of two.
            HistoryNote note = recorder.note().orElseThrow();
            assertThat(note.warning()).isTrue();
            assertThat(note.text()).isEqualTo("quiet release #2 in a row for checkout (longest 2), not counting 1 record of"
                    + " the history that could not be read (verification " + rolledBack.id() + ": its verdict 'SKIPPED' is none"
                    + " this Vigil knows (HEALTHY, UNHEALTHY, INCONCLUSIVE, ABORTED))" + NEVER_REHEARSED);
            // 1.0 again right after its rollback: warned of, from the rollback's own record (the verification's cannot be read).
            assertThat(recorder.lines()).hasSize(2).first().asString().startsWith("Warning: checkout 1.0 was rolled back in production at ")
                    .contains("UTC and no verification is recorded since");
            assertThat(recorder.lines()).last().asString().startsWith("Warning: quiet release #2 in a row");

            // Another environment's streak has nothing left out.
            verify(recorder, checkout.withEnvironment("staging"), Outcome.PASS);
            assertThat(recorder.note()).contains(new HistoryNote("quiet release #1 in a row for checkout (longest 1)"
                    + NEVER_REHEARSED, false));
        }
    }

    @Test
    void aReleaseRolledBackInTheWatchAfterAHealthyBakeIsOneFailedChangeNotAQuietRelease() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("watched"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            Deployment checkout = Deployment.of("checkout", "2.0", "1.0").withEnvironment("production");
            // Healthy through the 3-round bake and 10 rounds of the watch, then failing.
            ScriptedProbe probe = ScriptedProbe.of(java.util.stream.Stream.concat(
                    java.util.stream.Stream.generate(() -> Outcome.PASS).limit(13), java.util.stream.Stream.of(Outcome.FAIL))
                    .toArray(Outcome[]::new));
            try (DeployVerifier verifier = watching(recorder, probe, Duration.ofHours(1));
                    dev.vigil.Watch watch = verifier.verifyThenWatch(checkout)) {
                assertThat(watch.bake().verdict()).isEqualTo(Verdict.HEALTHY);
                VerificationReport watched = watch.await();
                assertThat(watched.verdict()).isEqualTo(Verdict.UNHEALTHY);

                assertThat(store.releases(HistoryQuery.service("checkout"))).singleElement().satisfies(r -> {
                    assertThat(r.id()).isEqualTo(watch.bake().id());
                    assertThat(r.verdict()).isEqualTo(Verdict.UNHEALTHY);
                    assertThat(r.reason()).startsWith("in the watch after a healthy bake: probe health failed");
                    assertThat(r.rollback()).isEqualTo(dev.vigil.RollbackOutcome.ROLLED_BACK);
                    assertThat(r.startedAt()).isEqualTo(watch.bake().startedAt());
                    assertThat(r.detectedAt()).isEqualTo(watched.detectedAt());
                    assertThat(r.quiet()).isFalse();
                });
            }
        }
    }

    @Test
    void aReleaseWhoseBakeCouldNotBeRecordedIsRecordedWithWhatItsWatchFound() throws Exception {
        try (JdbcHistoryStore real = JdbcHistoryStore.open(database("blip"), time)) {
            // The database is away when the bake ends, and back by the time the watch finds the release unhealthy.
            java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean(true);
            dev.vigil.history.HistoryStore store = new dev.vigil.history.HistoryStore() {
                @Override
                public boolean record(ReleaseRecord record) {
                    if (away.getAndSet(false)) {
                        throw new dev.vigil.history.HistoryException("connection refused");
                    }
                    return real.record(record);
                }

                @Override
                public boolean update(ReleaseRecord record) {
                    return real.update(record);
                }

                @Override
                public boolean record(dev.vigil.history.RehearsalRecord record) {
                    return real.record(record);
                }

                @Override
                public java.util.List<ReleaseRecord> releases(HistoryQuery query) {
                    return real.releases(query);
                }

                @Override
                public java.util.List<dev.vigil.history.RehearsalRecord> rehearsals(HistoryQuery query) {
                    return real.rehearsals(query);
                }

                @Override
                public String description() {
                    return real.description();
                }
            };
            HistoryRecorder recorder = HistoryRecorder.to(store);
            ScriptedProbe probe = ScriptedProbe.of(java.util.stream.Stream.concat(
                    java.util.stream.Stream.generate(() -> Outcome.PASS).limit(5), java.util.stream.Stream.of(Outcome.FAIL))
                    .toArray(Outcome[]::new));
            try (DeployVerifier verifier = watching(recorder, probe, Duration.ofHours(1));
                    dev.vigil.Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0", "1.0"))) {
                assertThat(recorder.note().orElseThrow().text()).contains("could not be written");
                assertThat(watch.await().verdict()).isEqualTo(Verdict.UNHEALTHY);

                assertThat(real.releases(HistoryQuery.service("checkout"))).singleElement().satisfies(r -> {
                    assertThat(r.id()).isEqualTo(watch.bake().id());
                    assertThat(r.verdict()).isEqualTo(Verdict.UNHEALTHY);
                    assertThat(r.reason()).startsWith("in the watch after a healthy bake: ");
                    assertThat(r.startedAt()).isEqualTo(watch.bake().startedAt());
                });
                assertThat(recorder.note().orElseThrow().warning()).isFalse();
            }
        }
    }

    /** A bake of 3 rounds at a minute, then a watch of {@code watchFor} at a minute, recorded. */
    private DeployVerifier watching(HistoryRecorder recorder, dev.vigil.Probe probe, Duration watchFor) {
        return DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                .watch(dev.vigil.WatchPlan.of(watchFor, Duration.ofMinutes(1)))
                .timeSource(time)
                .probe("health", probe)
                .recheck(dev.vigil.RecheckPlan.off())
                .rollback(RollbackTriggers.callback("record", e -> { }))
                .listener(recorder)
                .build();
    }

    @Test
    void aWatchThatFoundNothingKeepsTheBakesOutcomeAndItsRecordSaysTheWatchRan() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("quiet-watch"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            try (DeployVerifier verifier = watching(recorder, ScriptedProbe.passing(), Duration.ofHours(2));
                    dev.vigil.Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0", "1.0"))) {
                assertThat(watch.await().verdict()).isEqualTo(Verdict.HEALTHY);

                assertThat(store.releases(HistoryQuery.service("checkout"))).singleElement().satisfies(r -> {
                    assertThat(r.id()).isEqualTo(watch.bake().id());
                    assertThat(r.verdict()).isEqualTo(Verdict.HEALTHY);
                    assertThat(r.reason()).isEqualTo(watch.bake().reason() + "; healthy through the 2h watch after it");
                    assertThat(r.finishedAt()).isEqualTo(watch.bake().finishedAt());
                    assertThat(r.quiet()).isTrue();
                });
            }
        }
    }

    @Test
    void aStoppedWatchKeepsTheBakesOutcomeAndItsRecordSaysHowFarTheWatchWent() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("stopped-watch"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            dev.vigil.Probe probe = context -> {
                // The 3 rounds of the bake, 70 of the watch (one a minute from a minute after the bake), then round 71 hangs.
                if (calls.incrementAndGet() > 73) {
                    blocked.countDown();
                    new java.util.concurrent.CountDownLatch(1).await();
                }
                return dev.vigil.ProbeResult.pass(java.util.Map.of(), "up");
            };
            try (DeployVerifier verifier = watching(recorder, probe, Duration.ofHours(2));
                    dev.vigil.Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0", "1.0"))) {
                assertThat(blocked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                VerificationReport stopped = watch.abort("stopped by the release tool", Duration.ofSeconds(10)).orElseThrow();
                assertThat(stopped.verdict()).isEqualTo(Verdict.ABORTED);

                assertThat(store.releases(HistoryQuery.service("checkout"))).singleElement().satisfies(r -> {
                    assertThat(r.verdict()).isEqualTo(Verdict.HEALTHY);
                    assertThat(r.reason()).startsWith(watch.bake().reason() + "; the watch after it was stopped 71m into its 2h: ")
                            .endsWith("round 71 of 120 with no limit broken: stopped by the release tool");
                    assertThat(r.rollback()).isEqualTo(dev.vigil.RollbackOutcome.NOT_NEEDED);
                });
            }
        }
    }

    @Test
    void theHistoryKeepsNoCredentialTheReportFilesWouldMask() {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("redacted"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            Deployment checkout = Deployment.of("checkout", "2.0", "1.0")
                    .withLabels(java.util.Map.of("deploy-token", "tok-5e6f7a8b", "team", "payments"));
            verify(recorder, checkout, context -> dev.vigil.ProbeResult.fail(java.util.Map.of(),
                    "GET https://shop.example/health?api_key=SEKRIT1 answered 500"));

            assertThat(store.releases(HistoryQuery.service("checkout"))).singleElement().satisfies(r -> {
                assertThat(r.verdict()).isEqualTo(Verdict.UNHEALTHY);
                assertThat(r.reason()).contains("answered 500").doesNotContain("SEKRIT1");
                assertThat(r.deployment().labels()).containsEntry("team", "payments")
                        .doesNotContainValue("tok-5e6f7a8b");
            });
        }
    }

    @Test
    void aRehearsalStoppedBeforeItsRollbackStartedIsRecordedAsOneWhoseRollbackNeverRan() {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("rehearsal-not-started"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            java.time.Instant start = time.instant();
            recorder.rehearsed(new dev.vigil.RehearsalReport(dev.vigil.RehearsalReport.Outcome.ABORTED,
                    "interrupted before the rollback started", Deployment.of("checkout", "2.0", "1.0").withEnvironment("staging"),
                    new dev.vigil.RollbackReport(dev.vigil.RollbackOutcome.FAILED, "command: ./rollback.sh", 0, "",
                            "command: ./rollback.sh was not started", start, start, null),
                    new dev.vigil.RecheckReport(dev.vigil.RecheckReport.Status.NOT_RUN, "no rollback ran", 0, Duration.ZERO),
                    java.util.List.of(), start, start.plusSeconds(5)));

            assertThat(store.rehearsals(HistoryQuery.service("checkout"))).singleElement()
                    .satisfies(r -> assertThat(r.rollbackRan()).isFalse());
        }
    }

    @Test
    void theHistoryKeepsNoCredentialFromARehearsalsReason() {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("redacted-rehearsal"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            java.time.Instant start = time.instant();
            // The re-check's reason quotes the probe's explanation, as the engine writes it.
            String reason = "rolled back with command: ./rollback.sh, but the re-check did not find the previous version healthy"
                    + " (UNHEALTHY): probe health: GET https://shop.example/health?api_key=SEKRIT2 answered 500";
            recorder.rehearsed(new dev.vigil.RehearsalReport(dev.vigil.RehearsalReport.Outcome.FAILED, reason,
                    Deployment.of("checkout", "2.0", "1.0").withEnvironment("staging"),
                    new dev.vigil.RollbackReport(dev.vigil.RollbackOutcome.ROLLED_BACK, "command: ./rollback.sh", 1, "", null,
                            start, start.plusSeconds(20), "rb-1"),
                    new dev.vigil.RecheckReport(dev.vigil.RecheckReport.Status.UNHEALTHY, "probe health failed", 2,
                            Duration.ofSeconds(10)),
                    java.util.List.of(), start, start.plusSeconds(40)));

            assertThat(store.rehearsals(HistoryQuery.service("checkout"))).singleElement().satisfies(r ->
                    assertThat(r.reason()).contains("answered 500").doesNotContain("SEKRIT2"));
        }
    }

    @Test
    void everyVerificationSaysWhenItsRollbackWasLastRehearsedSuccessfully() {
        try (JdbcHistoryStore store = JdbcHistoryStore.open(database("rehearsed"), time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            Deployment staging = Deployment.of("checkout", "1.1", "1.0").withEnvironment("staging");
            DeployVerifier verifier = DeployVerifier.builder()
                    .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                    .timeSource(time)
                    .probe("health", ScriptedProbe.of(Outcome.PASS))
                    .rollback(RollbackTriggers.callback("record", e -> { }))
                    .listener(recorder)
                    .build();
            verifier.rehearseRollback(staging);
            time.pass(Duration.ofDays(9));

            verify(recorder, Deployment.of("checkout", "1.1", "1.0").withEnvironment("production"), Outcome.PASS);

            java.time.LocalDate day = time.now().minus(Duration.ofDays(9)).atZone(java.time.ZoneOffset.UTC).toLocalDate();
            assertThat(recorder.note().orElseThrow().text()).endsWith(
                    "; its rollback was last rehearsed successfully on " + day + " in staging, 9 days before");
        }
    }

    @Test
    void aDatabaseThatWentDownLeavesTheVerdictAndWarns() {
        JdbcHistoryStore store = JdbcHistoryStore.open(database("down"), time);
        store.close();
        HistoryRecorder recorder = HistoryRecorder.to(store);

        VerificationReport healthy = verify(recorder, Deployment.of("checkout", "1.0"), Outcome.PASS);
        assertThat(healthy.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(recorder.note()).hasValueSatisfying(n -> {
            assertThat(n.warning()).isTrue();
            assertThat(n.text()).contains("could not be written").contains("the verdict stands");
        });

        VerificationReport unhealthy = verify(recorder, Deployment.of("checkout", "1.1"), Outcome.FAIL);
        assertThat(unhealthy.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(recorder.lines()).singleElement().asString().startsWith("Warning: the release history");
    }

    @Test
    void aReadOnlyDatabaseLeavesTheVerdictAndWarns() {
        HistorySettings writable = database("readonly");
        JdbcHistoryStore.open(writable, time).close();
        HistorySettings readOnly = writable.withDatabase(writable.url() + ";ACCESS_MODE_DATA=r", null, null);
        try (JdbcHistoryStore store = JdbcHistoryStore.open(readOnly, time)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            VerificationReport report = verify(recorder, Deployment.of("checkout", "1.0"), Outcome.PASS);
            assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(recorder.note().orElseThrow().warning()).isTrue();
            assertThat(store.releases(HistoryQuery.all())).isEmpty();
        }
    }
}
