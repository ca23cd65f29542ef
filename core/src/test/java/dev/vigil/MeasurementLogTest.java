package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bounded log of a probe's measurements against the rule written in {@link MeasurementLog}, brute force. */
class MeasurementLogTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aShortBakeKeepsEveryMeasurementWhole() {
        List<Measurement> all = history(MeasurementLog.WHOLE_UP_TO, 0.02, new SplittableRandom(1));
        MeasurementLog log = new MeasurementLog();
        all.forEach(log::add);

        MeasurementLog.Snapshot kept = log.snapshot();

        assertThat(kept.measurements()).isEqualTo(all);
        assertThat(kept.passRuns()).isEmpty();
    }

    @Test
    void pastTheThresholdTheRuleAppliesToEveryMeasurementTakenSoFar() {
        SplittableRandom random = new SplittableRandom(20261130L);
        for (int trial = 0; trial < 300; trial++) {
            int n = trial < 20 ? MeasurementLog.WHOLE_UP_TO + trial : 1 + random.nextInt(6000);
            double rate = new double[] {0, 0.001, 0.01, 0.05, 0.3}[trial % 5];
            List<Measurement> all = history(n, rate, random);
            MeasurementLog log = new MeasurementLog();
            for (int i = 0; i < all.size(); i++) {
                log.add(all.get(i));
                if (random.nextInt(500) == 0 || i == all.size() - 1) {
                    check(all.subList(0, i + 1), log.snapshot());
                }
            }
            assertThat(log.taken()).isEqualTo(n);
            assertThat(log.latest()).isSameAs(all.get(n - 1));
        }
    }

    @Test
    void aWeekAtOneMinuteKeepsAtMostMaxRunsFineEnoughForAPixelColumnEach() {
        List<Measurement> all = history(7 * 24 * 60, 0, new SplittableRandom(7));
        MeasurementLog log = new MeasurementLog();
        all.forEach(log::add);

        MeasurementLog.Snapshot kept = log.snapshot();

        assertThat(kept.measurements()).containsExactly(all.get(0), all.get(all.size() - 1));
        assertThat(kept.passRuns()).hasSizeLessThanOrEqualTo(MeasurementLog.MAX_RUNS).hasSizeGreaterThan(680);
        int longest = kept.passRuns().stream().mapToInt(PassRun::count).max().orElseThrow();
        assertThat(longest).as("no run covers more than two pixel columns of a 680-pixel plot")
                .isLessThanOrEqualTo(2 * all.size() / 680);
    }

    /** Whether the snapshot keeps exactly what the rule says, and summarises the rest correctly. */
    private static void check(List<Measurement> taken, MeasurementLog.Snapshot snapshot) {
        int n = taken.size();
        List<Measurement> expected = new ArrayList<>();
        List<List<Measurement>> stretches = new ArrayList<>();
        List<Measurement> stretch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (n <= MeasurementLog.WHOLE_UP_TO || keptByRule(taken, i)) {
                expected.add(taken.get(i));
                if (!stretch.isEmpty()) {
                    stretches.add(stretch);
                    stretch = new ArrayList<>();
                }
            } else {
                stretch.add(taken.get(i));
            }
        }
        if (!stretch.isEmpty()) {
            stretches.add(stretch);
        }
        assertThat(snapshot.measurements()).as("kept whole after %d measurements", n).isEqualTo(expected);
        int summarised = snapshot.passRuns().stream().mapToInt(PassRun::count).sum();
        assertThat(expected.size() + summarised).isEqualTo(n);
        assertThat(snapshot.passRuns().size()).isLessThanOrEqualTo(MeasurementLog.MAX_RUNS + stretches.size());

        // The runs cut each stretch into consecutive pieces, in order, with the right figures.
        int run = 0;
        for (List<Measurement> s : stretches) {
            int at = 0;
            while (at < s.size()) {
                PassRun r = snapshot.passRuns().get(run++);
                List<Measurement> piece = s.subList(at, at + r.count());
                assertThat(r.firstRound()).isEqualTo(piece.get(0).round());
                assertThat(r.lastRound()).isEqualTo(piece.get(piece.size() - 1).round());
                assertThat(r.from()).isEqualTo(piece.get(0).time());
                assertThat(r.to()).isEqualTo(piece.get(piece.size() - 1).time());
                assertThat(piece).allMatch(m -> m.outcome() == Outcome.PASS);
                double[] latency = piece.stream().mapToDouble(m -> ((Duration) m.values().get("latency")).toNanos() / 1e6).toArray();
                PassRun.ValueRange l = r.values().get("latency");
                assertThat(l.count()).isEqualTo(piece.size());
                assertThat(l.unit()).isEqualTo("ms");
                assertThat(l.min()).isEqualTo(java.util.Arrays.stream(latency).min().orElseThrow());
                assertThat(l.max()).isEqualTo(java.util.Arrays.stream(latency).max().orElseThrow());
                assertThat(l.mean()).isCloseTo(java.util.Arrays.stream(latency).average().orElseThrow(),
                        org.assertj.core.data.Offset.offset(1e-9));
                assertThat(r.values().get("status")).isEqualTo(new PassRun.ValueRange(200, 200, 200, piece.size(), ""));
                assertThat(r.values()).doesNotContainKey("body");
                at += r.count();
            }
        }
        assertThat(run).isEqualTo(snapshot.passRuns().size());
    }

    private static boolean keptByRule(List<Measurement> taken, int i) {
        if (i == 0 || i == taken.size() - 1) {
            return true;
        }
        for (int j = Math.max(0, i - MeasurementLog.CONTEXT); j <= Math.min(taken.size() - 1, i + MeasurementLog.CONTEXT); j++) {
            if (taken.get(j).outcome() != Outcome.PASS) {
                return true;
            }
        }
        return false;
    }

    private static List<Measurement> history(int n, double nonPassRate, SplittableRandom random) {
        List<Measurement> out = new ArrayList<>(n);
        Outcome[] others = {Outcome.FAIL, Outcome.ERROR, Outcome.INCONCLUSIVE};
        for (int i = 0; i < n; i++) {
            Outcome outcome = random.nextDouble() < nonPassRate ? others[random.nextInt(3)] : Outcome.PASS;
            Duration latency = Duration.ofNanos(5_000_000L + random.nextInt(50_000_000));
            ProbeResult result = ProbeResult.of(outcome, Map.of("status", outcome == Outcome.FAIL ? 503 : 200,
                    "latency", latency, "body", "UP"), outcome.name());
            out.add(result.completed("p", i + 1, T0.plusSeconds(10L * i), 1, latency));
        }
        return out;
    }
}
