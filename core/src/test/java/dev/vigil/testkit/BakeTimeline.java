package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A scripted service over virtual time, and the verdict a verification of it must reach.
 *
 * <pre>{@code
 * BakeTimeline.named("late crash")
 *     .plan(p -> p.withInterval(Duration.ofSeconds(5)).withDuration(Duration.ofSeconds(40)))
 *     .probe("health", "P P P P P E E E")
 *     .expect(Verdict.UNHEALTHY).rounds(10).detectedAfter(Duration.ofSeconds(45))
 *     .rule("max-consecutive-errors").rule("end-of-bake rule")
 * }</pre>
 *
 * <p>A probe's script is one token per measurement of that probe (the n-th token is its n-th
 * measurement, whichever round that is; the last token repeats):
 * <ul>
 *   <li>{@code P}, {@code F}, {@code E}, {@code I}: the outcome ({@code PASS}, {@code FAIL},
 *       {@code ERROR}, {@code INCONCLUSIVE});</li>
 *   <li>{@code P~41s}: the measurement takes 41 s of virtual time, then answers {@code P} (a hang, or
 *       a process that stalls); only one probe of a round should take time, as concurrent probes'
 *       virtual waits add up;</li>
 *   <li>{@code P@+1h} / {@code P@-1h}: the wall clock jumps by that much while measuring;</li>
 *   <li>{@code P_4m}: answers {@code P}, then the host is suspended for 4 minutes while the
 *       verification waits for its next round (the wait takes that much longer than asked);</li>
 *   <li>{@code !}: the verifying thread is interrupted while this measurement runs, and the
 *       measurement waits to be cancelled.</li>
 * </ul>
 * Default plan: no warm-up, a round every 10 s for 60 s (6 rounds), {@code on-inconclusive=fail}.
 * Default limits: Vigil's, with one attempt per measurement. Every expectation must come from the
 * documented rules ({@code docs/RELIABILITY.md}, "How it decides"), not from a run of the engine.
 */
public final class BakeTimeline {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0", "1.0.0");

    private final String name;
    private VerificationPlan plan = VerificationPlan.defaults().withInterval(Duration.ofSeconds(10))
            .withDuration(Duration.ofSeconds(60));
    private static final MeasurementPolicy ONE_ATTEMPT = MeasurementPolicy.defaults().withMaxAttempts(1);
    private final Map<String, Script> probes = new LinkedHashMap<>();
    private Verdict verdict;
    private Integer rounds;
    private Duration detectedAfter;
    private boolean detectedChecked;
    private final List<String> rules = new ArrayList<>();
    private Integer skipped;
    private Integer extraRounds;
    private final Map<String, Integer> measured = new LinkedHashMap<>();
    private final Map<Integer, Duration> roundTimes = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private BakeTimeline(String name) {
        this.name = name;
    }

    /** A timeline with a name that says what happens to the service. */
    public static BakeTimeline named(String name) {
        return new BakeTimeline(name);
    }

    /** Changes the default plan. */
    public BakeTimeline plan(UnaryOperator<VerificationPlan> change) {
        this.plan = change.apply(plan);
        return this;
    }

    /** A probe with the default limits and a script of space-separated tokens. */
    public BakeTimeline probe(String probe, String script) {
        return probe(probe, script, UnaryOperator.identity());
    }

    /** A probe with changed limits. */
    public BakeTimeline probe(String probe, String script, UnaryOperator<ProbeLimits> limits) {
        probes.put(probe, new Script(script, limits.apply(ProbeLimits.defaults()), ONE_ATTEMPT));
        return this;
    }

    /** A probe with the default limits whose measurements may take up to {@code timeout}. */
    public BakeTimeline probe(String probe, String script, Duration timeout) {
        probes.put(probe, new Script(script, ProbeLimits.defaults(), ONE_ATTEMPT.withTimeout(timeout)));
        return this;
    }

    /** The verdict the rules give. */
    public BakeTimeline expect(Verdict value) {
        this.verdict = value;
        return this;
    }

