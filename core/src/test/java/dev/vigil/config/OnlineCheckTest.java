package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import dev.vigil.Preflight;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackTrigger;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import dev.vigil.spi.RollbackSettings;
import dev.vigil.spi.RollbackTriggerFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks before a deployment: what each probe and the rollback command find, never a secret. */
class OnlineCheckTest {

    private static final String SECRET = "s3cr3t-never-shown";
    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0");

    /** A probe type whose measurement is given by its {@code answer} key. */
    private static final ProbeFactory SCRIPTED = new ProbeFactory() {
        @Override
        public String type() {
            return "scripted";
        }

        @Override
        public Probe create(ProbeSettings settings) {
            String answer = settings.string("answer").orElse("pass");
            String token = settings.string("token").orElse("");
            return context -> switch (answer) {
                case "pass" -> ProbeResult.pass(Map.of(), "status(200) == 200");
                case "fail" -> ProbeResult.fail(Map.of(), "status(503) == 200 is false");
                case "empty" -> ProbeResult.inconclusive(Map.of(), "no data; append 'or vector(0)'");
                case "refused" -> ProbeResult.error("cannot connect with " + token + ": Connection refused");
                case "hang" -> {
                    Thread.sleep(60_000);
                    yield ProbeResult.pass(Map.of(), "late");
                }
                default -> throw new IllegalStateException("boom");
            };
        }

        @Override
        public List<dev.vigil.spi.ConfigKey> keys() {
            return List.of(dev.vigil.spi.ConfigKey.of("answer", dev.vigil.spi.ConfigKey.Kind.STRING, "pass", "what it answers"),
                    dev.vigil.spi.ConfigKey.secret("token", dev.vigil.spi.ConfigKey.Kind.STRING, "a credential"));
        }
    };

    /** A rollback trigger type whose check breaks its contract: {@code preflight()} returns {@code null}. */
    private static final RollbackTriggerFactory SILENT = new RollbackTriggerFactory() {
        @Override
        public String name() {
            return "silent";
        }

        @Override
        public List<dev.vigil.spi.ConfigKey> keys() {
            return List.of(dev.vigil.spi.ConfigKey.of("queue", dev.vigil.spi.ConfigKey.Kind.STRING, "ops", "where it goes"));
        }

        @Override
        public RollbackTrigger create(RollbackSettings settings) {
            String queue = settings.string("queue").orElse("ops");
            return new RollbackTrigger() {
                @Override
                public String execute(RollbackEvent event) {
                    return "done";
                }

                @Override
                public String description() {
                    return "silent: " + queue;
                }

                @Override
                public Preflight preflight() {
                    return null;
                }
            };
        }
    };

    private static List<OnlineCheck> check(Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.plan.interval", "1s");
        p.putAll(extra);
        return VigilConfig.builder().environment(Map.of("TOKEN", SECRET)).serviceLoader(false).probeFactory(SCRIPTED)
                .rollbackTriggerFactory(SILENT).build().load(p).checkOnline(DEPLOYMENT);
    }

    @Test
    void eachOutcomeOfAProbeMeansWhatItSays() {
        Map<String, String> p = new LinkedHashMap<>();
        for (String answer : List.of("pass", "fail", "empty", "refused", "throws", "hang")) {
            p.put("vigil.probes." + answer + ".type", "scripted");
            p.put("vigil.probes." + answer + ".answer", answer);
            p.put("vigil.probes." + answer + ".token", "${TOKEN}");
        }
        p.put("vigil.probes.hang.timeout", "300ms");

        List<OnlineCheck> checks = check(p);

        assertThat(checks).extracting(c -> c.subject() + " " + c.result().status()).containsExactly(
                "probe pass OK", "probe fail WARNING", "probe empty WARNING", "probe refused ERROR", "probe throws ERROR",
                "probe hang ERROR", "rollback WARNING");
        assertThat(checks.get(2).result().message()).contains("or vector(0)");
        assertThat(checks.get(5).result().message()).contains("no answer within 300ms");
        assertThat(checks).allSatisfy(c -> assertThat(c.toString()).doesNotContain(SECRET));
        assertThat(OnlineCheck.worst(checks)).isEqualTo(Preflight.Status.ERROR);
    }

    @Test
    void aProbeMeasuredInTheRecheckOnlyIsNotMeasuredNorJudged() {
        // A version probe that expects the previous version fails against the new one by design.
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.health.type", "scripted");
        p.put("vigil.probes.version.type", "scripted");
        p.put("vigil.probes.version.answer", "fail");
        p.put("vigil.probes.version.recheck", "only");
        p.put("vigil.plan.dry-run", "true");
        List<OnlineCheck> checks = check(p);

        assertThat(checks).extracting(c -> c.subject() + " " + c.result().status())
                .containsExactly("probe health OK", "probe version OK");
        assertThat(checks.get(1).result().message())
                .startsWith("measured in the re-check only, after a rollback: not measured now");
        assertThat(OnlineCheck.worst(checks)).isEqualTo(Preflight.Status.OK);
    }

