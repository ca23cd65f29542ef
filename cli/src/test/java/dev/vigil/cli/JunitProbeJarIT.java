package dev.vigil.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vigil.junit.probe.CompiledSuite;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A team's smoke suite as a test jar, run by the shaded jar with {@code type=junit} and
 * {@code classpath=}: the jar is compiled and packed here, the service is played by WireMock, and
 * each test is read back from the reports and the console.
 */
class JunitProbeJarIT {

    private static final String TOKEN = "smoke-token-3f9a-never-print-me";

    private static final String SUITE = """
            package com.acme.smoke;

            import static org.junit.jupiter.api.Assertions.assertEquals;

            import dev.vigil.junit.VigilParameter;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;

            @Tag("smoke")
            public class CheckoutSmokeTest {

                private static int status(URI base, String path, String token) throws Exception {
                    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).build();
                    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                }

                @Test
                void cartCanBeRead(@VigilParameter("base-url") URI base, @VigilParameter("api-token") String token) throws Exception {
                    System.out.println("GET /cart with Authorization: Bearer " + token);
                    assertEquals(200, status(base, "cart", token), "GET /cart");
                }

                @Test
                void paymentsAreAccepted(@VigilParameter("base-url") URI base, @VigilParameter("api-token") String token)
                        throws Exception {
                    assertEquals(200, status(base, "payments", token), "GET /payments with token " + token);
                }

                @Test
                @Tag("slow")
                void nightlyReportIsBuilt() {
                    throw new AssertionError("never selected: tagged slow");
                }
            }
            """;

    private static WireMockServer server;

    @TempDir
    static Path work;

    @BeforeAll
    static void startService() throws Exception {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(get("/cart").withHeader("Authorization", equalTo("Bearer " + TOKEN)).willReturn(aResponse().withStatus(200)));
        Path classes = CompiledSuite.compile(work.resolve("build/classes"), Map.of("com.acme.smoke.CheckoutSmokeTest", SUITE));
        CompiledSuite.jar(classes, work.resolve("build/libs/checkout-smoke-tests.jar"));
    }

    @AfterAll
    static void stopService() {
        server.stop();
    }

    @Test
    void aPassingSuiteFromATestJarExitsZeroWithEachTestInReportJson() throws Exception {
        server.stubFor(get("/payments").withHeader("Authorization", equalTo("Bearer " + TOKEN)).willReturn(aResponse().withStatus(200)));

        VigilJar.Result run = VigilJar.in(work, Map.of("SMOKE_TOKEN", TOKEN))
                .run("verify", "--config", config().toString(), "--version", "2.4.1", "--report-dir", "passing");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.HEALTHY);
        JsonNode json = new ObjectMapper().readTree(work.resolve("passing/report.json").toFile());
        JsonNode items = json.path("probes").path(0).path("measurements").path(0).path("items");
        List<String> tests = new ArrayList<>();
        items.forEach(i -> tests.add(i.path("name").asText() + " " + i.path("status").asText()));
        assertThat(tests).containsExactlyInAnyOrder("cartCanBeRead(URI, String) PASSED", "paymentsAreAccepted(URI, String) PASSED");
        assertThat(items.path(0).path("group").asText()).isEqualTo("com.acme.smoke.CheckoutSmokeTest");
        assertThat(run.out()).contains("GET /cart with Authorization: [REDACTED]");
        assertThat(run.out() + run.err()).doesNotContain(TOKEN);
    }

    @Test
    void aFailingTestIsNamedInReportXmlAndOnTheConsole() throws Exception {
        server.stubFor(get("/payments").willReturn(aResponse().withStatus(502)));

        VigilJar.Result run = VigilJar.in(work, Map.of("SMOKE_TOKEN", TOKEN))
                .run("verify", "--config", config().toString(), "--version", "2.4.2", "--dry-run", "--report-dir", "failing");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(run.out()).contains("CheckoutSmokeTest > paymentsAreAccepted(URI, String)")
                .contains("expected: <200> but was: <502>");
        Element suite = suite(work.resolve("failing/report.xml"), "vigil.checkout.smoke");
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        Map<String, String> cases = new LinkedHashMap<>();
        NodeList testcases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < testcases.getLength(); i++) {
            Element testcase = (Element) testcases.item(i);
            NodeList failure = testcase.getElementsByTagName("failure");
            cases.put(testcase.getAttribute("classname") + "#" + testcase.getAttribute("name"),
                    failure.getLength() == 0 ? "passed" : ((Element) failure.item(0)).getAttribute("message"));
        }
        assertThat(cases).containsEntry("com.acme.smoke.CheckoutSmokeTest#cartCanBeRead(URI, String)", "passed");
        assertThat(cases.get("com.acme.smoke.CheckoutSmokeTest#paymentsAreAccepted(URI, String)"))
                .contains("GET /payments with token [REDACTED] ==> expected: <200> but was: <502>");
        String everything = run.out() + run.err() + Files.walk(work.resolve("failing")).filter(Files::isRegularFile)
                .map(f -> {
                    try {
                        return Files.readString(f);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).collect(Collectors.joining());
        assertThat(everything).doesNotContain(TOKEN);
    }

    private static Path config() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.previous-version", "2.4.0");
        p.put("vigil.plan.interval", "20s");
        p.put("vigil.plan.duration", "20s");
        p.put("vigil.probes.smoke.type", "junit");
        p.put("vigil.probes.smoke.classpath", "build/libs/*.jar");
        p.put("vigil.probes.smoke.tags", "smoke & !slow");
        p.put("vigil.probes.smoke.parameters.base-url", server.baseUrl() + "/");
        p.put("vigil.probes.smoke.parameters.api-token", "${SMOKE_TOKEN}");
        p.put("vigil.probes.smoke.timeout", "20s");
        p.put("vigil.rollback.command", "echo rolling back checkout");
        Path file = work.resolve("application.properties");
        Files.writeString(file, p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
        return file;
    }

    private static Element suite(Path xmlFile, String name) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(xmlFile)));
        NodeList suites = xml.getElementsByTagName("testsuite");
        for (int i = 0; i < suites.getLength(); i++) {
            Element suite = (Element) suites.item(i);
            if (suite.getAttribute("name").equals(name)) {
                return suite;
            }
        }
        throw new AssertionError("no testsuite " + name + " in " + Files.readString(xmlFile));
    }
}
