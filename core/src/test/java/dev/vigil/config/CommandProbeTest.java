package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.testkit.TestProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandProbeTest {

    private static BoundProbe bind(Map<String, String> keys) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.check.type", "command");
        keys.forEach((k, v) -> p.put("vigil.probes.check." + k, v));
        return VigilConfig.builder().environment(Map.of("CHECK_SECRET", "pa55word-xyz")).serviceLoader(false).build()
                .load(p).probes().get(0);
    }

    private static ProbeResult measure(Probe probe, Duration timeout) throws Exception {
        return probe.measure(TestProbeContext.of("check", Instant.now(), timeout));
    }

    @Test
    void passesWhenTheCommandExitsWithZeroByDefault() throws Exception {
        BoundProbe probe = bind(Map.of("command", "echo ok"));

        ProbeResult m = measure(probe.probe(), Duration.ofSeconds(10));

        assertThat(probe.probe().passWhen()).isEqualTo("exit-code == 0");
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("exit-code", 0);
    }

    @Test
    void failsWhenTheCommandExitsNonZero() throws Exception {
        ProbeResult m = measure(bind(Map.of("command", "exit 3")).probe(), Duration.ofSeconds(10));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.values()).containsEntry("exit-code", 3);
    }

    @Test
    void judgesTheOutputAndSeesTheDeploymentInItsEnvironment() throws Exception {
        BoundProbe probe = bind(Map.of("command", "echo \"$VIGIL_SERVICE $VIGIL_VERSION\"",
                "pass-when", "output == \"checkout 2.4.1\""));

        assertThat(measure(probe.probe(), Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void keepsAtMostMaxOutputBytes() throws Exception {
        BoundProbe probe = bind(Map.of("command", "printf abcdefgh", "max-output", "4B", "pass-when", "output == \"abcd\""));

        assertThat(measure(probe.probe(), Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aCommandRunningPastItsTimeoutIsAnErrorNeverAPass() throws Exception {
        ProbeResult m = measure(bind(Map.of("command", "sleep 30")).probe(), Duration.ofMillis(300));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("timed out");
    }

    @Test
    void aSecretInTheCommandIsRedactedInItsDescription() {
        BoundProbe probe = bind(Map.of("command", "curl -u admin:${CHECK_SECRET} http://x"));

        assertThat(probe.probe().description()).isEqualTo("command: curl -u admin:****** http://x");
        assertThat(probe.describe()).doesNotContain("pa55word-xyz");
    }
}
