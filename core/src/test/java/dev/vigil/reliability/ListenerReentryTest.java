package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.RecheckPlan;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A listener that verifies again the deployment it is told about started a chain of nested
 * verifications (129 in 3 s), each rolling back on its own when there was no environment. Such a
 * call is refused with an {@link IllegalStateException}; a verification of another service from a
 * listener stays allowed.
 */
class ListenerReentryTest {

    private static final VerificationPlan PLAN = VerificationPlan.defaults()
            .withInterval(Duration.ofMillis(20)).withDuration(Duration.ofMillis(40));
    /** Bounds the chain when nothing refuses it, so that the test ends either way. */
    private static final int MOST_NESTED = 3;

    private static DeployVerifier verifier(AtomicInteger rollbacks, VerificationListener listener) {
        return DeployVerifier.builder().plan(PLAN).probe("health", ScriptedProbe.of(Outcome.FAIL)).recheck(RecheckPlan.off())
                .rollback(event -> "rolled back " + rollbacks.incrementAndGet()).listener(listener).build();
    }

    /** A listener whose {@code started} verifies what {@code nested} names with the verifier it is given. */
    private static final class Nesting implements VerificationListener {
        final AtomicReference<DeployVerifier> verifier = new AtomicReference<>();
        final List<Deployment> started = new CopyOnWriteArrayList<>();
        final List<Object> nestedResults = new CopyOnWriteArrayList<>();
        private final Function<Deployment, Deployment> nested;
        private final Call call;

        Nesting(Function<Deployment, Deployment> nested) {
            this(nested, java.util.concurrent.Callable::call);
        }

        Nesting(Function<Deployment, Deployment> nested, Call call) {
            this.nested = nested;
            this.call = call;
        }

        @Override
        public void started(Deployment deployment, VerificationPlan plan) {
            started.add(deployment);
            Deployment next = nested.apply(deployment);
            if (next == null || started.size() > MOST_NESTED) {
                return;
            }
            try {
                nestedResults.add(call.call(() -> verifier.get().verifyAfterDeploy(next)));
            } catch (Exception e) {
                nestedResults.add(e);
            }
        }
    }

    /** How a listener makes its nested call: on its own thread, or handed to another one. */
    @FunctionalInterface
    private interface Call {
        VerificationReport call(java.util.concurrent.Callable<VerificationReport> verification) throws Exception;
    }

