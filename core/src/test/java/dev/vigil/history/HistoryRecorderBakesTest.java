package dev.vigil.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.VerificationPlan;
import dev.vigil.reliability.LogCapture;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.MemoryHistoryStore;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A recorder that lives as long as a release service (the library embedded in a deploy bot) keeps
 * the bakes a watch may follow: one per service and environment, not one per verification.
 */
class HistoryRecorderBakesTest {

    @Test
    void aThousandVerificationsOfTwoServicesKeepTwoBakes() {
        MemoryHistoryStore store = new MemoryHistoryStore();
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

        assertThat(store.records()).hasSize(1000);
        assertThat(recorder.keptBakes()).isEqualTo(2);
    }

    @Test
    void aStoreFailureQuotingItsPasswordIsMaskedInTheLogAndTheNote() {
        String secret = "s3cr3t-pw-7791";
        HistoryStore failing = new HistoryStore() {
            @Override
            public boolean record(ReleaseRecord record) {
                throw new IllegalStateException("could not connect to jdbc:postgresql://db/vigil?user=ci&password=" + secret);
            }

            @Override
            public boolean record(RehearsalRecord record) {
                return false;
            }

            @Override
            public java.util.List<ReleaseRecord> releases(HistoryQuery query) {
                return java.util.List.of();
            }

            @Override
            public java.util.List<RehearsalRecord> rehearsals(HistoryQuery query) {
                return java.util.List.of();
            }

            @Override
            public String description() {
                return "a database that refuses";
            }
        };
        HistoryRecorder recorder = HistoryRecorder.to(failing);
        String log;
        try (LogCapture capture = LogCapture.start()) {
            DeployVerifier.builder()
                    .plan(VerificationPlan.defaults().withDuration(Duration.ofSeconds(10)).withInterval(Duration.ofSeconds(10)))
                    .timeSource(VirtualTime.start())
                    .probe("health", ScriptedProbe.passing())
                    .listener(recorder)
                    .build()
                    .verifyAfterDeploy(Deployment.of("checkout", "1.0"));
            log = capture.text();
        }

        assertThat(log).contains("could not be written").doesNotContain(secret);
        assertThat(recorder.lines()).singleElement().asString().startsWith("Warning: ").doesNotContain(secret);
    }

    @Test
    void rehearsalsThatCannotBeReadAreAWarningWithThePasswordMasked() {
        String secret = "s3cr3t-pw-4410";
        MemoryHistoryStore memory = new MemoryHistoryStore();
        HistoryStore rehearsalsFail = new HistoryStore() {
            @Override
            public boolean record(ReleaseRecord record) {
                return memory.record(record);
            }

            @Override
            public boolean record(RehearsalRecord record) {
                return memory.record(record);
            }

            @Override
            public java.util.List<ReleaseRecord> releases(HistoryQuery query) {
                return memory.releases(query);
            }

            @Override
            public java.util.List<RehearsalRecord> rehearsals(HistoryQuery query) {
                throw new IllegalStateException("timeout reading jdbc:postgresql://db/vigil?user=ci&password=" + secret);
            }

            @Override
            public String description() {
                return "a database whose rehearsals time out";
            }
        };
        HistoryRecorder recorder = HistoryRecorder.to(rehearsalsFail);

        DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofSeconds(10)).withInterval(Duration.ofSeconds(10)))
                .timeSource(VirtualTime.start())
                .probe("health", ScriptedProbe.passing())
                .listener(recorder)
                .build()
                .verifyAfterDeploy(Deployment.of("checkout", "1.0"));

        assertThat(memory.records()).hasSize(1);
        assertThat(recorder.lines()).singleElement().asString().startsWith("Warning: ")
                .contains("quiet release #1", "when its rollback was last rehearsed could not be read").doesNotContain(secret);
    }
}
