package dev.vigil.history.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.Streak;
import dev.vigil.history.Verifications;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The figures, from a small history worked out by hand and from a generated one checked against a second, naive computation. */
class ReleaseQualityTest {

    private static final Duration WINDOW = Duration.ofDays(7);
    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    private static ReleaseRecord healthy(String id, Deployment d, Instant start) {
        return ReleaseRecord.of(Verifications.healthy(id, d, start));
    }

    private static ReleaseRecord rolledBack(String id, Deployment d, Instant start, Duration detect, RecheckReport.Status recheck) {
        return ReleaseRecord.of(Verifications.rolledBack(id, d, start, detect, recheck));
    }

    @Test
    void aSmallHistoryWorkedOutByHand() {
        Deployment checkout = Deployment.of("checkout", "1").withEnvironment("production");
        List<ReleaseRecord> records = List.of(
                healthy("a", checkout, T0),                                                             // quiet
                healthy("b", checkout, T0.plus(Duration.ofDays(1))),                                    // quiet, then a hotfix 2 days later: failed
                checkoutHotfix("c", checkout, T0.plus(Duration.ofDays(3))),                             // quiet hotfix
                rolledBack("d", checkout, T0.plus(Duration.ofDays(20)), Duration.ofSeconds(30), RecheckReport.Status.HEALTHY),
                healthy("e", checkout, T0.plus(Duration.ofDays(30))),                                   // quiet, hotfix 8 days later: outside the window
                checkoutHotfix("f", checkout, T0.plus(Duration.ofDays(38))),
                rolledBack("g", checkout, T0.plus(Duration.ofDays(40)), Duration.ofSeconds(90), RecheckReport.Status.UNHEALTHY));

        ServiceQuality q = ReleaseQuality.of(records, List.of(), WINDOW).get(0);

        assertThat(q.service()).isEqualTo("checkout");
        assertThat(q.deployments()).isEqualTo(7);
        assertThat(q.rollbacks()).isEqualTo(2);
        assertThat(q.failedChanges()).isEqualTo(3); // b (hotfix within 7 days), d, g
        assertThat(q.changeFailureRate()).hasValueSatisfying(r -> assertThat(r).isCloseTo(3.0 / 7, within(1e-12)));
        assertThat(q.hotfixes()).isEqualTo(2);
        assertThat(q.hotfixShare()).hasValueSatisfying(r -> assertThat(r).isCloseTo(2.0 / 7, within(1e-12)));
        assertThat(q.timeToDetectMedian()).contains(Duration.ofSeconds(60)); // mean of 30 s and 90 s
        assertThat(q.timeToDetectP90()).contains(Duration.ofSeconds(90));
        assertThat(q.timeToRestoreMedian()).contains(Duration.ofSeconds(40)); // only d was restored
        assertThat(q.streak()).isEqualTo(new Streak(0, 3));
        assertThat(q.quarters()).singleElement().satisfies(row -> {
            assertThat(row.quarter()).isEqualTo("2026-Q1");
            assertThat(row.deployments()).isEqualTo(7);
            assertThat(row.changeFailureDirection()).isEqualTo(Direction.NONE);
        });
    }

    /** A record of {@code checkout} in production, {@code minute} minutes after T0, each lasting five minutes. */
    private static ReleaseRecord scripted(String id, String version, Deployment.Kind kind, Verdict verdict, RollbackOutcome rollback,
            Boolean ran, int minute) {
        Deployment d = new Deployment("checkout", version, null, "production", kind, List.of(), Map.of());
        Instant start = T0.plus(Duration.ofMinutes(minute));
        Instant end = start.plus(Duration.ofMinutes(5));
        boolean unhealthy = verdict == Verdict.UNHEALTHY;
        return new ReleaseRecord(id, d, verdict, "scripted", rollback, unhealthy ? end : null, unhealthy ? end : null,
                RecheckReport.Status.NOT_RUN, start, unhealthy ? end : null, end, List.of(), Map.of(), ran);
    }

