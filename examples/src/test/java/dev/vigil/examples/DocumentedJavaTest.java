package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java the documentation offers to copy compiles against the current API: each snippet is
 * the first {@code java} block after a line of its page, compiled in a method with the variables
 * it takes for granted declared.
 */
class DocumentedJavaTest {

    private static final String IMPORTS = String.join("\n",
            "import dev.vigil.*;",
            "import dev.vigil.analysis.*;",
            "import dev.vigil.analysis.Direction;",
            "import dev.vigil.condition.*;",
            "import dev.vigil.config.*;",
            "import dev.vigil.history.*;",
            "import dev.vigil.history.jdbc.*;",
            "import dev.vigil.history.quality.*;",
            "import dev.vigil.http.*;",
            "import dev.vigil.junit.probe.*;",
            "import dev.vigil.prometheus.*;",
            "import dev.vigil.report.*;",
            "import dev.vigil.rollback.*;",
            "import io.micrometer.core.instrument.MeterRegistry;",
            "import io.micrometer.core.instrument.simple.SimpleMeterRegistry;",
            "import java.net.URI;",
            "import java.nio.file.Path;",
            "import java.time.Clock;",
            "import java.time.Duration;",
            "import java.time.Instant;",
            "import java.util.List;",
            "import java.util.Map;",
            "");

    /** The pipeline's own steps that the snippets call. */
    private static final String STEPS = String.join("\n",
            "    void promote() { }",
            "    void alert(String reason, RollbackOutcome outcome) { }",
            "    void holdForAHuman(String reason) { }",
            "");

