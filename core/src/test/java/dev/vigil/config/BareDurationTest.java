package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A bare number is milliseconds, as Spring Boot reads it; for the keys meant in seconds or longer a
 * small one is a unit left out ({@code duration=5}: 5 minutes meant, a 5 ms bake run), refused
 * before anything runs.
 */
class BareDurationTest {

    static VigilConfig config(Map<String, String> env) {
        return VigilConfig.builder().environment(env).serviceLoader(false).probeFactory(TestFactories.HTTP).build();
    }

    /** A configuration of one HTTP probe and a deployment, to which a test adds its plan. */
    static Map<String, String> health() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.probes.health.type", "http");
        p.put("vigil.probes.health.url", "http://localhost:8080/actuator/health");
        p.put("vigil.probes.health.pass-when", "status == 200");
        return p;
    }

    @Test
    void aBareBakeDurationUnderASecondIsAnErrorNamingTheKeyTheValueAsReadAndTheFix() {
        // Read as 5 ms, the bake is one round: one PASS and the deployment is HEALTHY on a single instant.
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "5");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.plan.duration");
            assertThat(problem.value()).isEqualTo("5");
            assertThat(problem.message()).startsWith("5 (read as 5ms: a bare number is milliseconds)")
                    .contains("a verdict on a single round").contains("write the unit: 5m");
        });
    }

    @Test
    void validateReportsTheBareBakeDurationWithoutRunningAnything() {
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "5");

        ValidationResult result = config(Map.of()).validate(p);

        assertThat(result.valid()).isFalse();
        assertThat(result.report()).contains("vigil.plan.duration: 5 (read as 5ms: a bare number is milliseconds)")
                .contains("(value: 5)");
    }

    @Test
    void aBareDurationFromTheEnvironmentIsRefusedToo() {
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "5m");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of("VIGIL_PLAN_DURATION", "10")).load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.plan.duration");
            assertThat(problem.message()).contains("10 (read as 10ms").contains("write the unit: 10m")
                    .contains("from environment variable VIGIL_PLAN_DURATION");
        });
    }

    @ParameterizedTest
    @CsvSource({
        "vigil.plan.interval, 10s",
        "vigil.plan.initial-delay, 30s",
        "vigil.plan.watch, 30h",
        "vigil.plan.watch-interval, 30s",
        "vigil.probes.health.timeout, 30s",
        "vigil.rollback.timeout, 30s",
        "vigil.rollback.recheck.delay, 30s",
        "vigil.history.retention, 30d",
        "vigil.history.hotfix-window, 30d"})
    void aBareNumberUnderASecondIsRefusedForEveryKeyMeantInSecondsOrLonger(String key, String fix) {
        Map<String, String> p = health();
        p.put(key, fix.replaceAll("\\D", ""));
        if (key.startsWith("vigil.plan.watch")) {
            p.put("vigil.plan.watch", "1h");
            p.put(key, fix.replaceAll("\\D", ""));
        }

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).filteredOn(problem -> problem.key().equals(key)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("a bare number is milliseconds")
                        .contains("write the unit: " + fix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5ms", "PT0.005S", "5000", "0"})
    void aUnitZeroOrACountOfMillisecondsIsReadAsWritten(String value) {
        Map<String, String> p = health();
        p.put("vigil.plan.interval", "1ms");
        p.put("vigil.plan.initial-delay", value);

        BoundConfig config = config(Map.of()).load(p);

        assertThat(config.plan().initialDelay()).isEqualTo(Values.duration(value).orElseThrow());
        assertThat(config.plan().interval()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aBareNumberUnderASecondIsRefusedForAProbeTypesOwnDurationKeysToo() {
        // An HTTP connect-timeout=5 (5 s meant) gave a connection 5 ms; a Prometheus range=5m with step=15 asked for 20000 points.
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.errors.type", "prometheus");
        p.put("vigil.probes.errors.base-url", "http://127.0.0.1:9090");
        p.put("vigil.probes.errors.query", "up");
        p.put("vigil.probes.errors.fail-when", "value > 0.01");
        p.put("vigil.probes.errors.step", "15");
        VigilConfig vigil = VigilConfig.builder().environment(Map.of()).serviceLoader(false)
                .probeFactory(TestFactories.PROMETHEUS).build();

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> vigil.load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.probes.errors.step");
            assertThat(problem.message()).isEqualTo("15 (read as 15ms: a bare number is milliseconds) is almost surely a unit"
                    + " left out; write the unit: 15s (or 15ms if milliseconds are really meant)");
        });
        p.put("vigil.probes.errors.step", "15ms");
        assertThat(((TestFactories.FakeProbe) vigil.load(p).probes().get(0).probe()).settings)
                .containsEntry("step", Duration.ofMillis(15));
    }

    @Test
    void backoffsStayMillisecondScaleAndTakeABareNumber() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.retry-backoff", "250");
        p.put("vigil.rollback.backoff", "500");

        BoundConfig config = config(Map.of()).load(p);

        assertThat(config.probes().get(0).measurement().retryBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.rollbackPolicy().backoff()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aRollbacksSignalGraceIsFifteenSecondsUnlessSetAndZeroSwitchesItOff() {
        assertThat(config(Map.of()).load(health()).rollbackPolicy().interruptGrace()).isEqualTo(Duration.ofSeconds(15));
        Map<String, String> p = health();
        p.put("vigil.rollback.signal-grace", "0s");

        assertThat(config(Map.of()).load(p).rollbackPolicy().interruptGrace()).isEqualTo(Duration.ZERO);
    }
}
