package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodesTest {

    @ParameterizedTest(name = "{0} with rollback {1} exits {2}")
    @CsvSource({
        "HEALTHY, NOT_NEEDED, 0",
        "UNHEALTHY, ROLLED_BACK, 1",
        "UNHEALTHY, DRY_RUN, 1",
        "INCONCLUSIVE, NOT_NEEDED, 3",
        "UNHEALTHY, FAILED, 4",
        "ABORTED, NOT_NEEDED, 130"})
    void followsTheDesignTable(Verdict verdict, RollbackOutcome rollback, int code) {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        VerificationReport report = new VerificationReport(Deployment.of("checkout", "2.4.1"), VerificationPlan.defaults(),
                verdict, "because", List.of(), new RollbackReport(rollback, "", 0, "", null, null, null), List.of(), 1,
                now, null, now);

        assertThat(ExitCodes.of(report)).isEqualTo(code);
    }

    @ParameterizedTest(name = "a rehearsal {0} with rollback {1} exits {2}")
    @CsvSource({
        "REHEARSED, ROLLED_BACK, 0",
        "FAILED, FAILED, 4",
        "FAILED, ROLLED_BACK, 5",
        "ABORTED, NOT_NEEDED, 130"})
    void aRehearsalFollowsItsTable(RehearsalReport.Outcome outcome, RollbackOutcome rollback, int code) {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        RehearsalReport report = new RehearsalReport(outcome, "because", Deployment.of("checkout", "2.4.1").withEnvironment("staging"),
                new RollbackReport(rollback, "", 0, "", null, null, null), RecheckReport.notRun(), List.of(), now, now);

        assertThat(ExitCodes.of(report)).isEqualTo(code);
    }
}
