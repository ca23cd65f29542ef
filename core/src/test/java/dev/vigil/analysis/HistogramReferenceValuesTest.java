package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.StreamSupport;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * The histogram judge's shift test against reference values computed independently in plain Python
 * (src/test/resources/analysis/generate_histogram_fixtures.py: the life table walked band by band,
 * the mixture as a product of normal densities; run it with
 * {@code python3 generate_histogram_fixtures.py} in that folder).
 */
class HistogramReferenceValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void logRankScoreAndVarianceOfEachRoundMatchTheLifeTable() throws IOException {
        for (JsonNode c : read().get("cases")) {
            for (int r = 0; r < c.get("rounds").size(); r++) {
                JsonNode round = c.get("rounds").get(r);
                double[] score = ShiftTest.logRank(longs(round.get("canary")), longs(round.get("baseline")));
                assertThat(score[0]).as(c.get("name").asText() + " round " + r + " U")
                        .isCloseTo(c.get("scores").get(r).get(0).asDouble(), within(1e-9));
                assertThat(score[1]).as(c.get("name").asText() + " round " + r + " V")
                        .isCloseTo(c.get("scores").get(r).get(1).asDouble(), within(1e-9));
            }
        }
    }

    @Test
    void shiftTestEValueAndWobbleMatchTheReferenceRoundByRound() throws IOException {
        for (JsonNode c : read().get("cases")) {
            String name = c.get("name").asText();
            ShiftTest test = new ShiftTest(Direction.parse(c.get("direction").asText()), c.get("tolerance").asDouble());
            double[] bounds = bounds(c.get("bounds"));
            for (int r = 0; r < c.get("rounds").size(); r++) {
                JsonNode round = c.get("rounds").get(r);
                test.add(CanaryRound.histogram(bounds, longs(round.get("canary")), longs(round.get("baseline"))));
                assertThat(test.eValue()).as(name + " e-value after round " + (r + 1))
                        .isCloseTo(c.get("eValues").get(r).asDouble(), Percentage.withPercentage(1e-6));
                assertThat(test.wobble()).as(name + " wobble after round " + (r + 1))
                        .isCloseTo(c.get("wobble").get(r).asDouble(), within(1e-9));
            }
        }
    }

    @Test
    void theSequentialJudgeDecidesOnTheReferenceEValue() throws IOException {
        JsonNode c = StreamSupport.stream(read().get("cases").spliterator(), false)
                .filter(n -> n.get("name").asText().equals("slower-increase")).findFirst().orElseThrow();
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.99, 20).newJudge();
        double[] bounds = bounds(c.get("bounds"));
        JsonNode round = c.get("rounds").get(0);
        CanaryResult result = judge.observe(CanaryRound.histogram(bounds, longs(round.get("canary")),
                longs(round.get("baseline"))));
        double expected = c.get("eValues").get(0).asDouble();
        assertThat(expected).isGreaterThanOrEqualTo(100);
        assertThat(result.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat((Double) result.values().get("e-value")).isCloseTo(expected, Percentage.withPercentage(1e-6));
    }

    private static double[] bounds(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .mapToDouble(n -> n.isTextual() && n.asText().equals("+Inf") ? Double.POSITIVE_INFINITY : n.asDouble())
                .toArray();
    }

    private static long[] longs(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToLong(JsonNode::asLong).toArray();
    }

    private static JsonNode read() throws IOException {
        try (InputStream in = HistogramReferenceValuesTest.class.getResourceAsStream("/analysis/histogram-shift.json")) {
            assertThat(in).as("fixture /analysis/histogram-shift.json").isNotNull();
            return JSON.readTree(in);
        }
    }
}
