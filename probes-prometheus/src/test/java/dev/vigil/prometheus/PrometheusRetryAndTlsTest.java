package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Transient failures retried by the verifier within the round; TLS with a private trust store. */
class PrometheusRetryAndTlsTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path folder;

    @Test
    void unavailablePrometheusIsRetriedWithinTheRoundByTheVerifier() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).inScenario("restart")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(503).withBody(Canned.body("error-unavailable.json"))));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).inScenario("restart")
                .whenScenarioStateIs("up")
                .willReturn(aResponse().withBody(Canned.body("scalar.json"))));
        try (PrometheusProbe probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("error_ratio")
                .failWhen("value > 0.01").build()) {
            DeployVerifier verifier = DeployVerifier.builder()
                    .probe("error-rate", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withRetryBackoff(Duration.ofMillis(10)))
                    .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(50)).withDuration(Duration.ofMillis(50)))
                    .build();

            VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1"));

            assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
            Measurement m = report.probe("error-rate").orElseThrow().measurements().get(0);
            assertThat(m.outcome()).isEqualTo(Outcome.PASS);
            assertThat(m.attempts()).isEqualTo(2);
            prometheus.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/query")));
        }
    }

    @Test
    void badQueryIsNotRetriedByTheVerifier() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(400)
                .withBody(Canned.body("error-bad_data.json"))));
        try (PrometheusProbe probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("sum(")
                .failWhen("value > 0.01").build()) {
            DeployVerifier verifier = DeployVerifier.builder()
                    .probe("error-rate", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withRetryBackoff(Duration.ofMillis(10)))
                    .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(50)).withDuration(Duration.ofMillis(50)))
                    .build();

            VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1"));

            Measurement m = report.probe("error-rate").orElseThrow().measurements().get(0);
            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.attempts()).isEqualTo(1);
            assertThat(m.error()).contains("'bad_data'").contains("parse error");
            assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
        }
    }

    @Test
    void privateCertificateIsTrustedThroughTheTrustStore() throws Exception {
        Path keyStore = serverKeyStore();
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
                .keystorePath(keyStore.toString()).keystorePassword("server-pw-1").keyManagerPassword("server-pw-1")
                .keystoreType("PKCS12"));
        server.start();
        try {
            server.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(Canned.body("scalar.json"))));
            String https = "https://localhost:" + server.httpsPort();
            Path trustStore = trustStoreOf(keyStore);

            try (PrometheusProbe trusting = PrometheusProbe.builder().baseUrl(https).query("up").failWhen("value > 1")
                    .trustStore(trustStore, "changeit-123").build();
                    PrometheusProbe defaultTrust = PrometheusProbe.builder().baseUrl(https).query("up").failWhen("value > 1").build()) {

                ProbeResult trusted = trusting.measure(TestContext.standard());
                ProbeResult untrusted = defaultTrust.measure(TestContext.standard());

                assertThat(trusted.outcome()).as(trusted.toString()).isEqualTo(Outcome.PASS);
                assertThat(trusting.toString()).contains("trust-store=custom").doesNotContain("changeit-123");
                assertThat(untrusted.outcome()).isEqualTo(Outcome.ERROR);
                assertThat(untrusted.error()).contains("TLS with localhost failed").contains("trust-store");
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void wrongTrustStorePasswordIsRejectedWithoutEchoingIt() throws Exception {
        Path store = trustStoreOf(serverKeyStore());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("https://localhost:1")
                        .query("up").failWhen("value > 1").trustStore(store, "wrong-password-9").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trust-store '" + store + "' is not a readable PKCS12 or JKS key store")
                .hasMessageNotContaining("wrong-password-9");
    }

    /** A key pair with a self-signed certificate for localhost, made by the JDK's keytool. */
    private Path serverKeyStore() throws Exception {
        Path file = folder.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "server-pw-1", "-keypass", "server-pw-1")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        return file;
    }

    /** A PKCS12 trust store holding only the server's certificate. */
    private Path trustStoreOf(Path keyStore) throws Exception {
        KeyStore server = KeyStore.getInstance(keyStore.toFile(), "server-pw-1".toCharArray());
        Certificate certificate = server.getCertificate("server");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("prometheus", certificate);
        Path file = folder.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit-123".toCharArray());
        }
        return file;
    }
}
