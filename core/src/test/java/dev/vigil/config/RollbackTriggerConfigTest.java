package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.DeployVerifier;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.RollbackSettings;
import dev.vigil.spi.RollbackTriggerFactory;
import dev.vigil.testkit.VirtualTime;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollback triggers from {@code vigil.rollback.<name>.*}, made by a {@link RollbackTriggerFactory}. */
class RollbackTriggerConfigTest {

    private static final String SIGNING_KEY = "sk-4471-very-private";

    @TempDir
    Path dir;

    private static VigilConfig config(Map<String, String> env, RollbackTriggerFactory... factories) {
        VigilConfig.Builder builder = VigilConfig.builder().environment(env).serviceLoader(false);
        for (RollbackTriggerFactory f : factories) {
            builder.rollbackTriggerFactory(f);
        }
        return builder.build();
    }

    /** The verifier of a bound configuration, in virtual time. */
    private static DeployVerifier virtual(BoundConfig bound) {
        return bound.toBuilder().timeSource(VirtualTime.start()).build();
    }

    private static VigilConfig config() {
        return config(Map.of(), new TicketTriggerFactory());
    }

    /** A deployment whose one probe always fails, rolled back by a ticket. */
    private static Map<String, String> failingDeployment() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.plan.interval", "1s");
        p.put("vigil.plan.duration", "1s");
        p.put("vigil.probes.check.type", "command");
        p.put("vigil.probes.check.command", "exit 1");
        p.put("vigil.rollback.ticket.queue", "ops");
        p.put("vigil.rollback.backoff", "0s");
        return p;
    }

    private static ConfigurationException fail(VigilConfig config, Map<String, String> props) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config.load(props));
        assertThat(e).as("expected a configuration error").isNotNull();
        return e;
    }

    /** A failing deployment whose rollback command counts its runs in a file and exits with {@code exit}. */
    private Map<String, String> countingCommand(Path runs, int exit) {
        Map<String, String> p = failingDeployment();
        p.remove("vigil.rollback.ticket.queue");
        p.put("vigil.rollback.command", "echo run >> '" + runs + "'; exit " + exit);
        p.put("vigil.rollback.max-attempts", "3");
        return p;
    }

    @Test
    void retryOnExitCodesSaysWhichExitsRunTheCommandAgain() throws Exception {
        Path runs = dir.resolve("runs");
        Map<String, String> p = countingCommand(runs, 69);
        p.put("vigil.rollback.retry-on-exit-codes", "69, 75");
        BoundConfig bound = config().load(p);

        VerificationReport report = virtual(bound).verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(Files.readAllLines(runs)).hasSize(3);
    }

    @Test
    void byDefaultOnlyExit75RunsTheCommandAgainAndNoneTurnsThatOff() throws Exception {
        Path once = dir.resolve("once");
        BoundConfig exitOne = config().load(countingCommand(once, 1));
        virtual(exitOne).verifyAfterDeploy(exitOne.deployment().toDeployment());
        assertThat(Files.readAllLines(once)).hasSize(1);

        Path thrice = dir.resolve("thrice");
        BoundConfig tempfail = config().load(countingCommand(thrice, 75));
        virtual(tempfail).verifyAfterDeploy(tempfail.deployment().toDeployment());
        assertThat(Files.readAllLines(thrice)).hasSize(3);

        Path none = dir.resolve("none");
        Map<String, String> p = countingCommand(none, 75);
        p.put("vigil.rollback.retry-on-exit-codes", "none");
        BoundConfig never = config().load(p);
        virtual(never).verifyAfterDeploy(never.deployment().toDeployment());
        assertThat(Files.readAllLines(none)).hasSize(1);
    }

    /**
     * A retried job computed the previous version otherwise: {@code set image ...:${vigil.deployment.previous-version}}
     * became two command texts, so the two verifications of one deployment were two triggers to the
     * coordinator and both ran, at once, to two versions: whichever finished last stayed.
     */
    @Test
    void twoVerificationsGivenTwoPreviousVersionsThroughThePlaceholderRunOneRollbackNotTwo() {
        Map<String, String> p = failingDeployment();
        p.remove("vigil.rollback.ticket.queue");
        p.put("vigil.deployment.environment", "production");
        p.put("vigil.rollback.command", "kubectl set image deployment/checkout app=registry.example.com/checkout:"
                + "${vigil.deployment.previous-version}");
        p.put("vigil.deployment.previous-version", "2.3.0");
        BoundConfig first = config().load(p);
        p.put("vigil.deployment.previous-version", "2.4.0");
        BoundConfig retried = config().load(p);
        p.put("vigil.rollback.command", "kubectl --context eu-2 set image deployment/checkout app=registry.example.com/checkout:"
                + "${vigil.deployment.previous-version}");
        BoundConfig otherRegion = config().load(p);
        RollbackTrigger firstTrigger = first.rollback().orElseThrow();
        RollbackTrigger retriedTrigger = retried.rollback().orElseThrow();

        assertThat(retriedTrigger.identity()).isEqualTo(firstTrigger.identity())
                .isNotEqualTo(otherRegion.rollback().orElseThrow().identity());

        dev.vigil.RollbackCoordinator coordinator = dev.vigil.RollbackCoordinator.create();
        dev.vigil.RollbackCoordinator.Registration one = coordinator.register(first.deployment().toDeployment(), List.of(firstTrigger));
        dev.vigil.RollbackCoordinator.Registration two = coordinator.register(retried.deployment().toDeployment(), List.of(retriedTrigger));
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        one.rollbackOnce("probe check failed", () -> new dev.vigil.RollbackReport(RollbackOutcome.ROLLED_BACK, "command", 1,
                "image set " + runs.incrementAndGet(), null, null, null, "rb-1"));
        dev.vigil.RollbackReport shared = two.rollbackOnce("probe check failed", () -> new dev.vigil.RollbackReport(
                RollbackOutcome.ROLLED_BACK, "command", 1, "image set " + runs.incrementAndGet(), null, null, null, "rb-2"));

        assertThat(runs).hasValue(1);
        assertThat(shared.outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(shared.error()).contains("was run for previous version 2.3.0, not for 2.4.0");
        one.close();
        two.close();
    }

    @Test
    void aCommandWhosePlaceholderPutsTheVersionRolledBackIntoItIsNotRunAndOneWithThePreviousVersionIs() throws Exception {
        // The documented form, set image ...:${vigil.deployment.previous-version}, was run with the
        // version being rolled back (a pipeline that recorded the version after the deployment) and
        // reported ROLLED_BACK; $VIGIL_PREVIOUS_VERSION in its place was refused.
        Path images = dir.resolve("images");
        Map<String, String> p = countingCommand(images, 0);
        p.put("vigil.rollback.command", "echo checkout:${vigil.deployment.previous-version} >> '" + images + "'");
        p.put("vigil.deployment.previous-version", "2.4.1");
        BoundConfig itself = config().load(p);

        VerificationReport refused = virtual(itself).verifyAfterDeploy(itself.deployment().toDeployment());

        assertThat(images).as("the bad version not deployed again").doesNotExist();
        assertThat(refused.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(refused.rollback().attempts()).as("refused, not retried").isEqualTo(1);
        assertThat(refused.rollback().error()).contains("rollback command not run: its ${vigil.deployment.previous-version}"
                + " placeholder put 2.4.1 into it, the version being rolled back");

        // Given through a placeholder of its own, from the pipeline's environment.
        p.put("vigil.deployment.previous-version", "${PREVIOUS}");
        BoundConfig fromEnv = config(Map.of("PREVIOUS", "2.4.1"), new TicketTriggerFactory()).load(p);
        VerificationReport refusedToo = virtual(fromEnv).verifyAfterDeploy(fromEnv.deployment().toDeployment());
        assertThat(refusedToo.rollback().error()).contains("placeholder put 2.4.1 into it, the version being rolled back");
        assertThat(images).doesNotExist();

        p.put("vigil.deployment.previous-version", "2.4.0");
        BoundConfig previous = config().load(p);
        VerificationReport rolledBack = virtual(previous).verifyAfterDeploy(previous.deployment().toDeployment());

        assertThat(rolledBack.rollback().outcome()).as(rolledBack.rollback().error()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(Files.readAllLines(images)).containsExactly("checkout:2.4.0");
    }

    @Test
    void aCommandsOutputCutWithinACredentialShowsNoPartOfIt() {
        // A command printed 64 KiB and then the token its placeholder gave it: cut after the token's
        // first 9 characters, it was not the value masked, and those characters showed.
        String token = "Zq9Kp3Lm7Xw2Vb8NtR4y";
        Map<String, String> p = failingDeployment();
        p.remove("vigil.rollback.ticket.queue");
        p.put("vigil.rollback.command", "head -c " + (RollbackTriggers.MAX_OUTPUT_BYTES - 28)
                + " /dev/zero | tr '\\0' x; echo \" curl -H 'X-Token: ${ROLLBACK_TOKEN}'\"");
        BoundConfig bound = config(Map.of("ROLLBACK_TOKEN", token), new TicketTriggerFactory()).load(p);

        VerificationReport report = virtual(bound).verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.rollback().outcome()).as(report.rollback().error()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().output()).contains("xxxx curl", "more bytes of output dropped").doesNotContain(token.substring(0, 4));
    }

    @Test
    void aRetryExitCodeThatIsNotOneIsAConfigurationErrorNamingTheKey() {
        Map<String, String> p = countingCommand(dir.resolve("x"), 1);
        p.put("vigil.rollback.retry-on-exit-codes", "75,300");

        ConfigurationException e = fail(config(), p);

        assertThat(e.problems()).anySatisfy(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.rollback.retry-on-exit-codes");
            assertThat(problem.message()).contains("'300' is not an exit code from 1 to 255");
        });
    }

    @Test
    void retryOnExitCodesWithoutACommandIsAConfigurationError() {
        Map<String, String> p = failingDeployment();
        p.put("vigil.rollback.retry-on-exit-codes", "75");

        ConfigurationException e = fail(config(), p);

        assertThat(e.problems()).anySatisfy(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.rollback.retry-on-exit-codes");
            assertThat(problem.message()).contains("applies to vigil.rollback.command only");
        });
    }

    @Test
    void aTriggerSubSectionIsBoundByTheFactoryOfThatNameWithThePolicyTimeout() {
        BoundConfig bound = config().load(Map.of("vigil.rollback.ticket.queue", "ops", "vigil.rollback.timeout", "7s"));

        assertThat(bound.rollback()).hasValueSatisfying(t -> assertThat(t.description()).isEqualTo("ticket: ops (timeout 7s)"));
        assertThat(bound.describe()).contains("rollback: ticket: ops (timeout 7s) (timeout 7s, max-attempts 3, backoff 2s)");
    }

    @Test
    void theBoundTriggerRollsBackWithThePolicysAttempts() {
        Map<String, String> p = failingDeployment();
        p.put("vigil.rollback.ticket.fail-attempts", "2");
        p.put("vigil.rollback.max-attempts", "3");
        BoundConfig bound = config().load(p);

        VerificationReport report = virtual(bound).verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).as(report.rollback().error()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(3);
        assertThat(report.rollback().output()).contains("ticket opened in ops for checkout");
    }

    @Test
    void aTriggerThatFailsWithAnErrorQuotingItsSecretHasItMaskedInTheRollbackError() {
        Map<String, String> p = failingDeployment();
        p.put("vigil.rollback.ticket.queue", "crash");
        p.put("vigil.rollback.ticket.signing-key", "sk-9f3b2a");
        BoundConfig bound = config().load(p);

        VerificationReport report = virtual(bound).verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("AssertionError", "could not sign with").doesNotContain("sk-9f3b2a");
    }

    @Test
    void fewerAttemptsThanTheTriggerNeedsFailTheRollback() {
        Map<String, String> p = failingDeployment();
        p.put("vigil.rollback.ticket.fail-attempts", "2");
        p.put("vigil.rollback.max-attempts", "2");
        BoundConfig bound = config().load(p);

        VerificationReport report = virtual(bound).verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("queue ops is busy");
    }

    @Test
    void triggerFactoriesAreFoundWithServiceLoader() throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("dev.vigil.spi.RollbackTriggerFactory"), TicketTriggerFactory.class.getName() + "\n");
        VigilConfig config;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            thread.setContextClassLoader(loader);
            config = VigilConfig.builder().environment(Map.of()).build();
        } finally {
            thread.setContextClassLoader(previous);
        }

        assertThat(config.rollbackTriggerFactories()).containsOnlyKeys("ticket");
        assertThat(config.load(Map.of("vigil.rollback.ticket.queue", "ops")).rollback()).isPresent();
    }

    @Test
    void withoutItsFactoryATriggerSubSectionIsUnknown() {
        ConfigurationException e = fail(config(Map.of()), Map.of("vigil.rollback.ticket.queue", "ops"));

        assertThat(e.getMessage()).contains("vigil.rollback.ticket.queue: unknown key; no rollback trigger 'ticket'; "
                + "known triggers: command (a trigger comes from its module's jar on the classpath)");
    }

    @Test
    void misspeltTriggerKeysAndSubSectionsAreErrorsWithASuggestion() {
        ConfigurationException e = fail(config(), Map.of(
                "vigil.rollback.ticket.queu", "ops",
                "vigil.rollback.tikcet.queue", "ops",
                "vigil.rollback.timeout.max", "1m"));

        assertThat(e.getMessage())
                .contains("vigil.rollback.ticket.queu: unknown key; did you mean queue?")
                .contains("vigil.rollback.tikcet.queue: unknown key; did you mean vigil.rollback.ticket?")
                .contains("vigil.rollback.timeout.max: unknown key; timeout takes no sub-keys");
    }

    @Test
    void aMissingRequiredKeyIsAProblemOfTheFullKeyAmongAllTheOthers() {
        ConfigurationException e = fail(config(), Map.of("vigil.rollback.ticket.fail-attempts", "one", "vigil.plan.duration", "soon"));

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "vigil.plan.duration", "vigil.rollback.ticket.fail-attempts", "vigil.rollback.ticket.queue");
        assertThat(e.getMessage()).contains(
                "vigil.rollback.ticket.queue: missing; the ticket rollback trigger needs it (The queue the ticket goes to.)");
    }

    @Test
    void aCommandAndAnotherTriggerAreOneTriggerTooMany() {
        ConfigurationException e = fail(config(), Map.of("vigil.rollback.command", "kubectl rollout undo deployment/checkout",
                "vigil.rollback.ticket.queue", "ops"));

        assertThat(e.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.key()).isEqualTo("vigil.rollback");
            assertThat(pr.message()).isEqualTo("one rollback trigger per deployment, but vigil.rollback.command and "
                    + "vigil.rollback.ticket.* are set; keep one");
        });
    }

    @Test
    void environmentVariablesBindTriggerKeysAndMisspeltOnesAreErrors() {
        BoundConfig bound = config(Map.of("VIGIL_ROLLBACK_TICKET_QUEUE", "ops"), new TicketTriggerFactory()).load(Map.of());
        ConfigurationException e = fail(config(Map.of("VIGIL_ROLLBACK_TICKET_QUEU", "ops"), new TicketTriggerFactory()), Map.of());
        ConfigurationException section = fail(config(Map.of("VIGIL_ROLLBACK_TICKT_QUEUE", "ops"), new TicketTriggerFactory()),
                Map.of());

        assertThat(bound.rollback()).hasValueSatisfying(t -> assertThat(t.description()).startsWith("ticket: ops"));
        assertThat(e.getMessage()).contains(
                "VIGIL_ROLLBACK_TICKET_QUEU: environment variable names no known key; did you mean VIGIL_ROLLBACK_TICKET_QUEUE?");
        // A misspelt trigger, as vigil.rollback.tickt.queue in a file: before, no suggestion.
        assertThat(section.getMessage()).contains(
                "VIGIL_ROLLBACK_TICKT_QUEUE: environment variable names no known key; did you mean VIGIL_ROLLBACK_TICKET_QUEUE?");
    }

    @Test
    void aSecretTheFactoryDeclaresNeverShows() {
        Map<String, String> p = failingDeployment();
        p.put("vigil.rollback.ticket.signing-key", SIGNING_KEY);
        BoundConfig bound = config().load(p);
        ConfigurationException e = fail(config(), Map.of("vigil.rollback.ticket.signing-key", SIGNING_KEY,
                "vigil.rollback.ticket.fail-attempts", SIGNING_KEY));

        VerificationReport report = virtual(bound).verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(bound.properties()).containsEntry("vigil.rollback.ticket.signing-key", "******");
        assertThat(report.rollback().output()).contains("signed with ******").doesNotContain(SIGNING_KEY);
        assertThat(e.getMessage()).contains("vigil.rollback.ticket.fail-attempts").doesNotContain(SIGNING_KEY);
    }

    /** A trigger factory of keys {@code x} and the secret {@code signing-key}, whose {@code create} is {@code create}. */
    private static RollbackTriggerFactory factory(String name, java.util.function.Function<RollbackSettings, RollbackTrigger> create) {
        return new RollbackTriggerFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<ConfigKey> keys() {
                return List.of(ConfigKey.of("x", ConfigKey.Kind.STRING, null, "Anything."),
                        ConfigKey.secret("signing-key", ConfigKey.Kind.STRING, "Signs what it sends."));
            }

            @Override
            public RollbackTrigger create(RollbackSettings settings) {
                return create.apply(settings);
            }
        };
    }

    /** A trigger factory that throws what {@code failure} makes of the secret {@code signing-key} it is given. */
    private static RollbackTriggerFactory broken(java.util.function.Function<String, RuntimeException> failure) {
        return factory("broken", settings -> {
            throw failure.apply(settings.string("signing-key").orElse("none"));
        });
    }

    @Test
    void aFactoryThatThrowsIsAProblemNamingTheTriggerAndTheFailure() {
        ConfigurationException e = fail(config(Map.of(), broken(key -> new IllegalStateException("cannot reach the ticket system"))),
                Map.of("vigil.rollback.broken.x", "1"));

        assertThat(e.getMessage()).contains("vigil.rollback.broken: rollback trigger broken failed:"
                + " IllegalStateException: cannot reach the ticket system");
    }

    @Test
    void aFactoryThatThrowsWithoutAMessageIsNamedByItsExceptionNotByNull() {
        ConfigurationException e = fail(config(Map.of(), broken(key -> new NullPointerException())),
                Map.of("vigil.rollback.broken.x", "1"));

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.rollback.broken");
            assertThat(problem.message()).isEqualTo("rollback trigger broken failed: NullPointerException");
        });
    }

    @Test
    void aSecretInTheMessageOfAFactorysFailureStaysRedacted() {
        ConfigurationException e = fail(config(Map.of(), broken(key -> new IllegalArgumentException("key " + key + " refused"))),
                Map.of("vigil.rollback.broken.signing-key", SIGNING_KEY));

        assertThat(e.getMessage()).contains("rollback trigger broken failed: IllegalArgumentException: key ****** refused")
                .doesNotContain(SIGNING_KEY);
    }

    @Test
    void aConfiguredTriggerThatThrowsWithoutAMessageFailsTheRollbackNamingTheException() {
        RollbackTriggerFactory npe = factory("npe", settings -> new RollbackTrigger() {
            @Override
            public String execute(dev.vigil.RollbackEvent event) {
                throw new NullPointerException();
            }

            @Override
            public String description() {
                return "npe";
            }
        });
        Map<String, String> p = failingDeployment();
        p.remove("vigil.rollback.ticket.queue");
        p.put("vigil.rollback.npe.x", "1");
        // A secret given: the configured trigger's errors pass through the redaction, which named them by message only.
        p.put("vigil.rollback.npe.signing-key", SIGNING_KEY);
        BoundConfig bound = config(Map.of(), npe).load(p);

        VerificationReport report = virtual(bound).verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).endsWith(": NullPointerException").doesNotContain("null");
    }

    @Test
    void aConfiguredTriggerWhoseIdempotentThrowsKeepsItsOwnErrorAndIsNotRepeated() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        RollbackTriggerFactory flaky = factory("flaky", settings -> new RollbackTrigger() {
            @Override
            public String execute(dev.vigil.RollbackEvent event) {
                attempts.incrementAndGet();
                throw new IllegalStateException("signing with " + SIGNING_KEY + " refused");
            }

            @Override
            public boolean idempotent() {
                throw new IllegalStateException("no answer from the registry, key " + SIGNING_KEY);
            }

            @Override
            public String description() {
                return "flaky";
            }
        });
        Map<String, String> p = failingDeployment();
        p.remove("vigil.rollback.ticket.queue");
        p.put("vigil.rollback.flaky.x", "1");
        p.put("vigil.rollback.max-attempts", "3");
        // A secret given: the configured trigger's errors pass through the redaction.
        p.put("vigil.rollback.flaky.signing-key", SIGNING_KEY);
        BoundConfig bound = config(Map.of(), flaky).load(p);

        VerificationReport report = virtual(bound).verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(attempts).hasValue(1);
        assertThat(report.rollback().error()).isEqualTo("flaky failed after 1 attempt: IllegalStateException: signing with"
                + " ****** refused; and idempotent() failed: IllegalStateException: no answer from the registry, key ******,"
                + " so it was taken as not idempotent and not tried again");
    }

    @Test
    void validationShowsTheTrigger() {
        ValidationResult result = config().validate(Map.of("vigil.probes.check.type", "command",
                "vigil.probes.check.command", "true", "vigil.rollback.ticket.queue", "ops"));

        assertThat(result.report()).contains("configuration is valid").contains("rollback: ticket: ops");
    }
}
