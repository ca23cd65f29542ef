package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Probe;
import dev.vigil.reliability.LogCapture;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the HTTP client's I/O threads log of their own failures: a user stopping the command-line
 * jar with Ctrl-C while a request waits met httpclient5's default, {@code [ERROR] async - null} and
 * a {@code ClosedSelectorException} stack trace on the console.
 */
class ClientShutdownLogTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void aProbeClosedWhileItsRequestsWaitLogsNoStackTrace() throws Exception {
        server.stubFor(get(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        ExecutorService threads = Executors.newSingleThreadExecutor();
        String logged;
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < 20; i++) {
                Probe probe = HttpProbes.http(java.util.stream.IntStream.range(0, 20)
                        .mapToObj(n -> server.baseUrl() + "/slow?n=" + n).toList()).build();
                // As the command line does on a signal: the verifying thread is interrupted while it
                // waits for the answers, and closes the probe with its interrupt flag set.
                Future<?> measuring = threads.submit(() -> {
                    try {
                        return probe.measure(TestContexts.within(Duration.ofSeconds(5)));
                    } finally {
                        probe.close();
                    }
                });
                Thread.sleep(100 + 10 * i);
                measuring.cancel(true);
            }
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);
            logged = log.text();
        }
        assertThat(logged).doesNotContain("ClosedSelectorException").doesNotContain("\tat ").doesNotContain("[ERROR]");
    }

    @Test
    void anIoThreadFailureOutsideAShutdownIsAWarningNamingItsClassWithoutAStackTrace() {
        String logged;
        try (LogCapture log = LogCapture.start()) {
            FleetClient.ioReactorFailed(new ClosedSelectorException());
            FleetClient.ioReactorFailed(new IOException("reactor broke"));
            logged = log.text();
        }
        assertThat(logged).doesNotContain("ClosedSelectorException").doesNotContain("\tat ").doesNotContain("[ERROR]")
                .contains("the HTTP client's I/O threads failed: java.io.IOException");
    }
}
