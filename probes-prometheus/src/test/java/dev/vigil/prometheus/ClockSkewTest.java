package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The round's time comes from this host's clock and Prometheus evaluates it on its own: an answer
 * whose Date shows the two clocks apart is about another moment than the round's.
 */
class ClockSkewTest extends MockPrometheusTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** This host's clock in the tests: the Date of each answer is set against it. */
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static final String ZERO = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1764148935.123,\"0\"]}]}}";

    /** An answer of 0 errors per second, dated {@code skew} from {@link #NOW}. */
    private void answerDated(Duration skew) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(ZERO)
                .withHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plus(skew).atOffset(ZoneOffset.UTC)))));
    }

    private ProbeResult measureAt(Duration skew) {
        answerDated(skew);
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("sum(rate(errors_total[1m])) or vector(0)")
                .failWhen("value > 0").clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        return probe.measure(TestContext.standard());
    }

    @Test
    void aPrometheusWhoseClockIsBehindIsAskedAboutItsFutureSoAPassIsInconclusive() {
        // Two minutes behind: rate(...[1m]) at the round's time reads no sample, and or vector(0) made it a PASS.
        ProbeResult m = measureAt(Duration.ofMinutes(-2));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("Prometheus' clock is 2m behind this host's (its answer is dated Thu, 1 Jan 2026 11:58:00 GMT)")
                .contains("the round's time is in Prometheus' future").contains("(NTP)").contains("(was PASS");
    }

    @Test
    void aPrometheusWhoseClockIsAheadIsAskedAboutItsPastSoAPassIsInconclusive() {
        ProbeResult m = measureAt(Duration.ofMinutes(2));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("Prometheus' clock is 2m ahead of this host's")
                .contains("of the version before the deployment in the first rounds");
    }

    @Test
    void clocksWithinFiveSecondsPass() {
        assertThat(measureAt(Duration.ofSeconds(-5)).outcome()).isEqualTo(Outcome.PASS);
        probe.close();
        assertThat(measureAt(Duration.ofSeconds(5)).outcome()).isEqualTo(Outcome.PASS);
    }
}