    /** The first java block after the line {@code after} of {@code page}. */
    static String snippet(Path page, String after) throws IOException {
        String text = Files.readString(page);
        int at = text.indexOf(after);
        assertThat(at).as("'%s' in %s", after, page).isNotNegative();
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertThat(block.find(at)).as("a java block after '%s' in %s", after, page).isTrue();
        return block.group(1);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "README.md               | ## Pipeline code                                      | ",
        "../README.md            | ### 3. The code                                       | ",
        "../README.md            | Or without properties:                                | MeterRegistry registry = new SimpleMeterRegistry();",
        "../docs/api.md          | for evidence that grows by factors.                   | String passWhen = \"status == 200\", failWhen = null;",
        "../docs/canary-analysis.md | ## In code                                         | long canaryErrors = 3, canaryRequests = 1000, baselineErrors = 1, baselineRequests = 1000;",
        "../docs/conditions.md   | ## From Java                                          | ",
        "../docs/configuration.md | For the deployment defaults, the options and a check | MeterRegistry registry = new SimpleMeterRegistry();",
        "../docs/demo.md         | way any embedding application can supply them:        | var service = new Object() { URI baseUri() { return URI.create(\"http://localhost:8080\"); } }; ReportWriter reports = ReportWriter.to(Path.of(\"reports\"));",
        "../docs/history.md      | ## In Java                                            | BoundConfig config = null; Path dir = Path.of(\"reports\"); Deployment deployment = Deployment.of(\"checkout\", \"2.4.1\", \"2.4.0\");",
        "../docs/history.md      | listener (after the recorder).                        | JdbcHistoryStore store = null; HistoryRecorder history = null; MeterRegistry registry = new SimpleMeterRegistry(); DeployVerifier.Builder builder = DeployVerifier.builder();",
        "../docs/http-probes.md  | give the service an alias without it                  | ",
        "../docs/http-probes.md  | try-with-resources:                                   | Probe fleet = null; Deployment deployment = Deployment.of(\"checkout\", \"2.4.1\", \"2.4.0\");",
        "../docs/http-probes.md  | ## Webhooks                                           | Probe health = null;",
        "../docs/junit-probes.md | a probe's timeout is at most the plan's interval | ",
        "../docs/prometheus-probes.md | The same in Java:                                | ",
        "../docs/prometheus-probes.md | for continuous values such as latency.           | String canaryErrors = \"\", canaryRequests = \"\", baselineErrors = \"\", baselineRequests = \"\";",
        "../docs/prometheus-probes.md | what the judge computed (                        | String canaryBuckets = \"\", baselineBuckets = \"\";",
        "../docs/reports.md      | and their headings name the watch. From Java:         | Probe healthProbe = null; Deployment deployment = Deployment.of(\"checkout\", \"2.4.1\", \"2.4.0\");",
        "../docs/watch.md        | runs the same bake, returns when it is over,          | Deployment deployment = Deployment.of(\"checkout\", \"2.4.1\", \"2.4.0\");"})
    void documentedJavaCompiles(String page, String after, String given, @TempDir Path dir) throws IOException {
        String code = snippet(Path.of(page), after);
        // Object, not void: a snippet may hand back a report (docs/watch.md returns the bake's).
        String source = IMPORTS + "class Snippet {\n" + STEPS + "    Object run() throws Exception {\n"
                + (given == null ? "" : given) + "\n" + code + "\n        return null;\n    }\n}\n";
        Path file = Files.writeString(dir.resolve("Snippet.java"), source);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        int status = ToolProvider.getSystemJavaCompiler().run(null, null, new PrintStream(errors, true, StandardCharsets.UTF_8),
                "-d", dir.toString(), "-cp", System.getProperty("java.class.path"), "--release", "17", "-proc:none",
                file.toString());

        assertThat(status).as("%s, the snippet after '%s', does not compile:%n%s", page, after,
                errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void pipelineSnippetExitsFiveWhenThePreviousVersionIsNotHealthyEither() throws IOException {
        // As PipelineExample and vigil.jar verify: rolled back, but neither version is known to be healthy.
        String code = snippet(Path.of("README.md"), "## Pipeline code");

        assertThat(code).containsPattern("case UNHEALTHY -> report\\.rolledBackButPreviousVersionInDoubt\\(\\)\\s*\\?\\s*5\\b");
    }

    @Test
    void everyMethodThePagesNameOnTheEntryPointsExists() throws IOException {
        // "The DeployVerifier.from... methods use VigilConfig.defaults()" outlived those methods.
        List<Class<?>> types = List.of(dev.vigil.config.VigilConfig.class, dev.vigil.config.BoundConfig.class,
                dev.vigil.config.ValidationResult.class, dev.vigil.DeployVerifier.class, dev.vigil.VerificationReport.class,
                dev.vigil.VerificationPlan.class, dev.vigil.ProbeLimits.class, dev.vigil.MeasurementPolicy.class,
                dev.vigil.RecheckPlan.class, dev.vigil.WatchPlan.class, dev.vigil.Watch.class, dev.vigil.Deployment.class,
                dev.vigil.Plot.class, dev.vigil.http.HttpProbes.class, dev.vigil.http.Webhooks.class,
                dev.vigil.rollback.RollbackTriggers.class, dev.vigil.report.ReportWriter.class,
                dev.vigil.report.ConsoleProgress.class, dev.vigil.analysis.CanaryJudges.class,
                dev.vigil.prometheus.PrometheusProbe.class, dev.vigil.junit.probe.JunitProbes.class,
                dev.vigil.Probe.class, dev.vigil.ProbeContext.class, dev.vigil.ProbeResult.class, dev.vigil.ProbeReport.class,
                dev.vigil.Measurement.class, dev.vigil.RecheckReport.class, dev.vigil.RollbackReport.class,
                dev.vigil.RollbackEvent.class, dev.vigil.Confirmation.class, dev.vigil.VerificationListener.class,
                dev.vigil.TimeSource.class, dev.vigil.VigilException.class, dev.vigil.spi.ProbeFactory.class,
                dev.vigil.spi.ProbeSettings.class, dev.vigil.condition.Condition.class, dev.vigil.condition.Evaluation.class,
                dev.vigil.analysis.CanaryAnalysis.class, dev.vigil.analysis.CanaryRound.class, dev.vigil.analysis.SlowerThan.class,
                dev.vigil.prometheus.SamplesJudge.class, dev.vigil.http.WebhookTarget.class, dev.vigil.report.Reports.class,
                dev.vigil.history.HistoryStore.class, dev.vigil.history.HistoryRecorder.class, dev.vigil.history.HistoryQuery.class,
                dev.vigil.history.jdbc.JdbcHistoryStore.class, dev.vigil.history.quality.HistoryReport.class,
                dev.vigil.history.quality.HistoryMetrics.class);
        List<Path> pages = new ArrayList<>(List.of(Path.of("..", "README.md"), Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> missing = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            // What the API used to be is named on purpose there.
            int before = text.indexOf("## What changed from the 0.1.0 snapshots");
            String current = before < 0 ? text : text.substring(0, before);
            for (Class<?> type : types) {
                Matcher mention = Pattern.compile("\\b" + type.getSimpleName() + "\\.([a-z][A-Za-z0-9]*)").matcher(current);
                while (mention.find()) {
                    String member = mention.group(1);
                    boolean exists = Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(member))
                            || Arrays.stream(type.getFields()).anyMatch(f -> f.getName().equals(member));
                    if (!exists) {
                        missing.add(page.getFileName() + ": " + mention.group());
                    }
                }
            }
        }

        assertThat(missing).isEmpty();
    }
}
