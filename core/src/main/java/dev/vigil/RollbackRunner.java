package dev.vigil;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the rollback triggers of one verification, in order, each with a timeout per attempt and
 * retries only where they are safe (see {@link RollbackTrigger}). The first trigger that fails
 * after its retries ends the chain: the triggers after it are not run, since they may depend on
 * it (roll back, then shift traffic) and a half-done rollback is for a person to finish; the
 * report names them. One rollback id for the whole run. The backoff between attempts waits on the
 * verification's time source ({@link Retrying}).
 */
final class RollbackRunner {
    /**
     * How long an attempt that reached the policy's timeout is still waited for before it is
     * interrupted: a trigger that enforces the same timeout itself (a command is killed at it, which
     * takes up to about 3 s) then ends on its own and reports what it printed, which says what the
     * attempt changed; interrupted, it could not.
     */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * How long a trigger told to stop (the caller interrupted the rollback) is waited for, for what
     * it printed: a command is killed with its children within about 3 s.
     */
    static final long STOP_GRACE_MILLIS = 4000;

    /**
     * Set on the thread that runs a trigger's attempt, while it runs: the method of
     * {@link DeployVerifier} whose verification or rehearsal runs it.
     */
    private static final ThreadLocal<String> IN_TRIGGER = new ThreadLocal<>();

    /**
     * Refuses a verification started from inside a rollback trigger's attempt: it would wait for
     * the very rollback that waits for it (a deadlock until the rollback's timeout), or, not
     * sharing it, roll back again and again, once per level.
     *
     * @throws IllegalStateException when the calling thread runs a rollback trigger
     */
    static void refuseInsideTrigger(String call) {
        String outer = IN_TRIGGER.get();
        if (outer != null) {
            throw new IllegalStateException(call + " was called from inside a rollback trigger: a trigger must"
                    + " not start a verification or a rehearsal (it would wait for the rollback that runs it, or roll"
                    + " back again); start it after " + outer + " has returned");
        }
    }

    private final String rollbackId;
    private final Deployment deployment;
    private final Verdict verdict;
    private final String reason;
    private final RollbackPolicy policy;
    private final ExecutorService executor;
    private final TimeSource time;
    private final WallClock clock;
    /** The method of {@link DeployVerifier} whose verification or rehearsal this rollback is of. */
    private final String call;

    /**
     * @param time the verification's: the backoff between attempts waits on it
     * @param clock the wall clock of {@code time}: the report's and the events' times come from it
     * @param call the method of {@link DeployVerifier} whose verification or rehearsal rolls back
     */
    RollbackRunner(Deployment deployment, Verdict verdict, String reason, RollbackPolicy policy,
            ExecutorService executor, TimeSource time, WallClock clock, String call) {
        this.rollbackId = UUID.randomUUID().toString();
        this.deployment = deployment;
        this.verdict = verdict;
        this.reason = reason;
        this.policy = policy;
        this.executor = executor;
        this.time = time;
        this.clock = clock;
        this.call = call;
    }

    /**
     * Runs the triggers in order until one fails.
     *
     * @param started when the rollback began, on the wall clock
     * @param startedNanos the monotonic reading taken with {@code started}: the end is read from it,
     *     so that the duration survives a step of the wall clock
     */
    RollbackReport run(List<RollbackTrigger> triggers, String description, Instant started, long startedNanos) {
        StringBuilder output = new StringBuilder();
        int attemptsInAll = 0;
        for (int i = 0; i < triggers.size(); i++) {
            RollbackTrigger trigger = triggers.get(i);
            AtomicInteger attempts = new AtomicInteger();
            AtomicReference<String> idempotentFailed = new AtomicReference<>();
            RetryConfig config = RetryConfig.custom()
                    .maxAttempts(policy.maxAttempts())
                    .intervalFunction(Retrying.backoff(policy.backoff()))
                    .retryOnException(e -> worthAnotherAttempt(trigger, e, idempotentFailed))
                    .failAfterMaxAttempts(false)
                    .build();
            Retry retry = Retry.of("vigil-rollback", config);
            try {
                String out = Retrying.call(retry, time, () -> attempt(trigger, attempts, output));
                append(output, trigger, attempts.get(), out);
                attemptsInAll += attempts.get();
            } catch (Exception e) {
                attemptsInAll += attempts.get();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                String error = (attempts.get() == 0 ? describe(trigger) + " was not started: " + e.getMessage()
                        : describe(trigger) + " failed after " + attempts.get()
                                + (attempts.get() == 1 ? " attempt: " : " attempts: ") + failure(e, startedNanos))
                        + (idempotentFailed.get() == null ? "" : "; and idempotent() failed: " + idempotentFailed.get()
                                + ", so it was taken as not idempotent and not tried again")
                        + notRun(triggers.subList(i + 1, triggers.size()));
                // No id when nothing ran, as RollbackReport documents.
                return new RollbackReport(RollbackOutcome.FAILED, description, attemptsInAll, output.toString().strip(),
                        error, started, clock.after(started, startedNanos), attemptsInAll == 0 ? null : rollbackId);
            }
        }
        return new RollbackReport(RollbackOutcome.ROLLED_BACK, description, attemptsInAll, output.toString().strip(),
                null, started, clock.after(started, startedNanos), rollbackId);
    }