    /**
     * The documented rule on a scripted sequence of odd records: a quiet release is a deployment
     * that ended HEALTHY with no rollback, ABORTED is no deployment, anything else breaks the streak,
     * and a HEALTHY verification of the version that the deployment before it rolled back is not
     * quiet (it measured what the rollback left running, or the bad version deployed again). A
     * dry-run's or a never-started rollback left the version running: a later healthy verification
     * of it is quiet, and neither is a rollback. A release a hotfix followed is a failed change and
     * stays quiet in the streak; the hotfix is quiet.
     */
    @Test
    void oddSequencesCountAsTheDocumentedRuleSays() {
        Deployment.Kind release = Deployment.Kind.RELEASE;
        List<ReleaseRecord> records = List.of(
                scripted("r1", "1.0", release, Verdict.HEALTHY, RollbackOutcome.NOT_NEEDED, false, 0),          // quiet: 1
                scripted("r2", "1.1", release, Verdict.INCONCLUSIVE, RollbackOutcome.NOT_NEEDED, false, 10),    // breaks: 0
                scripted("r3", "1.2", release, Verdict.HEALTHY, RollbackOutcome.NOT_NEEDED, false, 20),         // quiet: 1
                scripted("r4", "1.3", release, Verdict.ABORTED, RollbackOutcome.NOT_NEEDED, false, 30),         // no deployment
                scripted("r5", "2.0", release, Verdict.UNHEALTHY, RollbackOutcome.ROLLED_BACK, true, 40),       // rollback: 0
                scripted("r6", "2.0", release, Verdict.HEALTHY, RollbackOutcome.NOT_NEEDED, false, 50),         // 2.0 again: 0
                scripted("r7", "2.0.1", release, Verdict.HEALTHY, RollbackOutcome.NOT_NEEDED, false, 60),       // quiet: 1
                scripted("r8", "2.0.2", release, Verdict.UNHEALTHY, RollbackOutcome.DRY_RUN, false, 70),        // dry-run: 0
                scripted("r9", "2.0.2", release, Verdict.HEALTHY, RollbackOutcome.NOT_NEEDED, false, 80),       // quiet: 1
                scripted("r10", "2.1", release, Verdict.UNHEALTHY, RollbackOutcome.FAILED, false, 90),          // never started: 0
                scripted("r11", "2.1.1", Deployment.Kind.HOTFIX, Verdict.HEALTHY, RollbackOutcome.NOT_NEEDED, false, 100)); // quiet: 1

        ServiceQuality q = ReleaseQuality.of(records, List.of(), WINDOW).get(0);

        assertThat(q.deployments()).isEqualTo(10);
        assertThat(q.rollbacks()).as("r5 only: r8 was a dry-run, r10 never started").isEqualTo(1);
        assertThat(q.failedChanges()).as("r5, r8, r10 unhealthy; r10 also followed by the hotfix").isEqualTo(3);
        assertThat(q.hotfixes()).isEqualTo(1);
        assertThat(q.streak()).isEqualTo(new Streak(1, 1));
        assertThat(Streak.quiet(records)).containsExactlyInAnyOrder("r1", "r3", "r7", "r9", "r11");
    }

    @Test
    void aHotfixThatStartedWhileTheReleaseBeforeItWasStillWatchedMakesThatReleaseAFailedChange() {
        // Release b's bake ended HEALTHY and its watch went on; a hotfix started during the watch, which
        // ended INCONCLUSIVE, superseded, a minute after: the record of b finished after the hotfix
        // started. Counted from b's end, the gap was negative and b was no failed change.
        List<ReleaseRecord> abc = hotfixDuringTheWatchOfB(Duration.ofMinutes(1));

        assertThat(ReleaseQuality.failedChanges(abc, WINDOW)).containsExactly("b");
        assertThat(ReleaseQuality.of(abc, List.of(), WINDOW).get(0).failedChanges()).isEqualTo(1);
    }

    @Test
    void aHotfixFollowsTheDeploymentThatStartedBeforeIt() {
        // b's watch ended after the hotfix's own verification: by their ends the hotfix came before b,
        // and a, healthy for days, was taken for the release the hotfix repaired.
        List<ReleaseRecord> abc = hotfixDuringTheWatchOfB(Duration.ofHours(20));

        assertThat(ReleaseQuality.failedChanges(List.of(abc.get(0), abc.get(2), abc.get(1)), WINDOW)).containsExactly("b");
    }

    /**
     * a, a healthy release; b a day later, whose watch ended {@code watchEndAfterHotfix} after the
     * hotfix c started three hours into it.
     */
    private static List<ReleaseRecord> hotfixDuringTheWatchOfB(Duration watchEndAfterHotfix) {
        Deployment checkout = Deployment.of("checkout", "2").withEnvironment("production");
        Instant bStart = T0.plus(Duration.ofDays(1));
        Instant hotfixStart = bStart.plus(Duration.ofHours(3));
        return List.of(healthy("a", checkout, T0), superseded("b", checkout, bStart, hotfixStart.plus(watchEndAfterHotfix)),
                checkoutHotfix("c", checkout, hotfixStart));
    }

