package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.TimeSource;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What Vigil logs about a failure it did not expect (a listener that throws, a fault in the
 * verification itself) never holds the failure's message, which may quote a credential the failing
 * code was given; the log keeps the classes and frames, and the report says the message, masked.
 */
class FailureLogSecretsTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0", "1.0.0");
    private static final String SECRET = "s3cret-pass-6612";
    private static final String URL = "https://ops:" + SECRET + "@hooks.example.com/notify";

    @Test
    void aListenerFailureQuotingACredentialIsLoggedWithoutItsMessage() {
        VerificationListener posting = new VerificationListener() {
            @Override
            public void measured(Measurement measurement) {
                throw new IllegalStateException("POST " + URL + " failed", new RuntimeException("token " + SECRET));
            }
        };
        String log;
        VerificationReport report;
        try (LogCapture capture = LogCapture.start()) {
            report = DeployVerifier.builder()
                    .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(20)))
                    .timeSource(VirtualTime.start())
                    .probe("health", ScriptedProbe.of(Outcome.PASS))
                    .listener(posting)
                    .build()
                    .verifyAfterDeploy(DEPLOYMENT);
            log = capture.text();
        }

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(log).contains("failed and was ignored", "java.lang.IllegalStateException",
                "Caused by: java.lang.RuntimeException", "FailureLogSecretsTest")
                .doesNotContain(SECRET);
    }

    @Test
    void anUnexpectedFailureQuotingACredentialIsLoggedWithoutItsMessageAndReportedMasked() {
        VirtualTime virtual = VirtualTime.start();
        TimeSource failing = virtual.beforeEachNow(() -> {
            if (virtual.nanoTime() > Duration.ofSeconds(5).toNanos()) {
                throw new IllegalStateException("clock service " + URL + " gone");
            }
        });
        String log;
        VerificationReport report;
        try (LogCapture capture = LogCapture.start()) {
            report = DeployVerifier.builder()
                    .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                    .timeSource(failing)
                    .probe("health", ScriptedProbe.of(Outcome.PASS))
                    .build()
                    .verifyAfterDeploy(DEPLOYMENT);
            log = capture.text();
        }

        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(log).contains("failed unexpectedly", "java.lang.IllegalStateException").doesNotContain(SECRET);
        assertThat(Reports.render(report, ReportFormat.MARKDOWN)).contains("verification failed unexpectedly")
                .doesNotContain(SECRET);
    }
}
