package dev.vigil;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one round of one verification: the probes concurrently, each within its own timeout, with
 * retries of retryable failures inside the round. Never throws for what a probe does; a
 * measurement that took longer than its timeout (by the time source, so in virtual time too) is
 * an {@code ERROR}.
 */
final class RoundRunner {

    /** The longest explanation, error or text value of a measurement kept whole: 16,384 characters. */
    static final int MAX_TEXT_CHARS = 16_384;

    private final Deployment deployment;
    private final ExecutorService executor;
    private final TimeSource time;
    /** Each probe's state, kept across the rounds of this verification. */
    private final Map<String, ConcurrentMap<String, Object>> state = new ConcurrentHashMap<>();
    /** Which probe each of this verification's threads is measuring right now. */
    private final Map<Thread, String> measuring = new ConcurrentHashMap<>();
    /**
     * Each probe's latest call: a probe whose call timed out and ignored the interrupt is not called
     * again until that call returns, so a watch of days keeps one stuck thread per probe, not one a round.
     */
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private volatile Instant verificationStarted;

    RoundRunner(Deployment deployment, ExecutorService executor, TimeSource time) {
        this.deployment = deployment;
        this.executor = executor;
        this.time = time;
    }

    /**
     * When what the probes measure started, for {@link ProbeContext#verificationStarted()}: the
     * verification's start, then the re-check's (the previous version runs from then on).
     */
    void verificationStarted(Instant at) {
        this.verificationStarted = at;
        // A call still hanging on what ran before does not keep the re-check from measuring the version rolled back to.
        calls.clear();
    }

    /** The threads busy with a probe right now, with the probe's name. */
    Map<Thread, String> measuring() {
        return measuring;
    }