    /**
     * Whether a failed attempt may be tried again: never after an interrupt (the caller ending the
     * verification) or a failure declared final; after any other failure only when the trigger is
     * idempotent or declared that nothing was changed.
     */
    private static boolean worthAnotherAttempt(RollbackTrigger trigger, Throwable e, AtomicReference<String> idempotentFailed) {
        if (e instanceof InterruptedException) {
            return false;
        }
        if (e instanceof RollbackException r) {
            return r.retryable();
        }
        return idempotent(trigger, idempotentFailed);
    }

    /**
     * {@link RollbackTrigger#idempotent()}, or {@code false} when it throws: then nobody knows
     * whether a repeat is safe, so none runs. Its failure is kept in {@code failed} for the report,
     * beside the trigger's own error, which stays the one reported.
     */
    private static boolean idempotent(RollbackTrigger trigger, AtomicReference<String> failed) {
        try {
            return trigger.idempotent();
        } catch (Exception | Error e) {
            // Checked exceptions too: a plug-in may throw them without declaring them.
            failed.compareAndSet(null, VigilException.describe(e));
            return false;
        }
    }

    /**
     * What the last attempt said; for an interrupt while it ran, how long into the rollback it came
     * (not when the stopped trigger ended), that the trigger was told to stop and that nobody knows
     * how far it got; for an interrupt while
     * waiting to try again, that attempt's own failure (which {@link Retrying#call} keeps in it)
     * and that no other attempt ran because of it.
     */
    private String failure(Exception e, long startedNanos) {
        if (e instanceof StoppedWhileRunning stopped) {
            long at = stopped.atNanos;
            String after = startedNanos == WallClock.NO_READING || at == WallClock.NO_READING ? ""
                    : " after " + Durations.format(Duration.ofNanos(Math.max(0, at - startedNanos)));
            return "the rollback was interrupted" + after + " while it ran (the verification was stopped), and the"
                    + " trigger was told to stop: a command's process is stopped with its children; how far it got is"
                    + " unknown: check by hand which version runs";
        }
        if (e instanceof InterruptedException && e.getSuppressed().length > 0) {
            return VigilException.describe(e.getSuppressed()[0])
                    + "; not tried again: the verification was interrupted while waiting to try again";
        }
        return VigilException.describe(e);
    }

    private static String notRun(List<RollbackTrigger> rest) {
        if (rest.isEmpty()) {
            return "";
        }
        return "; not run after it: " + String.join("; ", rest.stream().map(RollbackRunner::describe).toList());
    }

    /**
     * A trigger's {@link RollbackTrigger#description()}, or its class's name when that throws: a
     * trigger whose description fails must still roll back.
     */
    static String describe(RollbackTrigger trigger) {
        try {
            return trigger.description();
        } catch (Exception | Error e) {
            // Checked exceptions too: a plug-in may throw them without declaring them.
            return trigger.getClass().getName() + " (its description failed: " + VigilException.describe(e) + ")";
        }
    }

