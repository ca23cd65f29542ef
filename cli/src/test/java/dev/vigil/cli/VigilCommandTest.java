package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.VigilConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line in-process: parsing and messages. The jar itself is tested by {@link VigilJarIT}. */
class VigilCommandTest {

    /** A rehearsal in staging back to 1.9.0 whose rollback command does nothing; its command probe {@code p} is to be given. */
    private static final String REHEARSAL = String.join("\n",
            "vigil.deployment.environment=staging",
            "vigil.deployment.previous-version=1.9.0",
            "vigil.history.enabled=false",
            "vigil.plan.interval=1s",
            "vigil.rollback.recheck.rounds=1",
            "vigil.rollback.recheck.delay=0s",
            "vigil.probes.p.type=command",
            "vigil.probes.p.pass-when=exit-code == 0",
            "vigil.rollback.command=true",
            "");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aMissingCommandIsAUsageError() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("vigil: missing command: verify, validate, rehearse, init or history");
    }

    @Test
    void theBadConfigurationOfTheCommandLinePageGivesTheProblemsThePageShows(@TempDir Path dir) throws Exception {
        // docs/cli.md, "Output": what a pipeline author sees for a misspelt key, a bad value and an unknown type.
        String page = Files.readString(Path.of("..", "docs", "cli.md"));
        Matcher shown = Pattern.compile(
                "\\$ java -jar vigil.jar verify --config bad.properties --version 2.4.1\\n(.*?)\\$ echo \\$\\?\\n(\\d+)",
                Pattern.DOTALL).matcher(page);
        assertThat(shown.find()).as("the example output in docs/cli.md").isTrue();
        Path bad = Files.writeString(dir.resolve("bad.properties"), String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.probes.health.type=http",
                "vigil.probes.health.url=http://127.0.0.1:8080/actuator/health",
                "vigil.probes.health.pas-when=status == 200",
                "vigil.plan.interval=soon",
                "vigil.probes.ghost.type=telepathy", ""));

        int code = run("verify", "--config", bad.toString(), "--version", "2.4.1");

        assertThat(code).isEqualTo(Integer.parseInt(shown.group(2)));
        assertThat(err().replace(bad.toString(), "bad.properties").lines().sorted().toList())
                .isEqualTo(shown.group(1).lines().sorted().toList());
    }

    @Test
    void theUsageOnTheCommandLinePageShowsEveryCommandWithEveryOption() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "cli.md"));
        Matcher block = Pattern.compile("## Usage\\s+```\\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertThat(block.find()).as("the Usage block of docs/cli.md").isTrue();
        String usage = block.group(1);
        String deployment = usage.substring(usage.indexOf("deployment options:"));
        List<String> missing = new ArrayList<>();

        VigilCommand.commandLine(System.out, System.err).getSubcommands().forEach((name, command) -> {
            Matcher lines = Pattern.compile("(?m)^vigil " + name + " (.*(\\n {8,}.*)*)").matcher(usage);
            if (!lines.find()) {
                missing.add(name);
                return;
            }
            for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                String longest = option.longestName();
                boolean shown = lines.group(1).contains(longest + " ") || lines.group(1).contains(longest + "]")
                        || lines.group(1).contains("[deployment options]") && deployment.contains(longest + " ");
                if (!option.usageHelp() && !option.versionHelp() && !shown) {
                    missing.add(name + " " + longest);
                }
            }
        });

        assertThat(missing).isEmpty();
    }

    @Test
    void theHelpOfEachCommandNamesOnlyOptionsItHas() {
        // "vigil rehearse --help" said --dry-run refuses a rehearsal: rehearse has no such option, the key does.
        List<String> unknown = new ArrayList<>();
        VigilCommand.commandLine(System.out, System.err).getSubcommands().forEach((name, command) -> {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            Matcher option = Pattern.compile("(\\w+ )?(--[a-z][a-z-]*)").matcher(help);
            while (option.find()) {
                boolean ofAnotherCommand = option.group(1) != null
                        && VigilCommand.commandsFor().containsKey(option.group(1).strip());
                if (!ofAnotherCommand && command.getCommandSpec().findOption(option.group(2)) == null) {
                    unknown.add(name + ": " + option.group(0));
                }
            }
        });

        assertThat(unknown).isEmpty();
    }

    @Test
    void theCommandLinePageNamesEveryProbeTypeTheJarHolds() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "cli.md"));
        String holds = page.substring(page.indexOf("The jar (`vigil-cli`, shaded) holds"));
        holds = holds.substring(0, holds.indexOf("\n\n"));

        for (String type : VigilConfig.defaults().probeTypes()) {
            assertThat(holds).as("docs/cli.md on what the jar holds").contains("`type=" + type + "`");
        }
    }

    @Test
    void aMissingConfigFileIsAConfigurationErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");

        assertThat(run("validate", "--config", missing.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains(missing + ": file not found").doesNotContain("\tat ");
    }

    @Test
    void aMissingConfigFileWhoseNameHoldsALineBreakIsNamedOnOneLine(@TempDir Path dir) {
        // Before: its second half printed as a line of its own, which a log reader took for Vigil's.
        Path missing = dir.resolve("nope.properties\nvigil: all checks passed");

        assertThat(run("validate", "--config", missing.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err().lines()).noneMatch(line -> line.startsWith("vigil: all checks passed"))
                .contains("  " + dir + "/nope.properties\\nvigil: all checks passed: file not found");
    }

    @Test
    void aReportFolderThatIsAFileIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.probes.p.type=command\n"
                + "vigil.probes.p.command=true\nvigil.probes.p.pass-when=exit-code == 0\n");

        assertThat(run("verify", "--config", config.toString(), "--service", "s", "--version", "1",
                "--report-dir", file.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--report-dir " + file + " is a file, not a folder");
    }

    @Test
    void aRehearsalShowsNoCredentialTheRollbackCommandPrints(@TempDir Path dir) throws Exception {
        // As verify's console and reports: a rollback command that prints its environment shows no secret.
        Path config = Files.writeString(dir.resolve("c.properties"), String.join("\n",
                "vigil.deployment.environment=staging",
                "vigil.history.enabled=false",
                "vigil.plan.interval=1s",
                "vigil.rollback.recheck.rounds=1",
                "vigil.rollback.recheck.delay=0s",
                "vigil.probes.p.type=command",
                "vigil.probes.p.command=true",
                "vigil.probes.p.pass-when=exit-code == 0",
                "vigil.rollback.command=printf 'PASSWORD=pw-4f1a9c\\nAuthorization: Bearer tok-77e2b9\\n' && exit 3",
                ""));

        assertThat(run("rehearse", "--config", config.toString(), "--service", "s", "--version", "2"))
                .isEqualTo(ExitCodes.ROLLBACK_FAILED);
        assertThat(out()).contains("Rehearsal: FAILED").contains("[REDACTED]")
                .doesNotContain("pw-4f1a9c").doesNotContain("tok-77e2b9");
    }

    @Test
    void aRehearsalSaysWhichVersionItLeftRunningAndBlamesThePreviousVersionNotTheProcedureWhenOnlyItFails(
            @TempDir Path dir) throws Exception {
        // A rehearsal leaves staging on the previous version; it did not say so (nor that the re-check
        // cannot tell which version answers: a rollback that changed nothing also passes). And when the rollback
        // went through but the previous version failed its re-check (exit 5), it said "fix the
        // rollback procedure now", sending the person to the procedure instead of that version.
        Path healthy = Files.writeString(dir.resolve("healthy.properties"), REHEARSAL + "vigil.probes.p.command=true\n");
        Path unhealthy = Files.writeString(dir.resolve("unhealthy.properties"), REHEARSAL + "vigil.probes.p.command=false\n");

        assertThat(run("rehearse", "--config", healthy.toString(), "--service", "s", "--version", "2.0.0"))
                .isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).contains("Rehearsal: REHEARSED")
                .contains("staging should now run 1.9.0: check that it does")
                .contains("then deploy 2.0.0 there again when you want it back");
        out.reset();

        assertThat(run("rehearse", "--config", unhealthy.toString(), "--service", "s", "--version", "2.0.0"))
                .isEqualTo(ExitCodes.PREVIOUS_VERSION_UNHEALTHY);
        assertThat(out()).contains("Rehearsal: FAILED")
                .contains("1.9.0 did not come back healthy in staging: find which version answers there before anything else:"
                        + " 2.0.0 still answering means the procedure changed nothing (fix it, then rehearse again); 1.9.0"
                        + " answering means 1.9.0 is unhealthy, and the next real rollback would land there")
                .doesNotContain("fix the rollback procedure");
    }

    @Test
    void aRehearsalWhoseRecheckIsInconclusiveDoesNotCallThePreviousVersionUnhealthy(@TempDir Path dir) throws Exception {
        // A re-check that found nothing unhealthy (inconclusive answers, or cut short by a signal after
        // rounds that passed) made Next: say "1.9.0 answering means 1.9.0 is unhealthy, and the next
        // real rollback would land there".
        Path config = Files.writeString(dir.resolve("c.properties"), REHEARSAL
                + "vigil.probes.p.command=exit 3\nvigil.probes.p.fail-when=exit-code == 1\n");

        assertThat(run("rehearse", "--config", config.toString(), "--service", "s", "--version", "2.0.0"))
                .isEqualTo(ExitCodes.PREVIOUS_VERSION_UNHEALTHY);
        assertThat(out()).contains("Re-check:  INCONCLUSIVE")
                .contains("the rollback procedure ran, but its re-check could not show 1.9.0 healthy in staging (Re-check:"
                        + " above says why): find which version answers there before anything else: 2.0.0 still answering"
                        + " means the procedure changed nothing (fix it, then rehearse again); 1.9.0 answering: rehearse again"
                        + " to see it healthy")
                .doesNotContain("1.9.0 is unhealthy");
    }

    @Test
    void aRehearsalWhoseRecheckOnlyProbePassedNamesItInsteadOfAskingForOne(@TempDir Path dir) throws Exception {
        // It still said "check that it does (the probes tell the versions apart only if one reads the
        // version: recheck=only ...)" when such a probe had just passed on what answers.
        Path config = Files.writeString(dir.resolve("c.properties"), withRecheckOnlyProbe("true"));

        assertThat(run("rehearse", "--config", config.toString(), "--service", "s", "--version", "2.0.0"))
                .isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).contains("Rehearsal: REHEARSED")
                .contains("staging should now run 1.9.0 (rolled-back, measured in the re-check only, passed on what answers"
                        + " there); then deploy 2.0.0 there again when you want it back")
                .doesNotContain("check that it does");
    }

    @Test
    void aRehearsalWhoseRecheckOnlyProbeCouldNotReachTheServiceSaysWhichVersionRunsIsUnknown(@TempDir Path dir)
            throws Exception {
        // The probe that reads the version timed out in every round: "2.0.0 still answering means the
        // procedure changed nothing" read as if a version had answered.
        Path config = Files.writeString(dir.resolve("c.properties"), withRecheckOnlyProbe("sleep 5") + String.join("\n",
                "vigil.probes.rolled-back.timeout=200ms",
                "vigil.probes.rolled-back.max-consecutive-errors=0",
                ""));

        assertThat(run("rehearse", "--config", config.toString(), "--service", "s", "--version", "2.0.0"))
                .isEqualTo(ExitCodes.PREVIOUS_VERSION_UNHEALTHY);
        assertThat(out()).contains("Re-check:  UNHEALTHY")
                .contains("Next:      the rollback procedure ran, but which version runs in staging is unknown: rolled-back"
                        + " (measured in the re-check only) could not reach the service: find which version runs there, and"
                        + " why it does not answer, before anything else; deploy 2.0.0 there again when you want it back.")
                .doesNotContain("changed nothing");
    }

    /** A rehearsal's configuration in staging with a probe of the bake and {@code rolled-back}, measured in the re-check only, running {@code command}. */
    private static String withRecheckOnlyProbe(String command) {
        return REHEARSAL + String.join("\n",
                "vigil.probes.p.command=true",
                "vigil.probes.rolled-back.type=command",
                "vigil.probes.rolled-back.command=" + command,
                "vigil.probes.rolled-back.recheck=only",
                "");
    }

    @Test
    void aRehearsalSignalledBeforeItsRollbackStartedRunsNoRollbackAndExits130(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("rolled-back");
        Path config = Files.writeString(dir.resolve("c.properties"), String.join("\n",
                "vigil.deployment.environment=staging",
                "vigil.history.enabled=false",
                "vigil.plan.interval=1s",
                "vigil.probes.p.type=command",
                "vigil.probes.p.command=true",
                "vigil.rollback.command=touch '" + marker + "'",
                ""));
        AtomicInteger code = new AtomicInteger(-1);
        // The interrupt a signal gives the command's thread (AbortOnSignal), here before the command starts.
        Thread signalled = new Thread(() -> {
            Thread.currentThread().interrupt();
            code.set(run("rehearse", "--config", config.toString(), "--service", "s", "--version", "2"));
        });
        signalled.start();
        signalled.join(30_000);

        assertThat(code).hasValue(ExitCodes.ABORTED);
        assertThat(marker).as("the rollback must not start after the signal").doesNotExist();
        assertThat(out()).contains("Rehearsal: ABORTED").contains("nothing was rolled back");
    }

    @ParameterizedTest(name = "{0} \"\"")
    @ValueSource(strings = {"--service", "--version", "--previous-version", "--environment", "--kind"})
    void aDeploymentOptionGivenAnEmptyValueIsAUsageErrorNamingIt(String option, @TempDir Path dir) throws Exception {
        // As "--previous-version \"$(cat deployed-version.txt)\"" gives when the file is missing: an empty value must
        // not clear the configuration's, or the rollback command below would set the image to "checkout:".
        Path config = Files.writeString(dir.resolve("c.properties"), String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.deployment.version=2.4.1",
                "vigil.deployment.previous-version=2.4.0",
                "vigil.deployment.environment=staging",
                "vigil.history.enabled=false",
                "vigil.plan.interval=1s",
                "vigil.plan.duration=1s",
                "vigil.probes.p.type=command",
                "vigil.probes.p.command=true",
                "vigil.probes.p.pass-when=exit-code == 0",
                "vigil.rollback.command=kubectl --context ${vigil.deployment.environment} set image deployment/checkout"
                        + " app=registry/checkout:${vigil.deployment.previous-version}",
                ""));

        for (String command : new String[] {"validate", "verify", "rehearse"}) {
            for (String value : new String[] {"", " "}) {
                out.reset();
                err.reset();
                String[] reports = command.equals("verify") ? new String[] {"--report-dir", dir.resolve("r").toString()} : new String[0];
                assertThat(run(concat(new String[] {command, "--config", config.toString(), option, value}, reports)))
                        .as(command).isEqualTo(ExitCodes.USAGE);
                assertThat(err()).as(command).contains("'" + option + "'").contains("empty").doesNotContain("\tat ");
                assertThat(out()).as(command).doesNotContain("configuration is valid").doesNotContain("Rehearsal");
            }
        }
    }

    @Test
    void anEmptyFixesOptionIsAUsageErrorInsteadOfClearingTheConfiguredFixes(@TempDir Path dir) throws Exception {
        // "--fixes \"$FIXES\"" with FIXES unset: taken as given, it dropped INC-1 and the need to confirm it,
        // and validate called a configuration valid that verify must refuse.
        Path config = Files.writeString(dir.resolve("c.properties"), String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.deployment.version=2.4.1",
                "vigil.deployment.fixes=INC-1",
                "vigil.history.enabled=false",
                "vigil.probes.p.type=command",
                "vigil.probes.p.command=true",
                ""));

        for (String value : new String[] {"", " ", ",", "INC-2,"}) {
            out.reset();
            err.reset();
            assertThat(run("validate", "--config", config.toString(), "--fixes", value)).as("--fixes '%s'", value)
                    .isEqualTo(ExitCodes.USAGE);
            assertThat(err()).as("--fixes '%s'", value).contains("'--fixes'").contains("empty").doesNotContain("\tat ");
            assertThat(out()).doesNotContain("configuration is valid");
        }
        out.reset();
        err.reset();
        assertThat(run("validate", "--config", config.toString(), "--fixes", "INC-7,INC-8")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("fixes INC-7 but no probe confirms it").contains("fixes INC-8 but no probe confirms it")
                .doesNotContain("INC-1");
    }

    /** A configuration whose verification ends UNHEALTHY in one round: a skipped one shows as exit 0. */
    private static Path unhealthyConfig(Path dir) throws java.io.IOException {
        return Files.writeString(dir.resolve("c.properties"), "vigil.history.enabled=false\n"
                + "vigil.plan.interval=1s\nvigil.plan.duration=1s\nvigil.probes.p.type=command\n"
                + "vigil.probes.p.command=false\n");
    }

    @Test
    void vigilsOwnVersionOrHelpBeforeACommandIsAUsageErrorNotASkippedVerification(@TempDir Path dir) throws Exception {
        // "vigil --version 2.4.1 verify ..." printed Vigil's version and exited 0 without verifying: a pass to a pipeline.
        Path config = unhealthyConfig(dir);
        String[][] cases = {
            {"--version", "2.4.1", "verify", "--config", config.toString(), "--service", "s"},
            {"-V", "verify", "--config", config.toString(), "--service", "s", "--version", "2.4.1"},
            {"--help", "rehearse", "--config", config.toString()},
        };
        for (String[] args : cases) {
            out.reset();
            err.reset();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(err()).as(String.join(" ", args)).startsWith("vigil: " + args[0] + " before the command ")
                    .contains("would run nothing");
            assertThat(out()).isEmpty();
        }
        assertThat(err()).contains("vigil rehearse --help");

        out.reset();
        assertThat(run("--version")).isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).startsWith("vigil ");
        assertThat(run("verify", "--help")).isEqualTo(ExitCodes.HEALTHY);
    }

    @Test
    void aCommandsHelpWithOtherArgumentsIsAUsageErrorNotASkippedVerification(@TempDir Path dir) throws Exception {
        // "vigil verify --config c.properties --help" printed verify's help and exited 0 without verifying: a pass.
        Path config = unhealthyConfig(dir);
        String[][] cases = {
            {"verify", "--config", config.toString(), "--help"},
            {"verify", "-h", "--config", config.toString(), "--service", "s", "--version", "2.4.1"},
            {"verify", "--config", config.toString(), "--watch", "--help"},
            {"rehearse", "--config", config.toString(), "--help"},
            {"validate", "--online", "--config", config.toString(), "-h"},
            {"init", "--actuator", "http://localhost:8080/actuator/health", "--help"},
            {"history", "--config", config.toString(), "--help"},
        };
        for (String[] args : cases) {
            out.reset();
            err.reset();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(err()).as(String.join(" ", args)).startsWith("vigil: ")
                    .contains("with other arguments shows the help of " + args[0] + " and would run nothing",
                            "help is printed when it is the only argument (vigil " + args[0] + " --help)");
            assertThat(out()).isEmpty();
        }

        for (String command : List.of("verify", "rehearse", "validate", "init", "history")) {
            out.reset();
            assertThat(run(command, "--help")).as(command).isEqualTo(ExitCodes.HEALTHY);
            assertThat(out()).as(command).contains("Usage: vigil " + command);
            assertThat(run(command, "-h")).as(command).isEqualTo(ExitCodes.HEALTHY);
        }
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs({org.junit.jupiter.api.condition.OS.LINUX, org.junit.jupiter.api.condition.OS.MAC})
    void aConfigurationStreamWithoutEndIsAConfigurationErrorNotOutOfMemory() {
        // The size check read a size of 0 for the device, and reading it whole ran out of memory: exit 3.
        assertThat(run("verify", "--config", "/dev/zero", "--service", "s", "--version", "1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("/dev/zero", "more than 4 MiB, too large for a configuration file").doesNotContain("Exception");
    }

    @Test
    void theConsoleOfVerifyIsUtf8WhateverTheLocalesEncodingAsValidateAndHistoryAre(@TempDir Path dir) throws Exception {
        // Printed in the locale's encoding (ASCII under LANG=C, as on many CI agents), the verdict named the
        // service "kass?", where validate, history and every report name it kassé.
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.history.enabled=false\n"
                + "vigil.plan.interval=1s\nvigil.plan.duration=1s\nvigil.probes.p.type=command\n"
                + "vigil.probes.p.command=true\n");

        int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.US_ASCII),
                new PrintStream(err, true, StandardCharsets.US_ASCII), "verify", "--config", config.toString(),
                "--service", "kassé", "--version", "1.0.0", "--report-dir", dir.resolve("r").toString());

        assertThat(code).as(err()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).contains("kassé").doesNotContain("kass?");
    }

    @Test
    void aValueStartingWithAnAtSignIsTakenAsGivenNotReplacedByAFile(@TempDir Path dir) throws Exception {
        // picocli read "@NAME" as a file of arguments: --service "$SERVICE" with SERVICE=@acme/checkout took
        // the text of the file acme/checkout when one was there, and "@args" added options no pipeline gave.
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.history.enabled=false\n"
                + "vigil.plan.interval=1s\nvigil.plan.duration=1s\nvigil.probes.p.type=command\n"
                + "vigil.probes.p.command=true\n");
        Path service = Files.writeString(dir.resolve("checkout"), "payments\n");

        assertThat(run("validate", "--config", config.toString(), "--service", "@" + service, "--version", "1.0.0"))
                .as(err()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).contains("deployment: @" + service + " 1.0.0").doesNotContain("payments");

        Path args = Files.writeString(dir.resolve("args"), "--version 9.9.9\n");
        assertThat(run("validate", "--config", config.toString(), "--service", "s", "--version", "1.0.0", "@" + args))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("@" + args).doesNotContain("9.9.9");
    }

    @Test
    void anEmptyFileOrFolderOptionIsAUsageErrorNamingIt(@TempDir Path dir) throws Exception {
        // "--report-dir \"$REPORTS\"" with REPORTS unset wrote the reports into the working folder.
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.history.enabled=false\n"
                + "vigil.plan.interval=1s\nvigil.plan.duration=1s\nvigil.probes.p.type=command\n"
                + "vigil.probes.p.command=true\nvigil.probes.p.pass-when=exit-code == 0\n");

        assertThat(run("validate", "--config", "")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("verify", "--config", config.toString(), "--service", "s", "--version", "1", "--report-dir", " "))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("history", "--out", "")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("'--config'").contains("'--report-dir'").contains("'--out'").contains("empty")
                .doesNotContain("\tat ");
    }

    @Test
    void aLabelWithoutKeyIsAUsageErrorSayingTheKeyIsEmpty(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.probes.p.type=command\n"
                + "vigil.probes.p.command=true\nvigil.probes.p.pass-when=exit-code == 0\n");

        for (String label : new String[] {"=payments", " =payments"}) {
            err.reset();
            assertThat(run("validate", "--config", config.toString(), "--label", label)).as(label).isEqualTo(ExitCodes.USAGE);
            // The key is what is missing: "give a value" sent the user to the value that was there.
            assertThat(err()).as(label).contains("'--label'").contains("empty key").contains("KEY=VALUE")
                    .doesNotContain("give a value");
        }
    }

    @Test
    void validateRefusesAConfigurationWithoutServiceOrVersionInTheWordsOfVerifyUnlessTheOptionsGiveThem(@TempDir Path dir)
            throws Exception {
        // Told "valid" in CI, the pipeline then failed at deploy time when verify refused the same configuration.
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.history.enabled=false\n"
                + "vigil.plan.interval=1s\nvigil.plan.duration=1s\nvigil.probes.p.type=command\n"
                + "vigil.probes.p.command=true\nvigil.probes.p.pass-when=exit-code == 0\n");

        assertThat(run("verify", "--config", config.toString(), "--report-dir", dir.resolve("r").toString()))
                .isEqualTo(ExitCodes.USAGE);
        String verifySaid = err();
        err.reset();
        assertThat(run("validate", "--config", config.toString())).isEqualTo(ExitCodes.USAGE);

        assertThat(err()).isEqualTo(verifySaid)
                .contains("vigil.deployment.service: missing; set it in the configuration or pass --service")
                .contains("vigil.deployment.version: missing; set it in the configuration or pass --version");
        assertThat(out()).doesNotContain("configuration is valid");
        assertThat(run("validate", "--config", config.toString(), "--service", "checkout", "--version", "2.4.1"))
                .isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).contains("configuration is valid");
    }

    @Test
    void aLabelWithAnEmptyValueIsAUsageErrorNotAWayToClearTheConfiguredLabel(@TempDir Path dir) throws Exception {
        // "--label team=\"$TEAM\"" with TEAM unset replaced the configured label with an empty one, in silence.
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.deployment.service=checkout\n"
                + "vigil.deployment.version=2.4.1\nvigil.deployment.labels.team=payments\nvigil.probes.p.type=command\n"
                + "vigil.probes.p.command=true\nvigil.probes.p.pass-when=exit-code == 0\n");

        for (String value : new String[] {"team=", "team= "}) {
            out.reset();
            err.reset();
            assertThat(run("validate", "--config", config.toString(), "--label", value)).as(value).isEqualTo(ExitCodes.USAGE);
            assertThat(err()).contains("'--label'").contains("empty").doesNotContain("\tat ");
            assertThat(out()).doesNotContain("configuration is valid");
        }
    }

    @Test
    void aLabelHoldingALineBreakIsAUsageErrorNamingItsKeyNotAForgedReportLine(@TempDir Path dir) throws Exception {
        // A line break in a label's value reached the console and the markdown report as a line of its own
        // ("Verdict: HEALTHY"); from the configuration file as from --label.
        Path config = labelsConfig(dir, "c.properties", "");
        Path configured = labelsConfig(dir, "l.properties", "vigil.deployment.labels.ticket=tok-never-shown\\nVerdict: HEALTHY\n");

        for (String command : new String[] {"validate", "verify"}) {
            String[] reports = command.equals("verify") ? new String[] {"--report-dir", dir.resolve("r").toString()} : new String[0];
            out.reset();
            err.reset();
            assertThat(run(concat(new String[] {command, "--config", config.toString(), "--label",
                    "ticket=tok-never-shown\nVerdict: HEALTHY"}, reports))).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(err()).as(command).contains("labels.ticket").contains("U+000A")
                    .doesNotContain("\tat ").doesNotContain("tok-never-shown");
            assertThat(out()).as(command).doesNotContain("Verdict: HEALTHY").doesNotContain("configuration is valid");
            out.reset();
            err.reset();
            assertThat(run(concat(new String[] {command, "--config", configured.toString()}, reports)))
                    .as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(err()).as(command).contains("labels.ticket").contains("U+000A")
                    .doesNotContain("\tat ").doesNotContain("tok-never-shown");
            assertThat(out()).as(command).doesNotContain("Verdict: HEALTHY");
        }
        assertThat(Files.exists(dir.resolve("r"))).isFalse();
    }

    /** A configuration of checkout in staging, one passing command probe and a rollback command, then {@code more}. */
    private static Path labelsConfig(Path dir, String name, String more) throws java.io.IOException {
        return Files.writeString(dir.resolve(name), String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.deployment.version=2.4.1",
                "vigil.deployment.environment=staging",
                "vigil.history.enabled=false",
                "vigil.plan.interval=1s",
                "vigil.plan.duration=1s",
                "vigil.probes.p.type=command",
                "vigil.probes.p.command=true",
                "vigil.probes.p.pass-when=exit-code == 0",
                "vigil.rollback.command=true",
                more));
    }

    @Test
    void aLabelGivenTwiceWithDifferentValuesIsAUsageErrorNamingIt(@TempDir Path dir) throws Exception {
        // The map kept the last value: reports and rollback events carried a label the pipeline may not have meant.
        Path config = labelsConfig(dir, "c.properties", "");

        for (String command : new String[] {"validate", "verify", "rehearse"}) {
            out.reset();
            err.reset();
            String[] reports = command.equals("verify") ? new String[] {"--report-dir", dir.resolve("r").toString()} : new String[0];
            assertThat(run(concat(new String[] {command, "--config", config.toString(), "--label", "team=payments",
                    "--label", "ticket=CHG-7", "--label", "team=checkout"}, reports)))
                    .as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(err()).as(command).startsWith("vigil: --label team given twice (team=payments, team=checkout)")
                    .doesNotContain("\tat ");
            assertThat(out()).as(command).doesNotContain("configuration is valid").doesNotContain("Rehearsal");
        }
        assertThat(run("validate", "--config", config.toString(), "--label", "team=payments", "--label", "team=payments"))
                .isEqualTo(ExitCodes.HEALTHY);

        // The message quoted both values, a CI job's token among them when the label is one.
        err.reset();
        assertThat(run("validate", "--config", config.toString(), "--label", "deploy-token=tok-never-shown-1",
                "--label", "deploy-token=tok-never-shown-2")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("vigil: --label deploy-token given twice (deploy-token=[REDACTED], deploy-token=[REDACTED])")
                .doesNotContain("tok-never-shown");
    }

    @Test
    void everyConfigurationProblemIsListed(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.plan.duration=forever\n"
                + "vigil.probes.p.type=command\nvigil.probes.p.comand=true\nvigil.probes.p.pass-when=exit-code == 0\n");

        assertThat(run("validate", "--config", config.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("vigil.plan.duration").contains("vigil.probes.p.comand").contains("vigil.probes.p.command");
    }

    @Test
    void helpListsEveryCommandUnderTheNameItAnswersTo() {
        assertThat(run("--help")).isEqualTo(ExitCodes.HEALTHY);

        assertThat(VigilCommand.commandsFor("--help")).hasSize(5);
        VigilCommand.commandsFor("--help").forEach((name, command) -> {
            assertThat(command.getAnnotation(picocli.CommandLine.Command.class).name()).isEqualTo(name);
            assertThat(out()).containsPattern("(?m)^  " + name + " ");
        });
    }

    @Test
    void helpListsEveryExitCode() {
        assertThat(run("--help")).isEqualTo(ExitCodes.HEALTHY);

        for (int code : new int[] {ExitCodes.HEALTHY, ExitCodes.ROLLED_BACK, ExitCodes.USAGE, ExitCodes.INCONCLUSIVE,
                ExitCodes.ROLLBACK_FAILED, ExitCodes.PREVIOUS_VERSION_UNHEALTHY, ExitCodes.VALIDATE_WARNINGS, ExitCodes.ABORTED}) {
            assertThat(out()).as("exit %s", code).containsPattern("(?m)^  " + code + " +\\S");
        }
    }

    @Test
    void onlyTheCommandNamedIsBuilt() {
        assertThat(VigilCommand.commandsFor("validate", "--config", "a.properties")).containsOnlyKeys("validate");
        assertThat(VigilCommand.commandsFor("--version")).isEmpty();
        assertThat(VigilCommand.commandsFor("--version", "verify")).hasSize(5);
        assertThat(VigilCommand.commandsFor("verfy")).hasSize(5);
        assertThat(VigilCommand.commandsFor()).hasSize(5);
    }

    @Test
    void aMisspeltOptionIsQuotedWithTheCredentialsItGivesMasked() {
        // picocli quotes every argument it cannot place, and the value after a misspelt option is one.
        assertThat(run("verify", "--config", "a.properties", "--lable", "deploy-token=tok-never-shown-3")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("'--lable'").contains("deploy-token=[REDACTED]").doesNotContain("tok-never-shown");
    }

    @Test
    void aMisspeltCommandIsAUsageErrorNamingIt() {
        assertThat(run("verfy", "--config", "a.properties")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("'verfy'").contains("vigil --help");
    }

    @Test
    void anErrorOfTheJvmIsAnUnexpectedFailureExitingThreeNeverOne() {
        // Exit 1 says the rollback ran; picocli lets an Error (out of memory, a linkage error) through to the JVM,
        // whose uncaught exception ends the process with 1 and a stack trace.
        picocli.CommandLine cli = VigilCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "crash");
        cli.addSubcommand("crash", new Crash());

        assertThat(VigilCommand.execute(cli, "crash")).isEqualTo(ExitCodes.INCONCLUSIVE);
        assertThat(err()).startsWith("vigil: unexpected failure: OutOfMemoryError: Java heap space")
                .contains("--debug").doesNotContain("\tat ");

        err.reset();
        assertThat(VigilCommand.execute(cli, "crash", "--debug")).isEqualTo(ExitCodes.INCONCLUSIVE);
        assertThat(err()).contains("\tat ");
    }

    /** A command that fails as the JVM does when the heap is full. */
    @picocli.CommandLine.Command(name = "crash")
    static final class Crash implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Option(names = "--debug")
        boolean debug;

        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void versionNamesVigilAndTheJava() {
        assertThat(run("--version")).isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).startsWith("vigil ").contains("Java " + System.getProperty("java.version"));
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    private int run(String... args) {
        return VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
