package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.ProbeLimits;
import dev.vigil.VerificationPlan.OnInconclusive;
import dev.vigil.VerificationPlan;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DesignExampleTest {

    static final String TOKEN = "prom-s3cr3t-t0ken";

    static VigilConfig config() {
        return VigilConfig.builder()
                .environment(Map.of("PROMETHEUS_TOKEN", TOKEN))
                .serviceLoader(false)
                .probeFactory(TestFactories.HTTP)
                .probeFactory(TestFactories.PROMETHEUS)
                .build();
    }

    static Path resource(String name) {
        try {
            return Path.of(DesignExampleTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"design-example.properties", "design-example.yml"})
    void designExampleBindsToTheExpectedVerifier(String file) {
        BoundConfig config = config().load(resource(file));

        assertThat(config.deployment().toDeployment()).isEqualTo(Deployment.of("checkout", "2.4.1", "2.4.0"));
        assertThat(config.plan()).isEqualTo(new VerificationPlan(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofMinutes(5), OnInconclusive.FAIL, false));

        assertThat(config.probes()).extracting(BoundProbe::name).containsExactly("health", "error-rate");
        BoundProbe health = config.probes().get(0);
        assertThat(health.type()).isEqualTo("http");
        assertThat(health.limits()).isEqualTo(ProbeLimits.defaults().withMaxFailures(1));
        assertThat(health.measurement()).isEqualTo(MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(2)));
        TestFactories.FakeProbe http = (TestFactories.FakeProbe) health.probe();
        assertThat(http.settings).containsEntry("url", "http://localhost:8080/actuator/health")
                .containsEntry("timeout", Duration.ofSeconds(2));
        assertThat(http.criteria.passWhen()).isEqualTo("status == 200 && body.status == \"UP\" && latency < 500ms");
        assertThat(http.criteria.failWhen()).isNull();

        BoundProbe errorRate = config.probes().get(1);
        assertThat(errorRate.type()).isEqualTo("prometheus");
        assertThat(errorRate.limits()).isEqualTo(ProbeLimits.defaults());
        TestFactories.FakeProbe prometheus = (TestFactories.FakeProbe) errorRate.probe();
        assertThat(prometheus.settings)
                .containsEntry("base-url", "http://127.0.0.1:9090")
                .containsEntry("query", "sum(rate(http_server_requests_seconds_count{status=~\"5..\"}[1m]))"
                        + " / sum(rate(http_server_requests_seconds_count[1m]))")
                .containsEntry("on-no-data", "inconclusive")
                .containsEntry("bearer-token", TOKEN);
        assertThat(prometheus.criteria.failWhen()).isEqualTo("value > 0.01");

        assertThat(config.rollback()).hasValueSatisfying(
                t -> assertThat(t.description()).isEqualTo("command: kubectl rollout undo deployment/checkout"));
        assertThat(config.rollbackPolicy().timeout()).isEqualTo(Duration.ofMinutes(2));

        DeployVerifier verifier = config.verifier();
        assertThat(verifier.probeNames()).containsExactly("health", "error-rate");
        assertThat(verifier.plan()).isEqualTo(config.plan());
    }

    @ParameterizedTest
    @ValueSource(strings = {"design-example.properties", "design-example.yml"})
    void theSecretTokenIsRedactedInEverythingPrinted(String file) {
        BoundConfig config = config().load(resource(file));

        assertThat(config.properties()).containsEntry("vigil.probes.error-rate.bearer-token", "******")
                .containsEntry("vigil.probes.health.url", "http://localhost:8080/actuator/health");
        assertThat(config.toString()).doesNotContain(TOKEN);
        assertThat(config.describe()).doesNotContain(TOKEN)
                .contains("health (http)", "error-rate (prometheus)", "30 rounds", "kubectl rollout undo");
        assertThat(config.verifier().toString()).doesNotContain(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"design-example.properties", "design-example.yml"})
    void validateDescribesWhatWouldRun(String file) {
        ValidationResult result = config().validate(resource(file));

        assertThat(result.valid()).isTrue();
        assertThat(result.report()).startsWith("configuration is valid")
                .contains("health (http): http http://localhost:8080/actuator/health; pass-when status == 200")
                .contains("error-rate (prometheus)", "fail-when value > 0.01")
                .contains("rollback: command: kubectl rollout undo deployment/checkout (timeout 2m");
    }
}