    @ParameterizedTest(name = "environment: {0}")
    @ValueSource(strings = {"", "prod"})
    void aListenerThatVerifiesTheDeploymentItIsToldAboutIsRefusedAndTheDeploymentRollsBackOnce(String environment) {
        Deployment deployment = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment(environment.isEmpty() ? null : environment);
        AtomicInteger rollbacks = new AtomicInteger();
        Nesting listener = new Nesting(d -> d);
        listener.verifier.set(verifier(rollbacks, listener));

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> listener.verifier.get().verifyAfterDeploy(deployment));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(listener.started).as("no nested verification started").containsExactly(deployment);
        assertThat(rollbacks).hasValue(1);
        assertThat(listener.nestedResults).singleElement().isInstanceOfSatisfying(IllegalStateException.class,
                e -> assertThat(e.getMessage()).startsWith("verifyAfterDeploy of checkout"
                        + (environment.isEmpty() ? "" : " in prod") + " was called from a listener of the verification of"
                        + " that deployment").contains("start it after verifyAfterDeploy has returned"));
    }

    @Test
    void aListenerMayVerifyAnotherService() {
        AtomicInteger rollbacks = new AtomicInteger();
        Nesting listener = new Nesting(d -> d.service().equals("checkout") ? Deployment.of("payments", "7.0", "6.9") : null);
        listener.verifier.set(verifier(rollbacks, listener));

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> listener.verifier.get().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0")));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(listener.started).extracting(Deployment::service).containsExactly("checkout", "payments");
        assertThat(listener.nestedResults).singleElement().isInstanceOfSatisfying(VerificationReport.class,
                nested -> assertThat(nested.deployment().service()).isEqualTo("payments"));
        assertThat(rollbacks).hasValue(2);
    }

    /**
     * A listener that hands the verification of the deployment it is told about to another thread and
     * waits for it ({@code executor.submit(() -> verifier.verifyAfterDeploy(d)).get()}) is not
     * caught: the call comes from a thread that runs no listener, as a second pipeline's would, and a
     * second verification of a deployment under way in this JVM is allowed (it shares the rollback,
     * see {@code RollbackCoordinator}). What it does, as docs/api.md says: no deadlock, since the
     * bake never waits for a listener's {@code started}, and a chain of verifications, each judging
     * and rolling back on its own (or sharing a rollback under way), ended only by the listener.
     * Bounded in time, so that a deadlock fails the test instead of hanging it.
     */
    @ParameterizedTest(name = "environment: {0}")
    @ValueSource(strings = {"", "prod"})
    void aListenerThatHandsTheVerificationToAnotherThreadNeitherDeadlocksNorIsCaught(String environment) {
        Deployment deployment = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment(environment.isEmpty() ? null : environment);
        AtomicInteger rollbacks = new AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            Nesting listener = new Nesting(d -> d, next -> pool.submit(next).get());
            listener.verifier.set(verifier(rollbacks, listener));

            VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                VerificationReport outer = listener.verifier.get().verifyAfterDeploy(deployment);
                while (listener.nestedResults.size() < MOST_NESTED) {
                    Thread.sleep(10);
                }
                return outer;
            });

            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
            assertThat(listener.started).as("each nested verification started, ended only by the listener")
                    .hasSize(MOST_NESTED + 1).containsOnly(deployment);
            assertThat(listener.nestedResults).hasSize(MOST_NESTED).allSatisfy(nested -> assertThat(nested)
                    .isInstanceOfSatisfying(VerificationReport.class, r -> assertThat(r.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK)));
            // Without an environment each rolls back on its own; with one, those under way at once share
            // a rollback, as many as the timing makes (one to all).
            if (environment.isEmpty()) {
                assertThat(rollbacks).as("rollbacks run").hasValue(MOST_NESTED + 1);
            } else {
                assertThat(rollbacks.get()).as("rollbacks run").isBetween(1, MOST_NESTED + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A nested verifyThenWatch was refused with a message that named verifyAfterDeploy, a call nobody made. */
    @Test
    void aNestedVerifyThenWatchIsRefusedNamingVerifyThenWatch() {
        AtomicInteger rollbacks = new AtomicInteger();
        List<Object> refusals = new CopyOnWriteArrayList<>();
        AtomicReference<DeployVerifier> verifier = new AtomicReference<>();
        VerificationListener watching = new VerificationListener() {
            @Override
            public void started(Deployment deployment, VerificationPlan plan) {
                try {
                    refusals.add(verifier.get().verifyThenWatch(deployment));
                } catch (IllegalStateException e) {
                    refusals.add(e);
                }
            }
        };
        verifier.set(verifier(rollbacks, watching));

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.get().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0")));

        assertThat(refusals).singleElement().isInstanceOfSatisfying(IllegalStateException.class,
                e -> assertThat(e.getMessage()).startsWith("verifyThenWatch of checkout was called from a listener"));
        assertThat(rollbacks).hasValue(1);

        // The same from inside a rollback trigger.
        List<Object> fromTrigger = nestedInTrigger(v -> v.verifyThenWatch(Deployment.of("payments", "7.0", "6.9")),
                v -> v.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0")));

        assertThat(fromTrigger).singleElement().isInstanceOfSatisfying(IllegalStateException.class,
                e -> assertThat(e.getMessage()).startsWith("verifyThenWatch was called from inside a rollback trigger"));
    }

    /** A call nested in a verifyThenWatch was told to wait for verifyAfterDeploy, a call nobody made. */
    @Test
    void aCallNestedInVerifyThenWatchIsToldToWaitForVerifyThenWatch() {
        AtomicInteger rollbacks = new AtomicInteger();
        Nesting listener = new Nesting(d -> d);
        listener.verifier.set(verifier(rollbacks, listener));

        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> listener.verifier.get().verifyThenWatch(Deployment.of("checkout", "2.4.1", "2.4.0")).bake());

        assertThat(listener.nestedResults).singleElement().isInstanceOfSatisfying(IllegalStateException.class,
                e -> assertThat(e.getMessage()).endsWith("; start it after verifyThenWatch has returned"));

        // The same from inside a rollback trigger.
        List<Object> fromTrigger = nestedInTrigger(v -> v.verifyAfterDeploy(Deployment.of("payments", "7.0", "6.9")),
                v -> v.verifyThenWatch(Deployment.of("checkout", "2.4.1", "2.4.0")).bake());

        assertThat(fromTrigger).singleElement().isInstanceOfSatisfying(IllegalStateException.class,
                e -> assertThat(e.getMessage()).startsWith("verifyAfterDeploy was called from inside a rollback trigger")
                        .endsWith("; start it after verifyThenWatch has returned"));
    }

    /**
     * What {@code nested} gave, or the {@link IllegalStateException} it threw, called from the
     * rollback trigger of the unhealthy verification that {@code outer} starts.
     */
    private static List<Object> nestedInTrigger(Function<DeployVerifier, Object> nested, java.util.function.Consumer<DeployVerifier> outer) {
        List<Object> fromTrigger = new CopyOnWriteArrayList<>();
        AtomicReference<DeployVerifier> triggering = new AtomicReference<>();
        triggering.set(DeployVerifier.builder().plan(PLAN).probe("health", ScriptedProbe.of(Outcome.FAIL)).recheck(RecheckPlan.off())
                .rollback(event -> {
                    try {
                        fromTrigger.add(nested.apply(triggering.get()));
                    } catch (IllegalStateException e) {
                        fromTrigger.add(e);
                    }
                    return "rolled back";
                }).build());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> outer.accept(triggering.get()));
        return fromTrigger;
    }
}
