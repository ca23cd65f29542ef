package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release history through the shaded jar: Flyway finds its migrations and H2 its driver inside
 * {@code vigil.jar}, {@code verify} records and ends with the streak, {@code history} reads it back.
 */
class HistoryJarIT {

    @TempDir
    Path work;

    @Test
    void verifyRecordsIntoTheEmbeddedHistoryAndHistoryReadsItBack() throws Exception {
        Path config = work.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.plan.initial-delay=0",
                // Rounds of 1 s: with 100 ms, a cold JVM on a loaded machine took longer than the
                // interval to run the command once (an ERROR) and skipped a round (INCONCLUSIVE).
                "vigil.plan.interval=1s",
                "vigil.plan.duration=2s",
                "vigil.probes.smoke.type=command",
                "vigil.probes.smoke.command=true",
                "vigil.history.url=jdbc:h2:file:" + work.resolve("db/history"),
                ""));
        VigilJar jar = VigilJar.in(work, Map.of());

        VigilJar.Result first = jar.run("verify", "--config", config.toString(), "--version", "1.0", "--progress", "lines");
        VigilJar.Result second = jar.run("verify", "--config", config.toString(), "--version", "1.1", "--progress", "lines");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).as(first.toString()).contains("History: quiet release #1 in a row for checkout (longest 1)");
        assertThat(second.out()).as(second.toString()).contains("History: quiet release #2 in a row for checkout (longest 2)");
        assertThat(second.err()).doesNotContain("Warning");

        VigilJar.Result history = jar.run("history", "--config", config.toString(), "--format", "json");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        JsonNode checkout = new ObjectMapper().readTree(history.out()).path("services").get(0);
        assertThat(checkout.path("deployments").asInt()).isEqualTo(2);
        assertThat(checkout.path("quietStreak").path("current").asInt()).isEqualTo(2);
    }
}
