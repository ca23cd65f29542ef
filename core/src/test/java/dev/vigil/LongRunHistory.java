package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generated history of a long verification: {@code probes} HTTP-like probes measured every
 * {@code interval} for {@code length}, with realistic values (status, latency around 20 ms with
 * the odd spike) and a few measurements that are not {@code PASS} sprinkled in — about four per probe
 * and day at random rounds, a cluster of three close together per probe (their contexts overlap), one
 * in round 2 of the first probe (its context reaches the first measurement) and one in the last round
 * of the second. Every measurement is a pure function of the probe and the round
 * ({@link #measurement}), so a test can compare a report with what was measured without keeping it.
 *
 * <p>{@link #report()} records the history through the engine's own {@link Tracker}s (its limits let
 * every measurement through), in a fraction of the time a run through the verifier takes.
 */
public final class LongRunHistory {

    /** When round 1 was measured. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:10Z");

    private final int probes;
    private final Duration interval;
    private final int rounds;
    private final long seed;
    /** The chance that a measurement outside the cluster is not a PASS: about four a day. */
    private final double perRound;
    private final String[] names;

    private LongRunHistory(int probes, Duration interval, int rounds, long seed) {
        this.probes = probes;
        this.interval = interval;
        this.rounds = rounds;
        this.seed = seed;
        this.perRound = 4.0 / Math.max(1, Duration.ofDays(1).dividedBy(interval));
        this.names = new String[probes];
        for (int p = 0; p < probes; p++) {
            names[p] = name(p);
        }
    }

    /**
     * The history of {@code probes} probes measured every {@code interval} for {@code length}.
     *
     * @param probes how many probes
     * @param interval the time between rounds
     * @param length how long it ran: {@code length / interval} rounds
     * @return the history
     */
    public static LongRunHistory of(int probes, Duration interval, Duration length) {
        return new LongRunHistory(probes, interval, (int) (length.toNanos() / interval.toNanos()), 20261130L);
    }

    /** The number of probes. */
    public int probes() {
        return probes;
    }

    /** The number of rounds, each measuring every probe once. */
    public int rounds() {
        return rounds;
    }

    /** The name of probe {@code p}, from 0. */
    public static String name(int p) {
        return String.format(java.util.Locale.ROOT, "checkout-%02d", p);
    }

    /** The outcome of probe {@code p} in round {@code round} (from 1). */
    public Outcome outcome(int p, int round) {
        if (p == 0 && round == 2 || p == 1 && round == rounds) {
            return Outcome.ERROR;
        }
        int cluster = 1 + (int) Math.floorMod(mix(p, -1), Math.max(1, rounds - 10));
        if (round == cluster || round == cluster + 2 || round == cluster + 5) {
            return round == cluster + 2 ? Outcome.FAIL : Outcome.INCONCLUSIVE;
        }
        SplittableRandom r = new SplittableRandom(mix(p, round));
        double rate = perRound;
        double u = r.nextDouble();
        if (u >= rate) {
            return Outcome.PASS;
        }
        return switch ((int) (u / rate * 3)) {
            case 0 -> Outcome.ERROR;
            case 1 -> Outcome.FAIL;
            default -> Outcome.INCONCLUSIVE;
        };
    }

    /** What probe {@code p} measured in round {@code round} (from 1). */
    public Measurement measurement(int p, int round) {
        SplittableRandom r = new SplittableRandom(mix(p, round) ^ 0x5DEECE66DL);
        Instant at = START.plus(interval.multipliedBy(round - 1L)).plusMillis(r.nextInt(5));
        // Latency: about 20 ms, a tail to 60 ms, and now and then a spike.
        double ms = 12 + 8 * Math.exp(0.5 * r.nextGaussian()) + (r.nextInt(200) == 0 ? 150 * r.nextDouble() : 0);
        Duration latency = Duration.ofNanos((long) (ms * 1e6));
        Duration took = latency.plusNanos(300_000);
        Outcome outcome = outcome(p, round);
        ProbeResult result = switch (outcome) {
            case PASS -> ProbeResult.pass(values(200, latency), "status(200) == 200 && latency(" + (long) ms + "ms) < 500ms");
            case FAIL -> ProbeResult.fail(values(503, latency), "status(503) == 200");
            case INCONCLUSIVE -> ProbeResult.inconclusive(values(200, latency),
                    "the body had no 'status' field (a restart in progress?)");
            case ERROR -> ProbeResult.error("connect timed out after 2s to checkout-" + p + ":8080");
        };
        return result.completed(names[p], round, at, outcome == Outcome.ERROR ? 3 : 1, took);
    }

    private static Map<String, Object> values(int status, Duration latency) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", status);
        values.put("latency", latency);
        return values;
    }

    /** The verification's report: every probe's measurements recorded by a tracker, in round order. */
    public VerificationReport report() {
        List<Tracker> trackers = new ArrayList<>();
        for (int p = 0; p < probes; p++) {
            int index = p;
            Probe probe = new Probe() {
                @Override
                public ProbeResult measure(ProbeContext context) {
                    throw new UnsupportedOperationException("generated");
                }

                @Override
                public String description() {
                    return "GET http://checkout-" + index + ":8080/actuator/health";
                }

                @Override
                public String passWhen() {
                    return "status == 200 && latency < 500ms";
                }
            };
            trackers.add(new Tracker(new ProbeSpec(name(p), probe, new ProbeLimits(rounds, rounds, rounds),
                    MeasurementPolicy.defaults())));
        }
        for (int round = 1; round <= rounds; round++) {
            for (int p = 0; p < probes; p++) {
                trackers.get(p).record(measurement(p, round));
            }
        }
        List<ProbeReport> reports = trackers.stream().map(t -> t.report(ProbeReport.Status.PASSED)).toList();
        Instant finished = START.plus(interval.multipliedBy(rounds)).minus(interval).plusSeconds(1);
        Duration length = interval.multipliedBy(rounds);
        VerificationPlan plan = VerificationPlan.defaults().withDuration(length).withInterval(interval);
        return new VerificationReport(Deployment.of("checkout", "2.4.1", "2.4.0"), plan, Verdict.HEALTHY,
                "all " + probes + " probes passed within their limits over " + rounds + " rounds", reports,
                RollbackReport.notNeeded(), List.of(), rounds, START.minus(interval), null, finished);
    }

    private long mix(int p, int round) {
        long x = seed * 0x9E3779B97F4A7C15L + p * 0xBF58476D1CE4E5B9L + round * 0x94D049BB133111EBL;
        x ^= x >>> 31;
        x *= 0xD6E8FEB86659FD93L;
        return x ^ (x >>> 32);
    }
}
