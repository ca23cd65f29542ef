package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackTriggers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void printsOneProgressLinePerRoundOutsideATerminal() {
        run(ConsoleProgress.builder(out).terminal(false).build(), null);
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).startsWith("Vigil: verifying checkout 2.4.1 (previous 2.4.0): 3 rounds every 10s for 30s\n")
                .contains("  0:00 / 0:30  round 1/3  health PASS  error-rate PASS\n")
                .contains("  0:10 / 0:30  round 2/3  health PASS  error-rate FAIL [1 fail]\n")
                .doesNotContain("\r");
    }

    @Test
    void rewritesTheProgressLineInPlaceOnATerminal() {
        run(ConsoleProgress.builder(out).terminal(true).build(), null);
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("\r  0:00 / 0:30  round 1/3  health PASS  error-rate PASS\r  0:10 / 0:30  round 2/3");
        assertThat(text).contains("[2 fail]\nRolling back checkout 2.4.1 to 2.4.0 ...\n");
    }

    @Test
    void closesWithVerdictReasonRollbackAndWhereTheReportsAre(@TempDir Path dir) {
        ReportWriter writer = ReportWriter.to(dir);
        run(ConsoleProgress.builder(out).terminal(false).reports(writer).build(), writer);
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("Verdict:  UNHEALTHY, rolled back\n")
                .contains("Reason:   probe error-rate failed 2 times (max-failures 1): value(0.5) > 0.01")
                .contains("Probes:   health NOT_DECIDED (3 pass, 0 fail, 0 inconclusive, 0 error), "
                        + "error-rate FAILED (1 pass, 2 fail, 0 inconclusive, 0 error)")
                .contains("Rollback: ROLLED_BACK (callback: undo) after 1 attempt\n")
                .contains("Re-check: UNHEALTHY: the previous version 2.4.0: probe error-rate failed 2 times (max-failures 1)")
                .contains("Next:     checkout was rolled back to 2.4.0, but the re-check did not find that version healthy"
                        + " either: A PERSON MUST LOOK NOW; find which version answers first (2.4.1 still answering means the"
                        + " rollback changed nothing).\n")
                .contains("Reports:  " + dir.toAbsolutePath().resolve("report.html")
                        + " (also report.json, report.xml, summary.md)\n");
    }

    @Test
    void marksTheExtraRoundsOfTheEndOfBakeRule() {
        // Two planned rounds; health errs in round 2, so it is measured again in an extra round 3.
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        dev.vigil.testkit.VirtualTime time = dev.vigil.testkit.VirtualTime.startingAt(SampleReports.START);
        DeployVerifier.builder()
                .probe("health", c -> calls.incrementAndGet() == 2 ? ProbeResult.error("connection refused")
                        : ProbeResult.pass(Map.of("status", 200), "status(200) == 200"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(20)))
                .timeSource(time)
                .listener(ConsoleProgress.builder(out).terminal(false).build())
                .build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("  0:10 / 0:20  round 2/2  health ERROR")
                .contains("  0:20 / 0:20  round 3 (extra: end-of-bake rule)  health PASS")
                .contains("Verdict:  HEALTHY");
    }

    @Test
    void aTextFromTheServiceCannotRewriteOrAddALineOfTheConsole() {
        // A JUnit probe's failure keeps the first line of the message up to '\n': a body with CRLF left
        // its '\r', which sent the terminal back to the start of "Reason:" to overwrite it; a '\n'
        // started a line of its own, and U+009B is a terminal's one-character escape (CSI).
        String said = "expected: <UP> but was: <DOWN\r\nVerdict:  HEALTHY\rNext:     2.4.1 can stay.\u009b2J\u0085>";
        DeployVerifier.builder()
                .probe("smoke", c -> ProbeResult.fail(Map.of(), said))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(10)))
                .rollback(RollbackTriggers.callback("undo", (RollbackTriggers.Callback) e -> { }))
                .timeSource(dev.vigil.testkit.VirtualTime.startingAt(SampleReports.START))
                .listener(ConsoleProgress.builder(out).terminal(true).build())
                .build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("Verdict:  UNHEALTHY, rolled back\n")
                .contains("<DOWN\\r\\nVerdict:  HEALTHY\\rNext:     2.4.1 can stay.\\u009b2J\\u0085>")
                .doesNotContain("\u009b").doesNotContain("\u0085");
        assertThat(text.lines()).noneMatch(line -> line.startsWith("Verdict:  HEALTHY") || line.startsWith("Next:     2.4.1 can stay"));
        // On a terminal only the progress line returns to its start, at the start of a line.
        assertThat(text.replace("\r  ", "")).doesNotContain("\r");
    }

    /** Round 1: all pass; rounds 2 and 3: error-rate fails; max-failures 1, so unhealthy in round 3. */
    /**
     * What took a verification's place is in its report ({@code supersededBy}), and the console's
     * {@code Next:} says so for a superseded watch (ABORTED) and bake (INCONCLUSIVE) alike: nothing
     * was rolled back, and the newer verification judges what runs now. A watch merely closed says
     * only that it was stopped.
     */
    @Test
    void nextSaysWhatTookTheVerificationsPlace() {
        ConsoleProgress console = ConsoleProgress.builder(out).terminal(false).build();
        console.finished(copy(SampleReports.healthy(), dev.vigil.Verdict.ABORTED, "watch stopped at round 3 of 60 with no limit broken:"
                + " superseded by the verification of checkout 2.4.2", VerificationReport.Phase.WATCH, "the verification of checkout 2.4.2"));
        console.finished(copy(SampleReports.healthy(), dev.vigil.Verdict.INCONCLUSIVE, "verification stopped after round 2:"
                + " superseded by the verification of checkout 2.4.2", VerificationReport.Phase.BAKE, "the verification of checkout 2.4.2"));
        console.finished(copy(SampleReports.healthy(), dev.vigil.Verdict.ABORTED, "watch stopped at round 3 of 60 with no limit broken:"
                + " closed", VerificationReport.Phase.WATCH, null));
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("Next:     nothing was rolled back: the verification of checkout 2.4.2 took this one's place,"
                        + " and judges what runs now; the bake's verdict of 2.4.1 stands.\n")
                .contains("Next:     nothing was rolled back: the verification of checkout 2.4.2 took this one's place,"
                        + " and judges what runs now.\n")
                .contains("Next:     the watch was stopped before its end; nothing was rolled back, and the bake's verdict stands.\n");
    }

    /**
     * A re-check cut short (a signal during it) or otherwise inconclusive found nothing unhealthy: the
     * {@code Next:} line asks to find which version answers without saying the previous version is
     * unhealthy "either", which before it said after a SIGTERM one round into the re-check.
     */
    @Test
    void nextAfterAnInconclusiveRecheckDoesNotCallThePreviousVersionUnhealthy() {
        VerificationReport cutShort = rolledBackThenRechecked(new dev.vigil.RecheckReport(dev.vigil.RecheckReport.Status.INCONCLUSIVE,
                "the re-check of the previous version 2.4.0 was interrupted after 1 round", 1, Duration.ofSeconds(10)));

        ConsoleProgress.builder(out).terminal(false).build().finished(cutShort);
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("Next:     checkout was rolled back to 2.4.0, but the re-check could not show that version"
                + " healthy (Re-check: above says why): A PERSON MUST LOOK NOW; find which version answers first (2.4.1 still"
                + " answering means the rollback changed nothing).\n")
                .doesNotContain("either");
    }

    /**
     * A rollback that finished within its signal grace, the re-check then cut before its first round:
     * the {@code Next:} line says the signal cut it, so which version answers was not measured.
     */
    @Test
    void nextAfterARecheckCutByTheSignalThatCameDuringTheRollbackSaysNothingWasMeasured() {
        VerificationReport cut = rolledBackThenRechecked(new dev.vigil.RecheckReport(dev.vigil.RecheckReport.Status.INCONCLUSIVE,
                "the re-check of the previous version 2.4.0 was interrupted after 0 rounds", 0, Duration.ofSeconds(10)));

        ConsoleProgress.builder(out).terminal(false).build().finished(cut);
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("Next:     checkout was rolled back to 2.4.0, but the re-check was cut short by the signal"
                + " (or the interrupt) that came while the rollback ran, so which version answers was not measured: A PERSON"
                + " MUST LOOK NOW; find which version answers first (2.4.1 still answering means the rollback changed nothing).\n");
    }

    /** The sample rolled-back verification with the re-check result {@code recheck}. */
    private static VerificationReport rolledBackThenRechecked(dev.vigil.RecheckReport recheck) {
        VerificationReport r = SampleReports.unhealthyRolledBack();
        return new VerificationReport(r.deployment(), r.plan(), r.verdict(), r.reason(), r.probes(), r.rollback(), r.recheck(),
                r.rounds(), r.startedAt(), r.detectedAt(), r.finishedAt(), r.schedule(), recheck, null, r.confirmations(),
                r.phase(), null);
    }

    private static VerificationReport copy(VerificationReport r, dev.vigil.Verdict verdict, String reason,
            VerificationReport.Phase phase, String supersededBy) {
        return new VerificationReport(r.deployment(), r.plan(), verdict, reason, r.probes(), r.rollback(), r.recheck(),
                r.rounds(), r.startedAt(), null, r.finishedAt(), r.schedule(), r.recheckResult(), null, r.confirmations(),
                phase, supersededBy);
    }

    private void run(ConsoleProgress console, ReportWriter writer) {
        dev.vigil.testkit.VirtualTime clock = dev.vigil.testkit.VirtualTime.startingAt(SampleReports.START);
        DeployVerifier.Builder builder = DeployVerifier.builder()
                .probe("health", c -> ProbeResult.pass(Map.of("status", 200), "status(200) == 200"))
                .probe("error-rate", c -> c.round() == 1
                        ? ProbeResult.pass(Map.of("value", 0.0), "not (value(0) > 0.01)")
                        : ProbeResult.fail(Map.of("value", 0.5), "value(0.5) > 0.01"), ProbeLimits.defaults().withMaxFailures(1))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .rollback(RollbackTriggers.callback("undo", (RollbackTriggers.Callback) e -> { }))
                .timeSource(clock);
        if (writer != null) {
            builder.listener(writer);
        }
        builder.listener(console)
                .build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));
    }
}
