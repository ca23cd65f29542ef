package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Deployment;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import dev.vigil.reliability.LogCapture;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import dev.vigil.testkit.VirtualTime;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A webhook whose credential is its path (Slack's {@code https://hooks.slack.com/services/T000/B000/XXXX}):
 * the path reaches the receiver and nothing else. Reports, log lines, exception messages,
 * descriptions, {@code toString()} and configuration problems show {@code scheme://host:port/…}.
 */
class WebhookPathTest {

    /** The part of the hook's path that is its credential. */
    private static final String SECRET = "XqZ7hookSecret93kLm";
    private static final String PATH = "/services/T000/B000/" + SECRET;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static String hook() {
        return "http://localhost:" + server.getPort() + PATH;
    }

    private static String shown() {
        return "http://localhost:" + server.getPort() + "/…";
    }

    private static RollbackEvent event() {
        return new RollbackEvent("rb-51ac", Deployment.of("checkout", "2.4.1", "2.4.0"), Verdict.UNHEALTHY,
                "probe smoke failed once (max-failures 0)", 1, Instant.parse("2026-11-26T10:00:00Z"));
    }

    /** A deployment whose one probe fails, rolled back by the hook. */
    private static Map<String, String> failingDeployment(String url) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.deployment.previous-version", "2.4.0");
        p.put("vigil.plan.interval", "1s");
        p.put("vigil.plan.duration", "1s");
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", "exit 1");
        p.put("vigil.rollback.webhook.url", url);
        p.put("vigil.rollback.max-attempts", "1");
        return p;
    }

    private static VigilConfig config() {
        return VigilConfig.builder().environment(Map.of()).build();
    }

    @Test
    void aConfiguredHooksPathIsInNoReportNorDescriptionNorLogLine() throws Exception {
        // The receiver refuses and quotes the request line, as a debugging receiver may.
        server.stubFor(post(PATH).willReturn(aResponse().withStatus(404).withBody("no hook at POST " + PATH)));
        BoundConfig bound = config().load(failingDeployment(hook()));

        VerificationReport report;
        String logged;
        try (LogCapture log = LogCapture.start()) {
            report = bound.toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(bound.deployment().toDeployment());
            logged = log.text();
        }

        server.verify(postRequestedFor(urlEqualTo(PATH)));
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().trigger()).isEqualTo("webhook: POST " + shown());
        assertThat(report.rollback().error()).contains("webhook POST " + shown() + " answered 404");
        StringBuilder everything = new StringBuilder(logged).append(report).append(report.rollback())
                .append(bound.describe()).append(bound.properties()).append(bound.rollback().orElseThrow())
                .append(bound.rollback().orElseThrow().description()).append(config().validate(failingDeployment(hook())).report());
        for (ReportFormat format : ReportFormat.values()) {
            everything.append(Reports.render(report, format));
        }
        assertThat(everything.toString()).contains(shown()).doesNotContain(SECRET).doesNotContain("/services/");
        assertThat(bound.properties()).containsEntry("vigil.rollback.webhook.url", shown());
    }

    @Test
    void aConfigurationProblemOfTheHookShowsNeitherItsPathInTheMessageNorInTheValue() {
        Map<String, String> withUser = failingDeployment("https://ci:pw@hooks.example.com" + PATH);
        Map<String, String> misspelt = failingDeployment(hook());
        misspelt.remove("vigil.rollback.webhook.url");
        misspelt.put("vigil.rollback.webhook.ulr", hook());
        Map<String, String> noHttp = failingDeployment("ftp://hooks.example.com" + PATH);

        for (Map<String, String> p : java.util.List.of(withUser, misspelt, noHttp)) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config().load(p));

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("vigil.rollback.webhook.").doesNotContain(SECRET).doesNotContain("/services/");
            assertThat(e.problems()).allSatisfy(problem -> assertThat(problem.toString()).doesNotContain(SECRET));
        }
        assertThat(catchThrowableOfType(ConfigurationException.class, () -> config().load(noHttp)).getMessage())
                .contains("'ftp://hooks.example.com/…' must be an http:// or https:// URL (value: ftp://hooks.example.com/…)");
    }

    @Test
    void theJavaApiDescribesTheHookWithoutItsPath() throws Exception {
        server.stubFor(post(PATH).willReturn(aResponse().withStatus(500).withBody("failed for " + hook())));
        WebhookTarget target = Webhooks.target(hook()).build();
        RollbackTrigger trigger = Webhooks.rollbackTrigger(target);
        VerificationListener notifier = Webhooks.notifier(target);

        RollbackException failed = catchThrowableOfType(RollbackException.class, () -> trigger.execute(event()));

        assertThat(target.url()).isEqualTo(shown());
        assertThat(target.toString()).isEqualTo("POST " + shown());
        assertThat(trigger.description()).isEqualTo("webhook: POST " + shown());
        assertThat(failed.getMessage()).isEqualTo("webhook POST " + shown() + " answered 500 (not retried: the receiver may have acted on it)");
        assertThat(failed.output() + trigger + notifier + trigger.preflight().message() + trigger.identity())
                .doesNotContain(SECRET).doesNotContain("/services/");
    }

    @Test
    void aHookThatCannotBeReachedIsNamedWithoutItsPathInTheErrorAndTheLog() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        WebhookTarget target = Webhooks.target("http://127.0.0.1:" + closed + PATH).build();

        RollbackException failed = catchThrowableOfType(RollbackException.class,
                () -> Webhooks.rollbackTrigger(target).execute(event()));
        String logged;
        try (LogCapture log = LogCapture.start()) {
            Webhooks.notifier(target).verdict(event().deployment(), Verdict.UNHEALTHY, "probe smoke failed");
            logged = log.text();
        }

        assertThat(failed.getMessage()).contains("http://127.0.0.1:" + closed + "/…").doesNotContain(SECRET);
        assertThat(logged).contains("http://127.0.0.1:" + closed + "/…").doesNotContain(SECRET);
    }

    @Test
    void aUrlThatIsNoUrlIsRefusedWithoutShowingItsPath() {
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                () -> Webhooks.target("https://hooks.example.com" + PATH + " trailing words"));

        assertThat(e.getMessage()).startsWith("'…' is not a valid URL").doesNotContain(SECRET);
    }
}
