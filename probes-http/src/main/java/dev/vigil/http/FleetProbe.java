package dev.vigil.http;

import dev.vigil.Durations;
import dev.vigil.Outcome;
import dev.vigil.Plot;
import dev.vigil.Preflight;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.RetryableProbeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP probe behind {@link HttpProbes}: one URL, or a fleet measured concurrently and judged
 * against a {@link Require}. Thread-safe. Keeps one non-blocking client ({@link FleetClient}) from
 * one measurement to the next, so that rounds reuse connections; {@link #close()} ends it.
 */
final class FleetProbe implements Probe {

    /** Instances named one by one in an explanation; the rest are counted. */
    static final int MAX_NAMED = 10;
    /** The value holding the share of a fleet's instances that passed, in percent: what its timeline plots. */
    static final String SHARE = "instances.passed-percent";
    /** Least time kept between the end of the requests and the deadline. */
    static final long MIN_MARGIN_MS = 20;
    /** Most time kept between the end of the requests and the deadline. */
    static final long MAX_MARGIN_MS = 250;

    private final FleetClient transport;
    private final List<Target> targets;
    private final boolean fleet;
    private final Require require;
    private final Judge judge;
    private final Clock clock;
    private final String description;
    private final Redactor redactor;

    FleetProbe(FleetClient transport, List<Target> targets, boolean fleet, Require require, Judge judge, Clock clock,
            String description, Redactor redactor) {
        this.redactor = redactor;
        this.transport = transport;
        this.targets = List.copyOf(targets);
        this.fleet = fleet;
        this.require = require;
        this.judge = judge;
        this.clock = clock;
        this.description = description;
    }

    @Override
    public ProbeResult measure(ProbeContext context) throws InterruptedException {
        try {
            return redactor.scrub(measureOnce(context));
        } catch (RetryableProbeException e) {
            throw new RetryableProbeException(redactor.scrub(e.getMessage()));
        }
    }

    private ProbeResult measureOnce(ProbeContext context) throws InterruptedException {
        Duration budget = budget(context);
        if (budget.isZero() || budget.isNegative()) {
            return ProbeResult.error(description + ": no time left before the deadline of this round");
        }
        long end = System.nanoTime() + budget.toNanos();
        List<Exchange> exchanges = transport.exchangeAll(targets, budget, "timeout " + Durations.format(context.timeout()));
        // Another attempt only when there is time for one; otherwise the failure itself is the measurement.
        boolean timeForAnother = end - System.nanoTime() > margin(context.timeout()).toNanos();
        if (!fleet) {
            Exchange only = exchanges.get(0);
            if (only.succeeded()) {
                return judge.judge(only.response());
            }
            if (only.retryable() && timeForAnother) {
                throw new RetryableProbeException(only.error());
            }
            return ProbeResult.error(only.error());
        }
        return judgeFleet(exchanges, timeForAnother);
    }

    /**
     * The time this attempt may take: what is left until the context's deadline, less a margin so
     * that the measurement (naming the instances that did not answer) reaches the engine before the
     * engine gives up on it. When the probe's clock and the engine's disagree (a test clock on one
     * side only), the whole timeout less the margin.
     */
    private Duration budget(ProbeContext context) {
        Duration timeout = context.timeout();
        Duration remaining = Duration.between(clock.instant(), context.deadline());
        if (remaining.compareTo(timeout) > 0 || remaining.compareTo(timeout.negated()) < 0) {
            remaining = timeout;
        }
        return remaining.minus(margin(timeout));
    }

    /** A tenth of the timeout, between {@value #MIN_MARGIN_MS} ms and {@value #MAX_MARGIN_MS} ms. */
    static Duration margin(Duration timeout) {
        long tenth = timeout.toMillis() / 10;
        return Duration.ofMillis(Math.max(MIN_MARGIN_MS, Math.min(MAX_MARGIN_MS, tenth)));
    }

    private ProbeResult judgeFleet(List<Exchange> exchanges, boolean timeForAnother) {
        int passed = 0;
        int failed = 0;
        int errors = 0;
        int retryableErrors = 0;
        Duration slowest = null;
        Duration slowestConnect = Duration.ZERO;
        List<String> notPassing = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            ProbeResult m;
            if (exchange.succeeded()) {
                m = judge.judge(exchange.response());
                Duration latency = exchange.response().latency();
                slowest = slowest == null || latency.compareTo(slowest) > 0 ? latency : slowest;
                Duration connect = exchange.response().connectTime();
                slowestConnect = connect.compareTo(slowestConnect) > 0 ? connect : slowestConnect;
            } else {
                m = ProbeResult.error(exchange.error());
                retryableErrors += exchange.retryable() ? 1 : 0;
            }
            switch (m.outcome()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case ERROR -> errors++;
                case INCONCLUSIVE -> { }
            }
            if (m.outcome() != Outcome.PASS) {
                notPassing.add(exchange.target().name());
                reasons.add(exchange.target().name() + ": " + (exchange.succeeded() ? m.outcome() + " " + m.explanation()
                        : exchange.error()));
            }
        }
        int total = exchanges.size();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("instances.total", total);
        values.put("instances.passed", passed);
        values.put(SHARE, 100.0 * passed / total);
        values.put("instances.failed", total - passed);
        values.put("instances.errors", errors);
        if (!notPassing.isEmpty()) {
            values.put("instances.failing", Values.cut(named(notPassing, ", ")));
        }
        if (slowest != null) {
            values.put("latency.max", slowest);
            values.put("connect-time.max", slowestConnect);
        }
        String summary = passed + " of " + total + " instances passed (require " + require + ", needed "
                + require.needed(total) + ")";
        String detail = reasons.isEmpty() ? "" : "; not passing: " + named(reasons, "; ");
        if (require.isMet(passed, total)) {
            return ProbeResult.pass(values, summary + detail);
        }
        if (failed > 0) {
            return ProbeResult.fail(values, summary + detail);
        }
        if (retryableErrors == total && timeForAnother) {
            throw new RetryableProbeException("no instance could be reached: " + named(reasons, "; "));
        }
        if (errors > 0) {
            return ProbeResult.error(summary + detail, values);
        }
        return ProbeResult.inconclusive(values, summary + detail);
    }

    private static String named(List<String> items, String separator) {
        if (items.size() <= MAX_NAMED) {
            return String.join(separator, items);
        }
        return String.join(separator, items.subList(0, MAX_NAMED)) + separator + "and " + (items.size() - MAX_NAMED) + " more";
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

    /**
     * Builds and starts the HTTP client and warms the judge ({@link Judge#warmUp}) before the first
     * round: neither is the service's time.
     */
    @Override
    public void prepare() {
        transport.start();
        judge.warmUp();
    }

    /** Whether its HTTP client is started. */
    boolean clientStarted() {
        return transport.started();
    }

    /**
     * The check before a deployment ({@code validate --online}): one measurement, as for any probe,
     * unless the request may change the service ({@code POST}, {@code PUT}, {@code PATCH},
     * {@code DELETE}): then nothing is sent, and each instance's host must resolve and accept a TCP
     * connection within the timeout. A smoke test that places an order must not place one (or three,
     * with retries) because a pipeline checked its configuration. The client is built before the
     * measurement starts ({@link FleetClient#start}).
     */
    @Override
    public Preflight preflight(ProbeContext context) throws Exception {
        if (transport.changesState()) {
            return connectOnly(transport, targets, context.timeout(), redactor);
        }
        transport.start();
        return Probe.super.preflight(startingAt(context, clock.instant()));
    }

    /**
     * {@code context} with its round starting at {@code now}: the time the client took to start is not
     * the service's. Its state is new: a check before deploying is one measurement.
     */
    private static ProbeContext startingAt(ProbeContext context, java.time.Instant now) {
        ProbeContext.Builder restarted = ProbeContext.builder(context.deployment(), context.probeName()).round(context.round())
                .time(now).timeout(context.timeout()).attempt(context.attempt());
        context.verificationStarted().ifPresent(restarted::verificationStarted);
        return restarted.build();
    }

    /**
     * The check of a request that may change the service: nothing is sent; each target's host must
     * resolve and accept a connection within {@code timeout}. All are asked at once, as a round asks
     * a fleet ({@link FleetClient#connectAll}): the ones that do not answer are named, and the check
     * takes no longer than {@code timeout}, however many they are.
     */
    static Preflight connectOnly(FleetClient transport, List<Target> targets, Duration timeout, Redactor redactor)
            throws InterruptedException {
        List<String> failures = new ArrayList<>();
        for (Exchange exchange : transport.connectAll(targets, timeout, "timeout " + Durations.format(timeout))) {
            if (!exchange.succeeded()) {
                failures.add(exchange.target().name() + ": " + exchange.error());
            }
        }
        String notSent = transport.method() + " not sent (it may change the service)";
        if (!failures.isEmpty()) {
            return Preflight.error(redactor.scrub(notSent + "; " + named(failures, "; ")));
        }
        return Preflight.ok(redactor.scrub(notSent + "; " + (targets.size() == 1 ? targets.get(0).hostAndPort()
                + " accepts connections" : "the hosts of all " + targets.size() + " instances accept connections")));
    }

    /**
     * One URL: the value its condition compares with a number ({@code latency}, else {@code status})
     * against that number; {@code latency} without threshold when it compares neither. A fleet: the
     * share of instances passing, in percent, against the share {@code require} needs of this fleet.
     */
    @Override
    public Plot plot() {
        if (!fleet) {
            return Plot.fromConditions(judge.passWhen(), judge.failWhen(), "latency", "status");
        }
        int total = targets.size();
        int needed = require.needed(total);
        return Plot.of(new Plot.Series(SHARE, "instances passing (%)"))
                .withThreshold(100.0 * needed / total, "require " + require + ": " + needed + " of " + total + " instances");
    }

    @Override
    public String passWhen() {
        return judge.passWhen();
    }

    @Override
    public String failWhen() {
        return judge.failWhen();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("HttpProbe[").append(description);
        if (passWhen() != null) {
            s.append(", pass-when=").append(passWhen());
        }
        if (failWhen() != null) {
            s.append(", fail-when=").append(failWhen());
        }
        return s.append(", tls=").append(transport.tls()).append(']').toString();
    }
}
