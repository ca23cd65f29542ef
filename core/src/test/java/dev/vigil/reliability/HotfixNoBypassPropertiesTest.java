package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.BoundConfig;
import dev.vigil.config.BoundProbe;
import dev.vigil.config.ConfigProblem;
import dev.vigil.config.ValidationResult;
import dev.vigil.config.VigilConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 18, no bypass: a hotfix is verified exactly like a release of the same configuration. For
 * any configuration, binding it as {@code kind=release} and as {@code kind=hotfix} gives the same
 * plan, the same probes with the same limits, measurement policy, conditions and confirmations, the
 * same rollback, re-check and effective settings, and the same problems; only the word for the
 * kind differs.
 */
class HotfixNoBypassPropertiesTest {

    /** Mostly valid values, now and then one that is not, so that the problems are compared too. */
    private static Arbitrary<String> mostly(String... valid) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, Arbitraries.of(valid)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("-1s", "x", "-1")));
    }

    private static Arbitrary<String> delays() {
        return mostly("0s", "500ms", "5s", "30s");
    }

    private static Arbitrary<String> intervals() {
        return mostly("10s", "30s", "1m");
    }

    private static Arbitrary<String> durations() {
        return mostly("1m", "5m", "30s");
    }

    private static Arbitrary<String> timeouts() {
        return mostly("500ms", "2s", "10s");
    }

    private static Arbitrary<String> counts() {
        return mostly("0", "1", "2", "5");
    }

    private static Arbitrary<String> attempts() {
        return mostly("1", "2", "3");
    }

    @Property(tries = 500)
    void aHotfixGetsTheSamePlanProbesAndLimitsAsAReleaseOfTheSameConfiguration(
            @ForAll("configurations") Map<String, String> properties) {
        ValidationResult release = VigilConfig.defaults().validate(with(properties, "release"));
        ValidationResult hotfix = VigilConfig.defaults().validate(with(properties, "hotfix"));

        Statistics.collect(release.valid() ? "bound" : "problems");
        assertThat(hotfix.valid()).isEqualTo(release.valid());
        if (!release.valid()) {
            assertThat(problems(hotfix.problems())).isEqualTo(problems(release.problems()));
            return;
        }
        BoundConfig r = release.bound().orElseThrow();
        BoundConfig h = hotfix.bound().orElseThrow();
        assertThat(h.plan()).isEqualTo(r.plan());
        assertThat(h.rollbackPolicy()).isEqualTo(r.rollbackPolicy());
        assertThat(h.recheck()).isEqualTo(r.recheck());
        assertThat(h.rollback().map(t -> t.description())).isEqualTo(r.rollback().map(t -> t.description()));
        assertThat(h.probes()).hasSameSizeAs(r.probes());
        for (int i = 0; i < r.probes().size(); i++) {
            BoundProbe a = r.probes().get(i);
            BoundProbe b = h.probes().get(i);
            assertThat(b.describe()).isEqualTo(a.describe());
            assertThat(b.limits()).isEqualTo(a.limits());
            assertThat(b.measurement()).isEqualTo(a.measurement());
            assertThat(b.confirms()).isEqualTo(a.confirms());
        }
        Map<String, String> effective = new LinkedHashMap<>(h.properties());
        effective.put("vigil.deployment.kind", "release");
        assertThat(effective).isEqualTo(r.properties());
        assertThat(h.describe().replace(", hotfix\n", ", release\n")).isEqualTo(r.describe());
        assertThat(h.verifier().plan()).isEqualTo(r.verifier().plan());
        assertThat(h.verifier().probeNames()).isEqualTo(r.verifier().probeNames());
        Statistics.coverage(c -> c.check("bound").percentage(p -> p >= 20));
    }

    private static Map<String, String> with(Map<String, String> properties, String kind) {
        Map<String, String> out = new LinkedHashMap<>(properties);
        out.put("vigil.deployment.kind", kind);
        return out;
    }

    /** The problems with the word for the kind taken out, the only thing allowed to differ. */
    private static List<String> problems(List<ConfigProblem> problems) {
        return problems.stream().map(p -> p.toString().replace("hotfix ", "release ")).toList();
    }

    @Provide
    Arbitrary<Map<String, String>> configurations() {
        Arbitrary<Map<String, String>> plan = Combinators.combine(
                delays(), intervals(), durations(),
                Arbitraries.of("fail", "rollback", "pass"), Arbitraries.of("true", "false")).as((delay, interval, duration, on, dry) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("vigil.plan.initial-delay", delay);
                    m.put("vigil.plan.interval", interval);
                    m.put("vigil.plan.duration", duration);
                    m.put("vigil.plan.on-inconclusive", on);
                    m.put("vigil.plan.dry-run", dry);
                    return m;
                });
        Arbitrary<Map<String, String>> probe = Combinators.combine(
                counts(), counts(), counts(), timeouts(), attempts(), delays(), Arbitraries.of("exit-code == 0", "exit-code in [0, 1]", ""))
                .as((failures, errors, inconclusive, timeout, attempts, backoff, passWhen) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("max-failures", failures);
                    m.put("max-consecutive-errors", errors);
                    m.put("max-inconclusive", inconclusive);
                    m.put("timeout", timeout);
                    m.put("max-attempts", attempts);
                    m.put("retry-backoff", backoff);
                    if (!passWhen.isEmpty()) {
                        m.put("pass-when", passWhen);
                    }
                    return m;
                });
        Arbitrary<Map<String, String>> probes = probe.map(p -> p).list().ofMinSize(1).ofMaxSize(3)
                .flatMap(list -> Arbitraries.subsetOf(0, 1, 2, 3, 4, 5, 6, 7).map(omit -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (int i = 0; i < list.size(); i++) {
                        String prefix = "vigil.probes.p" + i + ".";
                        m.put(prefix + "type", "command");
                        m.put(prefix + "command", "true");
                        int k = 0;
                        for (Map.Entry<String, String> e : list.get(i).entrySet()) {
                            // Leave some keys at their defaults.
                            if (!omit.contains(k++)) {
                                m.put(prefix + e.getKey(), e.getValue());
                            }
                        }
                    }
                    return m;
                }));
        Arbitrary<Map<String, String>> rest = Combinators.combine(
                timeouts(), attempts(), mostly("0", "1", "3"),
                Arbitraries.of(List.of("INC-1"), List.of("INC-1", "INC-2")), Arbitraries.of(true, false))
                .as((rollbackTimeout, attempts, recheckRounds, fixes, confirmed) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("vigil.deployment.service", "checkout");
                    m.put("vigil.deployment.version", "2.4.2");
                    m.put("vigil.deployment.previous-version", "2.4.1");
                    m.put("vigil.deployment.fixes", String.join(",", fixes));
                    m.put("vigil.rollback.command", "echo undo");
                    m.put("vigil.rollback.timeout", rollbackTimeout);
                    m.put("vigil.rollback.max-attempts", attempts);
                    m.put("vigil.rollback.recheck.rounds", recheckRounds);
                    m.put("vigil.probes.p0.confirms", confirmed ? String.join(",", fixes) : "INC-1");
                    return m;
                });
        return Combinators.combine(plan, probes, rest).as((a, b, c) -> {
            Map<String, String> all = new LinkedHashMap<>(a);
            all.putAll(b);
            all.putAll(c);
            return all;
        });
    }
}
