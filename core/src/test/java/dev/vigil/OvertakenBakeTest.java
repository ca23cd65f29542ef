package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A pipeline deploys and verifies checkout 2.1.0 while the bake of 2.0.0 still runs (in virtual
 * time: a bake of one minute, a round every 10 s). From then on the service runs 2.1.0: the older
 * bake's rounds would measure it, and its rollback ({@code rollout undo}) would undo it.
 */
class OvertakenBakeTest {

    private static final Deployment OLDER = Deployment.of("checkout", "2.0.0", "1.0.0").withEnvironment("production");
    private static final Deployment NEWER = Deployment.of("checkout", "2.1.0", "2.0.0").withEnvironment("production");

    private final RollbackCoordinator coordinator = RollbackCoordinator.create();
    private final List<String> undone = new CopyOnWriteArrayList<>();
    private final RollbackTrigger undo = RollbackTriggers.callback("kubectl rollout undo",
            e -> undone.add(e.deployment().version()));

    @Test
    void aBakeOvertakenByANewerVersionEndsBeforeItsNextRoundWithoutRollingBack() {
        AtomicInteger calls = new AtomicInteger();
        // Round 2 of 2.0.0's bake: 2.1.0 is deployed and verified (healthy). From round 3 on, what
        // the probe sees fails: whatever it is, it is no longer 2.0.0.
        Probe probe = context -> {
            int n = calls.incrementAndGet();
            if (n == 2) {
                assertThat(verifyNewer(NEWER).verdict()).isEqualTo(Verdict.HEALTHY);
            }
            return n >= 3 ? ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false") : ProbeResult.pass(Map.of(), "ok");
        };

        VerificationReport older = verifier(probe).verifyAfterDeploy(OLDER);

        assertThat(older.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(older.reason()).contains("verification stopped after round 2: superseded by the verification of checkout 2.1.0")
                .contains("nothing was rolled back");
        assertThat(older.rounds()).isEqualTo(2);
        assertThat(calls).as("no round of 2.0.0's bake measured 2.1.0").hasValue(2);
        assertThat(older.probes()).singleElement().satisfies(p -> assertThat(p.status())
                .as("a probe of a bake cut short is not settled as passed").isEqualTo(ProbeReport.Status.NOT_DECIDED));
        assertThat(older.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(undone).isEmpty();
    }

    @Test
    void anUnhealthyDecisionTakenAfterANewerVersionStartedIsNotRolledBack() {
        AtomicInteger calls = new AtomicInteger();
        // The newer version is verified while the round that fails is being measured: the
        // decision is unhealthy, but the rollback would now undo 2.1.0.
        Probe probe = context -> {
            int n = calls.incrementAndGet();
            if (n == 3) {
                verifyNewer(NEWER);
                return ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false");
            }
            return ProbeResult.pass(Map.of(), "ok");
        };

        VerificationReport older = verifier(probe).verifyAfterDeploy(OLDER);

        assertThat(older.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(older.reason()).contains("status(503) == 200 is false")
                .contains("not rolled back: superseded by the verification of checkout 2.1.0, which started during the bake,"
                        + " and a rollback now would undo it");
        assertThat(older.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(undone).isEmpty();
    }

    @Test
    void withoutAnEnvironmentNothingOvertakes() {
        // Two verifications of one service with no environment may be two unnamed regions: as for
        // sharing a rollback, nothing is assumed.
        AtomicInteger calls = new AtomicInteger();
        Probe probe = context -> {
            int n = calls.incrementAndGet();
            if (n == 2) {
                verifyNewer(Deployment.of("checkout", "2.1.0", "2.0.0"));
            }
            return n >= 3 ? ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false") : ProbeResult.pass(Map.of(), "ok");
        };

        VerificationReport older = verifier(probe).verifyAfterDeploy(Deployment.of("checkout", "2.0.0", "1.0.0"));

        assertThat(older.verdict()).as(older.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(undone).containsExactly("2.0.0");
    }

    @Test
    void anotherVerificationOfTheSameVersionOrOfAnotherOrNoEnvironmentDoesNotStopTheBake() {
        AtomicInteger calls = new AtomicInteger();
        Probe probe = context -> {
            int n = calls.incrementAndGet();
            if (n == 2) {
                verifyNewer(OLDER);
                verifyNewer(Deployment.of("checkout", "2.1.0", "2.0.0").withEnvironment("staging"));
                verifyNewer(Deployment.of("checkout", "2.1.0", "2.0.0"));
            }
            return n >= 3 ? ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false") : ProbeResult.pass(Map.of(), "ok");
        };

        VerificationReport older = verifier(probe).verifyAfterDeploy(OLDER);

        assertThat(older.verdict()).as(older.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(older.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(undone).containsExactly("2.0.0");
    }

    @Test
    void aRollbackRehearsalOfTheVersionBeingBakedEndsTheBakeBeforeItsNextRound() {
        // A rehearsal in staging rolls 2.0.0 back to 1.0.0 on purpose while 2.0.0's bake there still
        // runs: from round 3 on the probe measures 1.0.0, which is healthy, and says nothing of 2.0.0.
        Deployment staged = Deployment.of("checkout", "2.0.0", "1.0.0").withEnvironment("staging");
        List<String> rehearsed = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Probe probe = context -> {
            if (calls.incrementAndGet() == 2) {
                RehearsalReport rehearsal = DeployVerifier.builder().probe("health", ctx -> ProbeResult.pass(Map.of(), "ok"))
                        .timeSource(VirtualTime.start()).rollbackCoordinator(RollbackCoordinator.create())
                        .rollback(RollbackTriggers.callback("rehearsed undo", e -> rehearsed.add(e.deployment().version())))
                        .build().rehearseRollback(staged);
                assertThat(rehearsal.outcome()).as(rehearsal.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
            }
            return ProbeResult.pass(Map.of(), "ok");
        };

        VerificationReport bake = verifier(probe).verifyAfterDeploy(staged);

        assertThat(rehearsed).containsExactly("2.0.0");
        assertThat(bake.verdict()).as(bake.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(bake.reason()).contains("verification stopped after round 2: superseded by the rollback rehearsal of checkout 2.0.0,"
                + " which started during the bake and rolls it back to 1.0.0").contains("nothing was rolled back");
        assertThat(calls).as("no round of 2.0.0's bake measured 1.0.0").hasValue(2);
        assertThat(bake.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(undone).isEmpty();
    }

    private DeployVerifier verifier(Probe probe) {
        return DeployVerifier.builder().probe("health", probe)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .timeSource(VirtualTime.start()).rollbackCoordinator(coordinator).recheck(RecheckPlan.off()).rollback(undo)
                .build();
    }

    private VerificationReport verifyNewer(Deployment deployment) {
        return DeployVerifier.builder().probe("health", context -> ProbeResult.pass(Map.of(), "ok"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .timeSource(VirtualTime.start()).rollbackCoordinator(RollbackCoordinator.create()).rollback(undo).build()
                .verifyAfterDeploy(deployment);
    }
}
