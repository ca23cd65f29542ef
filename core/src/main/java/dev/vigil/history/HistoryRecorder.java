package dev.vigil.history;

import dev.vigil.Deployment;
import dev.vigil.Durations;
import dev.vigil.RehearsalReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VerificationListener} that records every finished verification and rehearsal into a
 * {@link HistoryStore}, then works out the service's quiet-release streak for the console and
 * the reports ({@link #note()}).
 *
 * <pre>{@code
 * HistoryRecorder history = HistoryRecorder.to(store);
 * builder.listener(history)                                  // first: the reports show its note
 *        .listener(ReportWriter.to(dir).notes(history::lines))
 *        .listener(ConsoleProgress.builder(System.out).notes(history::lines).build());
 * }</pre>
 *
 * <p>It also records each rollback as it starts and when it ends, and as a verification starts
 * warns when the history shows that the run may measure what a rollback left running (this very
 * version was rolled back and nothing was verified since, or a rollback never finished because
 * Vigil stopped during it): see {@link #started}. The warning is a line of {@link #lines()}; the
 * verdict stays what the probes measure.
 *
 * <p>A history that cannot be written never changes a verdict or an exit code: the failure is
 * logged as a warning and becomes a warning {@link #note()}. The streak counts the deployments of
 * the same service in the same environment (every environment when the deployment names none).
 * Thread-safe; the note is that of the last verification that finished.
 */
public final class HistoryRecorder implements VerificationListener {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);

    /**
     * The ids of the starts recorded in this JVM (the newest, a bounded number): its verifications of
     * one deployment share one rollback ({@link dev.vigil.RollbackCoordinator}), those of other
     * processes do not.
     */
    private static final java.util.Set<String> STARTED_HERE = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            }));

    private final HistoryStore store;
    private final java.time.Clock clock;
    private volatile HistoryNote note;
    /** The warnings of the last verification that finished, besides its note. */
    private volatile Warned warned = Warned.NONE;
    /** The warnings of the latest verification of each service and environment, from its start on. */
    private final java.util.Map<String, Warned> runWarnings = new java.util.concurrent.ConcurrentHashMap<>();
    /** The record of the rollback running for each service and environment, completed when it ends. */
    private final java.util.Map<String, RollbackRecord> rollingBack = new java.util.concurrent.ConcurrentHashMap<>();
    /** The latest bake of each service and environment, whose record the watch after it updates. */
    private final java.util.Map<String, Baked> bakes = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A bake's record and what it verified, kept for the watch after it: the latest of each service
     * and environment only (a newer verification stops the older one's watch), so a recorder that
     * lives as long as a release service holds one per service, not one per verification.
     */
    private record Baked(Deployment deployment, ReleaseRecord record) {
    }

    /**
     * One run's warnings besides its note: the earlier rollback it may measure the result of
     * ({@link EarlierRollback}), and the first failure of the history during the run (reading it at
     * the start, recording the rollback), each {@code null} when there is none.
     */
    private record Warned(String earlierRollback, String failure) {
        static final Warned NONE = new Warned(null, null);
    }

    /** How many bakes are kept for a watch that may follow them: at most one per service and environment. */
    int keptBakes() {
        return bakes.size();
    }

    private static String watchKey(Deployment d) {
        return d.service() + "\u0000" + (d.environment() == null ? "" : d.environment());
    }

    private HistoryRecorder(HistoryStore store, java.time.Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The fixes earlier verifications of a service confirmed, from this history, for the regression
     * guard ({@link dev.vigil.DeployVerifier.Builder#regressionGuard}): of every {@code HEALTHY}
     * verification of the service (any environment), each confirmed fix with the tests that
     * confirmed it. Reading fails with a {@link HistoryException}, which the guard turns into a warning.
     *
     * @return the past confirmations, read from the store each time they are asked for
     */
    public dev.vigil.PastConfirmations pastConfirmations() {
        return deployment -> {
            java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
            for (ReleaseRecord r : store.releases(HistoryQuery.service(deployment.service()))) {
                if (r.verdict() != Verdict.HEALTHY) {
                    continue;
                }
                r.confirmations().forEach((issue, tests) -> tests.stream().filter(ReleaseRecord::isTest).forEach(test -> {
                    List<String> known = out.computeIfAbsent(issue, k -> new java.util.ArrayList<>());
                    if (!known.contains(test)) {
                        known.add(test);
                    }
                }));
            }
            return out;
        };
    }

    /**
     * The start log on this history ({@link dev.vigil.DeployVerifier.Builder#startLog}): each bake
     * and rehearsal is stored as it starts ({@link HistoryStore#started}), so that the verifiers of
     * other processes sharing the history do not roll back, or go on watching, what it deployed.
     * Its reads ask the store for the service's starts since the given one and keep those of the
     * same environment. A failure is a {@link HistoryException}, which the verifier logs and goes on
     * without.
     *
     * @return the log, reading and writing the store each time
     */
    public dev.vigil.StartLog startLog() {
        return new dev.vigil.StartLog() {
            @Override
            public void record(Start start) {
                // Redacted as the release records are: the history is a database a team shares.
                STARTED_HERE.add(start.id());
                store.started(new Start(start.id(), dev.vigil.report.Reports.redact(start.deployment()), start.at(), start.kind()));
            }

            @Override
            public List<Start> after(Start start) {
                return store.starts(HistoryQuery.service(start.deployment().service()).withSince(start.at())).stream()
                        .filter(s -> s.follows(start))
                        .toList();
            }

            @Override
            public String description() {
                return "the release history";
            }
        };
    }

    /**
     * A recorder into {@code store}; the store stays the caller's to close.
     *
     * @param store where the records go
     * @return a new recorder, to register as a listener
     */
    public static HistoryRecorder to(HistoryStore store) {
        return to(store, java.time.Clock.systemUTC());
    }

    /**
     * A recorder into {@code store} that reads the start of a rollback from {@code clock} (the
     * verifier's clock: a test's virtual time); the store stays the caller's to close.
     *
     * @param store where the records go
     * @param clock when a rollback starts
     * @return a new recorder, to register as a listener
     */
    public static HistoryRecorder to(HistoryStore store, java.time.Clock clock) {
        return new HistoryRecorder(store, clock);
    }

    /**
     * Before the first round, looks for a rollback the run may measure the result of (see
     * {@link EarlierRollback}): the newest event of the service and environment is a rollback of
     * this very version, or a rollback that started and never finished; and for a previous version
     * the history found unhealthy, which this run's rollback would bring back; and for a verification
     * of the same deployment started in another process within a bake before this one (as the start
     * log in the history records) with another previous version: each process rolls back to its own.
     * Each is logged as a warning
     * and becomes a warning line of {@link #lines()}; the verdict stays what the probes measure. A
     * history that cannot be read is a warning too.
     */
    @Override
    public void started(Deployment deployment, dev.vigil.VerificationPlan plan) {
        String key = watchKey(deployment);
        runWarnings.remove(key);
        try {
            HistoryQuery query = HistoryQuery.service(deployment.service()).withEnvironment(deployment.environment());
            // A rollback this recorder is running is not one that never finished: the listeners hear of
            // the start late, after the rollback's row was written on a thread of its own.
            // Read after the store: a row in what was read was put here first (beforeRollback).
            List<RollbackRecord> stored = store.rollbacks(query);
            java.util.Set<String> running = rollingBack.values().stream().map(RollbackRecord::id)
                    .collect(java.util.stream.Collectors.toSet());
            List<RollbackRecord> rollbacks = stored.stream().filter(r -> !running.contains(r.id())).toList();
            List<ReleaseRecord> releases = store.releases(query);
            java.time.Instant now = clock.instant();
            java.time.Duration bake = plan.initialDelay().plus(plan.duration());
            List<String> warnings = java.util.stream.Stream.of(EarlierRollback.warning(deployment, releases, rollbacks,
                    store.rehearsals(query)), EarlierRollback.unhealthyPrevious(deployment, releases),
                    EarlierRollback.otherPreviousElsewhere(deployment, now, bake,
                            store.starts(HistoryQuery.service(deployment.service()).withSince(now.minus(bake))), STARTED_HERE::contains))
                    .flatMap(Optional::stream).toList();
            if (!warnings.isEmpty()) {
                String masked = dev.vigil.report.Reports.redact(String.join("; also, ", warnings));
                LOG.warn(masked);
                // Merged: a failure to record the rollback, on a thread of its own, may have come first.
                runWarnings.merge(key, new Warned(masked, null), (old, mine) -> new Warned(masked, old.failure()));
            }
        } catch (RuntimeException e) {
            failed(key, failure("could not be read to find an earlier rollback", e) + "; the verdict stands on what the probes measure");
        }
    }

    /**
     * Records that the rollback starts ({@link HistoryStore#rollbackStarted}), before its first
     * trigger runs, so that a Vigil killed during it leaves a record the next verification finds. A
     * failure to write is a warning; the rollback runs all the same, and waits for the write at most
     * {@link VerificationListener#BEFORE_ROLLBACK_WAIT}.
     */
    @Override
    public void beforeRollback(Deployment deployment) {
        RollbackRecord record = RollbackRecord.started(java.util.UUID.randomUUID().toString(), deployment, clock.instant());
        rollingBack.put(watchKey(deployment), record);
        try {
            store.rollbackStarted(redacted(record));
        } catch (RuntimeException e) {
            failed(watchKey(deployment), failure("could not record that the rollback of " + deployment.version() + " started", e)
                    + "; the rollback runs all the same");
        }
    }

    /** The rollback's row as the history keeps it: its deployment redacted as the release records' are. */
    private static RollbackRecord redacted(RollbackRecord r) {
        return new RollbackRecord(r.id(), dev.vigil.report.Reports.redact(r.deployment()), r.startedAt(), r.finishedAt(), r.outcome(),
                r.ran());
    }

    /** Completes the record of the rollback with its end and outcome (a dry-run recorded no start, and is not recorded). */
    @Override
    public void rollbackFinished(Deployment deployment, dev.vigil.RollbackReport report) {
        rollbackEnded(deployment, report);
    }

    /** Completes the record of the rollback that started for {@code deployment}, if one did. */
    private void rollbackEnded(Deployment deployment, dev.vigil.RollbackReport report) {
        RollbackRecord started = rollingBack.remove(watchKey(deployment));
        if (started == null || !started.deployment().equals(deployment)) {
            return;
        }
        // The rollback's own times where it has them: the verifier's clock, as the release records'.
        RollbackRecord done = new RollbackRecord(started.id(), deployment,
                report.startedAt() != null ? report.startedAt() : started.startedAt(),
                report.finishedAt() != null ? report.finishedAt() : clock.instant(), report.outcome(),
                ReleaseRecord.triggerStarted(report));
        try {
            if (!store.rollbackFinished(redacted(done))) {
                store.rollbackStarted(redacted(done));
            }
        } catch (RuntimeException e) {
            failed(watchKey(deployment), failure("could not record the end of the rollback of " + deployment.version(), e));
        }
    }

    /**
     * Logs a failure of the history during a run, masked as the reports are, and keeps the run's
     * first for its {@link #lines()}: a database that is down says so once, not once per write.
     */
    private void failed(String key, String message) {
        String masked = dev.vigil.report.Reports.redact(message);
        LOG.warn(masked);
        runWarnings.merge(key, new Warned(null, masked),
                (old, now) -> old.failure() != null ? old : new Warned(old.earlierRollback(), now.failure()));
    }

    @Override
    public void finished(VerificationReport report) {
        Deployment d = report.deployment();
        warned = runWarnings.getOrDefault(watchKey(d), Warned.NONE);
        if (report.watch()) {
            if (!watched(report)) {
                return;
            }
        } else {
            try {
                // Redacted as the report files are: the history is a database a team shares.
                ReleaseRecord record = withEarlierRollback(ReleaseRecord.of(dev.vigil.report.Reports.redact(report)));
                bakes.put(watchKey(d), new Baked(d, record));
                store.record(record);
            } catch (RuntimeException e) {
                warn(failure("could not be written", e) + "; the verdict stands");
                return;
            }
        }
        List<ReleaseRecord> records;
        List<String> leftOut;
        try {
            HistoryQuery query = HistoryQuery.service(d.service()).withEnvironment(d.environment());
            records = store.releases(query);
            leftOut = store.unreadableReleases(query);
        } catch (RuntimeException e) {
            warn(failure("could not be read", e));
            return;
        }
        String rehearsed;
        boolean unread = !leftOut.isEmpty();
        try {
            rehearsed = rehearsalLine(store.rehearsals(HistoryQuery.service(d.service())), report.finishedAt());
        } catch (RuntimeException e) {
            // A failure of the store, said as one: a warning, masked as every other (a driver may quote its URL).
            rehearsed = "when its rollback was last rehearsed could not be read: " + e.getMessage();
            unread = true;
        }
        // The streak was counted without the records left out: one of them may be the rollback that ended it.
        String line = streakLine(report, records) + (leftOut.isEmpty() ? "" : ", not counting " + uncounted(leftOut))
                + "; " + rehearsed;
        note = unread ? new HistoryNote(dev.vigil.report.Reports.redact(line), true) : new HistoryNote(line, false);
    }

    /**
     * The record with the warning of an earlier rollback added to its reason, so that the history
     * keeps it with the verdict ({@code ...; warned: checkout 2.0.0 was rolled back ...}); the
     * record as it is without one.
     */
    private ReleaseRecord withEarlierRollback(ReleaseRecord r) {
        String earlier = warned.earlierRollback();
        if (earlier == null) {
            return r;
        }
        return new ReleaseRecord(r.id(), r.deployment(), r.verdict(), r.reason() + "; warned: " + earlier, r.rollback(),
                r.rollbackStartedAt(), r.rollbackFinishedAt(), r.recheck(), r.startedAt(), r.detectedAt(), r.finishedAt(),
                r.probes(), r.confirmations(), r.rollbackRan());
    }

    /**
     * The watch after a bake: a healthy, stopped or superseded watch keeps the bake's outcome and adds to its
     * reason what the watch saw (see {@link #noteWatch}); an unhealthy or inconclusive one replaces
     * its outcome, so that the history counts the release as what it turned out to be.
     *
     * @return whether the note should be worked out again from the records (false after a warning)
     */
    private boolean watched(VerificationReport watch) {
        Baked baked = bakes.get(watchKey(watch.deployment()));
        if (baked == null || !baked.deployment().equals(watch.deployment()) || !bakes.remove(watchKey(watch.deployment()), baked)) {
            return true;
        }
        ReleaseRecord bake = baked.record();
        // A watch that something newer took the place of, even one whose rounds had just decided: what
        // it measured last may have been the newer version, and it acted on nothing.
        if (watch.verdict() == Verdict.HEALTHY || watch.verdict() == Verdict.ABORTED || watch.superseded()) {
            return noteWatch(bake, watch);
        }
        ReleaseRecord found = ReleaseRecord.of(dev.vigil.report.Reports.redact(watch));
        ReleaseRecord updated = new ReleaseRecord(bake.id(), bake.deployment(), found.verdict(),
                "in the watch after a healthy bake: " + found.reason(), found.rollback(), found.rollbackStartedAt(),
                found.rollbackFinishedAt(), found.recheck(), bake.startedAt(), found.detectedAt(), found.finishedAt(),
                found.probes(), bake.confirmations(), found.rollbackRan());
        boolean done;
        try {
            // No row to update: the bake's record never landed (the database was away then). The
            // release is recorded now with the watch's outcome; a store that keeps the bake's
            // record but cannot update it says false again (recording is idempotent by id).
            done = store.update(updated) || store.record(updated);
        } catch (RuntimeException e) {
            warn(failure("could not be updated with the watch's outcome", e) + "; the verdict stands");
            return false;
        }
        if (!done) {
            warn("the release history (" + store.description() + ") kept the bake's HEALTHY record of "
                    + watch.deployment().service() + " " + watch.deployment().version() + ": it could not be updated with"
                    + " the watch's " + watch.verdict());
            return false;
        }
        return true;
    }

    /**
     * A watch that found nothing keeps the bake's verdict, and its record says how far the watch
     * went, so a release stopped an hour into a day's watch does not read as one watched all day:
     * {@code ...; healthy through the 24h watch after it}, or {@code ...; the watch after it was
     * stopped 65m into its 24h: stopped by a signal (SIGINT or SIGTERM)}. A store that cannot update
     * records keeps the bake's reason (logged, not warned: the outcome it holds is right).
     *
     * @return false after a warning
     */
    private boolean noteWatch(ReleaseRecord bake, VerificationReport watch) {
        Duration planned = watch.plan().duration();
        String seen;
        if (watch.verdict() == Verdict.HEALTHY) {
            seen = "healthy through the " + Durations.format(planned) + " watch after it";
        } else {
            Duration ran = Duration.between(watch.startedAt(), watch.finishedAt());
            ran = ran.compareTo(Duration.ofHours(1)) >= 0 ? ran.truncatedTo(ChronoUnit.MINUTES) : ran.truncatedTo(ChronoUnit.SECONDS);
            seen = "the watch after it was stopped " + Durations.format(ran) + " into its " + Durations.format(planned)
                    + ": " + dev.vigil.report.Reports.redact(watch.reason());
        }
        ReleaseRecord noted = new ReleaseRecord(bake.id(), bake.deployment(), bake.verdict(), bake.reason() + "; " + seen,
                bake.rollback(), bake.rollbackStartedAt(), bake.rollbackFinishedAt(), bake.recheck(), bake.startedAt(),
                bake.detectedAt(), bake.finishedAt(), bake.probes(), bake.confirmations(), bake.rollbackRan());
        try {
            if (!store.update(noted) && !store.record(noted)) {
                LOG.debug("The release history ({}) keeps the bake's reason: it cannot update records", store.description());
            }
            return true;
        } catch (RuntimeException e) {
            warn(failure("could not add the watch to the bake's record", e) + "; the verdict stands");
            return false;
        }
    }

    /**
     * When the service's rollback was last rehearsed successfully, in any environment (rehearsals
     * run in staging): {@code its rollback was last rehearsed successfully on 2026-11-20 in staging,
     * 9 days before}, or that it never was.
     */
    static String rehearsalLine(List<RehearsalRecord> rehearsals, java.time.Instant now) {
        Optional<RehearsalRecord> last = rehearsals.stream()
                .filter(r -> r.outcome() == RehearsalReport.Outcome.REHEARSED)
                .max(java.util.Comparator.comparing(RehearsalRecord::finishedAt));
        if (last.isEmpty()) {
            return "its rollback was never rehearsed successfully (vigil rehearse in staging proves it works)";
        }
        RehearsalRecord r = last.get();
        long days = now == null ? 0 : Math.max(0, java.time.Duration.between(r.finishedAt(), now).toDays());
        return "its rollback was last rehearsed successfully on " + r.finishedAt().atZone(java.time.ZoneOffset.UTC).toLocalDate()
                + (r.deployment().environment() == null ? "" : " in " + r.deployment().environment())
                + ", " + (days == 0 ? "less than a day" : days == 1 ? "1 day" : days + " days") + " before";
    }

    @Override
    public void rehearsed(RehearsalReport report) {
        // A rehearsal rolls back too: its rollback's record, written before the trigger ran, gets its end.
        rollbackEnded(report.deployment(), report.rollback());
        try {
            // Redacted as the console's rehearsal lines are: its reason may quote a probe's URL or the rollback's output.
            RehearsalRecord r = RehearsalRecord.of(report);
            store.record(new RehearsalRecord(r.id(), dev.vigil.report.Reports.redact(r.deployment()), r.outcome(),
                    dev.vigil.report.Reports.redact(r.reason()),
                    r.rollback(), r.recheck(), r.startedAt(), r.finishedAt(), r.rollbackRan()));
            note = null;
            warned = Warned.NONE;
        } catch (RuntimeException e) {
            warned = Warned.NONE;
            warn(failure("could not record the rehearsal", e));
        }
    }

    /**
     * {@code the release history (D) could not be written: why}, naming the database once: a
     * {@link HistoryException} of the store that names the history itself ({@code history
     * jdbc:postgresql://db/vigil could not be opened: Connection refused}, {@code history ...:
     * verification v-1 could not be written: ...}) is said from there.
     */
    private String failure(String what, RuntimeException e) {
        String why = e.getMessage();
        if (e instanceof HistoryException && why != null && why.startsWith("history ")) {
            return "the release " + why;
        }
        return "the release history (" + store.description() + ") " + what + ": " + why;
    }

    /**
     * Logs a failure of the store and keeps it as the note, masked as the reports are: a driver's
     * message may quote the connection URL with its password.
     */
    private void warn(String message) {
        String masked = dev.vigil.report.Reports.redact(message);
        LOG.warn(masked);
        note = new HistoryNote(masked, true);
    }

    /** The sentence about the streak, from the service's records with this verification last. */
    static String streakLine(VerificationReport report, List<ReleaseRecord> records) {
        String service = report.deployment().service();
        Streak now = Streak.of(records);
        if (report.verdict() == Verdict.HEALTHY && ReleaseRecord.of(report).quiet()) {
            if (now.current() == 0) {
                // This very version was rolled back by the deployment before it (Streak.quiet).
                return "this healthy verification of " + service + " " + report.deployment().version() + " is not counted as"
                        + " a quiet release: the deployment before it, of the same version, was rolled back (longest "
                        + now.longest() + ")";
            }
            return "quiet release #" + now.current() + " in a row for " + service + " (longest " + now.longest() + ")";
        }
        if (report.watch() && report.superseded()) {
            // Its record keeps the bake's outcome (see watched), whatever its rounds had just found:
            // the line speaks of the record, not of a verification the history does not count as one.
            return service + " has " + count(now.current()) + " in a row (longest " + now.longest() + "): the watch of "
                    + report.deployment().version() + " was superseded before it acted, and its release keeps its bake's "
                    + Verdict.HEALTHY + " record";
        }
        if (report.verdict() == Verdict.ABORTED) {
            return service + " has " + count(now.current()) + " in a row (longest " + now.longest() + ")";
        }
        Streak before = Streak.before(records);
        String what = report.rollback() != null && ReleaseRecord.of(report).rolledBack() ? "this rollback" : "this "
                + report.verdict().name().toLowerCase(java.util.Locale.ROOT) + " verification";
        return count(before.current()) + " of " + service + " in a row came before " + what + " (longest " + now.longest() + ")";
    }

    /** {@code 1 record of the history that could not be read (verification v-7: its verdict 'SKIPPED' is ...)} */
    private static String uncounted(List<String> leftOut) {
        int n = leftOut.size();
        String named = String.join("; ", leftOut.subList(0, Math.min(3, n))) + (n > 3 ? "; and " + (n - 3) + " more" : "");
        return n + (n == 1 ? " record" : " records") + " of the history that could not be read (" + named + ")";
    }

    private static String count(int n) {
        return n + (n == 1 ? " quiet release" : " quiet releases");
    }

    /** {@return the note of the last verification that finished, if it was recorded or failed to be} */
    public Optional<HistoryNote> note() {
        return Optional.ofNullable(note);
    }

    /**
     * {@return the lines for {@code ReportWriter.notes} and {@code ConsoleProgress.notes}: the warnings
     * of the last verification that finished (an earlier rollback it may have measured the result of,
     * see {@link #started}), then the note, each prefixed {@code Warning:} or {@code History:}}
     */
    public List<String> lines() {
        HistoryNote n = note;
        Warned w = warned;
        List<String> out = new java.util.ArrayList<>();
        if (w.earlierRollback() != null) {
            out.add("Warning: " + w.earlierRollback());
        }
        // A note that warns already says the history failed; one line of it is enough.
        if (w.failure() != null && (n == null || !n.warning())) {
            out.add("Warning: " + w.failure());
        }
        if (n != null) {
            out.add(n.warning() ? "Warning: " + n.text() : "History: " + n.text());
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "HistoryRecorder[" + store.description() + "]";
    }
}