    /** A release whose watch after its healthy bake ended INCONCLUSIVE at {@code end}, as the recorder updates it. */
    private static ReleaseRecord superseded(String id, Deployment d, Instant start, Instant end) {
        ReleaseRecord bake = healthy(id, d, start);
        return new ReleaseRecord(id, d, Verdict.INCONCLUSIVE, "in the watch after a healthy bake: superseded by 2.0.1",
                RollbackOutcome.NOT_NEEDED, null, null, bake.recheck(), start, null, end, bake.probes(), bake.confirmations());
    }

    private static ReleaseRecord checkoutHotfix(String id, Deployment d, Instant start) {
        return healthy(id, d.asHotfix("SHOP-1"), start);
    }

    @Test
    void quartersInBetweenWithoutDeploymentsAreShownAndDirectionsCompareNeighbours() {
        Deployment d = Deployment.of("search", "1");
        List<ReleaseRecord> records = List.of(
                rolledBack("q1-a", d, Instant.parse("2026-02-01T00:00:00Z"), Duration.ofSeconds(10), RecheckReport.Status.HEALTHY),
                healthy("q1-b", d, Instant.parse("2026-02-02T00:00:00Z")),
                healthy("q3-a", d, Instant.parse("2026-08-01T00:00:00Z")),
                healthy("q4-a", d, Instant.parse("2026-11-01T00:00:00Z")),
                rolledBack("q4-b", d, Instant.parse("2026-11-02T00:00:00Z"), Duration.ofSeconds(10), RecheckReport.Status.HEALTHY));

        List<QuarterRow> rows = ReleaseQuality.of(records, List.of(), WINDOW).get(0).quarters();

        assertThat(rows).extracting(QuarterRow::quarter).containsExactly("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4");
        assertThat(rows).extracting(QuarterRow::deployments).containsExactly(2, 0, 1, 2);
        assertThat(rows.get(1).changeFailureRate()).isEmpty();
        assertThat(rows).extracting(QuarterRow::changeFailureDirection)
                .containsExactly(Direction.NONE, Direction.NONE, Direction.NONE, Direction.WORSE);
        assertThat(rows.get(0).timeToRestore()).contains(Duration.ofSeconds(40));
    }

    @Test
    void abortedVerificationsAreNoDeploymentsAndRehearsalsAreCounted() {
        Deployment d = Deployment.of("cart", "1");
        VerificationReport healthy = Verifications.healthy("x", d, T0);
        VerificationReport aborted = new VerificationReport(d, healthy.plan(), Verdict.ABORTED, "cancelled", healthy.probes(),
                healthy.rollback(), List.of(), 1, T0.plusSeconds(100), null, T0.plusSeconds(110), null, null, "y");
        RehearsalRecord drill = new RehearsalRecord("r", d, RehearsalReport.Outcome.FAILED, "the re-check failed",
                RollbackOutcome.ROLLED_BACK, RecheckReport.Status.UNHEALTHY, T0, T0.plusSeconds(60));

        ServiceQuality q = ReleaseQuality.of(List.of(ReleaseRecord.of(healthy), ReleaseRecord.of(aborted)), List.of(drill), WINDOW)
                .get(0);

        assertThat(q.deployments()).isEqualTo(1);
        assertThat(q.streak()).isEqualTo(new Streak(1, 1));
        assertThat(q.rehearsals()).isEqualTo(1);
        assertThat(q.failedRehearsals()).isEqualTo(1);
    }

    @Test
    void rehearsalsWhoseRollbackNeverStartedAreToldApart() {
        Deployment d = Deployment.of("cart", "1");
        RehearsalRecord stopped = new RehearsalRecord("a", d, RehearsalReport.Outcome.ABORTED, "stopped by a signal",
                RollbackOutcome.FAILED, RecheckReport.Status.NOT_RUN, T0, T0.plusSeconds(5), false);
        RehearsalRecord failed = new RehearsalRecord("b", d, RehearsalReport.Outcome.FAILED, "the command failed",
                RollbackOutcome.FAILED, RecheckReport.Status.NOT_RUN, T0.plusSeconds(60), T0.plusSeconds(70), true);
        RehearsalRecord older = new RehearsalRecord("c", d, RehearsalReport.Outcome.FAILED, "the command failed",
                RollbackOutcome.FAILED, RecheckReport.Status.NOT_RUN, T0.plusSeconds(80), T0.plusSeconds(90));
        RehearsalRecord rehearsed = new RehearsalRecord("e", d, RehearsalReport.Outcome.REHEARSED, "rehearsed",
                RollbackOutcome.ROLLED_BACK, RecheckReport.Status.HEALTHY, T0.plusSeconds(100), T0.plusSeconds(160), true);

        ServiceQuality q = ReleaseQuality.of(List.of(), List.of(stopped, failed, older, rehearsed), WINDOW).get(0);

        assertThat(q.rehearsals()).isEqualTo(4);
        assertThat(q.failedRehearsals()).isEqualTo(3);
        assertThat(q.rehearsalsNotStarted()).as("the older record does not say").isEqualTo(1);
        assertThat(q.rehearsalSummary()).isEqualTo("4 (3 failed, 1 before its rollback started)");
    }