    /**
     * Measures with the given probes; returns one measurement per probe, in order.
     *
     * @throws InterruptedException when the verifying thread is interrupted; the measurements
     *     still running are cancelled
     */
    List<Measurement> run(List<ProbeSpec> probes, int round) throws InterruptedException {
        Instant at = time.now();
        long start = time.nanoTime();
        long realStart = System.nanoTime();
        List<Future<Measurement>> futures = new ArrayList<>();
        List<Call> earlier = new ArrayList<>();
        for (ProbeSpec spec : probes) {
            Call last = calls.get(spec.name());
            Call running = last == null || last.returned().getCount() == 0 ? null : last;
            earlier.add(running);
            futures.add(executor.submit(() -> running == null ? measure(spec, round, at, start)
                    : afterReturned(running, spec, round, at, start, realStart)));
        }
        List<Measurement> results = new ArrayList<>();
        try {
            for (int i = 0; i < probes.size(); i++) {
                ProbeSpec spec = probes.get(i);
                Future<Measurement> future = futures.get(i);
                // Waiting is real time whatever the time source: a thread can only block on the real clock.
                long remaining = Durations.nanos(spec.measurement().timeout()) - (System.nanoTime() - realStart);
                Measurement m;
                try {
                    m = future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    future.cancel(true);
                    Call running = earlier.get(i);
                    m = running != null && running.returned().getCount() > 0 ? notReturned(running, spec, round, at, start)
                            : timedOut(spec, round, at, start, 1);
                } catch (ExecutionException e) {
                    m = ProbeResult.error(VigilException.describe(e.getCause()))
                            .completed(spec.name(), round, at, 1, elapsed(start));
                }
                results.add(m);
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return results;
    }

    private Measurement timedOut(ProbeSpec spec, int round, Instant at, long start, int attempts) {
        return ProbeResult.error("timed out after " + Durations.format(spec.measurement().timeout()))
                .completed(spec.name(), round, at, attempts, elapsed(start));
    }

    /**
     * The measurement of a probe whose earlier call has not returned: taken once that call returns
     * within this round's timeout; otherwise an {@code ERROR} that says why, without calling it again.
     */
    private Measurement afterReturned(Call running, ProbeSpec spec, int round, Instant at, long start, long realStart)
            throws InterruptedException {
        long remaining = Durations.nanos(spec.measurement().timeout()) - (System.nanoTime() - realStart);
        if (!running.returned().await(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
            return notReturned(running, spec, round, at, start);
        }
        return measure(spec, round, at, start);
    }

    private Measurement notReturned(Call running, ProbeSpec spec, int round, Instant at, long start) {
        return ProbeResult.error("timed out after " + Durations.format(spec.measurement().timeout()) + ": its call of "
                + (running.round() > 0 ? "round " + running.round() : "an earlier round") + " has not returned"
                + " (the probe ignores interruption), so it was not called again")
                .completed(spec.name(), round, at, 1, elapsed(start));
    }

    /** One measurement with retries of retryable failures; never throws. */
    private Measurement measure(ProbeSpec spec, int round, Instant at, long start) {
        Call call = new Call(round, new CountDownLatch(1));
        calls.put(spec.name(), call);
        measuring.put(Thread.currentThread(), spec.name());
        try {
            AtomicInteger attempts = new AtomicInteger();
            ProbeResult m = attempt(spec, round, at, attempts);
            int count = Math.max(1, attempts.get());
            if (time.nanoTime() - start > Durations.nanos(spec.measurement().timeout())) {
                // Whatever it says, it came too late to be about this round.
                return timedOut(spec, round, at, start, count);
            }
            return bounded(m).completed(spec.name(), round, at, count, elapsed(start));
        } finally {
            measuring.remove(Thread.currentThread());
            call.returned().countDown();
        }
    }

    /** A call of a probe: its round, and a latch released when it returns. */
    private record Call(int round, CountDownLatch returned) {
    }

    /**
     * {@code result} with its explanation, its error and its text values cut to
     * {@link #MAX_TEXT_CHARS}: a probe that returns megabytes of text every round (a whole HTML
     * error page, a dump) would otherwise fill the heap over a long bake or watch, whose
     * measurement log keeps every measurement that is not a {@code PASS} whole.
     */
    static ProbeResult bounded(ProbeResult result) {
        boolean cut = result.explanation().length() > MAX_TEXT_CHARS
                || result.error() != null && result.error().length() > MAX_TEXT_CHARS
                || result.values().values().stream().anyMatch(v -> v instanceof String t && t.length() > MAX_TEXT_CHARS);
        if (!cut) {
            return result;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        result.values().forEach((k, v) -> values.put(k, v instanceof String t ? cut(t) : v));
        return new ProbeResult(result.outcome(), values, cut(result.explanation()),
                result.error() == null ? null : cut(result.error()), result.items());
    }

    private static String cut(String text) {
        if (text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
        return text.substring(0, end) + "... (" + (text.length() - end) + " more characters left out)";
    }

    private ProbeResult attempt(ProbeSpec spec, int round, Instant at, AtomicInteger attempts) {
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(spec.measurement().maxAttempts())
                .intervalFunction(Retrying.backoff(spec.measurement().retryBackoff()))
                .retryExceptions(RetryableProbeException.class)
                .build();
        Retry retry = Retry.of("vigil-probe-" + spec.name(), config);
        try {
            return Retrying.call(retry, time, () -> {
                int attempt = attempts.incrementAndGet();
                ProbeResult taken = spec.probe().measure(context(spec, round, at, attempt));
                if (taken == null) {
                    throw new VigilException("probe returned no measurement");
                }
                return taken;
            });
        } catch (RetryableProbeException e) {
            // Its message as it is; one without a message is named by its class, not "null".
            return ProbeResult.error(VigilException.describe(e)
                    + (attempts.get() > 1 ? " (after " + attempts.get() + " attempts)" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.error("interrupted");
        } catch (Throwable e) {
            return ProbeResult.error(VigilException.describe(e));
        }
    }

    /** The context handed to a probe for one attempt. */
    private ProbeContext context(ProbeSpec spec, int round, Instant at, int attempt) {
        return ProbeContext.builder(deployment, spec.name()).round(round).time(at).timeout(spec.measurement().timeout())
                .attempt(attempt).verificationStarted(verificationStarted)
                .state(state.computeIfAbsent(spec.name(), name -> new ConcurrentHashMap<>())).build();
    }

    private Duration elapsed(long start) {
        return Duration.ofNanos(Math.max(0, time.nanoTime() - start));
    }
}
