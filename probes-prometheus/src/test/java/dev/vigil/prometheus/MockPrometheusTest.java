package dev.vigil.prometheus;

import dev.vigil.ProbeResult;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.AfterEach;

/**
 * A test of a probe against a stand-in Prometheus (a WireMock server the test class registers): the
 * probe a test builds into {@link #probe} is closed after the test, and {@link #measure()} measures
 * the rounds of one verification.
 */
abstract class MockPrometheusTest {

    /** The probe under test, closed after each test; {@code null} until the test builds one. */
    PrometheusProbe probe;

    /** The state of the one verification whose rounds {@link #measure()} measures. */
    final ConcurrentMap<String, Object> state = new ConcurrentHashMap<>();

    @AfterEach
    void closeProbe() {
        if (probe != null) {
            probe.close();
        }
    }

    /** Measures the next round of the verification with {@link #state}, as {@link TestContext#builder()} says. */
    ProbeResult measure() {
        return probe.measure(TestContext.builder().state(state).build());
    }
}
