package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A self-signed HTTPS endpoint (its key made with keytool): refused by default, trusted through a trust store. */
class HttpsTrustTest {

    private static final String PASSWORD = "changeit-7731";

    @TempDir
    static Path dir;

    private static WireMockServer server;
    private static Path pkcs12TrustStore;
    private static Path jksTrustStore;

    @BeforeAll
    static void start() throws Exception {
        Path serverStore = dir.resolve("server.p12");
        pkcs12TrustStore = dir.resolve("trust.p12");
        jksTrustStore = dir.resolve("trust.jks");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            serverKeys.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = serverKeys.getCertificate("server");
        writeTrustStore(certificate, "PKCS12", pkcs12TrustStore);
        writeTrustStore(certificate, "JKS", jksTrustStore);
        server = new WireMockServer(options().dynamicPort().dynamicHttpsPort()
                .keystorePath(serverStore.toString()).keystorePassword(PASSWORD).keyManagerPassword(PASSWORD)
                .keystoreType("PKCS12"));
        server.start();
        server.stubFor(get("/health").willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static void writeTrustStore(Certificate certificate, String type, Path file) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        store.setCertificateEntry("ca", certificate);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }

    private String url() {
        return "https://localhost:" + server.httpsPort() + "/health";
    }

    private static ProbeResult measure(HttpProbeBuilder builder) throws Exception {
        return builder.build().measure(TestContexts.within(Duration.ofSeconds(5)));
    }

    @Test
    void aSelfSignedCertificateFailsByDefault() throws Exception {
        ProbeResult m = measure(HttpProbes.http(url()));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("TLS failed", "trust-store");
    }

    @Test
    void aTlsFailureThatNoTrustStoreMendsDoesNotSuggestOne() throws Exception {
        // every TLS failure ended "(for a private CA set trust-store)", a plain-HTTP port and a wrong host name too
        ProbeResult wrongHost = measure(HttpProbes.http("https://127.0.0.2:" + server.httpsPort() + "/health")
                .trustStore(pkcs12TrustStore, PASSWORD));
        ProbeResult plain = measure(HttpProbes.http("https://localhost:" + server.port() + "/health"));

        assertThat(wrongHost.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(wrongHost.error()).contains("TLS failed", "(the server's certificate is not for this host name)")
                .doesNotContain("set trust-store");
        assertThat(plain.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(plain.error()).contains("TLS failed", "(the server answers without TLS on this port: http:// instead of https://?)")
                .doesNotContain("set trust-store");
    }

    @Test
    void aPkcs12TrustStoreHoldingTheCertificateMakesItPass() throws Exception {
        ProbeResult m = measure(HttpProbes.http(url()).trustStore(pkcs12TrustStore, PASSWORD));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aJksTrustStoreWorksToo() throws Exception {
        ProbeResult m = measure(HttpProbes.http(url()).trustStore(jksTrustStore, PASSWORD));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
    }

    @Test
    void insecureAcceptsAnyCertificateWhenAskedExplicitly() throws Exception {
        ProbeResult m = measure(HttpProbes.http(url()).insecure(true));

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(HttpProbes.http(url()).insecure(true).build().toString()).contains("insecure");
    }

    @Test
    void aWrongTrustStorePasswordIsRejectedWithoutShowingIt() {
        assertThatThrownBy(() -> HttpProbes.http(url()).trustStore(pkcs12TrustStore, "wrong-pass-9911").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trust.p12")
                .hasMessageNotContaining("wrong-pass-9911");
        assertThatThrownBy(() -> HttpProbes.http(url()).trustStore(dir.resolve("absent.p12"), null).build())
                .hasMessageContaining("does not exist");
    }

    @Test
    void insecureAndATrustStoreTogetherAreAConflict() {
        assertThatThrownBy(() -> HttpProbes.http(url()).insecure(true).trustStore(pkcs12TrustStore, PASSWORD).build())
                .hasMessageContaining("keep one");
    }
}