    @Test
    void noRollbackTriggerIsAWarningUnlessItIsADryRun() {
        List<OnlineCheck> none = check(Map.of("vigil.probes.a.type", "scripted"));
        List<OnlineCheck> dryRun = check(Map.of("vigil.probes.a.type", "scripted", "vigil.plan.dry-run", "true"));

        assertThat(none).extracting(c -> c.subject() + " " + c.result().status()).containsExactly("probe a OK", "rollback WARNING");
        assertThat(none.get(1).result().message()).startsWith("no rollback trigger is configured")
                .contains("ends FAILED (exit 4) with the bad version still running");
        assertThat(OnlineCheck.worst(none)).isEqualTo(Preflight.Status.WARNING);
        assertThat(dryRun).extracting(OnlineCheck::subject).containsExactly("probe a");
    }

    @Test
    void theRollbackCommandsProgramsAreLookedForOnThePath() {
        OnlineCheck found = check(Map.of("vigil.probes.a.type", "scripted", "vigil.rollback.command",
                "VAR=1 sh -c 'exit 0' 2>&1 && echo ok")).get(1);
        OnlineCheck missing = check(Map.of("vigil.probes.a.type", "scripted", "vigil.rollback.command",
                "vigil-no-such-tool undo --token " + "${TOKEN}")).get(1);
        OnlineCheck unknown = check(Map.of("vigil.probes.a.type", "scripted", "vigil.rollback.command", "$DEPLOYER undo")).get(1);

        assertThat(found.result().status()).as(found.toString()).isEqualTo(Preflight.Status.OK);
        assertThat(found.result().message()).contains("found sh (");
        assertThat(missing.result().status()).isEqualTo(Preflight.Status.ERROR);
        assertThat(missing.result().message()).contains("vigil-no-such-tool is not on the PATH").doesNotContain(SECRET);
        assertThat(unknown.result().status()).isEqualTo(Preflight.Status.WARNING);
        assertThat(unknown.result().message()).contains("not checked, as only the shell knows them: $DEPLOYER");
    }

    @Test
    void aCommandProbeIsNotRunItsProgramsAreLookedForOnThePath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path ordered = dir.resolve("order-placed");
        // validate --online ran the command (a smoke test placing an order) under "nothing is changed".
        OnlineCheck found = check(Map.of("vigil.probes.smoke.type", "command",
                "vigil.probes.smoke.command", "touch " + ordered + " && sh -c 'exit 0' --token ${TOKEN}")).get(0);
        OnlineCheck missing = check(Map.of("vigil.probes.smoke.type", "command",
                "vigil.probes.smoke.command", "vigil-no-such-smoke-test --target checkout")).get(0);

        assertThat(ordered).doesNotExist();
        assertThat(found.subject()).isEqualTo("probe smoke");
        assertThat(found.result().status()).as(found.toString()).isEqualTo(Preflight.Status.OK);
        assertThat(found.result().message()).contains("not run (it may change the service)")
                .contains("found touch (", "sh (").doesNotContain(SECRET);
        assertThat(missing.result().status()).isEqualTo(Preflight.Status.ERROR);
        assertThat(missing.result().message()).contains("vigil-no-such-smoke-test is not on the PATH");
    }

    @ParameterizedTest(name = "a secret in the configuration: {0}")
    @ValueSource(booleans = {false, true})
    void aTriggerWhosePreflightReturnsNullFailsTheCheckByName(boolean withSecret) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.a.type", "scripted");
        if (withSecret) {
            p.put("vigil.probes.a.token", "${TOKEN}");
        }
        p.put("vigil.rollback.silent.queue", "ops");

        List<OnlineCheck> checks = check(p);

        assertThat(checks).hasSize(2);
        assertThat(checks.get(1).subject()).isEqualTo("rollback");
        assertThat(checks.get(1).result().status()).isEqualTo(Preflight.Status.ERROR);
        assertThat(checks.get(1).result().message()).startsWith("trigger silent: ops's preflight() returned null;")
                .doesNotContain("NullPointerException");
        assertThat(OnlineCheck.worst(checks)).isEqualTo(Preflight.Status.ERROR);
    }

    @Test
    void programsOfAShellCommandAreTheFirstWordOfEachSimpleCommand() throws Exception {
        java.lang.reflect.Method parse = Class.forName("dev.vigil.command.Programs")
                .getDeclaredMethod("ofShellCommand", String.class);
        parse.setAccessible(true);

        assertThat(parse.invoke(null, "A=1 kubectl set image x 2>&1 && helm rollback y 3 | tee log; cd /tmp && ./undo.sh &"))
                .isEqualTo(List.of("kubectl", "helm", "tee", "./undo.sh"));
        assertThat(Set.copyOf((List<?>) parse.invoke(null, "echo hi; exit 0"))).isEmpty();
    }
}
