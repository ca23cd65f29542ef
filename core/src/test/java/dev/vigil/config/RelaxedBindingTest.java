package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import dev.vigil.VerificationPlan.OnInconclusive;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelaxedBindingTest {

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

    private static TestFactories.FakeProbe probe(BoundConfig config, String name) {
        return (TestFactories.FakeProbe) config.probes().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow().probe();
    }

    @Test
    void camelCaseUnderscoreAndUpperCaseKeysBindLikeKebabCase() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.health.type", "http");
        p.put("vigil.probes.health.url", "http://x");
        p.put("vigil.probes.health.passWhen", "status == 200");
        p.put("vigil.probes.health.maxConsecutiveErrors", "7");
        p.put("vigil.probes.health.max_failures", "2");
        p.put("vigil.probes.health.FOLLOW-REDIRECTS", "true");
        p.put("Vigil.Plan.initialDelay", "5s");
        p.put("vigil.plan.onInconclusive", "rollback");
        p.put("vigil.deployment.previousVersion", "1.0");

        BoundConfig config = config(Map.of()).load(p);

        BoundProbe health = config.probes().get(0);
        assertThat(health.probe().passWhen()).isEqualTo("status == 200");
        assertThat(health.limits().maxConsecutiveErrors()).isEqualTo(7);
        assertThat(health.limits().maxFailures()).isEqualTo(2);
        assertThat(probe(config, "health").settings).containsEntry("follow-redirects", true);
        assertThat(config.plan().initialDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.plan().onInconclusive()).isEqualTo(OnInconclusive.ROLLBACK);
        assertThat(config.deployment().previousVersion()).isEqualTo("1.0");
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        Map<String, String> env = Map.of(
                "VIGIL_PROBES_HEALTH_URL", "http://from-env/health",
                "VIGIL_PROBES_HEALTH_PASS_WHEN", "status == 204",
                "VIGIL_PROBES_HEALTH_MAX_CONSECUTIVE_ERRORS", "9",
                "VIGIL_PLAN_DURATION", "2m",
                "VIGIL_PLAN_DRY_RUN", "true",
                "VIGIL_DEPLOYMENT_PREVIOUS_VERSION", "0.9");
        Map<String, String> p = health();
        p.put("vigil.plan.duration", "5m");

        BoundConfig config = config(env).load(p);

        assertThat(probe(config, "health").settings).containsEntry("url", "http://from-env/health");
        assertThat(config.probes().get(0).probe().passWhen()).isEqualTo("status == 204");
        assertThat(config.probes().get(0).limits().maxConsecutiveErrors()).isEqualTo(9);
        assertThat(config.plan().duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.plan().dryRun()).isTrue();
        assertThat(config.deployment().previousVersion()).isEqualTo("0.9");
    }

    @Test
    void anEmptyEnvironmentVariableOverAValueOfTheFileIsAnErrorNamingIt() {
        // As a CI system sets a variable from an undefined one: it must not silently leave no rollback, or roll back to "".
        Map<String, String> p = health();
        p.put("vigil.deployment.previous-version", "2.4.0");
        p.put("vigil.probes.health.instances[0]", "http://a");
        p.put("vigil.rollback.command", "kubectl set image deployment/checkout app=checkout:${vigil.deployment.previous-version}");
        Map<String, String> env = Map.of(
                "VIGIL_ROLLBACK_COMMAND", "",
                "VIGIL_DEPLOYMENT_PREVIOUS_VERSION", " ",
                "VIGIL_PROBES_HEALTH_INSTANCES", "",
                "VIGIL_PROBES_HEALTH_PASS_WHEN", "");

        ValidationResult result = config(env).validate(p);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "VIGIL_ROLLBACK_COMMAND", "VIGIL_DEPLOYMENT_PREVIOUS_VERSION", "VIGIL_PROBES_HEALTH_INSTANCES",
                "VIGIL_PROBES_HEALTH_PASS_WHEN");
        assertThat(result.report()).contains("VIGIL_ROLLBACK_COMMAND: set but empty: it would clear vigil.rollback.command,"
                + " which the configuration gives; unset the variable, or give it a value");
    }

    @Test
    void anEmptyEnvironmentVariableWithNothingToClearIsAccepted() {
        BoundConfig config = config(Map.of("VIGIL_PLAN_DRY_RUN", "", "VIGIL_ROLLBACK_COMMAND", "")).load(health());

        assertThat(config.plan().dryRun()).isFalse();
        assertThat(config.rollback()).isEmpty();
    }

    @Test
    void environmentNamesAreMatchedAgainstKnownProbesAndKeysDespiteDashes() {
        Map<String, String> p = health();
        p.put("vigil.probes.error-rate.type", "prometheus");
        p.put("vigil.probes.error-rate.base-url", "http://prom");
        p.put("vigil.probes.error-rate.query", "up");
        p.put("vigil.probes.error-rate.fail-when", "value > 0.01");
        Map<String, String> env = Map.of(
                "VIGIL_PROBES_ERROR_RATE_ON_NO_DATA", "fail",
                "VIGIL_PROBES_ERROR_RATE_BASE_URL", "http://prom-from-env",
                "VIGIL_PROBES_HEALTH_HEADERS_X_SCOPE_ORGID", "tenant-1",
                "VIGIL_PROBES_HEALTH_INSTANCES_1", "http://b",
                "VIGIL_PROBES_HEALTH_INSTANCES_0", "http://a");

        BoundConfig config = config(env).load(p);

        assertThat(probe(config, "error-rate").settings)
                .containsEntry("on-no-data", "fail").containsEntry("base-url", "http://prom-from-env");
        assertThat(probe(config, "health").settings)
                .containsEntry("headers", Map.of("x-scope-orgid", "tenant-1"))
                .containsEntry("instances", List.of("http://a", "http://b"));
    }

    @Test
    void theReCheckKeysOfTheRollbackBindFromTheEnvironmentAndAMisspeltOneIsAnErrorWithASuggestion() {
        // docs/rollback.md advises vigil.rollback.recheck.delay=1m for rate() queries: a pipeline sets it as
        // VIGIL_ROLLBACK_RECHECK_DELAY, like every key, and it was refused as naming no key.
        Map<String, String> p = health();
        p.put("vigil.rollback.recheck.rounds", "5");

        BoundConfig config = config(Map.of("VIGIL_ROLLBACK_RECHECK_DELAY", "1m", "VIGIL_ROLLBACK_RECHECK_ROUNDS", "2")).load(p);
        ValidationResult misspelt = config(Map.of("VIGIL_ROLLBACK_RECHECK_DELYA", "1m")).validate(p);
        ValidationResult misspeltSection = config(Map.of("VIGIL_ROLLBACK_RECHEK_DELAY", "1m")).validate(p);

        assertThat(config.recheck().delay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.recheck().rounds()).isEqualTo(2);
        assertThat(misspelt.report()).contains("VIGIL_ROLLBACK_RECHECK_DELYA: environment variable names no known key;"
                + " did you mean VIGIL_ROLLBACK_RECHECK_DELAY?");
        assertThat(misspeltSection.report()).contains("VIGIL_ROLLBACK_RECHEK_DELAY: environment variable names no known key;"
                + " did you mean VIGIL_ROLLBACK_RECHECK_DELAY?");
    }

    @Test
    void anEnvironmentVariableMisspellingAProbeNameIsAnErrorWithASuggestion() {
        ValidationResult result = config(Map.of("VIGIL_PROBES_HELTH_URL", "http://10.0.0.7:8080/actuator/health")).validate(health());

        assertThat(result.report()).contains("VIGIL_PROBES_HELTH_URL: names no configured probe (known: health);"
                + " did you mean VIGIL_PROBES_HEALTH_URL?");
    }

    @Test
    void anEnvironmentVariableWithTypeAddsAProbe() {
        Map<String, String> env = Map.of(
                "VIGIL_PROBES_READY_TYPE", "http",
                "VIGIL_PROBES_READY_URL", "http://ready",
                "VIGIL_PROBES_READY_PASS_WHEN", "status == 200");

        BoundConfig config = config(env).load(health());

        assertThat(config.probes()).extracting(BoundProbe::name).containsExactly("health", "ready");
        assertThat(probe(config, "ready").settings).containsEntry("url", "http://ready");
    }

    @Test
    void unrelatedVariablesUnderThePrefixAreIgnored() {
        Map<String, String> env = Map.of("VIGIL_SERVICE", "x", "VIGIL_REQUIRE_PROMETHEUS", "true", "PATH", "/bin");

        assertThat(config(env).load(health()).probes()).hasSize(1);
    }

    @Test
    void listsBindFromCommasAndFromIndexesAndAnOverridingSourceReplacesTheWholeList() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.instances", "http://a, http://b");
        p.put("vigil.deployment.fixes[0]", "OPS-1");
        p.put("vigil.deployment.fixes[1]", "OPS-2");
        p.put("vigil.deployment.labels.team", "payments");
        p.put("vigil.deployment.kind", "hotfix");
        p.put("vigil.probes.health.confirms", "OPS-1,OPS-2,OPS-9");

        BoundConfig fromFile = config(Map.of()).load(p);
        BoundConfig overridden = config(Map.of("VIGIL_DEPLOYMENT_FIXES", "OPS-9")).load(p);

        assertThat(probe(fromFile, "health").settings).containsEntry("instances", List.of("http://a", "http://b"));
        assertThat(fromFile.deployment().fixes()).containsExactly("OPS-1", "OPS-2");
        assertThat(fromFile.deployment().labels()).containsEntry("team", "payments");
        assertThat(fromFile.deployment().kind()).isEqualTo(Deployment.Kind.HOTFIX);
        assertThat(overridden.deployment().fixes()).containsExactly("OPS-9");
    }

    @Test
    void placeholdersComeFromTheEnvironmentWithOrWithoutDefaultsAndFromOtherKeys() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.url", "http://${HOST}:${PORT:8080}/health");
        p.put("vigil.deployment.service", "${SERVICE:checkout}");
        p.put("vigil.deployment.environment", "${vigil.deployment.service}-${STAGE:${REGION:eu}}");
        p.put("vigil.rollback.command", "kubectl rollout undo deployment/${vigil.deployment.service}");

        BoundConfig config = config(Map.of("HOST", "api.internal")).load(p);

        assertThat(probe(config, "health").settings).containsEntry("url", "http://api.internal:8080/health");
        assertThat(config.deployment().service()).isEqualTo("checkout");
        assertThat(config.deployment().environment()).isEqualTo("checkout-eu");
        assertThat(config.rollback().orElseThrow().description()).isEqualTo("command: kubectl rollout undo deployment/checkout");
    }

    @Test
    void aPlaceholderWhoseVariableIsSetButEmptyTakesItsDefaultAndAnEmptyDefaultAllowsEmpty() {
        Map<String, String> p = health();
        p.put("vigil.probes.health.url", "http://${HOST:localhost}:${PORT:8080}/health${SUFFIX:}");

        BoundConfig config = config(Map.of("HOST", "", "PORT", " ", "SUFFIX", "")).load(p);

        assertThat(probe(config, "health").settings).containsEntry("url", "http://localhost:8080/health");
    }

    @Test
    void aCustomPrefixIsUsedForKeysAndEnvironmentVariables() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("app.verify.probes.health.type", "http");
        p.put("app.verify.probes.health.url", "http://x");
        p.put("app.verify.probes.health.pass-when", "status == 200");
        p.put("vigil.plan.durration", "ignored: not under this prefix");

        BoundConfig config = VigilConfig.builder().prefix("app.verify").environment(Map.of("APP_VERIFY_PLAN_DURATION", "1m"))
                .serviceLoader(false).probeFactory(TestFactories.HTTP).build().load(p);

        assertThat(config.probes()).extracting(BoundProbe::name).containsExactly("health");
        assertThat(config.plan().duration()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theBuiltInCommandTypeIsAlwaysKnownAndExplicitFactoriesAreAdded() {
        VigilConfig config = config(Map.of());

        assertThat(config.probeTypes()).containsExactly("command", "http", "prometheus");
    }

    @Test
    void yamlSequencesMapsAndCamelCaseKeysBindLikeProperties(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("application.yml"), String.join("\n",
                "vigil:",
                "  deployment:",
                "    fixes: [OPS-1, OPS-2]",
                "    labels:",
                "      team: payments",
                "      \"[cost.center]\": 42",
                "  probes:",
                "    health:",
                "      type: http",
                "      confirms: [OPS-1, OPS-2]",
                "      url: http://x",
                "      passWhen: status == 200",
                "      maxFailures: 2",
                "      headers:",
                "        X-Scope-OrgID: tenant-1",
                "      instances:",
                "        - http://a",
                "        - http://b",
                ""));

        BoundConfig config = config(Map.of()).load(file);

        assertThat(config.deployment().fixes()).containsExactly("OPS-1", "OPS-2");
        assertThat(config.deployment().labels()).containsEntry("team", "payments").containsEntry("cost.center", "42");
        assertThat(config.probes().get(0).limits().maxFailures()).isEqualTo(2);
        assertThat(probe(config, "health").settings)
                .containsEntry("headers", Map.of("X-Scope-OrgID", "tenant-1"))
                .containsEntry("instances", List.of("http://a", "http://b"));
    }

    @Test
    void aDottedYamlKeyAtTheTopIsAPathAsInSpringBoot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // Read as one name "[vigil.plan.duration]", the key was outside the prefix and ignored without
        // a word: the bake lasted the default 5m instead of the 30m given.
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("application.yml"), String.join("\n",
                "vigil.plan.duration: 30m",
                "vigil.probes.health:",
                "  type: http",
                "  url: http://x",
                "  pass-when: status == 200",
                "vigil:",
                "  plan:",
                "    interval: 20s",
                ""));

        BoundConfig config = config(Map.of()).load(file);

        assertThat(config.plan().duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.plan().interval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.probes()).extracting(BoundProbe::name).containsExactly("health");
    }

    @Test
    void aYamlKeyGivenDottedAndNestedIsAProblemNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("application.yml"), String.join("\n",
                "vigil.plan.duration: 30m",
                "vigil:",
                "  plan:",
                "    duration: 5m",
                ""));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config(Map.of()).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.plan.duration is given twice")
                .hasMessageNotContaining("30m");
    }

    @Test
    void yamlNumbersAreTakenAsWrittenSoAVersionKeepsItsDigits(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // Read as a number, "previous-version: 1.10" was "1.1": the rollback command set the image to another version.
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("application.yml"), String.join("\n",
                "vigil:",
                "  deployment:",
                "    service: checkout",
                "    version: 2.10",
                "    previous-version: 1.10",
                "    labels:",
                "      build: 0012",
                "      ratio: 1.50e3",
                "      big: 123456789012345678901234567890",
                "  rollback:",
                "    command: kubectl set image deployment/checkout app=checkout:${vigil.deployment.previous-version}",
                "  probes:",
                "    health:",
                "      type: http",
                "      url: http://x",
                "      pass-when: status == 200",
                "      max-failures: 2",
                "      timeout: 1000",
                ""));

        BoundConfig config = config(Map.of()).load(file);

        assertThat(config.deployment().version()).isEqualTo("2.10");
        assertThat(config.deployment().previousVersion()).isEqualTo("1.10");
        assertThat(config.deployment().labels()).containsEntry("build", "0012").containsEntry("ratio", "1.50e3")
                .containsEntry("big", "123456789012345678901234567890");
        assertThat(config.rollback().orElseThrow().description())
                .isEqualTo("command: kubectl set image deployment/checkout app=checkout:1.10");
        assertThat(config.probes().get(0).limits().maxFailures()).isEqualTo(2);
        assertThat(config.probes().get(0).measurement().timeout()).isEqualTo(Duration.ofSeconds(1));
    }
    @Test
    void aYamlFileIsReadAsYamlWhateverTheCaseOfItsExtension(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // Read as properties, "vigil:" became the key "vigil" and the indented lines keys outside the prefix, ignored.
        for (String name : new String[] {"APPLICATION.YML", "vigil.Yaml"}) {
            java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve(name), String.join("\n",
                    "vigil:",
                    "  plan:",
                    "    duration: 1m",
                    "  probes:",
                    "    health:",
                    "      type: http",
                    "      url: http://x",
                    "      pass-when: status == 200",
                    ""));

            BoundConfig config = config(Map.of()).load(file);

            assertThat(config.plan().duration()).as(name).isEqualTo(Duration.ofMinutes(1));
            assertThat(config.probes()).as(name).hasSize(1);
        }
    }
}
