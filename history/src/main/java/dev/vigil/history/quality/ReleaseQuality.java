package dev.vigil.history.quality;

import dev.vigil.Verdict;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.Streak;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes the release-quality figures of each service from its records. Stateless and thread-safe.
 *
 * <pre>{@code
 * List<ServiceQuality> figures = ReleaseQuality.of(store, HistoryQuery.service("checkout")
 *         .withSince(Instant.now().minus(Duration.ofDays(90))), HistorySettings.DEFAULT_HOTFIX_WINDOW);
 * }</pre>
 *
 * <p>Definitions (also in {@code docs/history.md}): a <b>deployment</b> is a verification with any verdict
 * but {@code ABORTED}. A <b>failed change</b> is a deployment that ended {@code UNHEALTHY}, or whose next
 * deployment of the same service in the same environment (by start) is a hotfix started within the
 * hotfix window after it finished, or before it finished (during its bake or watch). <b>Time to
 * detect</b>: verification start to {@code UNHEALTHY} verdict, median and 90th percentile (nearest
 * rank). <b>Time to restore</b>: detection to the healthy re-check of the previous version, median. The median of an even count is the mean of the two middle values.
 */
public final class ReleaseQuality {

    private ReleaseQuality() {
    }

    /**
     * Reads the records and rehearsals the query selects and computes each service's figures.
     *
     * @param hotfixWindow how soon a hotfix must follow a deployment to make it a failed change
     * @param store the history
     * @param query which records and rehearsals
     * @return each service's figures, by service name
     * @throws dev.vigil.history.HistoryException when the history cannot be read
     */
    public static List<ServiceQuality> of(HistoryStore store, HistoryQuery query, Duration hotfixWindow) {
        return of(store.releases(query), store.rehearsals(query), hotfixWindow);
    }

    /**
     * Each service's figures, by service name.
     *
     * @param records the records, in any order
     * @param rehearsals the rehearsals, in any order
     * @param hotfixWindow how soon a hotfix must follow a deployment to make it a failed change
     * @return each service's figures, by service name
     */
    public static List<ServiceQuality> of(Collection<ReleaseRecord> records, Collection<RehearsalRecord> rehearsals,
            Duration hotfixWindow) {
        Objects.requireNonNull(hotfixWindow, "hotfixWindow");
        Map<String, List<ReleaseRecord>> byService = new TreeMap<>();
        for (ReleaseRecord r : records) {
            byService.computeIfAbsent(r.service(), s -> new ArrayList<>()).add(r);
        }
        Map<String, List<RehearsalRecord>> drills = new TreeMap<>();
        for (RehearsalRecord r : rehearsals) {
            drills.computeIfAbsent(r.deployment().service(), s -> new ArrayList<>()).add(r);
            byService.putIfAbsent(r.deployment().service(), new ArrayList<>());
        }
        List<ServiceQuality> out = new ArrayList<>();
        byService.forEach((service, list) -> out.add(service(service, list, drills.getOrDefault(service, List.of()),
                hotfixWindow)));
        return out;
    }

    private static ServiceQuality service(String service, List<ReleaseRecord> all, List<RehearsalRecord> drills,
            Duration hotfixWindow) {
        List<ReleaseRecord> deployments = all.stream().filter(r -> r.verdict() != Verdict.ABORTED)
                .sorted(Comparator.comparing(ReleaseRecord::finishedAt).thenComparing(ReleaseRecord::id)).toList();
        Set<String> failed = failedChanges(deployments, hotfixWindow);
        int rollbacks = (int) deployments.stream().filter(ReleaseRecord::rolledBack).count();
        int hotfixes = (int) deployments.stream().filter(ReleaseRecord::hotfix).count();
        List<Duration> detect = deployments.stream().flatMap(r -> r.timeToDetect().stream()).toList();
        List<Duration> restore = deployments.stream().flatMap(r -> r.timeToRestore().stream()).toList();
        int failedDrills = (int) drills.stream().filter(d -> d.outcome() != dev.vigil.RehearsalReport.Outcome.REHEARSED).count();
        return new ServiceQuality(service, deployments.size(), rollbacks, failed.size(), hotfixes, median(detect),
                percentile(detect, 90), median(restore), Streak.of(deployments), drills.size(), failedDrills,
                quarters(deployments, failed), (int) drills.stream().filter(d -> Boolean.FALSE.equals(d.rollbackRan())).count());
    }

