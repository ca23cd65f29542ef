package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.VirtualTime;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A timeline in virtual time: a service failed 20% of its requests until a deployment at
 * {@link #DEPLOYED}, and none after it. A probe asks {@code rate(errors[1m]) / rate(requests[1m])}
 * at each round's time, and the stand-in Prometheus answers what that query gives then: the
 * share of the last minute that lay before the deployment, times 20%.
 *
 * <p>The documented rule (docs/prometheus-probes.md, "A hotfix's first rounds"): for a hotfix, a
 * failing instant query whose range selector reaches before the verification started is
 * {@code INCONCLUSIVE}, as it measures the incident the hotfix fixes; for a release it stays a
 * {@code FAIL}, as the version before it is taken to have been healthy.
 */
class HotfixIncidentWindowTest {

    private static final Instant DEPLOYED = Instant.parse("2026-01-01T12:00:00Z");
    private static final String QUERY = "sum(rate(errors[1m])) / sum(rate(requests[1m]))";

    private HttpServer prometheus;
    private final AtomicInteger rollbacks = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/api/v1/query", exchange -> {
            String time = null;
            for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
                if (pair.startsWith("time=")) {
                    time = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
            Instant at = Instant.ofEpochMilli(new BigDecimal(time).movePointRight(3).longValue());
            double beforeDeployment = Math.max(0, Math.min(60, Duration.between(at.minusSeconds(60), DEPLOYED).toMillis() / 1000.0));
            double errorRate = 0.20 * beforeDeployment / 60;
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                    + time + ",\"" + errorRate + "\"]}]}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        prometheus.start();
    }

    @AfterEach
    void stop() {
        prometheus.stop(0);
    }

    private VerificationReport verify(Deployment deployment, int maxInconclusive) {
        PrometheusProbe probe = PrometheusProbe.builder().baseUrl("http://127.0.0.1:" + prometheus.getAddress().getPort())
                .query(QUERY).failWhen("value > 0.01").build();
        try (DeployVerifier verifier = DeployVerifier.builder()
                .probe("error-rate", probe, ProbeLimits.defaults().withMaxInconclusive(maxInconclusive))
                // The hotfix's confirmation of its own fix, which passes.
                .probe("fix", context -> ProbeResult.pass(Map.of(), "the fix answers")).confirms("fix", "INC-7")
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(2)))
                .rollback(RollbackTriggers.callback("back to 2.4.0", event -> rollbacks.incrementAndGet()))
                .timeSource(VirtualTime.startingAt(DEPLOYED)).build()) {
            return verifier.verifyAfterDeploy(deployment);
        }
    }

    @Test
    void aHotfixIsNotRolledBackForTheIncidentItsQueryStillSeesAndIsJudgedOnItselfAfterwards() {
        VerificationReport report = verify(Deployment.of("checkout", "2.4.1", "2.4.0").asHotfix("INC-7"), 6);

        List<Measurement> m = report.probe("error-rate").orElseThrow().measurements();
        // Rounds at 0s, 10s, ... 50s: the last minute reaches before the deployment; from 60s on it does not.
        assertThat(m.subList(0, 6)).extracting(Measurement::outcome).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(m.get(0).explanation()).contains("not counted as a failure of this hotfix",
                "the query's range of 1m reaches 1m before the verification started (2026-01-01T12:00:00Z)");
        assertThat(m.subList(6, m.size())).extracting(Measurement::outcome).containsOnly(Outcome.PASS);
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void withTheDefaultLimitsAHotfixsFirstMinuteEndsTheBakeInconclusiveNotRolledBack() {
        VerificationReport report = verify(Deployment.of("checkout", "2.4.1", "2.4.0").asHotfix("INC-7"), 0);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void aReleaseFailingInItsFirstMinuteStillFails() {
        VerificationReport report = verify(Deployment.of("checkout", "2.4.1", "2.4.0"), 6);

        assertThat(report.probe("error-rate").orElseThrow().measurements().get(0).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rollbacks).hasValue(1);
    }
}
