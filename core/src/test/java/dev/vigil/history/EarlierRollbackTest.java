package dev.vigil.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which earlier rollback a verification is warned of, from the records alone. */
class EarlierRollbackTest {

    private static final Instant T = Instant.parse("2026-12-02T03:00:00Z");
    private static final Deployment V2 = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("production");
    private static final Deployment V21 = Deployment.of("checkout", "2.1.0", "1.9.0").withEnvironment("production");

    private static ReleaseRecord verified(String id, Deployment d, int startMinute, RollbackOutcome rollback) {
        Instant start = T.plusSeconds(60L * startMinute);
        boolean rolled = rollback != RollbackOutcome.NOT_NEEDED;
        return new ReleaseRecord(id, d, rolled ? Verdict.UNHEALTHY : Verdict.HEALTHY, "reason", rollback,
                rolled ? start.plusSeconds(120) : null, rolled ? start.plusSeconds(150) : null, RecheckReport.Status.NOT_RUN,
                start, rolled ? start.plusSeconds(120) : null, start.plusSeconds(180), List.of(), Map.of());
    }

    /**
     * Rule: the rollback of a run returns to its previous version; when the newest verification of
     * that version in the environment that decided ended UNHEALTHY, the run is warned, until a
     * verification of that version ends HEALTHY. Here a pipeline passed 2.0.0, the version it deployed
     * last, as the previous version of 2.1.0, though 2.0.0 was rolled back to 1.9.0.
     */
    @Test
    void aPreviousVersionFoundUnhealthyIsWarnedOfUntilItIsFoundHealthy() {
        Deployment aimedAtTheBadOne = Deployment.of("checkout", "2.1.0", "2.0.0").withEnvironment("production");
        ReleaseRecord bad = verified("v-1", V2, 0, RollbackOutcome.ROLLED_BACK);

        assertThat(EarlierRollback.unhealthyPrevious(aimedAtTheBadOne, List.of(bad))).hasValueSatisfying(w -> assertThat(w)
                .startsWith("the version a rollback of this run returns to, checkout 2.0.0 in production, was found UNHEALTHY"
                        + " by the verification that started at 2026-12-02 03:00 UTC (verification v-1, which rolled it back to"
                        + " 1.9.0), and none has found it healthy since: a rollback would bring back a version found bad"));
        assertThat(EarlierRollback.unhealthyPrevious(V21, List.of(bad))).as("aimed at 1.9.0, which nothing found bad").isEmpty();
        assertThat(EarlierRollback.unhealthyPrevious(Deployment.of("checkout", "2.1.0").withEnvironment("production"), List.of(bad)))
                .as("no previous version").isEmpty();

        ReleaseRecord fixedAndHealthy = verified("v-2", V2, 30, RollbackOutcome.NOT_NEEDED);
        assertThat(EarlierRollback.unhealthyPrevious(aimedAtTheBadOne, List.of(bad, fixedAndHealthy))).isEmpty();
        ReleaseRecord badAgain = verified("v-3", V2, 60, RollbackOutcome.ROLLED_BACK);
        assertThat(EarlierRollback.unhealthyPrevious(aimedAtTheBadOne, List.of(bad, fixedAndHealthy, badAgain)))
                .hasValueSatisfying(w -> assertThat(w).contains("(verification v-3, which rolled it back to 1.9.0)"));
    }

    @Test
    void aRollbackRowLeftUnfinishedWhoseVerificationWasRecordedIsNoKilledRollback() {
        // The end could not be written (the database hiccuped), the verification's record could.
        ReleaseRecord rolledBack = verified("v-1", V2, 0, RollbackOutcome.ROLLED_BACK);
        RollbackRecord row = RollbackRecord.started("rb-1", V2, rolledBack.rollbackStartedAt());

        assertThat(EarlierRollback.warning(V21, List.of(rolledBack), List.of(row), List.of())).isEmpty();
        assertThat(EarlierRollback.warning(V2, List.of(rolledBack), List.of(row), List.of())).hasValueSatisfying(w -> assertThat(w)
                .startsWith("checkout 2.0.0 was rolled back to 1.9.0 in production at 2026-12-02 03:02 UTC (verification v-1)"));
    }

    @Test
    void onlyTheNewestRollbackCountsAndAnyVerificationAfterItClearsIt() {
        ReleaseRecord first = verified("v-1", V2, 0, RollbackOutcome.ROLLED_BACK);
        ReleaseRecord second = verified("v-2", V21, 10, RollbackOutcome.ROLLED_BACK);
        assertThat(EarlierRollback.warning(V2, List.of(first, second), List.of(), List.of())).isEmpty();
        assertThat(EarlierRollback.warning(V21, List.of(first, second), List.of(), List.of())).isPresent();

        ReleaseRecord after = verified("v-3", Deployment.of("checkout", "1.9.0").withEnvironment("production"), 20,
                RollbackOutcome.NOT_NEEDED);
        assertThat(EarlierRollback.warning(V21, List.of(first, second, after), List.of(), List.of())).isEmpty();
    }