    private String attempt(RollbackTrigger trigger, AtomicInteger attempts, StringBuilder output) throws Exception {
        if (Thread.interrupted()) {
            // The caller stopped the verification before this attempt began: a trigger started now
            // would be cut short at once (or, if quick, run to its end for a caller who no longer
            // wants it), leaving a rollback nobody knows the state of. run() sets the flag again.
            throw new InterruptedException("the verification was interrupted before it began, so nothing was run");
        }
        int attempt = attempts.incrementAndGet();
        RollbackEvent event = new RollbackEvent(rollbackId, deployment, verdict, reason, attempt, clock.instant());
        AtomicReference<String> failedOutput = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        // The latest an attempt may run to, as the waits below allow it; an interrupt's grace ends there too.
        long deadline = System.nanoTime() + Durations.nanos(policy.timeout()) + GRACE_NANOS;
        Future<String> future = executor.submit(() -> {
            IN_TRIGGER.set(call);
            try {
                return trigger.execute(event);
            } catch (RollbackException e) {
                failedOutput.set(e.output());
                throw e;
            } finally {
                IN_TRIGGER.remove();
                ended.countDown();
            }
        });
        try {
            String out;
            try {
                out = future.get(Durations.nanos(policy.timeout()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                out = future.get(GRACE_NANOS, TimeUnit.NANOSECONDS);
            }
            return out == null ? "" : out;
        } catch (TimeoutException e) {
            // A trigger whose own timeout is longer than the policy's (a command made in Java with
            // another one) is interrupted: a command is then killed with its children and reports
            // what it printed, which says what it changed.
            future.cancel(true);
            append(output, trigger, attempt, outputWhenEnded(ended, failedOutput));
            throw new RollbackException("timed out after " + Durations.format(policy.timeout()), false, "");
        } catch (ExecutionException e) {
            throw failureOf(e, trigger, attempt, output);
        } catch (InterruptedException e) {
            // Read before the trigger is stopped: killing a command's tree and waiting for it takes
            // seconds, and how long the rollback ran says how far it got.
            long stoppedAt = clock.nanos();
            if (!policy.interruptGrace().isZero()) {
                return endedWithinGrace(future, trigger, attempt, output, ended, failedOutput, stoppedAt, deadline);
            }
            throw stop(future, trigger, attempt, output, ended, failedOutput, stoppedAt);
        }
    }

    /**
     * The attempt under way when the caller interrupted, waited for {@link RollbackPolicy#interruptGrace()}
     * more: cut in half, a {@code helm rollback} or {@code kubectl apply} may leave the service worse than
     * either version. Its own result when it ends within the grace, the interrupt set again for the caller
     * (no other attempt or trigger then starts); stopped as at once when it does not, or when the caller
     * interrupts again. The grace never takes the attempt past its timeout ({@code deadline}, on
     * {@link System#nanoTime()}): a trigger running past {@code rollback.timeout} is stopped, signal or not.
     */
    private String endedWithinGrace(Future<String> future, RollbackTrigger trigger, int attempt, StringBuilder output,
            CountDownLatch ended, AtomicReference<String> failedOutput, long stoppedAt, long deadline) throws Exception {
        String out;
        try {
            long wait = Math.min(Durations.nanos(policy.interruptGrace()), deadline - System.nanoTime());
            out = future.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException stillRunning) {
            throw stop(future, trigger, attempt, output, ended, failedOutput, stoppedAt);
        } catch (ExecutionException e) {
            Thread.currentThread().interrupt();
            throw failureOf(e, trigger, attempt, output);
        }
        Thread.currentThread().interrupt();
        return out == null ? "" : out;
    }

    /** Stops the attempt the caller interrupted, keeping what it printed. */
    private static StoppedWhileRunning stop(Future<String> future, RollbackTrigger trigger, int attempt,
            StringBuilder output, CountDownLatch ended, AtomicReference<String> failedOutput, long stoppedAt) {
        future.cancel(true);
        append(output, trigger, attempt, outputWhenStopped(ended, failedOutput));
        return new StoppedWhileRunning(stoppedAt);
    }

    /** The failure an attempt ended with, what it printed appended to {@code output}. */
    private static Exception failureOf(ExecutionException e, RollbackTrigger trigger, int attempt, StringBuilder output) {
        Throwable cause = e.getCause();
        if (cause instanceof RollbackException r) {
            append(output, trigger, attempt, r.output());
        }
        if (cause instanceof InterruptedException) {
            // The trigger's own (a library it calls was interrupted), not the caller's: thrown
            // on as it is, it set the caller's interrupt flag, and the re-check then said it
            // was interrupted and measured nothing.
            return new TriggerInterrupted(cause);
        }
        if (cause instanceof Exception ex) {
            return ex;
        }
        return new RollbackException(VigilException.describe(cause), false, "");
    }

    /**
     * What a trigger told to stop said as it ended (a command killed with its children reports what it
     * printed until then: what it changed), waited for at most {@link #STOP_GRACE_MILLIS} with the
     * caller's interrupt set aside; empty when it did not end in time or said nothing.
     */
    private static String outputWhenStopped(CountDownLatch ended, AtomicReference<String> failedOutput) {
        Thread.interrupted();
        return outputWhenEnded(ended, failedOutput);
    }

    /**
     * What a trigger told to stop said as it ended, waited for at most {@link #STOP_GRACE_MILLIS};
     * empty when it did not end in time or said nothing.
     */
    private static String outputWhenEnded(CountDownLatch ended, AtomicReference<String> failedOutput) {
        try {
            ended.await(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // Interrupted (again): no more waiting, and the interrupt is kept for the caller.
            Thread.currentThread().interrupt();
        }
        String out = failedOutput.get();
        return out == null ? "" : out;
    }

    /**
     * The caller's interrupt while a trigger ran: the trigger's thread was interrupted (a command's
     * process is then killed), so the rollback may be half done.
     */
    private static final class StoppedWhileRunning extends InterruptedException {
        private static final long serialVersionUID = 1L;
        /** The monotonic reading when the interrupt was seen, before the trigger was stopped. */
        private final long atNanos;

        StoppedWhileRunning(long atNanos) {
            super("the rollback was interrupted while it ran");
            this.atNanos = atNanos;
        }
    }

    /**
     * An {@link InterruptedException} a trigger threw on its own while the caller was not
     * interrupted: a failure of that attempt like any other, described as the trigger's.
     */
    private static final class TriggerInterrupted extends VigilException {
        private static final long serialVersionUID = 1L;

        TriggerInterrupted(Throwable cause) {
            super(VigilException.describe(cause) + " (thrown by the trigger; the verification was not interrupted)", cause);
        }
    }

    private static void append(StringBuilder output, RollbackTrigger trigger, int attempt, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        output.append("[").append(describe(trigger)).append(", attempt ").append(attempt).append("]\n")
                .append(text.strip()).append('\n');
    }
}
