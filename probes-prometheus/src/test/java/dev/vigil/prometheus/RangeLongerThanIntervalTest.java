package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.VigilConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil validate} (the configuration's description) warns, without running anything, when a
 * judged query's range is longer than the plan's interval: the bake would find the rounds
 * overlapping and leave them INCONCLUSIVE ({@link RoundOverlap}).
 */
class RangeLongerThanIntervalTest {

    private static Map<String, String> canary(String range, String interval) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.plan.interval", interval);
        p.put("vigil.probes.errors.type", "prometheus");
        p.put("vigil.probes.errors.base-url", "http://prometheus.example:9090");
        p.put("vigil.probes.errors.canary-query", "sum(increase(http_errors_total{track=\"canary\"}[" + range + "]))");
        p.put("vigil.probes.errors.baseline-query", "sum(increase(http_errors_total{track=\"baseline\"}[" + range + "]))");
        p.put("vigil.probes.errors.judge", "sequential");
        return p;
    }

    private static String described(Map<String, String> properties) {
        return VigilConfig.builder().environment(Map.of()).build().validate(properties).report();
    }

    @Test
    void aJudgedQueryWhoseRangeIsLongerThanTheIntervalIsAWarningNamingTheProbeTheRangeTheIntervalAndTheRangeToUse() {
        assertThat(described(canary("30s", "10s"))).contains("    warning: probe errors: canary-query, baseline-query count"
                + " over 30s, but the plan's interval is 10s: each round's window would overlap the last round fed to the"
                + " judge by 20s", "(INCONCLUSIVE). Make the range of the queries the plan's interval ([10s] for rounds 10s"
                + " apart), so that each request counts in one round");
    }

    @Test
    void countQueriesAreWarnedAboutToo() {
        Map<String, String> p = canary("1m", "15s");
        p.remove("vigil.probes.errors.canary-query");
        p.remove("vigil.probes.errors.baseline-query");
        p.put("vigil.probes.errors.canary-errors-query", "sum(increase(http_errors_total{track=\"canary\"}[1m]))");
        p.put("vigil.probes.errors.canary-requests-query", "sum(increase(http_requests_total{track=\"canary\"}[1m]))");
        p.put("vigil.probes.errors.baseline-errors-query", "sum(increase(http_errors_total{track=\"baseline\"}[1m]))");
        p.put("vigil.probes.errors.baseline-requests-query", "sum(increase(http_requests_total{track=\"baseline\"}[1m]))");
        p.put("vigil.probes.errors.baseline-history", "off");

        assertThat(described(p)).contains("warning: probe errors: canary-errors-query, canary-requests-query,"
                + " baseline-errors-query, baseline-requests-query count over 1m, but the plan's interval is 15s",
                "([15s] for rounds 15s apart)");
    }

    @Test
    void aRangeThatFitsTheIntervalOrAQueryNotJudgedByRoundsIsNoWarning() {
        assertThat(described(canary("10s", "10s"))).contains("configuration is valid").doesNotContain("warning:");
        Map<String, String> threshold = new LinkedHashMap<>(canary("5m", "10s"));
        threshold.remove("vigil.probes.errors.canary-query");
        threshold.remove("vigil.probes.errors.baseline-query");
        threshold.remove("vigil.probes.errors.judge");
        threshold.put("vigil.probes.errors.query", "sum(rate(http_errors_total[5m]))");
        threshold.put("vigil.probes.errors.fail-when", "value > 1");
        // A threshold reads a moving average: overlapping rounds are what it is for.
        assertThat(described(threshold)).contains("configuration is valid").doesNotContain("warning:");
    }
}
