package dev.vigil.junit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.junit.probe.fixtures.CommonPoolPrintingChecks;
import dev.vigil.testkit.TestProbeContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the console while tests run: every thread's lines masked with the secrets of every
 * active run, whichever thread prints them, and nothing held once no run is active.
 */
class MaskedConsoleTest {

    private static final String SECRET = "tok-3c1d-common-pool";
    private static final String OTHER_SECRET = "tok-77b0-other-run";

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream out;

    @BeforeEach
    void captureTheConsole() {
        out = System.out;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheConsole() {
        System.setOut(out);
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private static void run(String secret, ThrowingRunnable body) {
        MaskedConsole.masked(List.of(secret), () -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aSecretPrintedByACommonPoolWorkerThatExistedBeforeTheRunIsMasked() throws Exception {
        // A worker of the common pool that no run started (Vigil's own runAsync, say).
        ForkJoinPool.commonPool().submit(() -> { }).get();
        Probe probe = JunitProbes.builder().select("class:" + CommonPoolPrintingChecks.class.getName())
                .secretParameter("api-token", SECRET).build();

        ProbeResult m = probe.measure(TestProbeContext.of("smoke", Instant.now(), Duration.ofSeconds(20)));

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(console()).contains("cart owner [REDACTED] done").doesNotContain(SECRET);
    }

    @Test
    void aThreadStartedByAnotherRunMasksTheSecretsOfTheRunItNowWorksFor() throws Exception {
        ExecutorService started = Executors.newSingleThreadExecutor();
        try {
            // Its one thread is started during a run with another secret, and inherits that run's mask.
            run(OTHER_SECRET, () -> started.submit(() -> { }).get());

            run(SECRET, () -> started.submit(() -> System.out.println("paying with " + SECRET + " and " + OTHER_SECRET)).get());
        } finally {
            started.shutdownNow();
        }

        assertThat(console()).contains("paying with [REDACTED] and [REDACTED]").doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
    }

    @Test
    void aLineBegunDuringARunIsMaskedWithItsSecretsWhenItEndsAfterIt() throws Exception {
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        try {
            elsewhere.submit(() -> { }).get();
            run(SECRET, () -> elsewhere.submit(() -> System.out.print("token " + SECRET)).get());
            elsewhere.submit(() -> System.out.println(" used")).get();
        } finally {
            elsewhere.shutdownNow();
        }

        assertThat(console()).contains("token [REDACTED] used").doesNotContain(SECRET);
    }

    @Test
    void withNoRunActiveOtherThreadsPrintUnheldAndUnchanged() throws Exception {
        run(SECRET, () -> System.out.println("in the run"));
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        try {
            elsewhere.submit(() -> System.out.print("progress: Authorization: Basic dXNlcjpwYXNz")).get();
        } finally {
            elsewhere.shutdownNow();
        }

        assertThat(console()).endsWith("progress: Authorization: Basic dXNlcjpwYXNz");
    }

    @Test
    void aPrivateKeyPrintedLineByLineIsMaskedToItsEndLine() {
        String body = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2hX8";
        run(SECRET, () -> {
            System.out.println("writing key");
            System.out.println("-----BEGIN RSA PRIVATE KEY-----");
            System.out.println(body);
            System.out.print("q2Rw8rt0Zx==\r\n");
            System.out.println("-----END RSA PRIVATE KEY-----");
            System.out.println("done: 4 lines");
        });

        assertThat(console()).isEqualTo("writing key\n-----BEGIN RSA PRIVATE KEY-----[REDACTED]\n[REDACTED]\n[REDACTED]\r\n"
                + "-----END RSA PRIVATE KEY-----\ndone: 4 lines\n");
    }
}
