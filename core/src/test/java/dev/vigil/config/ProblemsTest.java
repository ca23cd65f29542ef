package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.VigilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProblemsTest {

    private static final String SECRET = "hunter2-very-secret";

    private static VigilConfig config(Map<String, String> env) {
        return VigilConfig.builder().environment(env).serviceLoader(false)
                .probeFactory(TestFactories.HTTP).probeFactory(TestFactories.PROMETHEUS).build();
    }

    private static Map<String, String> health() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.health.type", "http");
        p.put("vigil.probes.health.url", "http://localhost:8080/actuator/health");
        p.put("vigil.probes.health.pass-when", "status == 200");
        return p;
    }

    private static ConfigurationException fail(Map<String, String> env, Map<String, String> props) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(env).load(props));
        assertThat(e).as("expected a configuration error").isNotNull().isInstanceOf(VigilException.class);
        return e;
    }

    private static ConfigurationException fail(Map<String, String> props, VigilConfig config) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config.load(props));
        assertThat(e).as("expected a configuration error").isNotNull();
        return e;
    }

    private static ConfigurationException fail(Map<String, String> props) {
        return fail(Map.of(), props);
    }

    /**
     * A problem is one line, as it promises: a value from a file ({@code \n} and {@code \u001b} are
     * escapes a properties file turns into a line break and an ESC) or from the environment that holds a
     * line break or a terminal escape must not split the line, add one that reads as Vigil's, or clear
     * the terminal.
     */
    @Test
    void aProblemQuotingAValueWithControlCharactersStaysOneLine() {
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "10s\nVerdict:  HEALTHY\u001b[2J");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(problem -> assertThat(problem.toString())
                .startsWith("vigil.plan.duration: not a duration").doesNotContain("\n", "\u001b")
                .endsWith("(value: 10s\\nVerdict:  HEALTHY\\u001b[2J)"));
        assertThat(e.getMessage()).doesNotContain("\nVerdict", "\u001b");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"vigil.plan.duration", "vigil.plan.watch",
        "vigil.rollback.recheck.delay", "vigil.history.retention", "vigil.probes.health.retry-backoff"})
    void aDurationLongerThanMillisecondsHoldIsAProblemNamingTheKey(String key) {
        // 99999999999999d is a Duration, but not a count of milliseconds: validate called it valid, and
        // verify then failed to write its reports ("long overflow"), or worse, deep in the engine.
        Map<String, String> p = health();
        p.put(key, "99999999999999d");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo(key);
            assertThat(problem.message()).contains("longer than a count of milliseconds holds (at most 106751991167d)");
        });
    }

    @Test
    void aWholeNumberTooLargeToCountIsNamedAsSuch() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.max-failures", "99999999999");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.probes.health.max-failures");
            assertThat(problem.message()).isEqualTo("must be a whole number from -2147483648 to 2147483647");
        });
    }

    @Test
    void aTimeoutLongerThanTheIntervalIsAProblemNamingBothValues() {
        Map<String, String> p = health();
        p.put("vigil.plan.interval", "10s");
        p.put("vigil.probes.health.timeout", "30s");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.probes.health.timeout");
            assertThat(problem.message()).contains("30s is longer than vigil.plan.interval (10s)");
        });
    }

    @Test
    void anIntervalLongerThanTheDurationIsAProblemNamingBothKeysAndValues() {
        // A bake of 30s with a round every minute measured once, without a word.
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "30s");
        p.put("vigil.plan.interval", "1m");
        p.put("vigil.probes.health.timeout", "2s");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.plan.interval");
            assertThat(problem.message()).startsWith("1m is longer than vigil.plan.duration (30s): the bake would measure once")
                    .endsWith("lower the interval or raise the duration");
        });
    }

    @Test
    void aDurationShorterThanTheDefaultIntervalNamesTheDefault() {
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "5s");
        p.put("vigil.probes.health.timeout", "2s");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.plan.interval");
            assertThat(problem.message()).startsWith("10s (the default) is longer than vigil.plan.duration (5s)");
        });
    }

    @Test
    void aDurationThatIsItselfAProblemIsNamedOnceNotComparedAsTheDefault() {
        // An unreadable duration stands in as the default 5m: compared with it, a 10m interval was a
        // second problem about a duration nobody wrote.
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "fifteen minutes");
        p.put("vigil.plan.interval", "10m");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(problem -> assertThat(problem.key()).isEqualTo("vigil.plan.duration"));
    }

    @Test
    void aWatchShorterThanItsIntervalIsAProblemNamingBothKeysAndValues() {
        // A watch of 30s with a round every minute measured once, a minute after the bake.
        Map<String, String> p = health();
        p.put("vigil.plan.watch", "30s");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.plan.watch-interval");
            assertThat(problem.message()).startsWith("1m (the default) is longer than vigil.plan.watch (30s): the watch"
                    + " would measure once").endsWith("lower the interval or raise the duration");
        });
        p.put("vigil.plan.watch-interval", "20s");
        p.put("vigil.probes.health.timeout", "2s");
        assertThat(config(Map.of()).load(p).watch().interval()).isEqualTo(java.time.Duration.ofSeconds(20));
    }

    @Test
    void aDefaultTimeoutLongerThanTheIntervalIsShortenedToIt() {
        Map<String, String> p = health();
        p.put("vigil.plan.interval", "3s");

        BoundConfig bound = config(Map.of()).load(p);

        assertThat(bound.probes()).singleElement().satisfies(probe ->
                assertThat(probe.measurement().timeout()).isEqualTo(java.time.Duration.ofSeconds(3)));
    }

    @Test
    void aMisspeltProbeKeyIsAnErrorWithASuggestion() {
        Map<String, String> p = health();
        p.remove("vigil.probes.health.pass-when");
        p.put("vigil.probes.health.pas-when", "status == 200");

        ConfigurationException e = fail(p);

        assertThat(e.getMessage()).contains("vigil.probes.health.pas-when: unknown key; did you mean pass-when?");
        assertThat(e.problems()).contains(new ConfigProblem("vigil.probes.health.pas-when", "status == 200",
                "unknown key; did you mean pass-when?"));
    }

    @Test
    void unknownKeysAnywhereUnderThePrefixAreErrors() {
        Map<String, String> p = health();
        p.put("vigil.plan.durration", "5m");
        p.put("vigil.rollbak.command", "undo");
        p.put("vigil.probes.health.colour", "blue");
        p.put("vigil.deployment.fixes.x", "1");

        ConfigurationException e = fail(p);

        assertThat(e.getMessage())
                .contains("vigil.plan.durration: unknown key; did you mean duration?")
                .contains("vigil.rollbak.command: unknown key; did you mean vigil.rollback?")
                .contains("vigil.probes.health.colour: unknown key for type http; known keys: type, pass-when")
                .contains("vigil.deployment.fixes.x: unknown key; fixes takes no sub-keys");
    }

    @Test
    void aProbeRefusedBeforeItReadsItsConditionIsNotSaidToTakeNone() {
        // As the http type does: a missing url refuses the probe before its pass-when is read. The binder took the
        // unread condition for one the type does not take, a second, false error sending the user to delete it.
        dev.vigil.spi.ProbeFactory refusesEarly = new dev.vigil.spi.ProbeFactory() {
            @Override
            public String type() {
                return "early";
            }

            @Override
            public List<dev.vigil.spi.ConfigKey> keys() {
                return List.of(dev.vigil.spi.ConfigKey.of("url", dev.vigil.spi.ConfigKey.Kind.STRING, null, "the URL"));
            }

            @Override
            public dev.vigil.Probe create(dev.vigil.spi.ProbeSettings settings) {
                String url = settings.requiredString("url").orElseThrow(() -> dev.vigil.spi.InvalidSettingsException.reported(settings));
                var criteria = settings.criteria(Map.of("status", dev.vigil.condition.ValueType.NUMBER), null).orElseThrow();
                return context -> dev.vigil.ProbeResult.pass(Map.of(), url + criteria.passWhen());
            }
        };
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.health.type", "early");
        p.put("vigil.probes.health.url", "");
        p.put("vigil.probes.health.pass-when", "status == 200");

        ConfigurationException e = fail(p, VigilConfig.builder().environment(Map.of()).serviceLoader(false)
                .probeFactory(refusesEarly).build());

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("vigil.probes.health.url");
    }

    @Test
    void anUnknownTypeListsTheKnownTypes() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.type", "htp");

        assertThat(fail(p).getMessage()).contains(
                "vigil.probes.health.type: unknown probe type 'htp'; did you mean http?; known types: command, http, prometheus");
    }

    @Test
    void aProbeWithoutTypeIsAnError() {
        Map<String, String> p = health();
        p.remove("vigil.probes.health.type");

        assertThat(fail(p).getMessage()).contains("vigil.probes.health.type: missing; known types: command, http, prometheus");
    }

    @Test
    void aProbeWithoutConditionIsAnErrorUnlessItsTypeHasADefault() {
        Map<String, String> p = health();
        p.remove("vigil.probes.health.pass-when");
        p.put("vigil.probes.check.type", "command");
        p.put("vigil.probes.check.command", "true");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("vigil.probes.health.pass-when");
        assertThat(e.getMessage()).contains("needs pass-when or fail-when");
    }

    @Test
    void aConditionThatDoesNotParseIsAnErrorOnItsKeyWithTheColumn() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.pass-when", "status == ");
        p.put("vigil.probes.health.fail-when", "statuz > 500");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("vigil.probes.health.pass-when", "vigil.probes.health.fail-when");
        assertThat(e.problems()).allSatisfy(pr -> assertThat(pr.message()).doesNotStartWith("pass-when:").doesNotStartWith("fail-when:"));
        assertThat(e.problems()).filteredOn(pr -> pr.key().endsWith("pass-when")).singleElement()
                .satisfies(pr -> assertThat(pr.message()).containsIgnoringCase("column"));
    }

    @Test
    void aConditionThatReadsNoValueIsAnErrorOnItsKeyNotAProbeThatCannotFail() {
        // pass-when=true passed a service that answered 503: a HEALTHY nobody saw.
        Map<String, String> p = health();
        p.put("vigil.probes.health.pass-when", "true");
        p.put("vigil.probes.health.fail-when", "1 > 2 || false");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("vigil.probes.health.pass-when", "vigil.probes.health.fail-when");
        assertThat(e.problems()).filteredOn(pr -> pr.key().endsWith("pass-when")).singleElement()
                .satisfies(pr -> assertThat(pr.message()).startsWith("'true' reads none of the probe's values")
                        .contains("whatever the service answers").contains("status"));
    }

    @Test
    void aNegativeSignalGraceNamesItsKey() {
        Map<String, String> p = health();
        p.put("vigil.rollback.signal-grace", "-5s");

        assertThat(fail(p).getMessage()).contains("vigil.rollback.signal-grace: ").contains("(value: -5s)");
    }

    @Test
    void malformedValuesAndOutOfRangeValuesNameTheirKeys() {
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "5 minutes");
        p.put("vigil.plan.interval", "0s");
        p.put("vigil.plan.on-inconclusive", "maybe");
        p.put("vigil.plan.dry-run", "perhaps");
        p.put("vigil.probes.health.max-failures", "-1");
        p.put("vigil.probes.health.max-attempts", "lots");
        p.put("vigil.probes.health.max-body", "1 megabyte");
        p.put("vigil.rollback.max-attempts", "0");

        ConfigurationException e = fail(p);

        assertThat(e.getMessage())
                .contains("vigil.plan.duration: not a duration; use a number with a unit (500ms, 30s, 5m, 1h, 2d)")
                .contains("(value: 5 minutes)")
                .contains("vigil.plan.interval: must be longer than zero (value: 0s)")
                .contains("vigil.plan.on-inconclusive: must be one of fail, rollback, pass (value: maybe)")
                .contains("vigil.plan.dry-run: must be true or false")
                .contains("vigil.probes.health.max-failures: must be at least 0 (value: -1)")
                .contains("vigil.probes.health.max-attempts: must be a whole number (value: lots)")
                .contains("vigil.probes.health.max-body: not a size")
                .contains("vigil.rollback.max-attempts: must be at least 1 (value: 0)");
        assertThat(e.problems()).hasSize(8);
        assertThat(e.getMessage().lines().count()).isEqualTo(9);
    }

    @Test
    void severalKindsOfProblemsAreReportedTogetherOnePerLine() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.pas-when", "x");
        p.put("vigil.probes.health.url", "");
        p.put("vigil.probes.other.type", "grpc");
        p.put("vigil.probes.error-rate.type", "prometheus");
        p.put("vigil.probes.error-rate.base-url", "${PROM_URL}");
        p.put("vigil.probes.error-rate.fail-when", "value > 0.01");
        p.put("vigil.plan.timeout", "1m");

        ConfigurationException e = fail(p);

        assertThat(e.getMessage()).startsWith("invalid Vigil configuration (6 problems):");
        assertThat(e.problems()).as(e.problems().toString()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "vigil.probes.health.pas-when",
                "vigil.probes.health.url",
                "vigil.probes.other.type",
                "vigil.probes.error-rate.base-url",
                "vigil.probes.error-rate.query",
                "vigil.plan.timeout");
        assertThat(e.getMessage()).contains("placeholder ${PROM_URL} has no value: set the environment variable PROM_URL")
                .contains("vigil.probes.error-rate.query: missing");
    }

    @Test
    void badEnvironmentValuesNameTheVariable() {
        ConfigurationException e = fail(Map.of("VIGIL_PLAN_DURATION", "soon", "VIGIL_PROBES_HEALTH_PAS_WHEN", "x",
                "VIGIL_PROBES_NOPE_URL", "http://x"), health());

        assertThat(e.getMessage())
                .contains("vigil.plan.duration: not a duration")
                .contains("(from environment variable VIGIL_PLAN_DURATION) (value: soon)")
                .contains("VIGIL_PROBES_HEALTH_PAS_WHEN: environment variable names no known key; did you mean VIGIL_PROBES_HEALTH_PASS_WHEN?")
                .contains("VIGIL_PROBES_NOPE_URL: names no configured probe (known: health)");
    }

    @Test
    void theSameKeySpelledTwiceInOneFileIsAnError() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.passWhen", "status == 201");

        assertThat(fail(p).getMessage()).contains("vigil.probes.health.passWhen: set twice in properties, also as vigil.probes.health.pass-when");
    }

    @Test
    void aSecretNeverAppearsInAnyMessage() {
        Map<String, String> env = Map.of("PROMETHEUS_TOKEN", SECRET, "API_PASSWORD", SECRET);
        Map<String, String> p = health();
        p.put("vigil.probes.health.bearer-token", "${PROMETHEUS_TOKEN}");
        p.put("vigil.probes.health.headers.Authorization", "Bearer ${PROMETHEUS_TOKEN}");
        p.put("vigil.probes.health.max-body", "${PROMETHEUS_TOKEN}");
        p.put("vigil.probes.health.method", "${API_PASSWORD}x");
        p.put("vigil.probes.health.follow-redirects", "${vigil.probes.health.bearer-token}");
        p.put("vigil.probes.health.colour", "${PROMETHEUS_TOKEN}");
        p.put("vigil.probes.health.pass-when", "status == \"${API_PASSWORD}\" &&");
        p.put("vigil.deployment.labels.password", SECRET);
        p.put("vigil.rollback.command", "undo --token=${PROMETHEUS_TOKEN}");
        p.put("vigil.rollback.max-attempts", "${PROMETHEUS_TOKEN}");

        ConfigurationException e = fail(env, p);

        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("hunter2").contains("******");
        assertThat(e.problems()).allSatisfy(problem -> assertThat(problem.toString()).doesNotContain(SECRET));
        assertThat(e.problems()).filteredOn(pr -> pr.key().equals("vigil.probes.health.max-body"))
                .singleElement().satisfies(pr -> assertThat(pr.value()).isEqualTo("******"));
    }

    @Test
    void anUnresolvedSecretPlaceholderIsReportedWithoutAValue() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.bearer-token", "${MISSING_TOKEN}");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.key()).isEqualTo("vigil.probes.health.bearer-token");
            assertThat(pr.value()).isEqualTo("******");
            assertThat(pr.message()).contains("${MISSING_TOKEN} has no value");
        });
    }

    @Test
    void aPlaceholderWithoutAValueIsTheOnlyProblemOfItsProbeNotAlsoAMissingKeyOrARejectedType() {
        // A factory reads a key whose placeholder failed as absent: it said "url: is required" of a url that is set,
        // or made nothing, which was reported against the probe's type as "made nothing and said no reason".
        dev.vigil.spi.ProbeFactory strict = new dev.vigil.spi.ProbeFactory() {
            @Override
            public String type() {
                return "strict";
            }

            @Override
            public java.util.List<dev.vigil.spi.ConfigKey> keys() {
                return java.util.List.of(dev.vigil.spi.ConfigKey.of("url", dev.vigil.spi.ConfigKey.Kind.STRING, null, "The URL."));
            }

            @Override
            public dev.vigil.Probe create(dev.vigil.spi.ProbeSettings settings) {
                if (settings.string("url").isEmpty()) {
                    settings.problem("url", "is required");
                }
                return null;
            }
        };
        Map<String, String> p = health();
        p.put("vigil.probes.health.url", "${MISSING_URL}");
        p.put("vigil.probes.other.type", "strict");
        p.put("vigil.probes.other.url", "${MISSING_URL}");

        ConfigurationException e = fail(p, VigilConfig.builder().environment(Map.of()).serviceLoader(false)
                .probeFactory(TestFactories.HTTP).probeFactory(strict).build());

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("vigil.probes.health.url", "vigil.probes.other.url");
        assertThat(e.problems()).allSatisfy(pr -> assertThat(pr.message()).startsWith("placeholder ${MISSING_URL} has no value"));
    }

    @Test
    void retryOnExitCodesIsNotSaidToLackACommandWhosePlaceholderHasNoValue() {
        // Before, a second problem: "retry-on-exit-codes: applies to vigil.rollback.command only, which is not set".
        Map<String, String> p = health();
        p.put("vigil.rollback.command", "${ROLLBACK_COMMAND}");
        p.put("vigil.rollback.retry-on-exit-codes", "75");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.key()).isEqualTo("vigil.rollback.command");
            assertThat(pr.message()).startsWith("placeholder ${ROLLBACK_COMMAND} has no value");
        });
    }

    @Test
    void aSecretRollbackCommandIsRedactedInItsDescription() {
        Map<String, String> p = health();
        p.put("vigil.rollback.command", "undo --token=${DEPLOY_TOKEN}");

        BoundConfig config = config(Map.of("DEPLOY_TOKEN", SECRET)).load(p);

        assertThat(config.rollback().orElseThrow().description()).isEqualTo("command: undo --token=******");
        assertThat(config.describe()).doesNotContain(SECRET);
    }

    @Test
    void validateReturnsTheProblemsInsteadOfThrowing() {
        Map<String, String> p = health();
        p.put("vigil.plan.durration", "5m");

        ValidationResult result = config(Map.of()).validate(p);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).extracting(ConfigProblem::key).containsExactly("vigil.plan.durration");
        assertThat(result.report()).contains("vigil.plan.durration: unknown key; did you mean duration?");
    }

    @Test
    void validateReportsAConfigurationWithoutProbes() {
        ValidationResult result = config(Map.of()).validate(Map.of("vigil.plan.duration", "5m"));

        assertThat(result.problems()).extracting(ConfigProblem::key).containsExactly("vigil.probes");
    }

    @Test
    void fileProblemsAreConfigurationErrorsNamingTheFile(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("application.yml"), "vigil:\n  plan: [unclosed\n");
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> config(Map.of()).load(yaml)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("application.yml: not valid YAML at line");
        assertThatThrownBy(() -> VigilConfig.defaults().load(missing).verifier()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nope.properties: file not found");
    }

    @Test
    void aFileNameHoldingALineBreakIsNamedOnOneLineSoThatItCannotForgeAnother(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.properties\nvigil: all checks passed");
        Path folder = Files.createDirectory(dir.resolve("conf\r\u001b[2Kd"));

        assertThatThrownBy(() -> VigilConfig.defaults().load(missing)).isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).singleElement().asString()
                        .isEqualTo(dir + "/nope.properties\\nvigil: all checks passed: file not found"));
        assertThatThrownBy(() -> VigilConfig.defaults().load(folder)).isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).singleElement().asString()
                        .startsWith(dir + "/conf\\r\\u001b[2Kd: a folder, not a file").doesNotContain("\r", "\u001b"));
    }

    @Test
    void aWindowsPathInAPropertiesFileIsAnErrorNamingTheLineAndHowToWriteIt(@TempDir Path dir) throws Exception {
        // Properties said only "Malformed \\uxxxx encoding.": no line, no way out.
        Path file = Files.writeString(dir.resolve("c.properties"), "# run C:\\users\\deploy\\rollback.cmd\n"
                + "vigil.plan.duration=5m\nvigil.rollback.command=C:\\users\\deploy\\rollback.cmd\n");

        assertThat(config(Map.of()).validate(file).report())
                .contains("c.properties: not a valid properties file: line 3 has \\u without four hexadecimal digits",
                        "C:/users").doesNotContain("Malformed");
    }

    @Test
    void aKeyRepeatedInAPropertiesFileIsAProblemNamingItAndItsLines(@TempDir Path dir) throws Exception {
        // Before: the last value was taken without a word, a bake of 5m becoming one of 30m or the other way round.
        Path file = Files.writeString(dir.resolve("vigil.properties"), String.join("\n",
                "vigil.plan.duration=5m",
                "# a comment goes on on no other line \\",
                "vigil.deployment.service=check\\",
                "    out",
                "vigil.probes.health.type=http",
                "vigil.probes.health.url=http://localhost:8080/actuator/health",
                "vigil.probes.health.pass-when=status == 200",
                "server.port=8080",
                "server.port=8081",
                "vigil.plan.duration = 30m",
                ""));

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(file));

        assertThat(e).isNotNull();
        assertThat(e.problems()).as("a key outside the prefix is left alone").singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("vigil.plan.duration");
            assertThat(p.message()).isEqualTo("set twice in " + file + " (lines 1, 10): the last value would replace the others"
                    + " without a word; keep one");
        });
    }

    @Test
    void aKeyWrittenWithoutAValueIsAProblemNamingIt(@TempDir Path dir) throws Exception {
        // Before: "vigil.rollback.command=" validated as "rollback: none configured" and an empty pass-when took the
        // type's default condition, each without a word; the person who wrote the line meant something.
        Path file = Files.writeString(dir.resolve("vigil.properties"), String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.deployment.previous-version=",
                "vigil.probes.health.type=http",
                "vigil.probes.health.url=http://localhost:8080/actuator/health",
                "vigil.probes.health.pass-when=  ",
                "vigil.rollback.command=",
                "vigil.deployment.fixes=${FIXES:}",
                ""));

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(file));

        assertThat(e).isNotNull();
        assertThat(e.problems()).as(e.problems().toString()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "vigil.deployment.previous-version", "vigil.probes.health.pass-when", "vigil.rollback.command");
        assertThat(e.problems()).filteredOn(p -> p.key().equals("vigil.rollback.command")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("has no value in " + file + " (line 6): an empty value would"
                        + " silently mean the default or none; give it a value, or leave the key out (${NAME:} says that an"
                        + " empty value is meant)"));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstKey(@TempDir Path dir) throws Exception {
        // Saved by Notepad with a byte order mark, the first key was the mark and vigil.deployment.service: "unknown key;
        // did you mean vigil.deployment.service?", a suggestion that looks the same as the key.
        Map<String, String> p = health();
        p.put("vigil.deployment.service", "checkout");
        StringBuilder text = new StringBuilder("\uFEFF");
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path file = Files.writeString(dir.resolve("notepad.properties"), text);

        ValidationResult result = config(Map.of()).validate(file);

        assertThat(result.valid()).as(result.report()).isTrue();
        assertThat(result.config().deployment().service()).isEqualTo("checkout");
    }

    @Test
    void aFileThatIsNotUtf8TextOrIsAFolderIsAnErrorSayingSo(@TempDir Path dir) throws Exception {
        // 0xE9 is "é" in a file saved as ISO-8859-1; the decoder's own message was "Input length = 1".
        Path latin1 = Files.write(dir.resolve("latin1.properties"),
                "vigil.plan.duration=5m\nvigil.deployment.service=caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path binary = Files.write(dir.resolve("binary.yml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0x80});

        assertThat(config(Map.of()).validate(latin1).report())
                .contains("latin1.properties: not UTF-8 text (line 2): save it as UTF-8").doesNotContain("Input length");
        assertThat(config(Map.of()).validate(binary).report()).contains("binary.yml: not UTF-8 text (line 1)");
        assertThat(config(Map.of()).validate(dir).report()).contains(dir + ": a folder, not a file");
    }

    @Test
    void aFileFarTooLargeForAConfigurationIsRefusedUnread(@TempDir Path dir) throws Exception {
        // Read whole, a wrong file given as --config (a log, an archive) ran the JVM out of memory.
        Path huge = dir.resolve("application.properties");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L << 30);
        }

        assertThat(config(Map.of()).validate(huge).report())
                .contains("application.properties: 3072 MiB, too large for a configuration file (at most 4 MiB)");
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs({org.junit.jupiter.api.condition.OS.LINUX, org.junit.jupiter.api.condition.OS.MAC})
    void aStreamLongerThanTheCapIsRefusedOnceItPassesItWhateverItsSize() {
        // The size of a device is 0: --config /dev/zero passed the size check and ran the JVM out of memory.
        Path zero = Path.of("/dev/zero");

        ValidationResult result = config(Map.of()).validate(zero);

        assertThat(result.valid()).isFalse();
        assertThat(result.report()).contains("/dev/zero: more than 4 MiB, too large for a configuration file (at most 4 MiB)");
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs({org.junit.jupiter.api.condition.OS.LINUX, org.junit.jupiter.api.condition.OS.MAC})
    void aPipeShorterThanTheCapIsReadAsAFile(@TempDir Path dir) throws Exception {
        // --config <(envsubst < c.properties): a FIFO, whose size is 0 too.
        Path fifo = dir.resolve("c.properties");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Map<String, String> p = health();
        p.put("vigil.deployment.service", "checkout");
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();

        ValidationResult result = config(Map.of()).validate(fifo);
        writer.join(10_000);

        assertThat(result.valid()).as(result.report()).isTrue();
        assertThat(result.config().deployment().service()).isEqualTo("checkout");
    }

    @Test
    void aYamlKeyWrittenTwiceIsAnErrorNotASilentlyDroppedProbe(@TempDir Path dir) throws Exception {
        // A copied probe block whose name was not changed: the first probe must not vanish unseen.
        Path yaml = Files.writeString(dir.resolve("application.yml"), String.join("\n",
                "vigil:",
                "  probes:",
                "    health:",
                "      type: command",
                "      command: curl -fsS http://checkout/health",
                "      pass-when: exit-code == 0",
                "    health:",
                "      type: command",
                "      command: 'true'",
                "      pass-when: exit-code == 0",
                ""));

        assertThatThrownBy(() -> config(Map.of()).load(yaml)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("application.yml: not valid YAML at line 7")
                .hasMessageContaining("'health'");
    }

    @Test
    void aYamlAliasIsAnErrorNotItsNameAsTheValue(@TempDir Path dir) throws Exception {
        // Read as the alias' name, the rollback would have run the command "rollback" and the probe "smoke".
        Path yaml = Files.writeString(dir.resolve("application.yml"), String.join("\n",
                "commands:",
                "  smoke: &smoke curl -fsS http://checkout/health",
                "  rollback: &rollback helm rollback checkout",
                "vigil:",
                "  probes:",
                "    health:",
                "      type: command",
                "      command: *smoke",
                "      pass-when: exit-code == 0",
                "  rollback:",
                "    command: *rollback",
                ""));

        assertThatThrownBy(() -> config(Map.of()).load(yaml)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("application.yml: not valid YAML at line 8")
                .hasMessageContaining("*smoke");
    }

    @Test
    void placeholdersThatReferToEachOtherAreAnError() {
        Map<String, String> p = health();
        p.put("vigil.deployment.service", "${vigil.deployment.environment}");
        p.put("vigil.deployment.environment", "${vigil.deployment.service}");

        assertThat(fail(p).getMessage()).contains("refers to itself");
    }

    @Test
    void aMisspeltPrefixIsAnErrorButOtherApplicationKeysAreLeftAlone() {
        Map<String, String> p = health();
        p.put("vigl.plan.duration", "5m");
        p.put("server.port", "8080");
        p.put("spring.application.name", "checkout");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.key()).isEqualTo("vigl.plan.duration");
            assertThat(pr.message()).isEqualTo("unknown key; did you mean vigil.plan.duration?");
        });
    }
    @Test
    void aPlaceholderWhoseVariableIsSetButEmptyIsAnErrorNamingTheKeyAndTheVariable() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.url", "http://${HEALTH_HOST}:8080/actuator/health");
        p.put("vigil.rollback.command", "kubectl rollout undo deployment/checkout --to-revision=${REVISION}");

        ConfigurationException e = fail(Map.of("HEALTH_HOST", "", "REVISION", "  "), p);

        assertThat(e.problems()).extracting(ConfigProblem::key).contains("vigil.probes.health.url", "vigil.rollback.command");
        assertThat(e.getMessage())
                .contains("vigil.probes.health.url: placeholder ${HEALTH_HOST} is empty: the environment variable"
                        + " HEALTH_HOST is set but empty; give it a value, or a default as ${HEALTH_HOST:default}")
                .contains("vigil.rollback.command: placeholder ${REVISION} is empty: the environment variable REVISION");
    }

    @Test
    void aPlaceholderOfAnEmptyKeyIsAnErrorNamingThatKey() {
        Map<String, String> p = health();
        p.put("vigil.rollback.command", "kubectl set image deployment/checkout app=checkout:${vigil.deployment.previous-version}");

        ConfigurationException e = fail(Map.of("VIGIL_DEPLOYMENT_PREVIOUS_VERSION", ""), p);

        assertThat(e.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.key()).isEqualTo("vigil.rollback.command");
            assertThat(pr.message()).startsWith("placeholder ${vigil.deployment.previous-version} is empty: the key"
                    + " vigil.deployment.previous-version is set but empty");
        });
    }

    @Test
    void aHeaderTheProbesTakeForACredentialIsSecretInTheConfigurationToo() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.headers.Cookie", "theme=dark; SESSION=cookie-7f3e-19ab");
        p.put("vigil.probes.health.headers.X-Auth-Key", "authkey-5d2c-88e1");
        p.put("vigil.probes.health.headers.X-Session-Id", "session-a41b-07cd");
        p.put("vigil.probes.health.headers.X-Request-Signature", "signature-3e9f-62aa");
        p.put("vigil.probes.health.headers.X-Goog-IAP-JWT-Assertion", "eyJhbGciOiJFUzI1NiJ9.iap-5c1d.sig");
        p.put("vigil.probes.health.headers.X-Shopify-Hmac-Sha256", "hmac-9b7a-41fe");
        p.put("vigil.probes.health.headers.X-Scope-OrgID", "team-a");
        List<String> secrets = List.of("cookie-7f3e-19ab", "authkey-5d2c-88e1", "session-a41b-07cd", "signature-3e9f-62aa",
                "eyJhbGciOiJFUzI1NiJ9.iap-5c1d.sig", "hmac-9b7a-41fe");

        BoundConfig config = config(Map.of()).load(p);
        // a problem with a header shows its value, unless it is a secret
        p.put("vigil.probes.health.headers.X-Auth-Key", "authkey-5d2c-88e1 ${UNSET_VARIABLE}");
        ConfigurationException e = fail(p);

        assertThat(config.properties()).containsEntry("vigil.probes.health.headers.X-Scope-OrgID", "team-a")
                .containsEntry("vigil.probes.health.headers.Cookie", "******")
                .containsEntry("vigil.probes.health.headers.X-Auth-Key", "******")
                .containsEntry("vigil.probes.health.headers.X-Session-Id", "******")
                .containsEntry("vigil.probes.health.headers.X-Request-Signature", "******")
                .containsEntry("vigil.probes.health.headers.X-Goog-IAP-JWT-Assertion", "******")
                .containsEntry("vigil.probes.health.headers.X-Shopify-Hmac-Sha256", "******");
        secrets.forEach(secret -> {
            assertThat(config.describe()).doesNotContain(secret);
            assertThat(e.getMessage()).doesNotContain(secret);
        });
    }

    @Test
    void anEmptySecretPlaceholderIsAnErrorWithTheValueRedacted() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.headers.Authorization", "Bearer ${API_TOKEN}");

        ConfigurationException e = fail(Map.of("API_TOKEN", ""), p);

        assertThat(e.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.key()).isEqualTo("vigil.probes.health.headers.Authorization");
            assertThat(pr.message()).startsWith("placeholder ${API_TOKEN} is empty");
            assertThat(pr.value()).isEqualTo("******");
        });
    }
    /** A probe type of its own, whose probes {@code create} makes; no keys beyond every probe's. */
    private static VigilConfig withProbeType(String type, java.util.function.Function<dev.vigil.spi.ProbeSettings, dev.vigil.Probe> create) {
        dev.vigil.spi.ProbeFactory factory = new dev.vigil.spi.ProbeFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public List<dev.vigil.spi.ConfigKey> keys() {
                return List.of();
            }

            @Override
            public dev.vigil.Probe create(dev.vigil.spi.ProbeSettings settings) {
                return create.apply(settings);
            }
        };
        return VigilConfig.builder().environment(Map.of()).serviceLoader(false).probeFactory(factory).build();
    }

    @Test
    void aProbeTypeThatThrowsWithoutAMessageIsNamedByItsExceptionNotByNull() {
        VigilConfig config = withProbeType("npe", settings -> {
            throw new NullPointerException();
        });

        ConfigurationException e = fail(Map.of("vigil.probes.smoke.type", "npe"), config);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.probes.smoke.type");
            assertThat(problem.message()).isEqualTo("probe type npe failed: NullPointerException");
        });
    }

    @Test
    void aProbeTypeThatRejectsItsSettingsWithoutAMessageIsNamedByItsExceptionNotByNull() {
        VigilConfig config = withProbeType("silent", settings -> {
            throw new dev.vigil.spi.InvalidSettingsException(null);
        });

        ConfigurationException e = fail(Map.of("vigil.probes.smoke.type", "silent"), config);

        assertThat(e.problems()).singleElement().satisfies(problem ->
                assertThat(problem.message()).isEqualTo("probe type silent rejected the settings: InvalidSettingsException"));
    }

    @Test
    void aConditionThatFailsForAProbeTypesFaultWithoutAMessageIsNamedByItsExceptionNotByNull() {
        // A null among the declared names: the condition's parser copies them with Map.copyOf, whose
        // NullPointerException has no message ("cannot be used: null" before).
        VigilConfig config = withProbeType("null-type", settings -> {
            Map<String, dev.vigil.condition.ValueType> declared = new java.util.HashMap<>();
            declared.put("status", null);
            settings.criteria(declared, null);
            return null;
        });
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.smoke.type", "null-type");
        p.put("vigil.probes.smoke.pass-when", "status == 200");

        ConfigurationException e = fail(p, config);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.probes.smoke.pass-when");
            assertThat(problem.message()).isEqualTo("cannot be used: NullPointerException");
        });
    }

    @Test
    void aConfigurationThatCannotBeReadWithoutAMessageIsNamedByItsExceptionNotByNull() {
        ClassLoader failingResources = new ClassLoader(null) {
            @Override
            public java.io.InputStream getResourceAsStream(String name) {
                return !name.equals("application.properties") ? null : new java.io.InputStream() {
                    @Override
                    public int read() throws java.io.IOException {
                        throw new java.io.IOException();
                    }
                };
            }
        };
        VigilConfig config = VigilConfig.builder().environment(Map.of()).serviceLoader(false).classLoader(failingResources).build();

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, config::loadClasspath);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("application.properties");
            assertThat(problem.message()).isEqualTo("cannot be read: IOException");
        });
    }

    /**
     * A YAML list where a command is taken is refused element by element, each with its value: the
     * element after {@code --token} was shown in clear, and so was a value under a credential's name
     * deeper than the key's own ({@code extra.private-key.prod}).
     */
    @Test
    void aListOrMapRefusedShowsNoCredentialItHolds(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("vigil.yml"), """
                vigil:
                  deployment:
                    extra:
                      private-key: {prod: pk-never-shown-1}
                  probes:
                    check:
                      type: command
                      command: 'true'
                  rollback:
                    command: [deploy, --token, tok-never-shown-2, 'API_TOKEN=tok-never-shown-3', -u, 'ci:pw-never-shown-4']
                """);

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> VigilConfig.defaults().loadYaml(file));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("vigil.rollback.command[0]: unknown key; command is not a list (value: deploy)")
                .contains("vigil.rollback.command[1]: unknown key; command is not a list (value: --token)")
                .contains("vigil.rollback.command[2]: unknown key; command is not a list (value: ******)")
                .contains("vigil.rollback.command[4]: unknown key; command is not a list (value: -u)")
                .contains("vigil.deployment.extra.private-key.prod")
                .doesNotContain("never-shown");
    }
}