    /** How many rounds run, extra rounds of the end-of-bake rule included. */
    public BakeTimeline rounds(int value) {
        this.rounds = value;
        return this;
    }

    /** When the unhealthy verdict is reached, on the wall clock, from the start; {@code null} for none. */
    public BakeTimeline detectedAfter(Duration value) {
        this.detectedAfter = value;
        this.detectedChecked = true;
        return this;
    }

    /** A phrase naming the rule that the reason must contain. */
    public BakeTimeline rule(String phrase) {
        rules.add(phrase);
        return this;
    }

    /** Rounds skipped because their tick had passed. */
    public BakeTimeline skipped(int value) {
        this.skipped = value;
        return this;
    }

    /** Extra rounds run by the end-of-bake rule. */
    public BakeTimeline extraRounds(int value) {
        this.extraRounds = value;
        return this;
    }

    /** A sentence the report's schedule notes must hold ({@code 2 rounds skipped: round 4 took 41s}). */
    public BakeTimeline note(String sentence) {
        notes.add(sentence);
        return this;
    }

    /** How many measurements a probe took (the re-check after a rollback not counted). */
    public BakeTimeline measured(String probe, int count) {
        measured.put(probe, count);
        return this;
    }

    /** When round {@code round} was measured, on the wall clock, from the start. */
    public BakeTimeline roundAt(int round, Duration fromStart) {
        roundTimes.put(round, fromStart);
        return this;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Runs the verification in virtual time and checks every expectation; returns the report. */
    public VerificationReport verify() {
        VirtualTime time = VirtualTime.start();
        Thread caller = Thread.currentThread();
        AtomicInteger rollbacks = new AtomicInteger();
        AtomicReference<Duration> suspension = new AtomicReference<>(Duration.ZERO);
        DeployVerifier.Builder builder = DeployVerifier.builder()
                .plan(plan)
                .timeSource(time.afterEachSleep(() -> time.pass(suspension.getAndSet(Duration.ZERO))))
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(event -> {
                    rollbacks.incrementAndGet();
                    return "rolled back";
                });
        probes.forEach((probe, script) -> builder.probe(probe, script.probe(time, caller, suspension), script.limits,
                script.measurement));
        VerificationReport report;
        try {
            report = builder.build().verifyAfterDeploy(DEPLOYMENT);
        } finally {
            Thread.interrupted();
        }
        check(report, rollbacks.get());
        return report;
    }

    private void check(VerificationReport report, int rollbacks) {
        String context = name + ": " + report.reason();
        assertThat(report.verdict()).as(context).isEqualTo(verdict);
        if (rounds != null) {
            assertThat(report.rounds()).as(context + " (rounds run)").isEqualTo(rounds);
        }
        if (verdict != Verdict.UNHEALTHY) {
            assertThat(report.detectedAt()).as(context + " (detectedAt is only for UNHEALTHY)").isNull();
        }
        if (detectedChecked) {
            Instant expected = detectedAfter == null ? null : report.startedAt().plus(detectedAfter);
            assertThat(report.detectedAt()).as(context + " (detectedAt)").isEqualTo(expected);
        }
        rules.forEach(rule -> assertThat(report.reason()).as(context + " (rule named)").contains(rule));
        if (skipped != null) {
            assertThat(report.schedule().skippedRounds()).as(context + " (skipped rounds)").isEqualTo(skipped);
        }
        if (extraRounds != null) {
            assertThat(report.schedule().settlingRounds()).as(context + " (extra rounds)").isEqualTo(extraRounds);
        }
        notes.forEach(note -> assertThat(report.schedule().notes()).as(context + " (schedule notes)").contains(note));
        measured.forEach((probe, count) -> assertThat(report.probe(probe).orElseThrow().measurements())
                .as(context + " (measurements of " + probe + ")").hasSize(count));
        roundTimes.forEach((round, offset) -> assertThat(report.probes().stream()
                .flatMap(p -> p.measurements().stream()).filter(m -> m.round() == round).map(Measurement::time))
                .as(context + " (time of round " + round + ")").isNotEmpty()
                .allSatisfy(t -> assertThat(t).isEqualTo(report.startedAt().plus(offset))));
        assertThat(rollbacks).as(context + " (rollbacks run)").isEqualTo(verdict == Verdict.UNHEALTHY ? 1 : 0);
        assertNoBurst(report, context);
    }

    /** No two rounds measure the same moment: each starts at least an interval of wall time after the previous one, clock jumps aside. */
    private void assertNoBurst(VerificationReport report, String context) {
        boolean jumps = probes.values().stream().anyMatch(s -> s.tokens.stream().anyMatch(t -> t.contains("@")));
        if (jumps) {
            return;
        }
        List<Instant> starts = report.probes().stream().flatMap(p -> p.measurements().stream())
                .filter(m -> m.round() > 0).map(Measurement::time).distinct().sorted().toList();
        for (int i = 1; i < starts.size(); i++) {
            assertThat(Duration.between(starts.get(i - 1), starts.get(i))).as(context + " (rounds back to back)")
                    .isGreaterThanOrEqualTo(plan.interval());
        }
    }

    /** One probe's script. */
    private static final class Script {
        final List<String> tokens;
        final ProbeLimits limits;
        final MeasurementPolicy measurement;

        Script(String text, ProbeLimits limits, MeasurementPolicy measurement) {
            this.tokens = List.of(text.trim().split("\\s+"));
            this.limits = limits;
            this.measurement = measurement;
        }

        Probe probe(VirtualTime time, Thread caller, AtomicReference<Duration> suspension) {
            AtomicInteger calls = new AtomicInteger();
            return new Probe() {
                @Override
                public ProbeResult measure(ProbeContext context) throws Exception {
                    String token = tokens.get(Math.min(calls.getAndIncrement(), tokens.size() - 1));
                    int suspended = token.indexOf('_');
                    if (suspended > 0) {
                        suspension.set(duration(token.substring(suspended + 1)));
                        token = token.substring(0, suspended);
                    }
                    if (token.equals("!")) {
                        caller.interrupt();
                        Thread.sleep(10_000);
                        return ProbeResult.error("not interrupted");
                    }
                    long start = time.nanoTime();
                    Outcome outcome = outcome(token.charAt(0));
                    int hang = token.indexOf('~');
                    int jump = token.indexOf('@');
                    if (jump > 0) {
                        time.advance(duration(token.substring(jump + 1)));
                    }
                    if (hang > 0) {
                        String took = jump > hang ? token.substring(hang + 1, jump) : token.substring(hang + 1);
                        time.passUntil(start + duration(took).toNanos());
                    }
                    Map<String, Object> values = Map.of("call", calls.get());
                    return switch (outcome) {
                        case PASS -> ProbeResult.pass(values, "call " + calls.get() + " ok");
                        case FAIL -> ProbeResult.fail(values, "call " + calls.get() + " bad");
                        case INCONCLUSIVE -> ProbeResult.inconclusive(values, "call " + calls.get() + " unclear");
                        case ERROR -> ProbeResult.error("connection refused (call " + calls.get() + ")");
                    };
                }

                @Override
                public String description() {
                    return "timeline " + tokens;
                }
            };
        }

        private static Outcome outcome(char c) {
            return switch (c) {
                case 'P' -> Outcome.PASS;
                case 'F' -> Outcome.FAIL;
                case 'E' -> Outcome.ERROR;
                case 'I' -> Outcome.INCONCLUSIVE;
                default -> throw new IllegalArgumentException("unknown token " + c);
            };
        }

        /** {@code 41s}, {@code +1h}, {@code -1h}, {@code 500ms}. */
        private static Duration duration(String text) {
            boolean negative = text.startsWith("-");
            String body = text.replaceFirst("^[+-]", "");
            Duration d;
            if (body.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(body.substring(0, body.length() - 2)));
            } else if (body.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(body.substring(0, body.length() - 1)));
            } else if (body.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(body.substring(0, body.length() - 1)));
            } else if (body.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(body.substring(0, body.length() - 1)));
            } else {
                throw new IllegalArgumentException("not a duration: " + text);
            }
            return negative ? d.negated() : d;
        }
    }
}
