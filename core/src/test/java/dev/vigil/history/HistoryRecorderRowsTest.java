package dev.vigil.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.RecheckPlan;
import dev.vigil.StartLog;
import dev.vigil.VerificationPlan;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every row the recorder writes keeps the deployment redacted as the release records and the report
 * files do: the history is a database a team shares, and a label named like a credential
 * ({@code deploy-token}) or a credential in a label's URL must not reach it in clear through the
 * start log, the rollback rows or the rehearsals.
 */
class HistoryRecorderRowsTest {

    private static final String SECRET = "tok-5s9Qx41";

    private final List<Object> rows = new CopyOnWriteArrayList<>();

    private boolean keep(Object row) {
        return rows.add(row);
    }

    private final HistoryStore capturing = new HistoryStore() {
        @Override
        public boolean record(ReleaseRecord record) {
            return keep(record);
        }

        @Override
        public boolean record(RehearsalRecord record) {
            return keep(record);
        }

        @Override
        public List<ReleaseRecord> releases(HistoryQuery query) {
            return List.of();
        }

        @Override
        public List<RehearsalRecord> rehearsals(HistoryQuery query) {
            return List.of();
        }

        @Override
        public boolean rollbackStarted(RollbackRecord record) {
            return keep(record);
        }

        @Override
        public boolean rollbackFinished(RollbackRecord record) {
            return keep(record);
        }

        @Override
        public boolean started(StartLog.Start start) {
            return keep(start);
        }

        @Override
        public String description() {
            return "capturing";
        }
    };

    @Test
    void startRollbackAndRehearsalRowsKeepTheDeploymentRedacted() throws Exception {
        HistoryRecorder recorder = HistoryRecorder.to(capturing);
        Deployment deployment = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("staging")
                .withLabels(java.util.Map.of("deploy-token", SECRET, "pipeline", "https://ci:" + SECRET + "@ci.example/run/7"));
        try (DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofSeconds(10)).withInterval(Duration.ofSeconds(10)))
                .timeSource(VirtualTime.start())
                .recheck(RecheckPlan.off())
                .probe("health", ScriptedProbe.of(dev.vigil.Outcome.FAIL))
                .rollback(RollbackTriggers.callback("undo", e -> { }))
                .startLog(recorder.startLog())
                .listener(recorder)
                .build()) {
            verifier.verifyAfterDeploy(deployment);
            verifier.rehearseRollback(deployment);
        }
        // The start log records on a thread of its own.
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rows.stream().filter(StartLog.Start.class::isInstance).count() < 2 && System.nanoTime() < until) {
            Thread.sleep(10);
        }

        assertThat(rows).as("a start and a rollback row of each, the release and the rehearsal")
                .hasAtLeastOneElementOfType(StartLog.Start.class).hasAtLeastOneElementOfType(RollbackRecord.class)
                .hasAtLeastOneElementOfType(RehearsalRecord.class).hasAtLeastOneElementOfType(ReleaseRecord.class);
        assertThat(rows.stream().filter(StartLog.Start.class::isInstance).count()).isEqualTo(2);
        for (Object row : rows) {
            Deployment kept = row instanceof StartLog.Start s ? s.deployment()
                    : row instanceof RollbackRecord r ? r.deployment()
                    : row instanceof RehearsalRecord r ? r.deployment() : ((ReleaseRecord) row).deployment();
            assertThat(kept.labels().toString()).as(row.getClass().getSimpleName()).doesNotContain(SECRET);
            assertThat(kept.labels()).as(row.getClass().getSimpleName()).containsEntry("deploy-token", "[REDACTED]");
            assertThat(kept.version()).isEqualTo("2.4.1");
        }
    }
}
