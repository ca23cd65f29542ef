package dev.vigil.history.quality;

import dev.vigil.VerificationListener;
import dev.vigil.VerificationReport;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer gauges of the release history, per service (tag {@code service}):
 * {@code vigil.history.quiet.streak} (the current quiet-release streak),
 * {@code vigil.history.quiet.streak.longest} (both over the whole history and
 * every environment of the service, as {@code vigil history}'s; the console's line after a verification
 * counts its environment only), {@code vigil.history.change.failure.rate} (over
 * {@link #WINDOW}, 0 to 1) and {@code vigil.history.time.to.restore} (its median, a time gauge;
 * NaN when nothing was restored).
 *
 * <pre>{@code
 * HistoryMetrics metrics = HistoryMetrics.of(store, HistorySettings.DEFAULT_HOTFIX_WINDOW, Clock.systemUTC());
 * metrics.bindTo(registry);
 * builder.listener(recorder).listener(metrics);          // refreshed after each recorded verification
 * }</pre>
 *
 * <p>The gauges read a cached snapshot, never the database: a scrape costs no query. The snapshot
 * is read from the store when the binder is bound, by {@link #refresh()}, and after each
 * verification when this is also registered as a listener (after the recorder). A service that
 * first appears in a refresh gets its gauges then. A refresh that fails keeps the previous
 * snapshot and logs a warning. Thread-safe.
 */
public final class HistoryMetrics implements MeterBinder, VerificationListener {

    /** The period the change-failure rate and time to restore cover: the last 90 days. */
    public static final Duration WINDOW = Duration.ofDays(90);

    private static final Logger LOG = LoggerFactory.getLogger(HistoryMetrics.class);

    private final HistoryStore store;
    private final Duration hotfixWindow;
    private final Clock clock;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, ServiceQuality> snapshot = Map.of();

    private HistoryMetrics(HistoryStore store, Duration hotfixWindow, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.hotfixWindow = Objects.requireNonNull(hotfixWindow, "hotfixWindow");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Gauges over {@code store}; {@code clock} says where the last 90 days end.
     *
     * @param store the history the gauges read; it stays the caller's to close
     * @param hotfixWindow as {@code vigil.history.hotfix-window}
     * @param clock where the last 90 days end
     * @return the gauges, to bind to a registry
     */
    public static HistoryMetrics of(HistoryStore store, Duration hotfixWindow, Clock clock) {
        return new HistoryMetrics(store, hotfixWindow, clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        if (snapshot.isEmpty()) {
            refresh();
        }
        snapshot.keySet().forEach(service -> register(registry, service));
    }

    /** Reads the last 90 days from the store again; gauges appear for services seen for the first time. */
    public void refresh() {
        try {
            // The streaks run over the whole history and every environment, as vigil history's do; the
            // rate and the time to restore over the last 90 days.
            java.time.Instant since = clock.instant().minus(WINDOW);
            List<dev.vigil.history.ReleaseRecord> all = store.releases(HistoryQuery.all());
            List<dev.vigil.history.ReleaseRecord> recent = all.stream().filter(r -> !r.finishedAt().isBefore(since)).toList();
            Map<String, ServiceQuality> windowed = new java.util.HashMap<>();
            ReleaseQuality.of(recent, store.rehearsals(HistoryQuery.all().withSince(since)), hotfixWindow)
                    .forEach(q -> windowed.put(q.service(), q));
            Map<String, ServiceQuality> next = new ConcurrentHashMap<>();
            for (ServiceQuality whole : ReleaseQuality.of(all, List.of(), hotfixWindow)) {
                ServiceQuality q = windowed.remove(whole.service());
                next.put(whole.service(), q == null
                        ? new ServiceQuality(whole.service(), 0, 0, 0, 0, java.util.Optional.empty(), java.util.Optional.empty(),
                                java.util.Optional.empty(), whole.streak(), 0, 0, List.of())
                        : new ServiceQuality(q.service(), q.deployments(), q.rollbacks(), q.failedChanges(), q.hotfixes(),
                                q.timeToDetectMedian(), q.timeToDetectP90(), q.timeToRestoreMedian(), whole.streak(), q.rehearsals(),
                                q.failedRehearsals(), q.quarters(), q.rehearsalsNotStarted()));
            }
            windowed.forEach(next::putIfAbsent); // services with rehearsals only
            snapshot = next;
            for (String service : next.keySet()) {
                if (!registered.contains(service)) {
                    registries.forEach(r -> register(r, service));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("the release history ({}) could not be read for its metrics: {}", store.description(), e.getMessage());
        }
    }

    @Override
    public void finished(VerificationReport report) {
        refresh();
    }

    private void register(MeterRegistry registry, String service) {
        registered.add(service);
        gauge(registry, "vigil.history.quiet.streak", service, "Quiet releases in a row (HEALTHY, no rollback)",
                q -> q.streak().current());
        gauge(registry, "vigil.history.quiet.streak.longest", service, "The longest run of quiet releases",
                q -> q.streak().longest());
        gauge(registry, "vigil.history.change.failure.rate", service,
                "Deployments that failed (UNHEALTHY, or followed by a hotfix) over all, last 90 days",
                q -> q.changeFailureRate().orElse(Double.NaN));
        TimeGauge.builder("vigil.history.time.to.restore", this, TimeUnit.SECONDS,
                        m -> m.value(service, q -> q.timeToRestoreMedian().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN)))
                .tag("service", service)
                .description("Median time from detection to a healthy re-check, last 90 days")
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String service, String description,
            ToDoubleFunction<ServiceQuality> figure) {
        Gauge.builder(name, this, m -> m.value(service, figure)).tag("service", service).description(description)
                .register(registry);
    }

    private double value(String service, ToDoubleFunction<ServiceQuality> figure) {
        ServiceQuality q = snapshot.get(service);
        return q == null ? Double.NaN : figure.applyAsDouble(q);
    }
}
