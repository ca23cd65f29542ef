package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigProblem;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.ValidationResult;
import dev.vigil.config.VigilConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever keys, values and environment variables a configuration holds, binding it either gives a
 * verifier or one {@link ConfigurationException} whose every problem names a key, and a secret
 * given in it never shows in the message.
 */
class ConfigurationPropertiesTest {

    /** A secret that may be configured; it must never come back in a message. */
    static final String CANARY = "canary-7Hq2xZ-secret";

    private static final List<String> PROBE_NAMES = List.of("smoke", "health", "error-rate", "a.b", "x_y", "Ünï", "", "-bad", "with space");

    private static final List<String> PROBE_KEYS = List.of("type", "command", "pass-when", "fail-when", "passWhen", "pass_when",
            "max-failures", "max-consecutive-errors", "max-inconclusive", "timeout", "max-attempts", "retry-backoff",
            "max-output", "pas-when", "url", "value", "fixes[0]", "labels.team", "headers.Authorization", "password",
            "api-token", "secret", "bearer-token", "x[99999999999]", "[a.b]", "", ".");

    private static final List<String> TOP_KEYS = List.of(
            "vigil.deployment.service", "vigil.deployment.version", "vigil.deployment.previous-version",
            "vigil.deployment.environment", "vigil.deployment.kind", "vigil.deployment.fixes", "vigil.deployment.fixes[0]",
            "vigil.deployment.fixes[1000000]", "vigil.deployment.labels.team", "vigil.deployment.labels[a.b]",
            "vigil.plan.initial-delay", "vigil.plan.interval", "vigil.plan.duration", "vigil.plan.on-inconclusive",
            "vigil.plan.dry-run", "vigil.plan.durration", "vigil.plan", "vigil", "vigl.plan.duration", "vigil..plan",
            "vigil.rollback.command", "vigil.rollback.timeout", "vigil.rollback.max-attempts", "vigil.rollback.backoff",
            "vigil.rollback.password", "vigil.rollback.token", "vigil.unknown.key", "vigil.probes", "vigil.probes.",
            "server.port", "VIGIL.PLAN.DURATION", "vigil.planDuration", "vigil.plan.on_inconclusive");