    @Test
    void aRehearsalRolledBackTooUntilAVerificationStartsAfterIt() {
        Deployment staging = V2.withEnvironment("staging");
        RehearsalRecord rehearsal = new RehearsalRecord("rh-1", staging, dev.vigil.RehearsalReport.Outcome.REHEARSED, "rehearsed",
                RollbackOutcome.ROLLED_BACK, RecheckReport.Status.HEALTHY, T.plusSeconds(60), T.plusSeconds(120));
        ReleaseRecord before = verified("v-0", staging, 0, RollbackOutcome.NOT_NEEDED);

        assertThat(EarlierRollback.warning(staging, List.of(before), List.of(), List.of(rehearsal))).hasValueSatisfying(w -> assertThat(w)
                .startsWith("checkout 2.0.0 was rolled back to 1.9.0 in staging at 2026-12-02 03:01 UTC (rehearsal rh-1) and no"
                        + " verification is recorded since"));
        ReleaseRecord after = verified("v-1", staging, 5, RollbackOutcome.NOT_NEEDED);
        assertThat(EarlierRollback.warning(staging, List.of(before, after), List.of(), List.of(rehearsal))).isEmpty();
    }

    @Test
    void aRollbackRowWithoutAnyRecordWarnsOfARollbackOfAnyVersionUntilAVerificationStartsAfterIt() {
        ReleaseRecord before = verified("v-0", V21, 0, RollbackOutcome.NOT_NEEDED);
        RollbackRecord killed = RollbackRecord.started("rb-1", V2, T.plusSeconds(600));

        assertThat(EarlierRollback.warning(V21, List.of(before), List.of(killed), List.of())).hasValueSatisfying(w -> assertThat(w)
                .startsWith("a rollback of checkout 2.0.0 to 1.9.0 in production started at 2026-12-02 03:10 UTC and never finished"));
        ReleaseRecord after = verified("v-1", V21, 11, RollbackOutcome.NOT_NEEDED);
        assertThat(EarlierRollback.warning(V21, List.of(before, after), List.of(killed), List.of())).isEmpty();
    }

    @Test
    void aRollbackThatFailedIsWarnedOfWhenItsVersionIsVerifiedAgain() {
        // A failed rollback may have changed part of what runs: a verification of the same version
        // measures an unknown mix, and says so. Another version was deployed over it: no warning.
        ReleaseRecord failed = verified("v-1", V2, 0, RollbackOutcome.FAILED);
        RollbackRecord row = RollbackRecord.started("rb-1", V2, failed.rollbackStartedAt())
                .finish(failed.rollbackFinishedAt(), RollbackOutcome.FAILED);

        for (List<RollbackRecord> rows : List.of(List.of(row), List.<RollbackRecord>of())) {
            assertThat(EarlierRollback.warning(V2, List.of(failed), rows, List.of())).hasValueSatisfying(w -> assertThat(w)
                    .isEqualTo("the rollback of checkout 2.0.0 to 1.9.0 in production that started at 2026-12-02 03:02 UTC"
                            + " (verification v-1) failed, and no verification is recorded since: unless 2.0.0 was deployed"
                            + " again, how far the rollback got is unknown and this run may measure 2.0.0, 1.9.0 or a mix of"
                            + " them; find which version runs before trusting this verdict (docs/rollback.md)"));
            assertThat(EarlierRollback.warning(V21, List.of(failed), rows, List.of())).isEmpty();
        }
        ReleaseRecord after = verified("v-2", V2, 10, RollbackOutcome.NOT_NEEDED);
        assertThat(EarlierRollback.warning(V2, List.of(failed, after), List.of(row), List.of())).isEmpty();
    }

    @Test
    void aRehearsalsRollbackRowIsNamedAfterTheRehearsalAndEndsWithItsRecord() {
        Deployment staging = V2.withEnvironment("staging");
        RehearsalRecord rehearsal = new RehearsalRecord("rh-1", staging, dev.vigil.RehearsalReport.Outcome.REHEARSED, "rehearsed",
                RollbackOutcome.ROLLED_BACK, RecheckReport.Status.HEALTHY, T.plusSeconds(60), T.plusSeconds(180));
        RollbackRecord row = RollbackRecord.started("rb-1", staging, T.plusSeconds(61));

        // Its end could not be written, the rehearsal's record could: no killed rollback.
        assertThat(EarlierRollback.warning(staging, List.of(), List.of(row), List.of(rehearsal))).hasValueSatisfying(w -> assertThat(w)
                .startsWith("checkout 2.0.0 was rolled back to 1.9.0 in staging at 2026-12-02 03:01 UTC (rehearsal rh-1) and no"));
        RollbackRecord ended = row.finish(T.plusSeconds(90), RollbackOutcome.ROLLED_BACK);
        assertThat(EarlierRollback.warning(staging, List.of(), List.of(ended), List.of(rehearsal))).hasValueSatisfying(w -> assertThat(w)
                .contains("(rehearsal rh-1)"));
        // Killed during the rehearsal: no record of it, the row without an end.
        assertThat(EarlierRollback.warning(staging, List.of(), List.of(row), List.of())).hasValueSatisfying(w -> assertThat(w)
                .startsWith("a rollback of checkout 2.0.0 to 1.9.0 in staging started at 2026-12-02 03:01 UTC and never finished"));
    }
}
