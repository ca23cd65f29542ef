package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The judges' statistics against reference values computed independently with SciPy
 * (src/test/resources/analysis/generate_fixtures.py says how each was computed; run it with
 * {@code python3 generate_fixtures.py} in that folder).
 */
class ReferenceValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mannWhitneyJudgeGivesScipysStatisticAndPValue() throws IOException {
        JsonNode cases = read("mann-whitney.json").get("cases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(7);
        for (JsonNode c : cases) {
            double[] canary = doubles(c.get("canary"));
            double[] baseline = doubles(c.get("baseline"));
            Direction direction = switch (c.get("alternative").asText()) {
                case "greater" -> Direction.INCREASE;
                case "less" -> Direction.DECREASE;
                default -> Direction.EITHER;
            };
            double[] sorted = baseline.clone();
            java.util.Arrays.sort(sorted);
            double tolerance = c.get("mu").asDouble() / Math.abs(DoubleList.median(sorted));
            CanaryAnalysis analysis = CanaryJudges.mannWhitney(direction, tolerance, 0.95, canary.length)
                    .withIndependentInstances(true);

            CanaryResult result = analysis.newJudge().observe(CanaryRound.samples(canary, baseline));

            String name = c.get("name").asText();
            assertThat((double) result.values().get("statistic")).as(name + " U").isCloseTo(c.get("u").asDouble(), within(1e-9));
            assertThat((double) result.values().get("p-value")).as(name + " p")
                    .isCloseTo(c.get("p").asDouble(), within(1e-9 + 1e-7 * c.get("p").asDouble()));
            assertThat(result.decision()).as(name + " decision").isEqualTo(c.get("p").asDouble() < 0.05
                    ? CanaryDecision.REGRESSION : CanaryDecision.NO_REGRESSION);
        }
    }

    @Test
    void sequentialTTestBayesFactorsMatchTheNoncentralTLikelihoodRatio() throws IOException {
        List<double[]> rows = csv("t-grid-bayes-factor.csv");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        for (double[] r : rows) {
            int n = (int) r[0];
            double mean = r[1];
            double sumSquares = (n - 1) * r[2] + n * mean * mean;
            double direction = n * mean / Math.sqrt(sumSquares);
            assertThat(MeanTest.logPointBayesFactor(n, n, direction, 1.0)).as("delta 1, n=%s mean=%s variance=%s", n, mean, r[2])
                    .isCloseTo(r[3], within(1e-6 * Math.max(1, Math.abs(r[3]))));
            assertThat(MeanTest.logGridBayesFactor(n, n, direction)).as("grid, n=%s mean=%s variance=%s", n, mean, r[2])
                    .isCloseTo(r[4], within(1e-6 * Math.max(1, Math.abs(r[4]))));
        }
    }

    @Test
    void sequentialMeanTestWithSeveralValuesPerRoundMatchesTheDirectIntegralOverSigma() throws IOException {
        JsonNode fixture = read("mean-test-instances.json");
        assertThat(fixture.get("cases")).hasSizeGreaterThanOrEqualTo(15);
        for (JsonNode c : fixture.get("cases")) {
            CanaryJudge judge = CanaryJudges.sequential(Direction.parse(c.get("direction").asText()),
                    c.get("tolerance").asDouble(), 1 - 1e-12, 2).withIndependentInstances(true).newJudge();
            CanaryResult last = null;
            JsonNode rounds = fixture.get("sets").get(c.get("set").asText());
            for (int i = 0; i < c.get("rounds").asInt(); i++) {
                JsonNode r = rounds.get(i);
                last = judge.observe(CanaryRound.samples(doubles(r.get("canary")), doubles(r.get("baseline"))));
            }
            double expected = c.get("e").asDouble();
            assertThat((double) last.values().get("e-value")).as(c.toString()).isCloseTo(expected, within(1e-6 * expected));
        }
    }

    @Test
    void sequentialCountMixtureMatchesBinomialLikelihoodRatiosFromScipy() throws IOException {
        JsonNode fixture = read("count-mixture.json");
        for (JsonNode c : fixture.get("cases")) {
            CountTest test = new CountTest(Direction.parse(c.get("direction").asText()), c.get("tolerance").asDouble());
            for (JsonNode r : fixture.get("rounds")) {
                test.add(counts(r));
            }
            double expected = c.get("e").asDouble();
            // Untempered (dispersion 1): the plain mixture of binomial likelihood ratios.
            assertThat(test.mixture(1)).as(c.toString()).isCloseTo(expected, within(1e-9 * expected));
        }
    }

    @Test
    void sequentialCountTestTemperedByTheLearnedDispersionMatchesTheDirectComputation() throws IOException {
        JsonNode fixture = read("count-dispersion.json");
        assertThat(fixture.get("cases")).hasSizeGreaterThanOrEqualTo(40);
        for (JsonNode c : fixture.get("cases")) {
            CanaryJudge judge = CanaryJudges.sequential(Direction.parse(c.get("direction").asText()),
                    c.get("tolerance").asDouble(), 1 - 1e-12, 2).newJudge();
            CanaryResult last = null;
            JsonNode rounds = fixture.get("sets").get(c.get("set").asText());
            for (int i = 0; i < c.get("rounds").asInt(); i++) {
                last = judge.observe(counts(rounds.get(i)));
            }
            double expected = c.get("e").asDouble();
            assertThat((double) last.values().get("e-value")).as(c.toString()).isCloseTo(expected, within(1e-9 * expected));
            assertThat((double) last.values().get("dispersion")).as(c.toString())
                    .isCloseTo(c.get("dispersion").asDouble(), within(1e-9 * c.get("dispersion").asDouble()));
        }
    }

    private static CanaryRound.Counts counts(JsonNode r) {
        return CanaryRound.counts(r.get("canaryEvents").asLong(), r.get("canaryTrials").asLong(),
                r.get("baselineEvents").asLong(), r.get("baselineTrials").asLong());
    }

    private static double[] doubles(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToDouble(JsonNode::asDouble).toArray();
    }

    private static JsonNode read(String name) throws IOException {
        try (InputStream in = open(name)) {
            return JSON.readTree(in);
        }
    }

    private static List<double[]> csv(String name) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(name), StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] parts = line.split(",");
                double[] row = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    row[i] = Double.parseDouble(parts[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static InputStream open(String name) {
        InputStream in = ReferenceValuesTest.class.getResourceAsStream("/analysis/" + name);
        assertThat(in).as("fixture " + name).isNotNull();
        return in;
    }
}