    @Test
    void doraBandsAtTheirEdges() {
        assertThat(DoraBand.ofChangeFailureRate(0.05)).isEqualTo(DoraBand.ELITE);
        assertThat(DoraBand.ofChangeFailureRate(0.0501)).isEqualTo(DoraBand.HIGH);
        assertThat(DoraBand.ofChangeFailureRate(0.15)).isEqualTo(DoraBand.MEDIUM);
        assertThat(DoraBand.ofChangeFailureRate(0.16)).isEqualTo(DoraBand.LOW);
        assertThat(DoraBand.ofTimeToRestore(Duration.ofMinutes(59))).isEqualTo(DoraBand.ELITE);
        assertThat(DoraBand.ofTimeToRestore(Duration.ofHours(1))).isEqualTo(DoraBand.HIGH);
        assertThat(DoraBand.ofTimeToRestore(Duration.ofDays(1))).isEqualTo(DoraBand.LOW);
    }

    // ------------------------------------------------------------ a generated history

    /** What the generator decided for one deployment, kept beside its record for the naive computation. */
    private record Planned(ReleaseRecord record, String service, String env, boolean hotfix, char kind, long detectMs,
            long restoreMs, long startMs, long finishMs) {
    }

    @Test
    void aGeneratedHistoryAgreesWithANaiveComputation() {
        Random random = new Random(20261129L);
        List<Planned> planned = new ArrayList<>();
        String[] services = {"checkout", "payments", "search"};
        String[] envs = {"production", "staging"};
        int n = 0;
        for (String service : services) {
            Instant t = T0;
            for (int i = 0; i < 160; i++) {
                t = t.plus(Duration.ofHours(6 + random.nextInt(24 * 5)));
                String env = envs[random.nextInt(envs.length)];
                boolean hotfix = random.nextInt(6) == 0;
                Deployment d = new Deployment(service, "v" + i, "v" + (i - 1), env,
                        hotfix ? Deployment.Kind.HOTFIX : Deployment.Kind.RELEASE, List.of(), Map.of());
                String id = "gen-" + (n++);
                int roll = random.nextInt(10);
                VerificationReport report;
                char kind;
                if (roll < 7) {
                    report = Verifications.healthy(id, d, t);
                    kind = 'H';
                } else if (roll < 8) {
                    report = Verifications.inconclusive(id, d, t);
                    kind = 'I';
                } else {
                    RecheckReport.Status recheck = random.nextBoolean() ? RecheckReport.Status.HEALTHY : RecheckReport.Status.INCONCLUSIVE;
                    report = Verifications.rolledBack(id, d, t, Duration.ofSeconds(5 + random.nextInt(600)), recheck);
                    kind = recheck == RecheckReport.Status.HEALTHY ? 'R' : 'U';
                }
                long detectMs = report.detectedAt() == null ? -1 : report.detectedAt().toEpochMilli() - report.startedAt().toEpochMilli();
                long restoreMs = kind == 'R' ? report.finishedAt().toEpochMilli() - report.detectedAt().toEpochMilli() : -1;
                planned.add(new Planned(ReleaseRecord.of(report), service, env, hotfix, kind, detectMs, restoreMs,
                        report.startedAt().toEpochMilli(), report.finishedAt().toEpochMilli()));
            }
        }
        List<ReleaseRecord> shuffled = new ArrayList<>(planned.stream().map(Planned::record).toList());
        java.util.Collections.shuffle(shuffled, random);

        List<ServiceQuality> figures = ReleaseQuality.of(shuffled, List.of(), WINDOW);

        assertThat(figures).extracting(ServiceQuality::service).containsExactly(services);
        for (ServiceQuality q : figures) {
            List<Planned> mine = planned.stream().filter(p -> p.service().equals(q.service())).toList(); // generated in time order
            int failed = 0;
            for (int i = 0; i < mine.size(); i++) {
                Planned p = mine.get(i);
                boolean isFailed = p.kind() == 'R' || p.kind() == 'U';
                for (int j = i + 1; j < mine.size(); j++) {
                    Planned next = mine.get(j);
                    if (next.env().equals(p.env())) {
                        long gap = next.startMs() - p.finishMs();
                        isFailed |= next.hotfix() && gap <= WINDOW.toMillis();
                        break;
                    }
                }
                failed += isFailed ? 1 : 0;
            }
            long[] detects = mine.stream().filter(p -> p.detectMs() >= 0).mapToLong(Planned::detectMs).sorted().toArray();
            long[] restores = mine.stream().filter(p -> p.restoreMs() >= 0).mapToLong(Planned::restoreMs).sorted().toArray();
            StringBuilder quietness = new StringBuilder();
            mine.forEach(p -> quietness.append(p.kind() == 'H' ? 'q' : '-'));
            int longest = Arrays.stream(quietness.toString().split("-")).mapToInt(String::length).max().orElse(0);
            String s = quietness.toString();
            int current = s.length() - (s.lastIndexOf('-') + 1);

            assertThat(q.deployments()).isEqualTo(mine.size());
            assertThat(q.failedChanges()).as("failed changes of %s", q.service()).isEqualTo(failed);
            assertThat(q.rollbacks()).isEqualTo((int) mine.stream().filter(p -> p.kind() == 'R' || p.kind() == 'U').count());
            assertThat(q.hotfixes()).isEqualTo((int) mine.stream().filter(Planned::hotfix).count());
            assertThat(q.timeToDetectMedian()).contains(Duration.ofMillis(naiveMedian(detects)));
            assertThat(q.timeToDetectP90()).contains(Duration.ofMillis(detects[(int) Math.ceil(0.9 * detects.length) - 1]));
            assertThat(q.timeToRestoreMedian()).contains(Duration.ofMillis(naiveMedian(restores)));
            assertThat(q.streak()).isEqualTo(new Streak(current, longest));

            Map<String, int[]> quarters = new TreeMap<>();
            for (Planned p : mine) {
                var t = Instant.ofEpochMilli(p.finishMs()).atZone(ZoneOffset.UTC);
                String name = t.getYear() + "-Q" + ((t.getMonthValue() + 2) / 3);
                quarters.computeIfAbsent(name, k -> new int[1])[0]++;
            }
            Map<String, Integer> rows = new HashMap<>();
            q.quarters().forEach(r -> rows.put(r.quarter(), r.deployments()));
            quarters.forEach((name, count) -> assertThat(rows.get(name)).as(name).isEqualTo(count[0]));
            assertThat(q.quarters().stream().mapToInt(QuarterRow::deployments).sum()).isEqualTo(mine.size());
            assertThat(q.quarters().stream().mapToInt(QuarterRow::failedChanges).sum()).isEqualTo(failed);
        }
        assertThat(figures.stream().mapToInt(ServiceQuality::failedChanges).sum()).isPositive();
        assertThat(figures.get(0).quarters()).hasSizeGreaterThan(4);
    }

