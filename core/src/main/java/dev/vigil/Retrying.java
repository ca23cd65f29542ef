package dev.vigil;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Retries on a verification's time source: the one retry loop behind a probe's attempts within a
 * round and a rollback trigger's attempts. resilience4j decides whether and how long to wait
 * ({@link Retry#asyncContext()}, which does not sleep); the wait goes through the
 * {@link TimeSource}, so that virtual time does not wait in real time, a suspended clock is
 * respected, and what a report times is the verification's time. Stateless.
 */
final class Retrying {

    private Retrying() {
    }

    /** The backoff of Vigil's retries: {@code first} (at least 1 ms), doubling after each attempt. */
    static IntervalFunction backoff(Duration first) {
        return IntervalFunction.ofExponentialBackoff(Engine.atLeastOneMilli(first), 2.0);
    }

    /**
     * Calls {@code call} with the retries {@code retry}'s policy allows, waiting on {@code time}
     * between attempts.
     *
     * @return what the last attempt returned
     * @throws Exception what the last attempt threw; a {@link CompletionException} or
     *     {@link ExecutionException} unwrapped to its cause, as resilience4j judged it, so that a
     *     wrapped failure ends as the same error as a plain one
     * @throws InterruptedException when interrupted while waiting, or as the next attempt began;
     *     the failure of the attempt before is {@linkplain Throwable#getSuppressed() suppressed} in
     *     it, so that what that attempt said is not lost
     */
    static <T> T call(Retry retry, TimeSource time, Callable<T> call) throws Exception {
        Retry.AsyncContext<T> context = retry.asyncContext();
        Exception previous = null;
        while (true) {
            T result;
            try {
                result = call.call();
            } catch (Exception e) {
                if (e instanceof InterruptedException && previous != null) {
                    // Interrupted as the next attempt began: what the last one said is kept.
                    e.addSuppressed(previous);
                }
                long waitMillis = context.onError(e);
                if (waitMillis < 0) {
                    throw judged(e);
                }
                previous = judged(e);
                try {
                    time.sleep(Duration.ofMillis(waitMillis));
                } catch (InterruptedException interrupted) {
                    interrupted.addSuppressed(previous);
                    throw interrupted;
                }
                continue;
            }
            context.onComplete();
            return result;
        }
    }

    /** The failure resilience4j's context judged: the cause of a {@link CompletionException} or {@link ExecutionException}. */
    private static Exception judged(Exception e) {
        if ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() instanceof Exception cause) {
            return cause;
        }
        return e;
    }
}
