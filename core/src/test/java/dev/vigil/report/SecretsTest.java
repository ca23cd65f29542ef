package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeReport;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackReport;
import dev.vigil.VerificationReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No report, and no console line, shows a credential, wherever a careless message put it. */
class SecretsTest {

    private static final String CANARY = "canary-7f3e9b2a-do-not-print";

    @Test
    void noReportContainsTheCanary(@TempDir Path dir) throws Exception {
        Map<ReportFormat, Path> files = Reports.writeAll(leakyReport(), dir);

        for (Path file : files.values()) {
            assertThat(Files.readString(file)).as(file.getFileName().toString())
                    .doesNotContain(CANARY).contains(Redaction.MASK);
        }
    }

    @Test
    void theConsoleDoesNotShowTheCanary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress console = ConsoleProgress.builder(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .terminal(false).build();
        VerificationReport report = leakyReport();

        console.started(report.deployment(), report.plan());
        report.probes().forEach(p -> p.measurements().forEach(console::measured));
        console.roundFinished(1, 3, java.time.Duration.ofSeconds(10));
        console.rollbackFinished(report.deployment(), report.rollback());
        console.finished(report);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain(CANARY).contains(Redaction.MASK);
    }

    @Test
    void masksCredentialsInsideJsonValues() throws Exception {
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"echo\":{\"headers\":[\"Authorization: Bearer " + CANARY + "\"]},\"status\":\"UP\"}");
        VerificationReport base = SampleReports.healthy();
        ProbeReport p = base.probes().get(0);
        ProbeReport withBody = new ProbeReport(p.name(), p.description(), p.passWhen(), null, p.limits(), p.status(),
                1, 0, 0, 0, null, List.of(SampleReports.measurement("health", 1, Outcome.PASS,
                        Map.of("body", body), "body.status(\"UP\") == \"UP\"")));
        VerificationReport report = new VerificationReport(base.deployment(), base.plan(), base.verdict(), base.reason(),
                List.of(withBody), base.rollback(), base.recheck(), 1, base.startedAt(), null, base.finishedAt());

        String json = Reports.render(report, ReportFormat.JSON);

