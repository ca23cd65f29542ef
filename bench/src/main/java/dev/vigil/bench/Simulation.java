package dev.vigil.bench;

import dev.vigil.analysis.BaselineHistory;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryDecision;
import dev.vigil.analysis.CanaryJudge;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.CanaryRound;
import dev.vigil.analysis.Direction;
import dev.vigil.analysis.SlowerThan;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.PercentileHistogramBuckets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.DiscreteDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.PoissonDistribution;

/**
 * Simulates canary deployments round by round in virtual time and runs the judges side by side on
 * the same data: a fixed threshold with consecutive failures (Flagger's style), Vigil's
 * fixed-horizon Mann-Whitney judge (Kayenta's style), Vigil's sequential judge (by default, and with
 * independent instances), and the SPRT that knows the true effect (the theoretical best). Error
 * scenarios also come overdispersed ({@link Stream}: bursts, negative-binomial counts, drifting
 * rates), where the count test as it was before it learnt the dispersion and the mean test on
 * per-round rates run beside them.
 */
final class Simulation {

    static final int ROUND_SECONDS = 10;
    static final int MAX_ROUNDS = 180;
    static final double[] CONFIDENCES = {0.95, 0.99};
    /**
     * Fixed horizons tried for Mann-Whitney, in rounds (10 s to 30 min). With one value per version and
     * round, 4 is the fewest with an exact p below 0.05; with each instance's value, 2 rounds may do.
     */
    static final int[] HORIZONS = {1, 2, 3, 4, 5, 6, 9, 12, 18, 30, 60, 90, 180};
    /** How often the naive, repeatedly checked Mann-Whitney test looks on healthy runs: every minute. */
    static final int REPEATED_EVERY = 6;
    /** Healthy runs (the first ones of each scenario) on which the repeated test is tried: it is slow. */
    static final int REPEATED_RUNS = 500;
    /** The horizon shown for Mann-Whitney on healthy runs. */
    static final int HEALTHY_HORIZON = 30;
    /** Mann-Whitney is "at equal power" when its detection rate is at most this far below the sequential judge's. */
    static final double POWER_SLACK = 0.02;

    static final double ERROR_RATE = 0.005;
    static final double LATENCY_MS = 120;
    /** Coefficient of variation of single-request latency: a log-normal with sigma 0.5. */
    static final double LATENCY_CV = Math.sqrt(Math.exp(0.25) - 1);
    /** Instances of each version; the version's traffic is split evenly between them. */
    static final int INSTANCES = 3;
    /** Round-to-round wobble of each version's mean latency on top of sampling noise (instances differ, GC, caches). */
    static final double VERSION_JITTER = 0.03;
    /** The same wobble per instance: independent between instances, it averages to {@link #VERSION_JITTER} per version. */
    static final double INSTANCE_JITTER = VERSION_JITTER * Math.sqrt(INSTANCES);
    /** Round-to-round change shared by both versions (traffic mix). */
    static final double COMMON_JITTER = 0.02;
    static final int THRESHOLD_CONSECUTIVE = 5;
    static final double THRESHOLD_ERROR_RATE = 2 * ERROR_RATE;
    static final double THRESHOLD_LATENCY = 1.2 * LATENCY_MS;
    static final int SEQUENTIAL_MIN_SAMPLES = 20;
    /**
     * The baseline's rounds before the canary that the judges learn from in the "past" columns: 30
     * minutes, with all the traffic (twice a version's during the bake).
     */
    static final int PAST_ROUNDS = 180;
    /** Shape of the log-normal latency of one request ({@link #LATENCY_CV} follows from it). */
    static final double LATENCY_SIGMA = 0.5;
    /**
     * Issue 23: the bucket bounds of a Spring Boot timer with {@code percentiles-histogram} on, in
     * seconds: Micrometer's percentile-histogram buckets between the timer's default minimum (1 ms)
     * and maximum (30 s) expected values, then {@code +Inf}.
     */
    static final double[] HISTOGRAM_BOUNDS = springBootBounds();
    /**
     * Pauses (a garbage collection, a stalled dependency) per instance and round, in the scenarios
     * with pauses: Poisson with this mean, independent between instances and versions.
     */
    static final double PAUSES_PER_ROUND = 0.5;
    /** The latency of a request held up by a pause: beyond the 99th percentile (about 385 ms) and the 250 ms band. */
    static final double PAUSED_LATENCY_MS = 600;
    /** The histogram judges of issue 23 run in the simulation: the shift test and the share test at three bands. */
    static final List<SlowerThan> SHARE_TESTS = List.of(SlowerThan.quantile(0.9), SlowerThan.quantile(0.99),
            SlowerThan.latency(Duration.ofMillis(250)));

    enum Metric { ERRORS, LATENCY }

