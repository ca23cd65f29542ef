package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRollbackTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    @TempDir
    Path dir;

    private VerificationReport failingVerification(String command, Duration timeout, VerificationPlan plan) {
        return failingVerification(command, timeout, plan, DEPLOYMENT);
    }

    private VerificationReport failingVerification(String command, Duration timeout, VerificationPlan plan,
            Deployment deployment) {
        VirtualTime time = VirtualTime.start();
        return DeployVerifier.builder()
                .plan(plan)
                .timeSource(time)
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .rollback(RollbackTriggers.shell(command, timeout))
                .rollbackPolicy(new RollbackPolicy(3, Duration.ofMillis(10), timeout))
                .build()
                .verifyAfterDeploy(deployment);
    }

    private static VerificationPlan oneMinute() {
        return VerificationPlan.defaults().withDuration(Duration.ofMinutes(1)).withInterval(Duration.ofMinutes(1));
    }

    /**
     * A command that behaves like {@code kubectl rollout undo}: it swaps the running and the
     * previous version in a file (so a second run puts the bad version back), then fails as a
     * {@code rollout status} that timed out would.
     */
    private String rolloutUndoThen(Path versions, String exit) {
        return "read running previous < '" + versions + "'; echo \"$previous $running\" > '" + versions + "';"
                + " echo \"undo: $running -> $previous\"; " + exit;
    }

    @Test
    void aRolloutUndoThatThenExitsOneRunsExactlyOnceAndFails() throws Exception {
        Path versions = dir.resolve("versions");
        Files.writeString(versions, "2.4.1 2.4.0\n");

        VerificationReport report = failingVerification(rolloutUndoThen(versions, "exit 1"), Duration.ofSeconds(20),
                oneMinute());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).isEqualTo(1);
        assertThat(Files.readString(versions).strip()).as("one swap: the previous version runs").isEqualTo("2.4.0 2.4.1");
        assertThat(report.rollback().error()).contains("exited with 1", "not retried: exit codes retried are 75");
        assertThat(report.rollback().output()).contains("undo: 2.4.1 -> 2.4.0");
    }

    @Test
    void aReasonHoldingANulStillRollsBack() throws Exception {
        // A verdict's reason quotes what a probe saw: a body or a test's message may hold a NUL, which
        // no environment variable can, and ProcessBuilder refused the command for VIGIL_REASON.
        Path reason = dir.resolve("reason");
        VerificationReport report = DeployVerifier.builder()
                .plan(oneMinute())
                .timeSource(VirtualTime.start())
                .probe("health", context -> dev.vigil.ProbeResult.fail(java.util.Map.of(), "body was \u001f\u008b\u0000x"))
                .rollback(RollbackTriggers.shell("printf '%s' \"$VIGIL_REASON\" > '" + reason + "'", Duration.ofSeconds(20)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).as(String.valueOf(report.rollback().error())).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(Files.readString(reason)).contains("body was").doesNotContain("\u0000").contains("\uFFFD");
    }

    @Test
    void aCommandThatNamesThePreviousVersionIsNotRunWithoutOneOrWithTheVersionItself() throws Exception {
        Path images = dir.resolve("images");
        String setImage = "echo \"checkout:$VIGIL_PREVIOUS_VERSION\" >> '" + images + "'";

        VerificationReport none = failingVerification(setImage, Duration.ofSeconds(20), oneMinute(),
                Deployment.of("checkout", "2.4.1"));
        VerificationReport blank = failingVerification(setImage, Duration.ofSeconds(20), oneMinute(),
                Deployment.of("checkout", "2.4.1", " "));
        VerificationReport itself = failingVerification(setImage, Duration.ofSeconds(20), oneMinute(),
                Deployment.of("checkout", "2.4.1", "2.4.1"));

        assertThat(images).as("no image with an empty tag, and not the bad version again").doesNotExist();
        for (VerificationReport report : List.of(none, blank, itself)) {
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
            assertThat(report.rollback().attempts()).as("refused, not retried").isEqualTo(1);
            assertThat(report.rollback().error()).contains("failed after 1 attempt: rollback command not run: it uses $VIGIL_PREVIOUS_VERSION");
        }
        assertThat(none.rollback().error()).contains("names no previous version (--previous-version");
        assertThat(itself.rollback().error()).contains("the previous version given is 2.4.1, the version being rolled back");
    }

    @Test
    void aDefaultWithoutTheColonIsNotTakenForTheCommandsOwnAnswerToAMissingPreviousVersion() throws Exception {
        // ${VIGIL_PREVIOUS_VERSION-stable} defaults an unset variable only; Vigil sets it, empty, so
        // the command ran and set an image with an empty tag.
        Path images = dir.resolve("images");
        VerificationReport report = failingVerification("echo \"checkout:${VIGIL_PREVIOUS_VERSION-stable}\" >> '" + images + "'",
                Duration.ofSeconds(20), oneMinute(), Deployment.of("checkout", "2.4.1"));

        assertThat(images).as("no image with an empty tag").doesNotExist();
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("rollback command not run: it uses $VIGIL_PREVIOUS_VERSION, but the"
                + " deployment names no previous version");
    }

    @Test
    void aCommandWithItsOwnDefaultOrTestForAMissingPreviousVersionRunsAndOneWithAPreviousVersionToo() throws Exception {
        Path images = dir.resolve("images");
        String withDefault = "echo \"checkout:${VIGIL_PREVIOUS_VERSION:-stable}\" >> '" + images + "'";
        String setImage = "echo \"checkout:$VIGIL_PREVIOUS_VERSION\" >> '" + images + "'";

        VerificationReport defaulted = failingVerification(withDefault, Duration.ofSeconds(20), oneMinute(),
                Deployment.of("checkout", "2.4.1"));
        VerificationReport tested = failingVerification("[ -n \"$VIGIL_PREVIOUS_VERSION\" ] && echo \"checkout:$VIGIL_PREVIOUS_VERSION\""
                + " >> '" + images + "' || echo undo >> '" + images + "'", Duration.ofSeconds(20), oneMinute(),
                Deployment.of("checkout", "2.4.1"));
        VerificationReport named = failingVerification(setImage, Duration.ofSeconds(20), oneMinute());

        assertThat(defaulted.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(named.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(tested.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(Files.readAllLines(images)).containsExactly("checkout:stable", "undo", "checkout:2.4.0");
    }

    @Test
    void aCommandThatExitsTempfailTwiceThenZeroIsRolledBackAfterThreeAttempts() throws Exception {
        Path counter = dir.resolve("attempts");
        String command = "n=$(cat '" + counter + "' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '" + counter + "';"
                + " echo \"attempt $n for $VIGIL_SERVICE $VIGIL_VERSION -> $VIGIL_PREVIOUS_VERSION ($VIGIL_VERDICT)\";"
                + " [ $n -ge 3 ] || exit 75";

        VerificationReport report = failingVerification(command, Duration.ofSeconds(20), oneMinute());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(3);
        assertThat(Files.readString(counter).strip()).isEqualTo("3");
        assertThat(report.rollback().output())
                .contains("attempt 1 for checkout 2.4.1 -> 2.4.0 (UNHEALTHY)")
                .contains("attempt 3 for checkout 2.4.1 -> 2.4.0 (UNHEALTHY)");
        assertThat(report.rollback().trigger()).startsWith("command: n=$(cat");
    }

    @Test
    void theExitCodesRetriedAreConfigurableAndEveryAttemptSeesTheSameRollbackId() throws Exception {
        Path ids = dir.resolve("ids");
        String command = "echo \"$VIGIL_ROLLBACK_ID\" >> '" + ids + "'; [ $(wc -l < '" + ids + "') -ge 2 ] || exit 69";
        VirtualTime time = VirtualTime.start();

        VerificationReport report = DeployVerifier.builder()
                .plan(oneMinute()).timeSource(time)
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .rollback(RollbackTriggers.shell(command, Duration.ofSeconds(20), java.util.Set.of(69)))
                .rollbackPolicy(new RollbackPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(20)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(2);
        List<String> seen = Files.readAllLines(ids);
        assertThat(seen).hasSize(2).doesNotContain("");
        assertThat(seen.get(1)).isEqualTo(seen.get(0)).isEqualTo(report.rollback().rollbackId());
    }

    @Test
    void withNoExitCodesToRetryATempfailIsNotRetriedEither() throws Exception {
        Path counter = dir.resolve("runs");
        VirtualTime time = VirtualTime.start();

        VerificationReport report = DeployVerifier.builder()
                .plan(oneMinute()).timeSource(time)
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .rollback(RollbackTriggers.shell("echo run >> '" + counter + "'; exit 75", Duration.ofSeconds(20),
                        java.util.Set.of()))
                .rollbackPolicy(new RollbackPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(20)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(Files.readAllLines(counter)).hasSize(1);
        assertThat(report.rollback().error()).contains("exit codes retried are none");
    }

    @Test
    void exitCodesOutsideOneTo255AreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> RollbackTriggers.shell("true", Duration.ofSeconds(1), java.util.Set.of(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry-on-exit-codes");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> RollbackTriggers.command(List.of("true"), Duration.ofSeconds(1), java.util.Set.of(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
    }

    @Test
    void theCommandSeesTheReasonInItsEnvironment() throws Exception {
        Path out = dir.resolve("reason");
        VerificationReport report = failingVerification("printf '%s' \"$VIGIL_REASON\" > '" + out + "'",
                Duration.ofSeconds(20), oneMinute());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(Files.readString(out)).isEqualTo(report.reason());
    }

    /**
     * The reason a command gets is redacted as the webhook's and the reports' are: a probe's
     * explanation that quoted a credential must not reach a chat message or a ticket the command writes.
     */
    @Test
    void theReasonInTheCommandsEnvironmentIsRedacted() throws Exception {
        Path out = dir.resolve("reason");
        VerificationReport report = DeployVerifier.builder()
                .plan(oneMinute())
                .timeSource(VirtualTime.start())
                .probe("login", c -> dev.vigil.ProbeResult.fail(java.util.Map.of(), "login refused for password=hunter2-s3cret"))
                .rollback(RollbackTriggers.shell("printf '%s' \"$VIGIL_REASON\" > '" + out + "'", Duration.ofSeconds(20)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(Files.readString(out)).contains("login refused for password=[REDACTED]").doesNotContain("hunter2-s3cret");
    }

    @Test
    void aCommandKilledAtItsTimeoutLeavesWhatItPrintedInTheReport() {
        // What the command changed before it hung is what the person who takes over must read
        // first (docs/rollback.md, "Doing it by hand"): running the undo again could put the bad
        // version back. The rollback timeout (the policy's) and the command's are the same, as
        // the configuration sets them.
        VerificationReport report = failingVerification("echo 'deployment.apps/checkout rolled back'; sleep 30",
                Duration.ofMillis(1500), oneMinute());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("rollback command timed out after 1500ms and was killed");
        assertThat(report.rollback().output()).contains("deployment.apps/checkout rolled back");
    }

    @Test
    void aCommandWithALongerTimeoutThanThePolicysIsKilledAtThePolicysAndLeavesWhatItPrintedInTheReport() {
        // From Java the command's timeout and the policy's are given apart: the policy's, shorter,
        // cut the attempt off and the report kept nothing of what the command had changed.
        VerificationReport report = DeployVerifier.builder()
                .plan(oneMinute())
                .timeSource(VirtualTime.start())
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .rollback(RollbackTriggers.shell("echo 'deployment.apps/checkout rolled back'; sleep 30", Duration.ofMinutes(10)))
                .rollbackPolicy(new RollbackPolicy(3, Duration.ofMillis(10), Duration.ofMillis(700)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).as("not retried").isEqualTo(1);
        assertThat(report.rollback().error()).contains("timed out after 700ms");
        assertThat(report.rollback().output()).contains("deployment.apps/checkout rolled back");
    }

    @Test
    void theRecheckAfterAFailedRollbackDoesNotSayItMeasuredThePreviousVersion() {
        // A command that failed before it acted (here: exit 1 at once; or refused, or not started)
        // left the bad version running, and the re-check then measured it: its reason said "the
        // previous version 2.4.0: probe health failed ...", blaming a version nobody measured.
        VerificationReport report = failingVerification("echo 'error: no such deployment'; exit 1", Duration.ofSeconds(20),
                oneMinute());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.recheckResult().status()).isEqualTo(dev.vigil.RecheckReport.Status.UNHEALTHY);
        assertThat(report.recheckResult().reason())
                .startsWith("what answers after the failed rollback (the previous version 2.4.0 if it went through, else 2.4.1): ")
                .doesNotStartWith("the previous version 2.4.0:");
    }

    @Test
    void aCommandStoppedByTheCallersInterruptLeavesWhatItPrintedInTheReport() throws Exception {
        // A SIGTERM to the CLI during a slow rollback interrupts the verification: the command is
        // killed with its children, and what it printed until then (what it changed) is what the
        // person who must check by hand reads first. It was dropped: the output was empty.
        Path started = dir.resolve("started");
        Thread pipeline = Thread.currentThread();
        Thread signal = new Thread(() -> {
            try {
                while (!Files.exists(started)) {
                    Thread.sleep(20);
                }
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            pipeline.interrupt();
        }, "signal");
        signal.start();

        VerificationReport report = failingVerification("echo 'deployment.apps/checkout rolled back'; touch '" + started
                + "'; sleep 30", Duration.ofSeconds(60), oneMinute());
        boolean interrupted = Thread.interrupted();
        signal.join(5_000);

        assertThat(interrupted).as("the interrupt flag").isTrue();
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("the rollback was interrupted", "check by hand which version runs");
        assertThat(report.rollback().output()).contains("attempt 1]", "deployment.apps/checkout rolled back");
    }

    @Test
    void aCommandThatHangsIsKilledAtItsTimeoutWithItsChildrenAndFails() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        long start = System.nanoTime();
        VerificationReport report = failingVerification("sleep 300 & echo $! > '" + pidFile + "'; wait",
                Duration.ofMillis(700), oneMinute());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).isEqualTo(1);
        assertThat(report.rollback().error()).contains("timed out after 700ms");
        assertThat(took).isLessThan(Duration.ofSeconds(30));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle.of(child).ifPresent(h -> h.onExit().completeOnTimeout(h, 5, java.util.concurrent.TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
                .as("the command's child process is killed too").isFalse();
        // The trigger ran, so the re-check says what answers now: still the failing version.
        assertThat(report.recheckResult().status()).isEqualTo(dev.vigil.RecheckReport.Status.UNHEALTHY);
        assertThat(report.rolledBackButPreviousVersionInDoubt()).as("nothing was rolled back to doubt").isFalse();
    }

    @Test
    void aCommandThatDoesNotExistFailsWithoutRetries() {
        VirtualTime time = VirtualTime.start();
        VerificationReport report = DeployVerifier.builder()
                .plan(oneMinute()).timeSource(time)
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .rollback(RollbackTriggers.command(List.of(dir.resolve("no-such-program").toString()), Duration.ofSeconds(5)))
                .rollbackPolicy(new RollbackPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(5)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).isEqualTo(1);
        assertThat(report.rollback().error()).contains("rollback command could not be started");
    }

    @Test
    void dryRunReportsDryRunAndNeverRunsTheCommand() {
        Path marker = dir.resolve("marker");
        VerificationReport report = failingVerification("touch '" + marker + "'", Duration.ofSeconds(20),
                oneMinute().withDryRun(true));

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.DRY_RUN);
        assertThat(report.rollback().attempts()).isZero();
        assertThat(report.rollback().trigger()).isEqualTo("command: touch '" + marker + "'");
        assertThat(marker).doesNotExist();
    }

    @Test
    void outputIsBoundedAndTheDropIsNoted() {
        VerificationReport report = failingVerification("head -c 200000 /dev/zero | tr '\\0' x", Duration.ofSeconds(20),
                oneMinute());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        // One word of 200000 bytes: what is kept ends 4 KiB before the cut, so that a credential cut
        // in two shows no part of itself (docs/rollback.md).
        assertThat(report.rollback().output()).contains("(" + (200000 - RollbackTriggers.MAX_OUTPUT_BYTES + 4096)
                + " more bytes of output dropped)");
        assertThat(report.rollback().output().length()).isLessThan(RollbackTriggers.MAX_OUTPUT_BYTES + 200);
    }
}