        assertThat(json).doesNotContain(CANARY).contains("Authorization: [REDACTED]").contains("\"status\" : \"UP\"");
    }

    @Test
    void masksTheSecretFieldsOfAValueThatIsAnObjectByTheirNames(@TempDir Path dir) throws Exception {
        // Each field's value was masked only when it looked like a credential by itself, so a JSON object, a
        // Map or a JSON text naming a password showed it: {"password":"s3 cret"} left "cret" behind.
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"user\":\"a\",\"db\":{\"password\":\"" + CANARY + "-1\",\"pin\":1234},\"clientSecret\":\"" + CANARY + "-2\"}");
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("user", "a");
        map.put("credentials", Map.of("api_key", CANARY + "-3"));
        map.put("tokens", List.of(Map.of("token", CANARY + "-4")));
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("tree", tree);
        values.put("map", map);
        values.put("text", "{\"password\": \"" + CANARY + " -5\", \"user\": \"a\"}");
        values.put("password", CANARY + "-6");
        values.put("status", 200);
        VerificationReport report = SampleReports.healthyWithValues(values);

        for (Path file : Reports.writeAll(report, dir).values()) {
            assertThat(Files.readString(file)).as(file.getFileName().toString()).doesNotContain(CANARY);
        }
        Map<String, Object> redacted = Reports.redact(report).probes().get(0).measurements().get(0).values();
        assertThat(redacted.get("tree")).hasToString(
                "{\"user\":\"a\",\"db\":{\"password\":\"[REDACTED]\",\"pin\":1234},\"clientSecret\":\"[REDACTED]\"}");
        assertThat(redacted.get("map")).isEqualTo(Map.of("user", "a", "credentials", Map.of("api_key", Redaction.MASK),
                "tokens", List.of(Map.of("token", Redaction.MASK))));
        assertThat(redacted.get("text")).isEqualTo("{\"password\": \"[REDACTED]\", \"user\": \"a\"}");
        assertThat(redacted).containsEntry("password", Redaction.MASK).containsEntry("status", 200);
    }

    @Test
    void masksTheUsualShapesOfCredentials() {
        assertThat(Redaction.text("Authorization: Basic " + CANARY)).isEqualTo("Authorization: [REDACTED]");
        assertThat(Redaction.text("-H 'authorization=Bearer " + CANARY + "'")).doesNotContain(CANARY);
        assertThat(Redaction.text("sent bearer " + CANARY + " to x")).isEqualTo("sent bearer [REDACTED] to x");
        assertThat(Redaction.text("password=" + CANARY + "&user=a")).isEqualTo("password=[REDACTED]&user=a");
        assertThat(Redaction.text("{\"token\":\"" + CANARY + "\"}")).isEqualTo("{\"token\":\"[REDACTED]\"}");
        assertThat(Redaction.text("https://deploy:" + CANARY + "@git.example.com/x"))
                .isEqualTo("https://deploy:[REDACTED]@git.example.com/x");
        assertThat(Redaction.text("status(503) == 200 && latency(812ms) < 500ms"))
                .isEqualTo("status(503) == 200 && latency(812ms) < 500ms");
    }

    @Test
    void aConditionOnTheAuthorizationOrCookieHeaderStaysReadable() {
        // "Authorization =" was taken for a header line: the explanation read `body.h.Authorization =[REDACTED]"x"`
        assertThat(Redaction.text("body.h.Authorization == \"x\" is false: body.h.Authorization is missing"))
                .isEqualTo("body.h.Authorization == \"[REDACTED]\" is false: body.h.Authorization is missing");
        assertThat(Redaction.text("header.Authorization == \"Basic " + CANARY + "\" && status(200) == 200"))
                .isEqualTo("header.Authorization == \"[REDACTED]\" && status(200) == 200");
        assertThat(Redaction.text("header.Set-Cookie == 5 && status(200) == 200"))
                .isEqualTo("header.Set-Cookie == 5 && status(200) == 200");
        assertThat(Redaction.text("header.Authorization != \"x\"")).isEqualTo("header.Authorization != \"x\"");
    }

    @Test
    void aCredentialHeaderOfTheAnswerIsMaskedWhereAConditionShowsIt() {
        // A session the service hands out was shown in the reason, the console and every report.
        assertThat(Redaction.text("header.Set-Cookie(\"SESSION=" + CANARY + "; Path=/\") == \"none\" is false"))
                .isEqualTo("header.Set-Cookie(\"[REDACTED]\") == \"none\" is false");
        assertThat(Redaction.text("header.x-api-key(\"a\\\"" + CANARY + "\") =~ \"k\"")).isEqualTo("header.x-api-key(\"[REDACTED]\") =~ \"k\"");
        assertThat(Redaction.text("header.Content-Type(\"text/plain\") == \"x\"")).isEqualTo("header.Content-Type(\"text/plain\") == \"x\"");
        assertThat(Redaction.text("header.Cookie(\"" + "x".repeat(100_000))).isEqualTo("header.Cookie(\"[REDACTED]");
    }

    @Test
    void aLongTextIsRedactedWithoutOverflowingTheStack() {
        String fleet = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "http://10.0.4." + i + ":8080/health?pod=p" + i)
                .collect(java.util.stream.Collectors.joining(","));

        assertThat(Redaction.text("urls=" + fleet + "&token=" + CANARY)).doesNotContain(CANARY).startsWith("urls=http://10.0.4.0:8080/");
        assertThat(Redaction.text("password=" + "x".repeat(100_000))).isEqualTo("password=[REDACTED]");
    }

    @Test
    void masksTheCookiesACommandsVerboseOutputShows() {
        // What curl -v prints in a rollback command's output: the request's and the answer's headers.
        String output = "> GET /api/rollback HTTP/1.1\n> Cookie: theme=dark; SESSION=" + CANARY + "\n"
                + "< HTTP/1.1 200 OK\n< Set-Cookie: SESSION=" + CANARY + "-2; Path=/; HttpOnly\n< Content-Type: text/plain\n";

        assertThat(Redaction.text(output)).doesNotContain(CANARY)
                .contains("> Cookie: [REDACTED]\n", "< Set-Cookie: [REDACTED]\n", "< Content-Type: text/plain");
    }

    @Test
    void masksCredentialsGivenAsCommandLineArguments() {
        // A rollback command's text (its description, an error naming it) or its output under set -x.
        assertThat(Redaction.text("command: curl -fsS -u admin:" + CANARY + " https://deploy.example/rollback"))
                .isEqualTo("command: curl -fsS -u admin:[REDACTED] https://deploy.example/rollback");
        assertThat(Redaction.text("+ curl --user admin:" + CANARY + " https://x")).isEqualTo("+ curl --user admin:[REDACTED] https://x");
        assertThat(Redaction.text("deployer undo --password " + CANARY + " --service orders"))
                .isEqualTo("deployer undo --password [REDACTED] --service orders");
        assertThat(Redaction.text("deployer undo --password=" + CANARY)).isEqualTo("deployer undo --password=[REDACTED]");
        assertThat(Redaction.text("deployer --token " + CANARY + " --api-key " + CANARY + " --client-secret '" + CANARY + "'"))
                .isEqualTo("deployer --token [REDACTED] --api-key [REDACTED] --client-secret '[REDACTED]'");
        assertThat(Redaction.text("mysql -h db -P 3306 -uroot -p" + CANARY + " orders < undo.sql"))
                .isEqualTo("mysql -h db -P 3306 -uroot -p[REDACTED] orders < undo.sql");
        // An API key given as the user, with no password after the colon.
        assertThat(Redaction.text("curl -u " + CANARY + ": https://api.example/v1/refunds"))
                .isEqualTo("curl -u [REDACTED]: https://api.example/v1/refunds");
    }

    @Test
    void aPortAUserAndAUserAndGroupIdAreNoCommandLineCredentials() {
        // -p is a port or a flag for most programs; a password only for those whose flag it is.
        assertThat(Redaction.text("ssh -p 2222 deploy@host && psql -p 5432 -U vigil && docker run -p 8080:80 -u 1000:1000 img"))
                .isEqualTo("ssh -p 2222 deploy@host && psql -p 5432 -U vigil && docker run -p 8080:80 -u 1000:1000 img");
        assertThat(Redaction.text("curl -u admin https://x; mysql -u root -p orders"))
                .isEqualTo("curl -u admin https://x; mysql -u root -p orders");
    }

    @Test
    void masksCredentialsWhoseNameHasAPrefix() {
        // What "env" prints in a rollback command's output: the names carry a prefix.
        assertThat(Redaction.text("DB_PASSWORD=" + CANARY)).isEqualTo("DB_PASSWORD=[REDACTED]");
        assertThat(Redaction.text("PGPASSWORD=" + CANARY + " psql -h db")).isEqualTo("PGPASSWORD=[REDACTED] psql -h db");
        assertThat(Redaction.text("env:\nGITHUB_TOKEN=" + CANARY + "\nAWS_SECRET=" + CANARY + "\n"))
                .isEqualTo("env:\nGITHUB_TOKEN=[REDACTED]\nAWS_SECRET=[REDACTED]\n");
        assertThat(Redaction.text("AWS_SECRET_ACCESS_KEY=" + CANARY)).isEqualTo("AWS_SECRET_ACCESS_KEY=[REDACTED]");
        assertThat(Redaction.text("export STRIPE_API_KEY=" + CANARY)).isEqualTo("export STRIPE_API_KEY=[REDACTED]");
        assertThat(Redaction.text("{\"dbPassword\":\"" + CANARY + "\",\"apiToken\":\"" + CANARY + "\"}"))
                .isEqualTo("{\"dbPassword\":\"[REDACTED]\",\"apiToken\":\"[REDACTED]\"}");
        // Names that merely contain a credential's name, with no value after them, stay as they are.
        assertThat(Redaction.text("max_tokens=500 OLDPWD=/home/ci")).isEqualTo("max_tokens=500 OLDPWD=/home/ci");
    }

    @Test
    void masksTheWholePasswordOfAUrl() {
        // No user name: redis://:password@host, the usual form of a Redis URL.
        assertThat(Redaction.text("REDIS_URL=redis://:" + CANARY + "@cache:6379/0"))
                .isEqualTo("REDIS_URL=redis://:[REDACTED]@cache:6379/0");
        // An unencoded @ in the password: the user info ends at the last @ before the host.
        assertThat(Redaction.text("cloning https://deploy:p@" + CANARY + "@git.example.com/x.git"))
                .isEqualTo("cloning https://deploy:[REDACTED]@git.example.com/x.git");
        assertThat(Redaction.text("https://deploy:" + CANARY + "@git.example.com/x?mail=a@b.example and me@c.example"))
                .isEqualTo("https://deploy:[REDACTED]@git.example.com/x?mail=a@b.example and me@c.example");
    }

    @Test
    void masksTheSignatureOfASignedUrlAndAnApiKeyInAUrl() {
        assertThat(Redaction.text("GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=" + CANARY + "&se=2026 answered 403"))
                .isEqualTo("GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=[REDACTED]&se=2026 answered 403");
        assertThat(Redaction.text("https://s3.example/o?X-Amz-Credential=AKIA%2F&X-Amz-Signature=" + CANARY))
                .doesNotContain(CANARY).contains("X-Amz-Signature=[REDACTED]");
        assertThat(Redaction.text("https://maps.example/api?key=" + CANARY + "&q=x")).isEqualTo("https://maps.example/api?key=[REDACTED]&q=x");
        // Names that merely end in those words are not credentials.
        assertThat(Redaction.text("https://shop.example/?monkey=1&design=2")).isEqualTo("https://shop.example/?monkey=1&design=2");
    }

    @Test
    void aLabelNamedLikeASecretShowsNoValue(@TempDir Path dir) throws Exception {
        // vigil.deployment.labels.deploy-token is a secret key for the configuration; the reports must agree.
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("deploy-token", CANARY);
        labels.put("dbPassword", CANARY);
        labels.put("team", "payments");
        VerificationReport report = healthyWithLabels(labels);

        for (Path file : Reports.writeAll(report, dir).values()) {
            assertThat(Files.readString(file)).as(file.getFileName().toString()).doesNotContain(CANARY);
        }
        assertThat(Reports.render(report, ReportFormat.JSON)).contains("\"deploy-token\" : \"[REDACTED]\"")
                .contains("\"team\" : \"payments\"");
    }

    @Test
    void theDeploymentAsOtherJsonDocumentsTakeItIsRedactedAsInReportJson() {
        // Reports.deploymentJson is what webhook payloads send: "as report.json writes it", masks included.
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("deploy-token", CANARY);
        labels.put("commit-url", "https://gitlab-ci-token:" + CANARY + "@git.example/shop.git");
        labels.put("team", "payments");
        VerificationReport report = healthyWithLabels(labels);

        String json = Reports.deploymentJson(report.deployment()).toString();

        assertThat(json).doesNotContain(CANARY).contains("\"deploy-token\":\"[REDACTED]\"")
                .contains("\"team\":\"payments\"");
        assertThat(Reports.render(report, ReportFormat.JSON)).contains("\"deploy-token\" : \"[REDACTED]\"");
    }

    @Test
    void aLabelWhoseValueHoldsASecretShowsNoSecret(@TempDir Path dir) throws Exception {
        // GitLab's CI_REPOSITORY_URL carries the job token: https://gitlab-ci-token:<token>@host/repo.git
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("commit-url", "https://gitlab-ci-token:" + CANARY + "@git.example/shop.git");
        labels.put("build", "mvn deploy --password " + CANARY);
        labels.put("team", "payments");
        // a password that holds a ';' showed from it on: password=[REDACTED];x
        labels.put("dsn", "host=db password=s3cr?t;x" + CANARY + " sslmode=require");
        VerificationReport report = healthyWithLabels(labels);

        for (Path file : Reports.writeAll(report, dir).values()) {
            assertThat(Files.readString(file)).as(file.getFileName().toString()).doesNotContain(CANARY);
        }
        assertThat(Reports.render(report, ReportFormat.JSON))
                .contains("\"commit-url\" : \"https://gitlab-ci-token:[REDACTED]@git.example/shop.git\"")
                .contains("\"team\" : \"payments\"")
                .contains("\"dsn\" : \"host=db password=[REDACTED] sslmode=require\"");
    }

    private static VerificationReport healthyWithLabels(Map<String, String> labels) {
        VerificationReport base = SampleReports.healthy();
        return new VerificationReport(base.deployment().withLabels(labels), base.plan(), base.verdict(), base.reason(),
                base.probes(), base.rollback(), base.recheck(), base.rounds(), base.startedAt(), base.detectedAt(),
                base.finishedAt());
    }

    private static VerificationReport leakyReport() {
        VerificationReport base = SampleReports.unhealthyRolledBack();
        Measurement leaky = SampleReports.measurement("error-rate", 3, Outcome.ERROR,
                Map.of("header", "Authorization: Bearer " + CANARY),
                "request with Authorization: Bearer " + CANARY + " failed");
        ProbeReport p = base.probes().get(1);
        ProbeReport leakyProbe = new ProbeReport(p.name(), "GET https://ops:" + CANARY + "@metrics.example.com/q",
                p.passWhen(), p.failWhen(), p.limits(), p.status(), p.passes(), p.failures(), p.inconclusive(), 1,
                "probe error-rate could not measure: bearer " + CANARY, List.of(p.measurements().get(0), leaky));
        RollbackReport r = base.rollback();
        RollbackReport leakyRollback = new RollbackReport(r.outcome(), r.trigger(), r.attempts(),
                "env:\nAUTHORIZATION=Bearer " + CANARY + "\nAPI_KEY=" + CANARY + "\ndone", "token: " + CANARY,
                r.startedAt(), r.finishedAt());
        return new VerificationReport(base.deployment(), base.plan(), base.verdict(),
                "probe failed with Authorization: Bearer " + CANARY, List.of(base.probes().get(0), leakyProbe),
                leakyRollback, base.recheck(), base.rounds(), base.startedAt(), base.detectedAt(), base.finishedAt());
    }

    @Test
    void noTestResultShowsTheCanary(@TempDir Path dir) throws Exception {
        VerificationReport base = SampleReports.withTests(CANARY);
        ProbeReport p = base.probes().get(0);
        List<Measurement> leaky = p.measurements().stream().map(m -> m.withResult(m.result().withItems(m.items().stream()
                .map(i -> new ItemResult(i.id(), i.group(), i.name() + " token=" + CANARY, i.status(), i.duration(),
                        i.message() + " password: " + CANARY)).toList()))).toList();
        VerificationReport report = new VerificationReport(base.deployment(), base.plan(), base.verdict(), base.reason(),
                List.of(new ProbeReport(p.name(), p.description(), null, null, p.limits(), p.status(), p.passes(),
                        p.failures(), 0, 0, p.brokenLimit(), leaky)),
                base.rollback(), base.recheck(), base.rounds(), base.startedAt(), base.detectedAt(), base.finishedAt());

        for (Path file : Reports.writeAll(report, dir).values()) {
            assertThat(Files.readString(file)).as(file.getFileName().toString()).doesNotContain(CANARY);
        }
    }

    @Test
    void aSecretWhoseValueIsAnArrayIsMaskedWhole() throws Exception {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("body", new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"password\":[\"c0ffee-a\",\"c0ffee-b\"],\"ids\":[1,2]}"));
        values.put("api_tokens", List.of("c0ffee-c"));
        values.put("secret", List.of("c0ffee-d", "c0ffee-e"));
        VerificationReport report = SampleReports.healthyWithValues(values);

        Map<String, Object> redacted = Reports.redact(report).probes().get(0).measurements().get(0).values();

        assertThat(redacted.get("body")).hasToString("{\"password\":\"[REDACTED]\",\"ids\":[1,2]}");
        assertThat(redacted).containsEntry("secret", Redaction.MASK).containsEntry("api_tokens", List.of("c0ffee-c"));
    }

    /**
     * The values' own toString(), which a pipeline logs as they are, printed the reason, the rollback
     * command's output, a probe's description and every measured value in clear: the canary a
     * report file masks went into the log. They show such texts by length, names and counts only.
     */
    @Test
    void theValuesOwnToStringShowsNoneOfTheCanary() {
        VerificationReport report = leakyReport();
        RecheckReport recheck = new RecheckReport(RecheckReport.Status.UNHEALTHY, "token: " + CANARY, 2, java.time.Duration.ZERO);
        dev.vigil.RollbackEvent event = new dev.vigil.RollbackEvent("rb-1", report.deployment(), report.verdict(), report.reason(),
                1, report.finishedAt());
        dev.vigil.RehearsalReport rehearsal = new dev.vigil.RehearsalReport(dev.vigil.RehearsalReport.Outcome.FAILED,
                "rollback printed token=" + CANARY, report.deployment(), report.rollback(), recheck,
                report.probes().get(1).measurements(), report.startedAt(), report.finishedAt());

        for (Object value : List.of(report, report.probes().get(1), report.probes().get(1).measurements().get(1),
                report.probes().get(1).measurements().get(1).result(), report.rollback(), recheck, event, rehearsal)) {
            assertThat(value.toString()).as(value.getClass().getSimpleName()).doesNotContain(CANARY)
                    .doesNotContain("Bearer").startsWith(value.getClass().getSimpleName() + "[");
        }
        assertThat(report.toString()).contains("verdict=UNHEALTHY", "probes=[", "error-rate", "reason=<");
        assertThat(report.probes().get(1).measurements().get(1).result().toString()).contains("values=[header]");
    }
}