    private static long naiveMedian(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    @Test
    void emptyFiguresHaveNoRates() {
        assertThat(ReleaseQuality.of(List.of(), List.of(), WINDOW)).isEmpty();
        assertThat(ReleaseQuality.median(List.of())).isEqualTo(Optional.empty());
    }

    @Test
    void timesThatRunBackwardsAreNoDurationAndStayOutOfTheMedians() {
        Deployment d = Deployment.of("search", "1");
        ReleaseRecord fine = rolledBack("fine", d, T0, Duration.ofSeconds(30), RecheckReport.Status.HEALTHY);
        // a wall clock stepped back (or a record edited by hand): detected before it started, restored before detected
        ReleaseRecord backwards = new ReleaseRecord("backwards", d, Verdict.UNHEALTHY, "r", RollbackOutcome.ROLLED_BACK,
                T0.plusSeconds(100), T0.plusSeconds(40), RecheckReport.Status.HEALTHY,
                T0.plusSeconds(50), T0.plusSeconds(20), T0.plusSeconds(10), List.of(), Map.of());

        assertThat(backwards.timeToDetect()).isEmpty();
        assertThat(backwards.timeToRestore()).isEmpty();
        assertThat(backwards.rollbackDuration()).isEmpty();
        ServiceQuality q = ReleaseQuality.of(List.of(fine, backwards), List.of(), WINDOW).get(0);
        assertThat(q.timeToDetectMedian()).isEqualTo(fine.timeToDetect());
        assertThat(q.timeToRestoreMedian()).isEqualTo(fine.timeToRestore());
        assertThat(q.timeToRestoreMedian().orElseThrow()).isPositive();
    }
}