    /**
     * One kind of deployment.
     *
     * @param sharedWobble latency only: whether a version's instances share its round-to-round
     *     wobble (the assumption of independent instances broken) instead of each having its own
     * @param longestPause latency only (issue 25's check of the histogram judges), in seconds, 0 for
     *     none: pauses of each instance up to this long hold up the requests that arrive during them,
     *     which all finish slow ({@link #pause})
     */
    record Scenario(int index, Metric metric, int rps, double effect, int runs, boolean sharedWobble, Stream stream,
            double longestPause) {
        Scenario(int index, Metric metric, int rps, double effect, int runs, boolean sharedWobble) {
            this(index, metric, rps, effect, runs, sharedWobble, Stream.POISSON);
        }

        Scenario(int index, Metric metric, int rps, double effect, int runs, boolean sharedWobble, Stream stream) {
            this(index, metric, rps, effect, runs, sharedWobble, stream, 0);
        }

        boolean healthy() {
            return effect == 1.0;
        }

        String label() {
            String size = metric == Metric.ERRORS
                    ? (healthy() ? "errors, healthy" : "errors x" + trim(effect))
                    : (healthy() ? "latency, healthy" : "latency +" + Math.round((effect - 1) * 100) + "%");
            String traffic = stream.fleet() > 0 ? "fleet of " + stream.fleet() + " instances, "
                    + trim(100 * stream.errorRate()) + "% failing" : rps + " req/s";
            return size + (sharedWobble ? ", instances share the wobble" : "") + stream.label()
                    + (pauses() ? ", pauses of up to " + trim(longestPause) + " s" : "") + ", " + traffic;
        }

        boolean pauses() {
            return longestPause > 0;
        }

        boolean overdispersed() {
            return stream != Stream.POISSON;
        }

        /** The effect the SPRT is built for: the true one, or the smallest regression on healthy runs. */
        double sprtEffect() {
            return healthy() ? (metric == Metric.ERRORS ? 1.5 : 1.10) : effect;
        }
    }

    /**
     * How a version's errors arrive in a round (issue 25). {@code largestBurst > 1}: in bursts whose
     * size is uniform in {@code 1..largestBurst}, each burst wholly in one version (a client's retries,
     * one bad user); {@code negativeBinomial > 1}: negative-binomial counts with that variance-to-mean
     * ratio (a gamma-mixed Poisson, independent between versions); {@code drift}: the error rate of
     * both versions swings by +-80% over the bake (a sine with a 10-minute period);
     * {@code fleet > 0}: the HTTP fleet's errors metric, one request per instance and round.
     */
    record Stream(int largestBurst, double negativeBinomial, boolean drift, double errorRate, int fleet, boolean calmPast) {
        static final Stream POISSON = new Stream(1, 0, false, ERROR_RATE, 0);

        Stream(int largestBurst, double negativeBinomial, boolean drift, double errorRate, int fleet) {
            this(largestBurst, negativeBinomial, drift, errorRate, fleet, false);
        }

        /** The same stream in the bake, but Poisson errors in the baseline's past: a past that misleads. */
        Stream withCalmPast() {
            return new Stream(largestBurst, negativeBinomial, drift, errorRate, fleet, true);
        }

        static Stream bursts(int largest) {
            return new Stream(largest, 0, false, ERROR_RATE, 0);
        }

        String label() {
            if (this == POISSON) {
                return "";
            }
            String kind = largestBurst > 1 ? ", bursts of 1-" + largestBurst
                    : negativeBinomial > 1 ? ", negative binomial (variance " + trim(negativeBinomial) + " x mean)" : "";
            return kind + (drift ? ", drifting rate" : "") + (calmPast ? ", Poisson before the canary" : "");
        }

        double meanBurst() {
            return (1 + largestBurst) / 2.0;
        }

        /** The rate this round, drift included. */
        double rate(int round) {
            return errorRate * (drift ? 1 + 0.8 * Math.sin(2 * Math.PI * round / 60) : 1);
        }

        long draw(UniformRandomProvider rng, double mean) {
            if (largestBurst > 1) {
                long bursts = poisson(rng, mean / meanBurst());
                long errors = 0;
                for (long i = 0; i < bursts; i++) {
                    errors += 1 + rng.nextInt(largestBurst);
                }
                return errors;
            }
            if (negativeBinomial > 1 && mean > 0) {
                double shape = mean / (negativeBinomial - 1);
                return poisson(rng, GammaDistribution.of(shape, mean / shape).createSampler(rng).sample());
            }
            return poisson(rng, mean);
        }
    }

    /** Detections of one judge in one scenario. */
    static final class Tally {
        final int runs;
        final int[] rounds;
        int detected;

        Tally(int runs) {
            this.runs = runs;
            this.rounds = new int[runs];
        }

        synchronized void add(int round) {
            if (round > 0) {
                rounds[detected++] = round;
            }
        }

        double rate() {
            return (double) detected / runs;
        }

        double median() {
            return Stats.quantile(rounds, detected, 0.5);
        }

        double p90() {
            return Stats.quantile(rounds, detected, 0.9);
        }

        /** The share of all runs detected within {@code round} rounds. */
        double shareWithin(int round) {
            return (double) countWithin(round) / runs;
        }

        /** The runs detected within {@code round} rounds. */
        int countWithin(int round) {
            return (int) Arrays.stream(rounds, 0, detected).filter(r -> r <= round).count();
        }
    }

