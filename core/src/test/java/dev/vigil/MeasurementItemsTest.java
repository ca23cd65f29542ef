package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A measurement's items (one per test of a JUnit probe) travel with it through the engine's steps. */
class MeasurementItemsTest {

    private static final ItemResult FAILED = new ItemResult("[method:pays()]", "com.acme.CheckoutSmokeTest", "pays()",
            ItemResult.Status.FAILED, Duration.ofMillis(30), "expected: <201> but was: <500>");

    @Test
    void completingOrExplainingAgainKeepsTheItems() {
        ProbeResult m = ProbeResult.fail(Map.of("tests.failed", 1), "1 of 1 tests failed").withItems(List.of(FAILED));

        Measurement completed = m.completed("smoke", 2, Instant.parse("2026-11-29T12:00:00Z"), 1, Duration.ofSeconds(1));
        Measurement explained = completed.withExplanation("attempt 2: " + completed.explanation());

        assertThat(completed.items()).containsExactly(FAILED);
        assertThat(explained.items()).containsExactly(FAILED);
        assertThat(completed.probe()).isEqualTo("smoke");
    }

    @Test
    void aMeasurementReadsWhatTheProbeFoundAndAddsWhatTheEngineKnows() {
        ProbeResult found = ProbeResult.pass(Map.of("status", 200), "status(200) == 200");
        Measurement m = new Measurement("health", 1, Instant.parse("2026-11-29T12:00:00Z"), 0, Duration.ofMillis(5), found);

        assertThat(m.items()).isEmpty();
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("status", 200);
        assertThat(m.explanation()).isEqualTo("status(200) == 200");
        assertThat(m.error()).isNull();
        assertThat(m.attempts()).as("at least one attempt").isEqualTo(1);
        assertThat(ProbeResult.error("refused").withExplanation("attempt 2: refused").error()).isEqualTo("attempt 2: refused");
        assertThat(ProbeResult.fail(Map.of(), "x").error()).as("an error only for ERROR").isNull();
        assertThat(ProbeResult.pass(Map.of(), "ok").items()).isEmpty();
    }

    @Test
    void itemsAreCopiedAndCannotBeChangedAfterwards() {
        List<ItemResult> items = new ArrayList<>(List.of(FAILED));
        ProbeResult m = ProbeResult.fail(Map.of(), "failed").withItems(items);
        items.clear();

        assertThat(m.items()).containsExactly(FAILED);
        assertThat(m.withItems(null).items()).isEmpty();
        assertThat(ItemResult.Status.UNFINISHED.problem()).isTrue();
        assertThat(ItemResult.Status.ABORTED.problem()).isFalse();
    }
}
