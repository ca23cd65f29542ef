package dev.vigil.junit.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.testkit.TestProbeContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Tests from a class path of their own: loaded apart from the application, found by glob, each run anew. */
class IsolatedClassPathTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .resetOnEachTest(false).build();

    @TempDir
    static Path dir;
    private static Path classes;

    private static final String SUITE = """
            package com.acme.smoke;

            import static org.junit.jupiter.api.Assertions.assertEquals;
            import static org.junit.jupiter.api.Assertions.assertThrows;

            import dev.vigil.junit.VigilParameter;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;

            @Tag("smoke")
            public class CatalogSmokeTest {
                static int runs;

                @Test
                void catalogAnswers(@VigilParameter("base-url") URI base) throws Exception {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(
                            HttpRequest.newBuilder(base.resolve("catalog")).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), "GET /catalog");
                }

                @Test
                void seesNothingOfTheApplication() {
                    assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.vigil.Measurement", false,
                            CatalogSmokeTest.class.getClassLoader()));
                    assertThrows(ClassNotFoundException.class, () -> Class.forName(
                            "com.github.tomakehurst.wiremock.WireMockServer", false, CatalogSmokeTest.class.getClassLoader()));
                }

                @Test
                void staticStateStartsAfreshInEachRun() {
                    runs++;
                    assertEquals(1, runs, "runs of this class in this class loader");
                }
            }
            """;

    @BeforeAll
    static void compile() throws Exception {
        server.stubFor(get("/catalog").willReturn(aResponse().withStatus(200)));
        classes = CompiledSuite.compile(dir.resolve("classes"), Map.of("com.acme.smoke.CatalogSmokeTest", SUITE));
        CompiledSuite.jar(classes, dir.resolve("libs/catalog-smoke-tests.jar"));
    }

    private static ProbeResult measure(Probe probe) throws Exception {
        return probe.measure(TestProbeContext.of("smoke", Instant.now(), Duration.ofSeconds(20)));
    }

    @Test
    void testsInAFolderRunIsolatedFromTheApplication() throws Exception {
        Probe probe = JunitProbes.builder().classpath(classes.toString())
                .parameter("base-url", "http://localhost:" + server.getPort() + "/").everyRound().build();

        ProbeResult first = measure(probe);
        ProbeResult second = measure(probe);

        for (ProbeResult m : new ProbeResult[] {first, second}) {
            assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
            assertThat(m.items()).hasSize(3).allSatisfy(i -> assertThat(i.status()).isEqualTo(ItemResult.Status.PASSED));
        }
        assertThat(first.values()).containsEntry("tags", java.util.List.of("smoke"));
    }

    @Test
    void aGlobFindsTheJarsAndASelectionNarrowsThem() throws Exception {
        Probe probe = JunitProbes.builder().classpath(dir.resolve("libs") + "/*.jar")
                .select("method:com.acme.smoke.CatalogSmokeTest#catalogAnswers")
                .parameter("base-url", "http://localhost:" + server.getPort() + "/").build();

        ProbeResult m = measure(probe);

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.items()).singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("catalogAnswers(URI)"));
    }

    @Test
    void testsOnAClassPathAreNotOnTheApplicationsOwn() throws Exception {
        ProbeResult m = measure(JunitProbes.builder().select("class:com.acme.smoke.CatalogSmokeTest").build());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("com.acme.smoke.CatalogSmokeTest");
    }

    @Test
    void aJarThatDoesNotLoadIsAnErrorSayingWhatWasSearched() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("broken"));
        Path broken = java.nio.file.Files.writeString(dir.resolve("broken/smoke-tests.jar"), "not a zip",
                java.nio.file.StandardOpenOption.CREATE_NEW);

        ProbeResult m = measure(JunitProbes.builder().classpath(broken.toString()).build());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("in classpath=" + broken);
    }
}
