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

        Nesting(Function<Deployment, Deployment> nested) {
            this.nested = nested;
        }

        @Override
        public void started(Deployment deployment, VerificationPlan plan) {
            started.add(deployment);
            Deployment next = nested.apply(deployment);
            if (next == null || started.size() > MOST_NESTED) {
                return;
            }
            try {
                nestedResults.add(verifier.get().verifyAfterDeploy(next));
            } catch (IllegalStateException e) {
                nestedResults.add(e);
            }
        }
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
}