    static final class Result {
        final Scenario scenario;
        final Tally threshold;
        final Tally[] sequential = new Tally[CONFIDENCES.length];
        /** The sequential judge told that instances are independent: it uses the spread between them. */
        final Tally[] independent = new Tally[CONFIDENCES.length];
        final Tally[] sprt = new Tally[CONFIDENCES.length];
        final Tally[][] mannWhitney = new Tally[CONFIDENCES.length][HORIZONS.length];
        /** Mann-Whitney on each instance's value instead of each version's mean (latency only). */
        final Tally[][] mannWhitneyInstances = new Tally[CONFIDENCES.length][HORIZONS.length];
        /** Mann-Whitney checked every minute (healthy runs only): what peeking does to a fixed-horizon test. */
        final Tally[] repeated = new Tally[CONFIDENCES.length];
        /** Errors only: the count test as it was before issue 25 (dispersion 1), on the same rounds. */
        final Tally[] poissonCountTest = new Tally[CONFIDENCES.length];
        /** Errors only: the sequential mean test fed each version's error rate per round as its one value. */
        final Tally[] meanOnRates = new Tally[CONFIDENCES.length];
        /** Latency only (issue 23): the histogram judge's shift test on each round's bucket counts. */
        final Tally[] shift = new Tally[CONFIDENCES.length];
        /**
         * Latency only, healthy runs (issue 23): the shift test's log-rank mixture without the wobble,
         * every request counted as independent evidence: what a per-request multinomial test does.
         */
        final Tally[] independentRequests = new Tally[CONFIDENCES.length];
        /** Latency only (issue 23): the share test, one per {@link #SHARE_TESTS}. */
        final Tally[][] share = new Tally[CONFIDENCES.length][SHARE_TESTS.size()];
        /** The sequential judge learning from the baseline's past rounds ({@link #PAST_ROUNDS}): errors. */
        final Tally[] learned = new Tally[CONFIDENCES.length];
        /** The same for the histogram judges: the shift test, then the share tests. */
        final Tally[][] learnedHistogram = new Tally[CONFIDENCES.length][1 + SHARE_TESTS.size()];

        Result(Scenario scenario) {
            this.scenario = scenario;
            this.threshold = new Tally(scenario.runs());
            for (int c = 0; c < CONFIDENCES.length; c++) {
                sequential[c] = new Tally(scenario.runs());
                independent[c] = new Tally(scenario.runs());
                sprt[c] = new Tally(scenario.runs());
                repeated[c] = new Tally(Math.min(scenario.runs(), REPEATED_RUNS));
                poissonCountTest[c] = new Tally(scenario.runs());
                meanOnRates[c] = new Tally(scenario.runs());
                shift[c] = new Tally(scenario.runs());
                independentRequests[c] = new Tally(scenario.runs());
                for (int k = 0; k < SHARE_TESTS.size(); k++) {
                    share[c][k] = new Tally(scenario.runs());
                }
                learned[c] = new Tally(scenario.runs());
                for (int k = 0; k <= SHARE_TESTS.size(); k++) {
                    learnedHistogram[c][k] = new Tally(scenario.runs());
                }
                for (int h = 0; h < HORIZONS.length; h++) {
                    mannWhitney[c][h] = new Tally(scenario.runs());
                    mannWhitneyInstances[c][h] = new Tally(scenario.runs());
                }
            }
        }

        /**
         * The smallest horizon whose power is within {@link #POWER_SLACK} of this sequential judge's,
         * else the longest.
         */
        int matchedHorizon(int c, Tally sequential) {
            return matched(mannWhitney[c], sequential);
        }

        /** {@link #matchedHorizon} for Mann-Whitney on each instance's value. */
        int matchedInstanceHorizon(int c, Tally sequential) {
            return matched(mannWhitneyInstances[c], sequential);
        }

        private static int matched(Tally[] byHorizon, Tally sequential) {
            double target = sequential.rate() - POWER_SLACK;
            for (int h = 0; h < HORIZONS.length; h++) {
                if (byHorizon[h].rate() >= target) {
                    return h;
                }
            }
            return HORIZONS.length - 1;
        }
    }

    private final int healthyRuns;
    private final int regressionRuns;
    private final long seed;
    /** Only the scenarios of this metric, or all with {@code null}; scenarios keep their index and seeds. */
    private final Metric only;

    Simulation(int healthyRuns, int regressionRuns, long seed) {
        this(healthyRuns, regressionRuns, seed, null);
    }

    Simulation(int healthyRuns, int regressionRuns, long seed, Metric only) {
        this.healthyRuns = healthyRuns;
        this.regressionRuns = regressionRuns;
        this.seed = seed;
        this.only = only;
    }

    List<Scenario> scenarios() {
        List<Scenario> list = new ArrayList<>();
        int index = 0;
        for (int rps : new int[] {50, 500}) {
            for (double effect : new double[] {1.0, 1.5, 2.0, 5.0}) {
                list.add(new Scenario(index++, Metric.ERRORS, rps, effect, effect == 1.0 ? healthyRuns : regressionRuns, false));
            }
            for (double effect : new double[] {1.0, 1.05, 1.10, 1.25}) {
                list.add(new Scenario(index++, Metric.LATENCY, rps, effect, effect == 1.0 ? healthyRuns : regressionRuns, false));
            }
        }
        // Last, so that the other scenarios keep their seeds.
        for (int rps : new int[] {50, 500}) {
            list.add(new Scenario(index++, Metric.LATENCY, rps, 1.0, healthyRuns, true));
        }
        // Issue 25: overdispersed error streams, healthy and regressed.
        for (Stream stream : List.of(Stream.bursts(2), Stream.bursts(3), Stream.bursts(5), Stream.bursts(20),
                new Stream(1, 4, false, ERROR_RATE, 0), new Stream(1, 4, true, ERROR_RATE, 0),
                new Stream(5, 0, true, ERROR_RATE, 0))) {
            list.add(new Scenario(index++, Metric.ERRORS, 50, 1.0, healthyRuns, false, stream));
        }
        for (Stream stream : List.of(Stream.bursts(5), Stream.bursts(20), new Stream(1, 4, false, ERROR_RATE, 0))) {
            list.add(new Scenario(index++, Metric.ERRORS, 500, 1.0, healthyRuns, false, stream));
        }
        list.add(new Scenario(index++, Metric.ERRORS, 0, 1.0, healthyRuns, false, new Stream(5, 0, false, 0.02, 20)));
        for (int rps : new int[] {50, 500}) {
            for (double effect : new double[] {1.5, 2.0, 5.0}) {
                list.add(new Scenario(index++, Metric.ERRORS, rps, effect, regressionRuns, false, Stream.bursts(5)));
            }
        }
        // The baseline's past misleads: Poisson before the canary, bursts during the bake.
        for (int rps : new int[] {50, 500}) {
            list.add(new Scenario(index++, Metric.ERRORS, rps, 1.0, healthyRuns, false, Stream.bursts(5).withCalmPast()));
        }
        // Issue 25's check of the histogram judges: slow requests in bursts, the same for both versions.
        for (double longest : new double[] {0.4, 2}) {
            for (int rps : new int[] {50, 500}) {
                list.add(new Scenario(index++, Metric.LATENCY, rps, 1.0, healthyRuns, false, Stream.POISSON, longest));
            }
        }
        return list;
    }