    private static final List<String> VALUES = List.of(
            "", " ", "0", "1", "-1", "3", "2147483648", "99999999999999999999", "1.5", "NaN", "Infinity", "1e309",
            "10s", "500ms", "5m", "PT30S", "P1DT2H", "0s", "-5s", "9223372036854775807s", "9223372036854775807d", "1.5s", "10x",
            "1KB", "1TB", "9999999999TB", "true", "false", "yes", "maybe", "fail", "ROLLBACK", "pass", "sometimes",
            "command", "http", "prometheus", "constant", "unknown-type",
            "exit-code == 0", "status == 200 && latency < 500ms", "output =~ \"(\"", "exit-code ==", "1e99999ms > 0",
            "((((((((((((((((((((", "exit-code in [0, 1]", "len(output) > 0",
            "echo ok", "exit 1", "${HOME}", "${NO_SUCH_VAR}", "${NO_SUCH_VAR:fallback}", "${A:${B:${C}}}", "${", "}",
            "${vigil.plan.interval}", "${vigil.deployment.service}", "${API_TOKEN}", "${SECRET_PASSWORD:x}",
            "$${X}", "\u0000", "\n", "é\u2028", "a,b,,c", "[0]");

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED)
    void anyConfigurationBindsOrFailsWithEveryProblemNamingItsKey(
            @ForAll("configurations") Map<String, String> properties, @ForAll("environments") Map<String, String> environment) {
        VigilConfig vigil = VigilConfig.builder().environment(environment).build();

        // validate() binds and builds the verifier like load(...).verifier(), and lets through any
        // exception but ConfigurationException, which it turns into the list of problems.
        ValidationResult result = vigil.validate(properties);

        Statistics.collect(result.valid() ? "bound" : "problems");
        result.exception().ifPresent(e -> checkProblems(e, properties, environment));
        assertThat(result.report()).doesNotContain(CANARY);
        Statistics.coverage(coverage -> coverage.check("bound").percentage(p -> p >= 1));
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED)
    void fromPropertiesThrowsNothingButConfigurationException(@ForAll("configurations") Map<String, String> properties) {
        try {
            assertThat(VigilConfig.defaults().load(properties).verifier().probeNames()).isNotEmpty();
            Statistics.collect("bound");
        } catch (ConfigurationException e) {
            Statistics.collect("problems");
            checkProblems(e, properties, Map.of());
        }
        Statistics.coverage(coverage -> coverage.check("bound").percentage(p -> p >= 1));
    }

    private static void checkProblems(ConfigurationException e, Map<String, String> properties, Map<String, String> environment) {
        assertThat(e.problems()).isNotEmpty();
        assertThat(e.getMessage()).doesNotContain(CANARY);
        for (ConfigProblem problem : e.problems()) {
            assertThat(problem.key()).as("key of %s", problem).isNotBlank();
            assertThat(e.getMessage()).contains(problem.key());
            assertThat(problem.message()).as("message of %s", problem).isNotBlank();
            String key = problem.key();
            boolean namesAKey = key.toLowerCase(Locale.ROOT).startsWith("vigil")
                    || properties.containsKey(key) || environment.containsKey(key) || key.equals("properties");
            assertThat(namesAKey).as("problem %s names a key of the configuration", problem).isTrue();
        }
    }

    @Provide
    Arbitrary<Map<String, String>> configurations() {
        Arbitrary<String> probeKey = Combinators.combine(Arbitraries.of(PROBE_NAMES), Arbitraries.of(PROBE_KEYS))
                .as((name, key) -> "vigil.probes." + name + "." + key);
        Arbitrary<String> key = Arbitraries.frequencyOf(
                Tuple.of(3, probeKey),
                Tuple.of(2, Arbitraries.of(TOP_KEYS)),
                Tuple.of(1, Arbitraries.strings().withChars("vigil.probes-_[]{}$ Aa0").ofMaxLength(24)));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(VALUES)),
                Tuple.of(1, Arbitraries.just(CANARY)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)));
        Arbitrary<Map.Entry<String, String>> entry = Combinators.combine(key, value).as(Map::entry);
        // Most configurations get a working probe, so that binding goes past the first checks.
        Arbitrary<Boolean> base = Arbitraries.of(true, true, true, false);
        return Combinators.combine(base, entry.list().ofMaxSize(8)).as((withBase, entries) -> {
            Map<String, String> map = new LinkedHashMap<>();
            if (withBase) {
                map.put("vigil.deployment.service", "checkout");
                map.put("vigil.deployment.version", "2.4.1");
                map.put("vigil.probes.smoke.type", "command");
                map.put("vigil.probes.smoke.command", "true");
            }
            for (Map.Entry<String, String> e : entries) {
                String v = e.getValue();
                // The canary goes only where a secret belongs: a key that names a secret.
                if (v.equals(CANARY) && !isSecretKey(e.getKey())) {
                    v = "${API_TOKEN}";
                }
                map.put(e.getKey(), v);
            }
            return map;
        });
    }

    @Provide
    Arbitrary<Map<String, String>> environments() {
        Arbitrary<String> name = Arbitraries.of("VIGIL_PLAN_DURATION", "VIGIL_PLAN_INTERVAL", "VIGIL_PROBES_SMOKE_TIMEOUT",
                "VIGIL_PROBES_SMOKE_COMMAND", "VIGIL_PROBES_READY_TYPE", "VIGIL_PROBES_READY_COMMAND",
                "VIGIL_DEPLOYMENT_FIXES", "VIGIL_DEPLOYMENT_FIXES_0", "VIGIL_DEPLOYMENT_FIXES_99999999999",
                "VIGIL_PROBES_SMOKE_PAS_WHEN", "VIGIL_PLAN", "VIGIL_SERVICE", "VIGIL_", "VIGIL__", "API_TOKEN",
                "SECRET_PASSWORD", "A", "B", "C", "HOME", "VIGIL_ROLLBACK_PASSWORD", "VIGIL_PROBES_SMOKE_HEADERS_X_API_KEY");
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(VALUES)), Tuple.of(1, Arbitraries.just(CANARY)));
        return Combinators.combine(name, value).as(Map::entry).list().ofMaxSize(4).map(entries -> {
            Map<String, String> env = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : entries) {
                String v = e.getValue();
                if (v.equals(CANARY) && !isSecretKey(e.getKey())) {
                    v = "not-secret";
                }
                env.put(e.getKey(), v);
            }
            return env;
        });
    }

    private static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace('_', '-');
        return k.contains("token") || k.contains("password") || k.contains("secret") || k.contains("authorization")
                || k.contains("api-key");
    }
}
