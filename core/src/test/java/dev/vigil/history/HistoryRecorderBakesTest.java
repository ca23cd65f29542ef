package dev.vigil.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.VerificationPlan;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A recorder that lives as long as a release service (the library embedded in a deploy bot) keeps
 * the bakes a watch may follow: one per service and environment, not one per verification.
 */
class HistoryRecorderBakesTest {

    /** A store in memory that keeps what it is given. */
    private static final class Memory implements HistoryStore {
        final List<ReleaseRecord> releases = new ArrayList<>();

        @Override
        public synchronized boolean record(ReleaseRecord record) {
            return releases.add(record);
        }

        @Override
        public boolean record(RehearsalRecord record) {
            return true;
        }

        @Override
        public synchronized List<ReleaseRecord> releases(HistoryQuery query) {
            return List.copyOf(releases);
        }

        @Override
        public List<RehearsalRecord> rehearsals(HistoryQuery query) {
            return List.of();
        }

        @Override
        public String description() {
            return "memory";
        }
    }

    @Test
    void aThousandVerificationsOfTwoServicesKeepTwoBakes() {
        Memory store = new Memory();
        HistoryRecorder recorder = HistoryRecorder.to(store);
        DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofSeconds(10)).withInterval(Duration.ofSeconds(10)))
                .timeSource(VirtualTime.start())
                .probe("health", ScriptedProbe.passing())
                .rollback(RollbackTriggers.callback("record", e -> { }))
                .listener(recorder)
                .build();
        for (int i = 0; i < 500; i++) {
            verifier.verifyAfterDeploy(Deployment.of("checkout", "1." + i).withEnvironment("production"));
            verifier.verifyAfterDeploy(Deployment.of("orders", "2." + i).withEnvironment("production"));
        }

        assertThat(store.releases).hasSize(1000);
        assertThat(recorder.keptBakes()).isEqualTo(2);
    }
}
