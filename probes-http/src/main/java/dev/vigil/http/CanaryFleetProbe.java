package dev.vigil.http;

import dev.vigil.Durations;
import dev.vigil.Outcome;
import dev.vigil.Plot;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryRound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fleet split into canary and baseline instances, measured together each round and compared by
 * a canary judge (see {@link HttpProbeBuilder#canary}). Thread-safe; the judge's running state
 * lives in the verification ({@link ProbeContext#state}). Keeps its client from one round to the
 * next; {@link #close()} ends it.
 */
final class CanaryFleetProbe implements Probe {

    private final FleetClient transport;
    private final List<Target> canary;
    private final List<Target> baseline;
    private final Judge judge;
    private final CanaryAnalysis analysis;
    private final CanaryMetric metric;
    private final String description;
    private final Redactor redactor;

    CanaryFleetProbe(FleetClient transport, List<Target> canary, List<Target> baseline, Judge judge,
            CanaryAnalysis analysis, CanaryMetric metric, String description, Redactor redactor) {
        this.transport = transport;
        this.canary = List.copyOf(canary);
        this.baseline = List.copyOf(baseline);
        this.judge = judge;
        this.analysis = analysis;
        this.metric = metric;
        this.description = description;
        this.redactor = redactor;
    }

    /**
     * Builds and starts the HTTP client and warms the judge ({@link Judge#warmUp}) before the first
     * round: neither is the service's time.
     */
    @Override
    public void prepare() {
        transport.start();
        judge.warmUp();
    }

    /**
     * Always a reason: a canary judge passes when the canary is no worse than the baseline, and the
     * baseline is the previous version, which still has the bug a fix is for. A canary that still
     * has it passes as well, so this probe cannot confirm a fix ({@link dev.vigil.Confirmation#refusal}).
     */
    @Override
    public String passesWithoutEvidence() {
        return dev.vigil.Confirmation.comparedWithTheBaseline("baseline-urls",
                "a probe of the canary alone (url or urls without baseline-urls)");
    }

    /** Whether its HTTP client is started. */
    boolean clientStarted() {
        return transport.started();
    }

    /**
     * One measurement, or for a request that may change the service a connection to each host
     * ({@link FleetProbe#connectOnly}); then whether a canary and a baseline instance reach the same
     * socket under two names ({@link #sameSocket}).
     */
    @Override
    public dev.vigil.Preflight preflight(ProbeContext context) throws Exception {
        dev.vigil.Preflight found;
        if (transport.changesState()) {
            List<Target> all = new ArrayList<>(canary);
            all.addAll(baseline);
            found = FleetProbe.connectOnly(transport, all, context.timeout(), redactor);
        } else {
            transport.start();
            found = Probe.super.preflight(context);
        }
        return sameSocket(found);
    }

    /**
     * The check, with a word on each canary instance that is also a baseline one under another
     * name ({@code localhost} and {@code 127.0.0.1}, a DNS name and its address): compared with
     * itself, the canary shows no regression whatever it answers. Configuration refuses the same
     * URL written twice; only resolving tells the rest. Where a host is an address or the loopback
     * no proxy can route the two apart, so it is a warning; two DNS names for one address are what
     * an ingress routing by name looks like, so that is only said.
     */
    private dev.vigil.Preflight sameSocket(dev.vigil.Preflight found) {
        Map<String, Target> canaryAt = new java.util.HashMap<>();
        canary.forEach(c -> c.resolvedIdentities().forEach(id -> canaryAt.putIfAbsent(id, c)));
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Target b : baseline) {
            for (String id : b.resolvedIdentities()) {
                Target c = canaryAt.get(id);
                if (c != null) {
                    boolean direct = c.hostIsAnAddressOrLoopback() || b.hostIsAnAddressOrLoopback();
                    (direct ? warnings : notes).add("canary " + c.name() + " and baseline " + b.name()
                            + " reach the same address " + socket(id));
                    break;
                }
            }
        }
        if (warnings.isEmpty() && notes.isEmpty()) {
            return found;
        }
        StringBuilder message = new StringBuilder(found.message());
        if (!warnings.isEmpty()) {
            message.append("; ").append(String.join("; ", warnings)).append(": the canary is compared with itself, which shows"
                    + " no regression whatever it answers; the baseline is the instances still on the previous version");
        }
        if (!notes.isEmpty()) {
            message.append("; ").append(String.join("; ", notes)).append(": right when a proxy there routes them to"
                    + " different instances by name, otherwise the canary is compared with itself");
        }
        dev.vigil.Preflight.Status status = warnings.isEmpty() || found.status() == dev.vigil.Preflight.Status.ERROR
                ? found.status() : dev.vigil.Preflight.Status.WARNING;
        return new dev.vigil.Preflight(status, redactor.scrub(message.toString()));
    }

    /** {@code 127.0.0.1:8080} of a resolved identity, without the path and query, which may carry a credential. */
    private static String socket(String resolvedIdentity) {
        int host = resolvedIdentity.indexOf("://") + 3;
        int path = resolvedIdentity.indexOf('/', host);
        return resolvedIdentity.substring(host, path < 0 ? resolvedIdentity.length() : path);
    }

    @Override
    public ProbeResult measure(ProbeContext context) throws InterruptedException {
        Duration budget = context.timeout().minus(FleetProbe.margin(context.timeout()));
        List<Target> all = new ArrayList<>(canary);
        all.addAll(baseline);
        List<Exchange> exchanges = transport.exchangeAll(all, budget, "timeout " + Durations.format(context.timeout()));
        List<Exchange> canaryExchanges = exchanges.subList(0, canary.size());
        List<Exchange> allBaseline = exchanges.subList(canary.size(), exchanges.size());
        // A baseline instance that did not answer says nothing about the baseline's errors or speed:
        // counted as an error it would make any canary look no worse (a typo in a baseline port
        // hid a canary answering 503 to everything). A canary instance that does not answer is an
        // error of the canary with metric=errors, and keeps the round from passing with
        // metric=latency: the directions that never hide a regression.
        List<Exchange> baselineExchanges = allBaseline.stream().filter(Exchange::succeeded).toList();
        if (baselineExchanges.isEmpty()) {
            // Nothing to compare with is no evidence either way: neither a pass, nor an error that would
            // roll back a canary nothing showed wrong (the baseline may be scaling down).
            return redactor.scrub(ProbeResult.inconclusive(Map.of("baseline-answers", 0),
                    "no baseline instance answered, so nothing shows what the canary should be compared with: "
                            + unanswered(allBaseline)));
        }
        List<String> notes = new ArrayList<>();
        long silentCanaries = canaryExchanges.stream().filter(e -> !e.succeeded()).count();
        if (silentCanaries > 0) {
            notes.add(silentCanaries + " of " + canaryExchanges.size() + " canary instances did not answer ("
                    + unanswered(canaryExchanges) + ")" + (metric == CanaryMetric.ERRORS ? ", counted as errors" : ""));
        }
        if (baselineExchanges.size() < allBaseline.size()) {
            notes.add((allBaseline.size() - baselineExchanges.size()) + " of " + allBaseline.size()
                    + " baseline instances did not answer and were left out (" + unanswered(allBaseline) + ")");
        }
        ProbeResult m;
        if (metric == CanaryMetric.ERRORS) {
            m = judged(context, new CanaryRound.Counts(errors(canaryExchanges), canaryExchanges.size(),
                    errors(baselineExchanges), baselineExchanges.size()));
        } else {
            double[] canaryLatencies = latencies(canaryExchanges);
            m = judged(context, new CanaryRound.Samples(canaryLatencies, latencies(baselineExchanges)));
            long answered = canaryExchanges.size() - silentCanaries;
            long failing = answered - canaryLatencies.length;
            if (failing > 0) {
                notes.add(failing + " of " + answered + " canary answers did not pass " + (judge.passWhen() != null
                        ? judge.passWhen() : "the probe's condition (fail-when " + judge.failWhen() + ")")
                        + " and were left out of the latency");
            }
            m = notAPassWithout(m, canaryExchanges.size() - canaryLatencies.length, canaryExchanges.size());
        }
        if (!notes.isEmpty() && m.outcome() != Outcome.ERROR) {
            String note = String.join("; ", notes);
            m = m.withExplanation(m.explanation() == null || m.explanation().isBlank() ? note : m.explanation() + "; " + note);
        }
        return redactor.scrub(m);
    }

    /**
     * A pass of the latency judge turned {@code INCONCLUSIVE} when some canary instances have no
     * latency this round (no answer, or an answer that did not pass): the judge weighed only the
     * others, so the round says nothing of the canary as a whole — an instance that is down would
     * hide behind its healthy peers. A regression the others show stands.
     */
    private static ProbeResult notAPassWithout(ProbeResult m, long unmeasured, int instances) {
        if (unmeasured == 0 || m.outcome() != Outcome.PASS) {
            return m;
        }
        String why = "not a pass: " + unmeasured + " of " + instances + " canary instances have no latency this round,"
                + " and the judge weighed only the others (metric=errors counts them as errors)";
        return ProbeResult.inconclusive(m.values(),
                m.explanation() == null || m.explanation().isBlank() ? why : m.explanation() + "; " + why);
    }

    /** What became of the instances that did not answer, each naming its target. */
    private static String unanswered(List<Exchange> exchanges) {
        return exchanges.stream().filter(e -> !e.succeeded()).map(Exchange::error)
                .collect(Collectors.joining("; "));
    }

    /**
     * The judge's measurement of the round, or an {@code ERROR} in words when it refuses the round
     * ({@link CanaryAnalysis#measure}: rounds it cannot weigh, with the judge as it was): thrown
     * out of the probe, the refusal would reach the report as an exception's class name.
     */
    private ProbeResult judged(ProbeContext context, CanaryRound round) {
        try {
            return analysis.measure(context, round);
        } catch (IllegalArgumentException e) {
            return ProbeResult.error("the canary judge refused the round: "
                    + (e.getMessage() == null ? "no reason given" : e.getMessage()));
        }
    }

    /** Whether the instance answered and its answer passed the probe's condition. */
    private boolean passes(Exchange e) {
        return e.succeeded() && judge.judge(e.response()).outcome() == Outcome.PASS;
    }

    /**
     * The latencies in milliseconds of the instances whose answer passed the probe's condition: an
     * error answered at once is no evidence of speed, and is left out as a missing answer is.
     */
    private double[] latencies(List<Exchange> exchanges) {
        return exchanges.stream().filter(this::passes)
                .mapToDouble(e -> e.response().latency().toNanos() / 1_000_000.0).toArray();
    }

    /** The instances that did not answer, or whose answer did not pass the probe's condition. */
    private long errors(List<Exchange> exchanges) {
        return exchanges.stream().filter(e -> !passes(e)).count();
    }

    /** Closes the client and its connections; a later measurement opens them again. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String description() {
        return description;
    }

    /** The canary judge's evidence against the line at which it declares a regression ({@link CanaryAnalysis#plot()}). */
    @Override
    public Plot plot() {
        return analysis.plot();
    }

    @Override
    public String passWhen() {
        return metric == CanaryMetric.ERRORS ? judge.passWhen() : null;
    }

    @Override
    public String failWhen() {
        return metric == CanaryMetric.ERRORS ? judge.failWhen() : null;
    }

    @Override
    public String toString() {
        return "CanaryFleetProbe[" + description + "]";
    }
}
