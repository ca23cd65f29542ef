package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.DeployVerifier;
import dev.vigil.WatchPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code vigil.plan.watch*} and a probe's {@code watch=false}: bound, described, every mistake named by its key. */
class WatchConfigTest {

    private static BoundConfig load(Map<String, String> p) {
        return VigilConfig.builder().environment(Map.of()).serviceLoader(false).build().load(p);
    }

    private static Map<String, String> probes() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.health.type", "command");
        p.put("vigil.probes.health.command", "true");
        p.put("vigil.probes.orders.type", "command");
        p.put("vigil.probes.orders.command", "true");
        return p;
    }

    @Test
    void noWatchUnlessOneIsConfigured() {
        BoundConfig bound = load(probes());
        assertThat(bound.watch().enabled()).isFalse();
        assertThat(bound.describe()).doesNotContain("watch:");
        try (DeployVerifier verifier = bound.verifier()) {
            assertThat(verifier.watchPlan().enabled()).isFalse();
        }
    }

    @Test
    void aWatchIntervalOrActionWithoutAWatchIsAWarningNamingTheKeyAndWhereItCameFrom() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch-interval", "1m");
        String log;
        try (dev.vigil.reliability.LogCapture capture = dev.vigil.reliability.LogCapture.start()) {
            BoundConfig bound = VigilConfig.builder().environment(Map.of("VIGIL_PLAN_WATCH_ACTION", "notify"))
                    .serviceLoader(false).build().load(p);
            assertThat(bound.watch().enabled()).isFalse();
            log = capture.text();
        }

        // Valid, as a configuration shared by a bake-only pipeline and a watching job must be, but not silent.
        assertThat(log).contains("vigil.plan.watch-interval has no effect without vigil.plan.watch: no watch runs after"
                + " the bake; set vigil.plan.watch (how long to watch after the bake, e.g. 24h), or leave"
                + " vigil.plan.watch-interval out");
        assertThat(log).contains("vigil.plan.watch-action (from environment variable VIGIL_PLAN_WATCH_ACTION) has no"
                + " effect without vigil.plan.watch");
    }

    @Test
    void aWatchSetWithItsIntervalSaysNothingOfIt() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "0s");
        p.put("vigil.plan.watch-interval", "1m");
        try (dev.vigil.reliability.LogCapture capture = dev.vigil.reliability.LogCapture.start()) {
            load(p);
            assertThat(capture.text()).doesNotContain("has no effect");
        }
    }

    @Test
    void aDayLongWatchThatOnlyNotifiesAndLeavesAProbeOut() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "24h");
        p.put("vigil.plan.watch-interval", "1m");
        p.put("vigil.plan.watch-action", "notify");
        p.put("vigil.probes.orders.watch", "false");
        BoundConfig bound = load(p);

        WatchPlan watch = bound.watch();
        assertThat(watch.duration()).isEqualTo(Duration.ofHours(24));
        assertThat(watch.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(watch.action()).isEqualTo(WatchPlan.Action.NOTIFY);
        assertThat(watch.unwatched()).isEqualTo(Set.of("orders"));
        assertThat(bound.describe()).contains("watch: 1d after a healthy bake, interval 1m (1440 rounds), then notify"
                + " when a limit breaks; not watched: orders");
        try (DeployVerifier verifier = bound.verifier()) {
            assertThat(verifier.watchPlan()).isEqualTo(watch);
        }
    }

    @Test
    void aProbeWithRecheckFalseIsLeftOutOfTheRecheckAfterARollback() {
        Map<String, String> p = probes();
        p.put("vigil.probes.orders.recheck", "false");
        BoundConfig bound = load(p);

        assertThat(bound.recheck().unchecked()).isEqualTo(Set.of("orders"));
        assertThat(bound.describe()).contains("re-check: 3 rounds after 10s; not re-checked: orders");
        assertThat(load(probes()).recheck().unchecked()).isEmpty();
        try (DeployVerifier verifier = bound.verifier()) {
            assertThat(verifier).isNotNull();
        }
    }

    @Test
    void aRecheckThatIsNotABooleanIsAProblemNamingItsKey() {
        Map<String, String> p = probes();
        p.put("vigil.probes.orders.recheck", "sometimes");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> load(p));
        assertThat(e.problems()).anySatisfy(problem -> assertThat(problem.key()).isEqualTo("vigil.probes.orders.recheck"));
    }

    @Test
    void theDefaultsAreARoundAMinuteAndRollback() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "2h");
        WatchPlan watch = load(p).watch();
        assertThat(watch.interval()).isEqualTo(WatchPlan.DEFAULT_INTERVAL).isEqualTo(Duration.ofMinutes(1));
        assertThat(watch.action()).isEqualTo(WatchPlan.Action.ROLLBACK);
        assertThat(watch.unwatched()).isEmpty();
    }

    @Test
    void aFailureWindowIsBoundDescribedAndUnsetCountsOverTheWholeWatch() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "168h");
        assertThat(load(p).watch().failureWindow()).isEqualTo(Duration.ZERO);
        assertThat(load(p).watch().windowRounds()).isZero();
        assertThat(load(p).describe()).doesNotContain("watch-failure-window");

        p.put("vigil.plan.watch-failure-window", "1h");
        BoundConfig bound = load(p);
        assertThat(bound.watch().failureWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(bound.watch().windowRounds()).isEqualTo(60);
        assertThat(bound.describe()).contains("then rollback when a limit breaks; max-failures counted within"
                + " watch-failure-window 1h (the last 60 rounds)");
        try (DeployVerifier verifier = bound.verifier()) {
            assertThat(verifier.watchPlan().failureWindow()).isEqualTo(Duration.ofHours(1));
        }
    }

    @Test
    void aFailureWindowShorterThanARoundLongerThanTheWatchZeroOrBareIsAProblemNamingItsKeyAndValue() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("30s", "30s is shorter than watch-interval (1m): it would hold no round");
        cases.put("3h", "3h is longer than the watch (2h): it would count FAILs over the whole watch");
        cases.put("0s", "must be longer than zero; leave it out to count FAILs over the whole watch");
        cases.put("-1h", "must be longer than zero");
        cases.put("60", "60 (read as 60ms: a bare number is milliseconds)");
        cases.put("an hour", "not a duration");
        cases.forEach((value, message) -> {
            Map<String, String> p = probes();
            p.put("vigil.plan.watch", "2h");
            p.put("vigil.plan.watch-failure-window", value);
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> load(p));

            assertThat(e).as(value).isNotNull();
            assertThat(e.problems()).as(value).singleElement().satisfies(problem -> {
                assertThat(problem.key()).isEqualTo("vigil.plan.watch-failure-window");
                assertThat(problem.message()).contains(message);
            });
        });
    }

    /**
     * The validated plan words the window as the reports and the console do
     * ({@link WatchPlan#describeLimits()}): a window of one interval holds "the last 1 round", not
     * "1 rounds".
     */
    @Test
    void theDescribedWatchWordsItsWindowAsTheReportsAndTheConsoleDo() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "24h");
        p.put("vigil.plan.watch-interval", "1m");
        p.put("vigil.plan.watch-failure-window", "1m");
        p.put("vigil.probes.health.watch-max-failures", "0");
        BoundConfig bound = load(p);

        assertThat(bound.describe()).contains("watch: 1d after a healthy bake, interval 1m (1440 rounds), then rollback when a"
                + " limit breaks; max-failures counted within watch-failure-window 1m (the last 1 round);"
                + " watch-max-failures: health 0\n");
        assertThat(bound.watch().describeLimits()).isEqualTo("max-failures counted within watch-failure-window 1m"
                + " (the last 1 round); watch-max-failures: health 0");
    }

    /**
     * A window of one round with watch-max-failures 1 could never hold the two FAILs that break it:
     * before, it was accepted, and a probe failing every round never rolled the watch back.
     */
    @Test
    void aFailureWindowOfNoMoreRoundsThanAProbesMaxFailuresIsAProblemNamingTheWindowAndTheProbe() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "2h");
        p.put("vigil.plan.watch-failure-window", "1m");
        p.put("vigil.probes.health.watch-max-failures", "1");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.plan.watch-failure-window");
            assertThat(problem.message()).contains("1m holds 1 round of the watch", "probe health",
                    "watch-max-failures 1 could never be broken");
        });
        p.put("vigil.plan.watch-failure-window", "2m");
        assertThat(load(p).watch().windowRounds()).isEqualTo(2);
    }

    @Test
    void aWatchMaxFailuresIsBoundPerProbeAndDescribedAndTheBakeKeepsMaxFailures() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "24h");
        p.put("vigil.plan.watch-failure-window", "1h");
        p.put("vigil.probes.health.watch-max-failures", "2");
        BoundConfig bound = load(p);

        assertThat(bound.watch().watchMaxFailures()).isEqualTo(Map.of("health", 2));
        assertThat(bound.describe()).contains("(the last 60 rounds); watch-max-failures: health 2");
        assertThat(bound.probes()).filteredOn(probe -> probe.name().equals("health")).singleElement()
                .satisfies(probe -> assertThat(probe.limits().maxFailures()).isZero());
    }

    @Test
    void aWatchMaxFailuresBelowZeroOrOfAnUnwatchedProbeIsAProblemAndWithoutAWatchAWarning() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "24h");
        p.put("vigil.probes.health.watch-max-failures", "-1");
        p.put("vigil.probes.orders.watch", "false");
        p.put("vigil.probes.orders.watch-max-failures", "2");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> load(p));
        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("vigil.probes.health.watch-max-failures", "vigil.probes.orders.watch-max-failures");
        assertThat(e.problems().get(1).message()).contains("watch=false leaves the probe out of the watch");

        assertThat(warningsWithoutAWatch("vigil.probes.health.watch-max-failures", "2"))
                .contains("vigil.probes.health.watch-max-failures has no effect without vigil.plan.watch");
    }

    @Test
    void aFailureWindowWithoutAWatchIsAWarningNamingTheKey() {
        assertThat(warningsWithoutAWatch("vigil.plan.watch-failure-window", "1h"))
                .contains("vigil.plan.watch-failure-window has no effect without vigil.plan.watch");
    }

    /** What binding the probes with this one key, and no watch, logs. */
    private static String warningsWithoutAWatch(String key, String value) {
        Map<String, String> p = probes();
        p.put(key, value);
        try (dev.vigil.reliability.LogCapture capture = dev.vigil.reliability.LogCapture.start()) {
            assertThat(load(p).watch().enabled()).isFalse();
            return capture.text();
        }
    }

    @Test
    void everyMistakeIsNamedByItsKey() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "-1h");
        p.put("vigil.plan.watch-interval", "0s");
        p.put("vigil.plan.watch-action", "page-someone");
        p.put("vigil.probes.health.watch", "sometimes");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> load(p));

        assertThat(e.problems()).extracting(ConfigProblem::key).contains("vigil.plan.watch", "vigil.plan.watch-interval",
                "vigil.plan.watch-action", "vigil.probes.health.watch");
    }

    @Test
    void aWatchOfNoProbeOrWithRoundsShorterThanAMeasurementIsRefused() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "1h");
        p.put("vigil.probes.health.watch", "false");
        p.put("vigil.probes.orders.watch", "false");
        ConfigurationException none = catchThrowableOfType(ConfigurationException.class, () -> load(p));
        assertThat(none.problems()).anySatisfy(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.plan.watch");
            assertThat(problem.message()).contains("measure nothing");
        });

        Map<String, String> q = probes();
        q.put("vigil.plan.watch", "1h");
        q.put("vigil.plan.watch-interval", "1s");
        q.put("vigil.probes.health.timeout", "5s");
        q.put("vigil.plan.interval", "10s");
        ConfigurationException overrun = catchThrowableOfType(ConfigurationException.class, () -> load(q));
        assertThat(overrun.problems()).anySatisfy(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.plan.watch-interval");
            assertThat(problem.message()).contains("probe health").contains("vigil.probes.health.watch=false");
        });
    }
}