    String run() {
        long started = System.nanoTime();
        List<Scenario> all = scenarios();
        List<Scenario> scenarios = all.stream().filter(s -> only == null || s.metric() == only).toList();
        Result[] results = new Result[all.size()];
        for (Scenario s : scenarios) {
            results[s.index()] = new Result(s);
        }
        // Each run has its own seed, so the numbers do not depend on the threads' interleaving.
        scenarios.stream().flatMap(s -> IntStream.range(0, s.runs()).mapToObj(run -> new int[] {s.index(), run}))
                .parallel().forEach(job -> {
                    Scenario s = all.get(job[0]);
                    simulate(s, job[1], runSeed(s, job[1]), results[s.index()]);
                });
        double elapsed = (System.nanoTime() - started) / 1e9;
        return new Report(seed, healthyRuns, regressionRuns, elapsed)
                .render(Arrays.stream(results).filter(java.util.Objects::nonNull).toList());
    }

    long runSeed(Scenario s, int run) {
        return seed * 1_000_003L + s.index() * 10_000_000L + run;
    }

    private static void simulate(Scenario s, int run, long runSeed, Result result) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(runSeed);
        ContinuousDistribution.Sampler normal = NormalDistribution.of(0, 1).createSampler(rng);
        DiscreteDistribution.Sampler requests = PoissonDistribution.of(Math.max(1, s.rps()) * (double) ROUND_SECONDS).createSampler(rng);
        int n = MAX_ROUNDS;
        long[] canaryRequests = new long[n];
        long[] baselineRequests = new long[n];
        long[] canaryErrors = new long[n];
        long[] baselineErrors = new long[n];
        double[] canaryValue = new double[n];
        double[] baselineValue = new double[n];
        double[][] canaryInstances = new double[n][];
        double[][] baselineInstances = new double[n][];
        DiscreteDistribution.Sampler instanceRequests =
                PoissonDistribution.of(Math.max(1, s.rps()) * (double) ROUND_SECONDS / INSTANCES).createSampler(rng);
        Stream stream = s.stream();
        CanaryRound.Histogram[] histograms = new CanaryRound.Histogram[n];
        // The bucket counts are drawn from a stream of their own, so that every other judge sees the
        // same numbers as before issue 23; they share each instance's wobbling mean latency.
        UniformRandomProvider histogramRng = RandomSource.XO_RO_SHI_RO_128_PP.create(runSeed ^ 0x5DEECE66DL);
        double[] canaryLevels = new double[INSTANCES];
        double[] baselineLevels = new double[INSTANCES];
        for (int r = 0; r < n; r++) {
            canaryRequests[r] = stream.fleet() > 0 ? stream.fleet() : requests.sample();
            baselineRequests[r] = stream.fleet() > 0 ? stream.fleet() : requests.sample();
            if (s.metric() == Metric.ERRORS) {
                double rate = stream.rate(r);
                canaryErrors[r] = Math.min(canaryRequests[r], stream.draw(rng, canaryRequests[r] * rate * s.effect()));
                baselineErrors[r] = Math.min(baselineRequests[r], stream.draw(rng, baselineRequests[r] * rate));
                canaryValue[r] = (double) canaryErrors[r] / canaryRequests[r];
                baselineValue[r] = (double) baselineErrors[r] / baselineRequests[r];
            } else {
                double common = 1 + COMMON_JITTER * normal.sample();
                canaryInstances[r] = instanceMeans(normal, instanceRequests, LATENCY_MS * s.effect() * common, s.sharedWobble(),
                        canaryLevels);
                baselineInstances[r] = instanceMeans(normal, instanceRequests, LATENCY_MS * common, s.sharedWobble(),
                        baselineLevels);
                double perInstance = Math.max(1, s.rps()) * (double) ROUND_SECONDS / INSTANCES;
                long[] canaryBands = bucketCounts(histogramRng, canaryLevels, perInstance);
                long[] baselineBands = bucketCounts(histogramRng, baselineLevels, perInstance);
                if (s.pauses()) {
                    pause(histogramRng, canaryBands, canaryInstances[r], s.rps(), s.longestPause(), perInstance);
                    pause(histogramRng, baselineBands, baselineInstances[r], s.rps(), s.longestPause(), perInstance);
                }
                histograms[r] = CanaryRound.histogram(HISTOGRAM_BOUNDS, canaryBands, baselineBands);
                canaryValue[r] = mean(canaryInstances[r]);
                baselineValue[r] = mean(baselineInstances[r]);
            }
        }

