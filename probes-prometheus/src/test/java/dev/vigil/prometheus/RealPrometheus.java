package dev.vigil.prometheus;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.RollbackCoordinator;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Prometheus for one test class, registered as a static {@code @RegisterExtension} field: it
 * starts ({@link PrometheusServer#start}) in a temporary folder before the class's own
 * {@code @BeforeAll} methods, scraping the metrics the class serves, waits until a query has data,
 * and after all the class's tests closes the probes handed to {@link #closeAfterAll}, stops and
 * deletes its folder. The class is skipped without the binary, as {@link PrometheusServer} says.
 *
 * <p>Prometheus scrapes as soon as it has started, before the class's {@code @BeforeAll} methods
 * run: what serves the metrics must exist when the class is initialised.
 */
final class RealPrometheus implements BeforeAllCallback, AfterAllCallback {

    private final String readyQuery;
    private final Supplier<String> metrics;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Path folder;
    private PrometheusServer server;

    /**
     * @param readyQuery a query that has a value once Prometheus has scraped the metrics often enough
     *     for the tests
     * @param metrics the scraped metrics, in the text exposition format
     */
    RealPrometheus(String readyQuery, Supplier<String> metrics) {
        this.readyQuery = readyQuery;
        this.metrics = metrics;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        folder = Files.createTempDirectory("vigil-prometheus");
        server = PrometheusServer.start(folder, metrics);
        server.awaitData(readyQuery, Duration.ofSeconds(30));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable resource : closing) {
                resource.close();
            }
            if (server != null) {
                server.stop();
            }
        } finally {
            delete(folder);
        }
    }

    /** The base URL of Prometheus' HTTP API. */
    String baseUrl() {
        return server.baseUrl();
    }

    /**
     * Closes {@code resource} (a probe) after all the class's tests, before Prometheus stops.
     *
     * @return {@code resource}
     */
    <T extends AutoCloseable> T closeAfterAll(T resource) {
        closing.add(resource);
        return resource;
    }

    /**
     * Verifies a deployment with these probes, in this order, every 2 s for {@code duration}: each
     * round has 2 s, and inconclusive rounds never stop the verification.
     *
     * @param probes the probes by name
     * @return the report
     */
    @SafeVarargs
    static VerificationReport verify(Duration duration, Map.Entry<String, ? extends Probe>... probes) {
        DeployVerifier.Builder builder = DeployVerifier.builder();
        for (Map.Entry<String, ? extends Probe> probe : probes) {
            builder.probe(probe.getKey(), probe.getValue(), ProbeLimits.defaults().withMaxInconclusive(Integer.MAX_VALUE),
                    MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(2)));
        }
        try (DeployVerifier verifier = builder
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(2)).withDuration(duration))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build()) {
            return verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));
        }
    }

    private static void delete(Path folder) throws IOException {
        if (folder == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