    /**
     * The ids of the failed changes among deployments given in any order. A hotfix follows the
     * deployment that started before it in its environment, and makes it a failed change when it
     * started within the window after that one finished, or before it finished: a hotfix deployed
     * during a release's bake or watch (which it then superseded, and whose record ends after the
     * hotfix started) repaired that release all the more. By their ends, a watch that went on past
     * the hotfix's own verification put the hotfix first, and the release before it took the blame.
     */
    static Set<String> failedChanges(List<ReleaseRecord> deployments, Duration hotfixWindow) {
        Set<String> failed = new HashSet<>();
        Map<String, ReleaseRecord> previousByEnvironment = new LinkedHashMap<>();
        List<ReleaseRecord> byStart = deployments.stream()
                .sorted(Comparator.comparing(ReleaseRecord::startedAt).thenComparing(ReleaseRecord::id)).toList();
        for (ReleaseRecord r : byStart) {
            if (r.verdict() == Verdict.UNHEALTHY) {
                failed.add(r.id());
            }
            String env = String.valueOf(r.deployment().environment());
            ReleaseRecord previous = previousByEnvironment.put(env, r);
            if (previous != null && r.hotfix()
                    && Duration.between(previous.finishedAt(), r.startedAt()).compareTo(hotfixWindow) <= 0) {
                failed.add(previous.id());
            }
        }
        return failed;
    }

    private static List<QuarterRow> quarters(List<ReleaseRecord> deployments, Set<String> failed) {
        if (deployments.isEmpty()) {
            return List.of();
        }
        Map<Integer, List<ReleaseRecord>> byQuarter = new TreeMap<>();
        for (ReleaseRecord r : deployments) {
            byQuarter.computeIfAbsent(quarterIndex(r.finishedAt()), q -> new ArrayList<>()).add(r);
        }
        int first = byQuarter.keySet().iterator().next();
        int last = ((TreeMap<Integer, List<ReleaseRecord>>) byQuarter).lastKey();
        List<QuarterRow> rows = new ArrayList<>();
        Double previousRate = null;
        Double previousRestore = null;
        for (int q = first; q <= last; q++) {
            List<ReleaseRecord> in = byQuarter.getOrDefault(q, List.of());
            int failures = (int) in.stream().filter(r -> failed.contains(r.id())).count();
            int hotfixes = (int) in.stream().filter(ReleaseRecord::hotfix).count();
            Optional<Duration> restore = median(in.stream().flatMap(r -> r.timeToRestore().stream()).toList());
            Double rate = in.isEmpty() ? null : (double) failures / in.size();
            Double restoreSeconds = restore.map(d -> d.toMillis() / 1000.0).orElse(null);
            rows.add(new QuarterRow(quarterName(q), in.size(), failures, hotfixes, restore,
                    Direction.lowerIsBetter(previousRate, rate), Direction.lowerIsBetter(previousRestore, restoreSeconds)));
            previousRate = rate;
            previousRestore = restoreSeconds;
        }
        return rows;
    }

    /** Quarters counted from year 0: year * 4 + (quarter - 1), in UTC. */
    static int quarterIndex(Instant instant) {
        ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
        return t.getYear() * 4 + (t.getMonthValue() - 1) / 3;
    }

    static String quarterName(int index) {
        return (index / 4) + "-Q" + (index % 4 + 1);
    }

    /** The median; the mean of the two middle values for an even count. */
    static Optional<Duration> median(List<Duration> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return Optional.of(n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2));
    }

    /** The nearest-rank percentile: the value at rank ceil(p / 100 * n). */
    static Optional<Duration> percentile(List<Duration> values, int p) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Optional.of(sorted.get(Math.max(0, rank - 1)));
    }
}