        BaselineHistory past = past(s, runSeed);
        result.threshold.add(threshold(s, canaryValue));
        for (int c = 0; c < CONFIDENCES.length; c++) {
            double confidence = CONFIDENCES[c];
            CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, confidence, SEQUENTIAL_MIN_SAMPLES);
            result.sequential[c].add(sequential(s, analysis, canaryRequests, canaryErrors, baselineRequests,
                    baselineErrors, canaryInstances, baselineInstances));
            result.independent[c].add(sequential(s, analysis.withIndependentInstances(true), canaryRequests,
                    canaryErrors, baselineRequests, baselineErrors, canaryInstances, baselineInstances));
            result.sprt[c].add(sprt(s, confidence, canaryRequests, canaryErrors, baselineRequests, baselineErrors,
                    canaryValue, baselineValue));
            for (int h = 0; h < HORIZONS.length; h++) {
                int horizon = HORIZONS[h];
                result.mannWhitney[c][h].add(mannWhitney(confidence, horizon, Arrays.copyOf(canaryValue, horizon),
                        Arrays.copyOf(baselineValue, horizon)));
                if (s.metric() == Metric.LATENCY) {
                    result.mannWhitneyInstances[c][h].add(mannWhitney(confidence, horizon,
                            flatten(canaryInstances, horizon), flatten(baselineInstances, horizon)));
                }
            }
            if (s.metric() == Metric.ERRORS) {
                result.learned[c].add(sequential(s, analysis, past, canaryRequests, canaryErrors, baselineRequests,
                        baselineErrors, canaryInstances, baselineInstances));
            }
            if (s.metric() == Metric.LATENCY) {
                result.learnedHistogram[c][0].add(histogramJudge(analysis, histograms, past));
                for (int k = 0; k < SHARE_TESTS.size(); k++) {
                    result.learnedHistogram[c][k + 1].add(histogramJudge(analysis.withSlowerThan(SHARE_TESTS.get(k)),
                            histograms, past));
                }
                result.shift[c].add(histogramJudge(analysis, histograms));
                if (s.healthy()) {
                    result.independentRequests[c].add(independentRequests(confidence, histograms));
                }
                for (int k = 0; k < SHARE_TESTS.size(); k++) {
                    result.share[c][k].add(histogramJudge(analysis.withSlowerThan(SHARE_TESTS.get(k)), histograms));
                }
            }
            if (s.healthy() && run < REPEATED_RUNS) {
                result.repeated[c].add(repeatedMannWhitney(confidence, canaryValue, baselineValue));
            }
            if (s.metric() == Metric.ERRORS) {
                result.poissonCountTest[c].add(poissonCountTest(confidence, canaryRequests, canaryErrors,
                        baselineRequests, baselineErrors));
                if (s.healthy()) {
                    // Healthy rows only: whether it keeps its bound (the mean test's integral is the slow part).
                    result.meanOnRates[c].add(meanOnRates(analysis, canaryValue, baselineValue));
                }
            }
        }
    }

    /**
     * The baseline's {@link #PAST_ROUNDS} rounds before the canary, from a random stream of their own
     * (every other judge sees the same numbers as without them): all the traffic, twice a version's
     * during the bake, with the scenario's error stream (its drift goes on into the bake) or, for a
     * {@link Stream#withCalmPast() calm past}, Poisson errors; for latency each round's requests per
     * band with the baseline's instances wobbling as in the bake. The fleet of HTTP instances has no
     * past (the probe asks the instances, not Prometheus).
     */
    private static BaselineHistory past(Scenario s, long runSeed) {
        Stream stream = s.stream();
        if (stream.fleet() > 0) {
            return BaselineHistory.none();
        }
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(runSeed ^ 0x2545F4914F6CDD1DL);
        double traffic = 2.0 * s.rps() * ROUND_SECONDS;
        DiscreteDistribution.Sampler requests = PoissonDistribution.of(traffic).createSampler(rng);
        if (s.metric() == Metric.ERRORS) {
            long[] errors = new long[PAST_ROUNDS];
            long[] trials = new long[PAST_ROUNDS];
            for (int r = 0; r < PAST_ROUNDS; r++) {
                trials[r] = requests.sample();
                double mean = trials[r] * stream.rate(r - PAST_ROUNDS);
                errors[r] = Math.min(trials[r], stream.calmPast() ? poisson(rng, mean) : stream.draw(rng, mean));
            }
            return BaselineHistory.ofCounts(errors, trials, "the baseline's last 30m");
        }
        ContinuousDistribution.Sampler normal = NormalDistribution.of(0, 1).createSampler(rng);
        DiscreteDistribution.Sampler instanceRequests = PoissonDistribution.of(traffic / INSTANCES).createSampler(rng);
        double[] levels = new double[INSTANCES];
        List<long[]> rounds = new ArrayList<>();
        for (int r = 0; r < PAST_ROUNDS; r++) {
            double common = 1 + COMMON_JITTER * normal.sample();
            double[] means = instanceMeans(normal, instanceRequests, LATENCY_MS * common, s.sharedWobble(), levels);
            long[] bands = bucketCounts(rng, levels, traffic / INSTANCES);
            if (s.pauses()) {
                pause(rng, bands, means, 2 * s.rps(), s.longestPause(), traffic / INSTANCES);
            }
            rounds.add(bands);
        }
        return BaselineHistory.ofHistograms(HISTOGRAM_BOUNDS, rounds, "the baseline's last 30m");
    }

    /** {@code horizon} when one Mann-Whitney test over all these values (the horizon's) finds a regression, else 0. */
    private static int mannWhitney(double confidence, int horizon, double[] canary, double[] baseline) {
        return mannWhitneyRejects(confidence, canary, baseline) ? horizon : 0;
    }

    /**
     * Whether Vigil's {@code mann-whitney} judge, given all these values at once (each its own
     * observation, not an instance of one round), finds a regression at a level a hair
     * ({@link #LEVEL_NUDGE}) above {@code 1 - confidence}. The judge itself needs its p-value below
     * {@code 1 - confidence}; counting a p-value equal to it too favours Mann-Whitney where it
     * matters: with 3 values per version the smallest one-sided p-value is 1/20, exactly
     * {@code 1 - 0.95}, so the test can decide after 3 rounds at 0.95.
     */
    private static boolean mannWhitneyRejects(double confidence, double[] canary, double[] baseline) {
        CanaryJudge judge = CanaryJudges.mannWhitney(Direction.INCREASE, 0, confidence - LEVEL_NUDGE, canary.length)
                .withIndependentInstances(true).newJudge();
        return judge.observe(CanaryRound.samples(canary, baseline)).decision() == CanaryDecision.REGRESSION;
    }

    /** How far the level Mann-Whitney is given lies above {@code 1 - confidence}: a p-value equal to it is a rejection. */
    static final double LEVEL_NUDGE = 1e-12;

    /** The values of the first {@code rounds} rounds, one after the other. */
    private static double[] flatten(double[][] values, int rounds) {
        return Arrays.stream(values, 0, rounds).flatMapToDouble(Arrays::stream).toArray();
    }

    private static int repeatedMannWhitney(double confidence, double[] canaryValue, double[] baselineValue) {
        for (int k = REPEATED_EVERY; k <= MAX_ROUNDS; k += REPEATED_EVERY) {
            if (mannWhitneyRejects(confidence, Arrays.copyOf(canaryValue, k), Arrays.copyOf(baselineValue, k))) {
                return k;
            }
        }
        return 0;
    }

    /**
     * Each instance's mean latency over a round: the version's true mean, wobbling independently on
     * each instance (or, with {@code shared}, by the same amount on all of them, as much as the
     * version's mean wobbles otherwise), plus the sampling error of the mean of that instance's
     * requests.
     */
    private static double[] instanceMeans(ContinuousDistribution.Sampler normal, DiscreteDistribution.Sampler requests,
            double mean, boolean shared, double[] levels) {
        double[] values = new double[INSTANCES];
        double versionWobble = shared ? VERSION_JITTER * normal.sample() : 0;
        for (int i = 0; i < INSTANCES; i++) {
            double wobbling = mean * (1 + (shared ? versionWobble : INSTANCE_JITTER * normal.sample()));
            levels[i] = wobbling;
            values[i] = wobbling + mean * LATENCY_CV / Math.sqrt(Math.max(1, requests.sample())) * normal.sample();
        }
        return values;
    }

    /**
     * One version's pauses in a round: each instance pauses Poisson-many times
     * ({@link #PAUSES_PER_ROUND}), each pause holding up the requests that arrive at that instance
     * during it, uniform in {@code 1..} its requests per second times {@code longest} seconds
     * (for 0.4 s: 1-7 at 50 requests/s per version, 1-67 at 500; for 2 s, 1-33 and 1-333), which then all finish at
     * {@link #PAUSED_LATENCY_MS}: that many of the version's requests, drawn from the round's bands
     * in proportion to their counts, move to the band of that latency, and the instance's mean
     * latency (which the judges on means see) rises by their added latency over its requests.
     */
    static void pause(UniformRandomProvider rng, long[] bands, double[] instanceMeans, int rps, double longest,
            double perInstance) {
        int largest = Math.max(1, (int) Math.round(rps / (double) instanceMeans.length * longest));
        int slow = bandOf(PAUSED_LATENCY_MS / 1000);
        long[] below = new long[bands.length + 1];
        for (int instance = 0; instance < instanceMeans.length; instance++) {
            long pauses = poisson(rng, PAUSES_PER_ROUND);
            for (long p = 0; p < pauses; p++) {
                for (int j = 0; j < bands.length; j++) {
                    below[j + 1] = below[j] + bands[j];
                }
                if (below[bands.length] == 0) {
                    return;
                }
                int held = 1 + rng.nextInt(largest);
                double added = 0;
                for (int i = 0; i < held; i++) {
                    int band = bandAt(below, rng.nextLong(below[bands.length]));
                    if (bands[band] > 0 && band != slow) {
                        bands[band]--;
                        bands[slow]++;
                        added += PAUSED_LATENCY_MS - LATENCY_MS;
                    }
                }
                instanceMeans[instance] += added / perInstance;
            }
        }
    }

    /** The band {@code j} with {@code below[j] <= pick < below[j + 1]}, {@code below} the bands' running totals from 0. */
    private static int bandAt(long[] below, long pick) {
        int lo = 0;
        int hi = below.length - 2;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (below[mid + 1] > pick) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The band of {@link #HISTOGRAM_BOUNDS} a latency in seconds falls in: the first bound at or above it. */
    static int bandOf(double seconds) {
        for (int j = 0; j < HISTOGRAM_BOUNDS.length; j++) {
            if (seconds <= HISTOGRAM_BOUNDS[j]) {
                return j;
            }
        }
        return HISTOGRAM_BOUNDS.length - 1;
    }

    /**
     * Issue 23: a version's requests of one round counted per band of {@link #HISTOGRAM_BOUNDS}. Each
     * instance serves Poisson-many requests ({@code perInstance} on average) whose latency is
     * log-normal with shape {@link #LATENCY_SIGMA} around that instance's wobbling mean this round,
     * so each band's count is Poisson with the band's share of them.
     */
    static long[] bucketCounts(UniformRandomProvider rng, double[] levels, double perInstance) {
        long[] counts = new long[HISTOGRAM_BOUNDS.length];
        for (double level : levels) {
            double logMedian = Math.log(level) - LATENCY_SIGMA * LATENCY_SIGMA / 2;
            double below = 0;
            for (int j = 0; j < HISTOGRAM_BOUNDS.length; j++) {
                double upTo = j == HISTOGRAM_BOUNDS.length - 1 ? 1
                        : STANDARD.cumulativeProbability((Math.log(HISTOGRAM_BOUNDS[j] * 1000) - logMedian) / LATENCY_SIGMA);
                counts[j] += smallPoisson(rng, perInstance * (upTo - below));
                below = upTo;
            }
        }
        return counts;
    }

    private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

    /** A Poisson draw; by inversion for small means (most bands), which costs no sampler. */
    private static long smallPoisson(UniformRandomProvider rng, double mean) {
        if (mean < 1e-9) {
            return 0;
        }
        if (mean > 30) {
            return poisson(rng, mean);
        }
        double u = rng.nextDouble();
        double p = Math.exp(-mean);
        double cumulative = p;
        long k = 0;
        while (u > cumulative && k < 1000) {
            k++;
            p *= mean / k;
            cumulative += p;
        }
        return k;
    }

    private static int histogramJudge(CanaryAnalysis analysis, CanaryRound.Histogram[] histograms) {
        return histogramJudge(analysis, histograms, BaselineHistory.none());
    }

    private static int histogramJudge(CanaryAnalysis analysis, CanaryRound.Histogram[] histograms, BaselineHistory past) {
        CanaryJudge judge = analysis.newJudge(past);
        for (int r = 0; r < MAX_ROUNDS; r++) {
            if (judge.observe(histograms[r]).decision() == CanaryDecision.REGRESSION) {
                return r + 1;
            }
        }
        return 0;
    }

    /**
     * The shift test's mixture over the same grid with no wobble ({@code tau = 0}): each round's
     * log-rank estimate with its sampling variance {@code 1 / V} only, as if every request were an
     * independent draw (the assumption of a per-request multinomial likelihood).
     */
    private static int independentRequests(double confidence, CanaryRound.Histogram[] histograms) {
        double bound = Math.log(1 / (1 - confidence));
        double sumU = 0;
        double sumV = 0;
        for (int r = 0; r < MAX_ROUNDS; r++) {
            long[] c = histograms[r].canary();
            long[] b = histograms[r].baseline();
            double atRiskC = Arrays.stream(c).sum();
            double atRiskB = Arrays.stream(b).sum();
            for (int j = 0; j < c.length - 1; j++) {
                double d = c[j] + b[j];
                double n = atRiskC + atRiskB;
                if (d > 0 && atRiskC > 0 && atRiskB > 0 && n > 1) {
                    sumU += d * atRiskC / n - c[j];
                    sumV += d * (atRiskC / n) * (atRiskB / n) * (n - d) / (n - 1);
                }
                atRiskC -= c[j];
                atRiskB -= b[j];
            }
            double max = Double.NEGATIVE_INFINITY;
            double[] logs = new double[11];
            for (int k = 0; k < logs.length; k++) {
                double beta = 0.05 * Math.pow(2, k / 2.0);
                logs[k] = beta * sumU - beta * beta / 2 * sumV;
                max = Math.max(max, logs[k]);
            }
            double sum = 0;
            for (double l : logs) {
                sum += Math.exp(l - max);
            }
            if (max + Math.log(sum / logs.length) >= bound) {
                return r + 1;
            }
        }
        return 0;
    }

    /** Micrometer's percentile-histogram buckets from 1 ms to 30 s (a Spring Boot timer's defaults), in seconds, and +Inf. */
    private static double[] springBootBounds() {
        DistributionStatisticConfig config = DistributionStatisticConfig.builder().percentilesHistogram(true)
                .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos()).build();
        double[] nanos = PercentileHistogramBuckets.buckets(config).stream().mapToDouble(Double::doubleValue).toArray();
        double[] seconds = new double[nanos.length + 1];
        for (int i = 0; i < nanos.length; i++) {
            seconds[i] = nanos[i] / 1e9;
        }
        seconds[nanos.length] = Double.POSITIVE_INFINITY;
        return seconds;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static int threshold(Scenario s, double[] canaryValue) {
        double limit = s.metric() == Metric.ERRORS ? 2 * s.stream().errorRate() : THRESHOLD_LATENCY;
        int consecutive = 0;
        for (int r = 0; r < canaryValue.length; r++) {
            consecutive = canaryValue[r] > limit ? consecutive + 1 : 0;
            if (consecutive >= THRESHOLD_CONSECUTIVE) {
                return r + 1;
            }
        }
        return 0;
    }

    private static int sequential(Scenario s, CanaryAnalysis analysis, long[] cReq, long[] cErr, long[] bReq,
            long[] bErr, double[][] cValues, double[][] bValues) {
        return sequential(s, analysis, BaselineHistory.none(), cReq, cErr, bReq, bErr, cValues, bValues);
    }

    private static int sequential(Scenario s, CanaryAnalysis analysis, BaselineHistory past, long[] cReq, long[] cErr,
            long[] bReq, long[] bErr, double[][] cValues, double[][] bValues) {
        CanaryJudge judge = analysis.newJudge(past);
        for (int r = 0; r < MAX_ROUNDS; r++) {
            CanaryRound round = s.metric() == Metric.ERRORS
                    ? CanaryRound.counts(cErr[r], cReq[r], bErr[r], bReq[r])
                    : CanaryRound.samples(cValues[r], bValues[r]);
            if (judge.observe(round).decision() == CanaryDecision.REGRESSION) {
                return r + 1;
            }
        }
        return 0;
    }

    /**
     * The count test as it was before issue 25: the same mixture of conditional binomial likelihood
     * ratios over {@code 2^(k/3)}, {@code k = 1..9}, untempered (dispersion 1).
     */
    private static int poissonCountTest(double confidence, long[] cReq, long[] cErr, long[] bReq, long[] bErr) {
        double bound = Math.log(1 / (1 - confidence));
        double[] logLr = new double[9];
        for (int r = 0; r < MAX_ROUNDS; r++) {
            if (cErr[r] + bErr[r] == 0) {
                continue;
            }
            double nc = cReq[r];
            double nb = bReq[r];
            double q0 = nc / (nc + nb);
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < logLr.length; k++) {
                double rho = Math.pow(2, (k + 1) / 3.0);
                double q1 = nc * rho / (nc * rho + nb);
                logLr[k] += cErr[r] * Math.log(q1 / q0) + bErr[r] * Math.log((1 - q1) / (1 - q0));
                max = Math.max(max, logLr[k]);
            }
            double sum = 0;
            for (double l : logLr) {
                sum += Math.exp(l - max);
            }
            if (max + Math.log(sum / logLr.length) >= bound) {
                return r + 1;
            }
        }
        return 0;
    }

    /** The sequential mean test given each version's error rate per round as its one value. */
    private static int meanOnRates(CanaryAnalysis analysis, double[] cValue, double[] bValue) {
        CanaryJudge judge = analysis.newJudge();
        for (int r = 0; r < MAX_ROUNDS; r++) {
            if (judge.observe(CanaryRound.samples(new double[] {cValue[r]}, new double[] {bValue[r]})).decision()
                    == CanaryDecision.REGRESSION) {
                return r + 1;
            }
        }
        return 0;
    }

    /**
     * Bursts of a size uniform in {@code 1..largest}: the probabilities of 0..{@code top} errors when
     * the bursts are Poisson with mean {@code bursts} (Panjer's recursion).
     */
    static double[] compoundPoisson(double bursts, int largest, int top) {
        double[] f = new double[top + 1];
        f[0] = Math.exp(-bursts);
        for (int x = 1; x <= top; x++) {
            double sum = 0;
            for (int j = 1; j <= Math.min(x, largest); j++) {
                sum += j * f[x - j];
            }
            f[x] = bursts / largest * sum / x;
        }
        return f;
    }

    /**
     * The log-likelihood of the canary's share {@code x} of a round's {@code total} errors when both
     * versions' errors come in bursts of {@code 1..largest}, given both versions' expected errors.
     */
    private static double logShare(int x, int total, double canaryMean, double baselineMean, int largest) {
        double meanBurst = (1 + largest) / 2.0;
        double[] c = compoundPoisson(canaryMean / meanBurst, largest, total);
        double[] b = compoundPoisson(baselineMean / meanBurst, largest, total);
        double norm = 0;
        for (int y = 0; y <= total; y++) {
            norm += c[y] * b[total - y];
        }
        return Math.log(c[x] * b[total - x] / norm);
    }

    /** Wald's one-sided SPRT with the true effect and noise, stopping at log(1/alpha). */
    private static int sprt(Scenario s, double confidence, long[] cReq, long[] cErr, long[] bReq, long[] bErr,
            double[] cValue, double[] bValue) {
        double bound = Math.log(1 / (1 - confidence));
        double llr = 0;
        double effect = s.sprtEffect();
        double delta = LATENCY_MS * (effect - 1);
        double perRequest = LATENCY_MS * LATENCY_CV;
        double expected = s.rps() * (double) ROUND_SECONDS;
        double variance = square(VERSION_JITTER * LATENCY_MS * effect) + square(VERSION_JITTER * LATENCY_MS)
                + square(perRequest * effect) / expected + square(perRequest) / expected;
        for (int r = 0; r < MAX_ROUNDS; r++) {
            if (s.metric() == Metric.ERRORS && s.stream().largestBurst() > 1) {
                // It knows the burst sizes' distribution and both versions' rates: the exact
                // likelihood ratio of the canary's share of the round's errors.
                int total = (int) (cErr[r] + bErr[r]);
                if (total > 0) {
                    double rate = s.stream().rate(r);
                    llr += logShare((int) cErr[r], total, cReq[r] * rate * effect, bReq[r] * rate, s.stream().largestBurst())
                            - logShare((int) cErr[r], total, cReq[r] * rate, bReq[r] * rate, s.stream().largestBurst());
                }
            } else if (s.metric() == Metric.ERRORS) {
                double nc = cReq[r];
                double nb = bReq[r];
                double q0 = nc / (nc + nb);
                double q1 = nc * effect / (nc * effect + nb);
                llr += cErr[r] * Math.log(q1 / q0) + bErr[r] * Math.log((1 - q1) / (1 - q0));
            } else {
                double d = cValue[r] - bValue[r];
                llr += (delta * d - delta * delta / 2) / variance;
            }
            if (llr >= bound) {
                return r + 1;
            }
        }
        return 0;
    }

    private static long poisson(UniformRandomProvider rng, double mean) {
        return mean <= 0 ? 0 : PoissonDistribution.of(mean).createSampler(rng).sample();
    }

    private static double square(double x) {
        return x * x;
    }

    static String trim(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.format(Locale.ROOT, "%s", x);
    }
}
