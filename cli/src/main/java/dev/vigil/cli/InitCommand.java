package dev.vigil.cli;

import dev.vigil.report.Reports;
import dev.vigil.config.ConfigProblem;
import dev.vigil.config.ValidationResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.spi.UrlCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil init --actuator URL [--prometheus URL --job NAME] [--rollback CMD]}: writes a
 * commented starting configuration for a Spring Boot service, then checks it online.
 */
@Command(name = "init",
        sortOptions = false,
        description = {"Writes a commented starting configuration for a Spring Boot service: its actuator health, "
                + "and with --prometheus the error rate and mean latency from Spring Boot's standard "
                + "http.server.requests metric (queries that work on a healthy service), a plan and the rollback; "
                + "then checks it as validate --online does. Never overwrites a file.", ""},
        footer = {"", "Exit codes: 0 written and every dependency answers, 6 written with warnings, 2 not written "
                + "(the file exists, bad options) or written but a dependency cannot be used."})
final class InitCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--actuator", required = true, paramLabel = "URL", converter = NonBlank.class,
            description = "The service's base URL (http://host:8080) or its health URL (.../actuator/health).")
    private String actuator;

    @Option(names = "--prometheus", paramLabel = "URL", converter = NonBlank.class, description = "Prometheus' base URL (http://prometheus:9090).")
    private String prometheus;

    @Option(names = "--job", paramLabel = "NAME", converter = NonBlank.class,
            description = "The Prometheus job that scrapes the service; needed with --prometheus.")
    private String job;

    @Option(names = "--rollback", paramLabel = "CMD", converter = NonBlank.class,
            description = "The rollback command, run by /bin/sh -c; make it safe to repeat (see docs/rollback.md).")
    private String rollback;

    @Option(names = "--service", paramLabel = "NAME", converter = NonBlank.class,
            description = "The service's name. Default: the job, or my-service.")
    private String service;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "vigil.properties",
            description = "Where to write. Default: ${DEFAULT-VALUE}. An existing file is never overwritten.")
    private Path file;

    @Option(names = "--no-check", description = "Only write the file; do not touch the service, Prometheus or the PATH.")
    private boolean noCheck;

    @Mixin
    private DebugOption debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    private InitCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (prometheus != null && (job == null || job.isBlank())) {
            return usage(err, "--prometheus needs --job, the Prometheus job that scrapes the service");
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
            return usage(err, "--file " + Reports.oneLine(file.toString()) + ": init writes a properties file, which a .yml or .yaml name would have"
                    + " read as YAML; name it .properties");
        }
        if (actuator.indexOf('?') >= 0 || actuator.indexOf('#') >= 0) {
            // The health path goes after the URL's path: after a query it was written into the query
            // (http://host:8080?x=1/actuator/health), and a token there was kept in clear.
            return usage(err, "--actuator: must not have a query or a fragment ('"
                    + Reports.oneLine(UrlCredentials.mask(actuator, "****")) + "'): give the service's base URL"
                    + " (http://host:8080) or its health URL (.../actuator/health)\nnothing was written");
        }
        String written = writtenCredential(rollback);
        if (written != null) {
            return usage(err, written);
        }
        String text = configuration();
        String refused = refusedOptions(text);
        if (refused != null) {
            return usage(err, refused);
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Not the file: a file where a folder on its way should be. Told as "exists", it named the file.
            return usage(err, Reports.oneLine("cannot write " + file + ": " + e.getFile() + " is a file, not a folder"));
        } catch (IOException e) {
            return usage(err, Reports.oneLine("cannot write " + file + ": " + e.getMessage()));
        }
        try {
            Files.writeString(file, text, StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return usage(err, Reports.oneLine(file.toString()) + " exists; init never overwrites a file: move it away or pass --file");
        } catch (IOException e) {
            return usage(err, Reports.oneLine("cannot write " + file + ": " + e.getMessage()));
        }
        out.println("wrote " + Reports.oneLine(file.toAbsolutePath().toString()));
        out.flush();
        if (noCheck) {
            return ExitCodes.HEALTHY;
        }
        ValidationResult result = VigilConfig.builder().build().validate(file);
        if (!result.valid()) {
            return ConfigErrors.print(err, file.toString(), result.problems(), result.exception().orElse(null), debug.debug);
        }
        return ValidateCommand.checkOnline(out, result.config());
    }

    /**
     * Why {@code --rollback} may not be written into the file: it gives a credential written out
     * ({@code -H 'Authorization: Bearer s3cret'}, {@code --token s3cret}, an assignment to a credential's
     * name: {@code DEPLOY_PASSWORD=s3cret deployer}, a URL's password or token
     * parameter: {@code https://deploy:s3cret@host/}, {@code ?token=s3cret}), which the file would keep
     * in clear, and files like it are committed. A credential the shell or Vigil fills in when the
     * command runs ({@code "Bearer $ROLLBACK_TOKEN"}, {@code ${ROLLBACK_TOKEN}}) is fine. {@code null}
     * when nothing is wrong. Never quotes the credential.
     */
    static String writtenCredential(String command) {
        if (command == null) {
            return null;
        }
        List<String> credentials = new ArrayList<>(dev.vigil.spi.CommandLineCredentials.values(command));
        // An assignment to a credential's name is one as well: DEPLOY_PASSWORD=s3cret deployer rollback.
        credentials.addAll(dev.vigil.spi.CredentialNames.values(command));
        // A URL's password or token parameter is one as well: curl https://deploy:s3cret@host/..., ...?token=s3cret.
        credentials.addAll(UrlCredentials.userCredentials(command));
        UrlCredentials.parameters(command).stream().filter(p -> UrlCredentials.isCredentialParameter(p.getKey()))
                .forEach(p -> credentials.add(p.getValue()));
        boolean written = credentials.stream().anyMatch(v -> v.indexOf('$') < 0);
        String masked = UrlCredentials.maskParameters(UrlCredentials.maskUserCredentials(dev.vigil.spi.CredentialNames.mask(
                dev.vigil.spi.CommandLineCredentials.mask(command, "****"), "****"), "****"), "****");
        return !written ? null : "--rollback gives a credential written out (" + masked + "), which the file would keep in clear:"
                + " give it from the environment instead (-H \"Authorization: Bearer $ROLLBACK_TOKEN\", --token"
                + " \"$ROLLBACK_TOKEN\": the rollback command's shell fills it in when it runs)\nnothing was written";
    }

    /** The keys of the file that an option's value makes, and that option. */
    private static final Map<String, String> OPTION_OF_KEY = Map.of(
            "vigil.deployment.service", "--service",
            "vigil.probes.health.url", "--actuator",
            "vigil.probes.error-rate.base-url", "--prometheus",
            "vigil.probes.latency.base-url", "--prometheus",
            "vigil.probes.error-rate.query", "--job",
            "vigil.probes.latency.query", "--job");

    /**
     * What is wrong with the options that the file would take from them ({@code --actuator
     * 127.0.0.1:8080}, no scheme; a password in its URL), one option per line; {@code null} when
     * nothing. Checked before writing: written, such a file was refused by the check and kept, and
     * init, which never overwrites, refused the corrected command ("exists"), with a password on
     * disk. The environment is left out: a placeholder of {@code --rollback} that only the pipeline
     * sets is no mistake of the options.
     */
    private static String refusedOptions(String text) {
        Map<String, String> properties = new LinkedHashMap<>();
        Properties read = new Properties();
        try {
            read.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // In the file's order, so that the options are named in the order the file holds them.
        text.lines().filter(line -> !line.startsWith("#") && line.contains("="))
                .map(line -> line.substring(0, line.indexOf('=')))
                .forEach(key -> properties.put(key, read.getProperty(key)));
        List<String> lines = new ArrayList<>();
        for (ConfigProblem problem : VigilConfig.builder().environment(Map.of()).build().validate(properties).problems()) {
            String option = OPTION_OF_KEY.get(problem.key());
            String line = option == null ? null : option + ": " + problem.message();
            if (line != null && !lines.contains(line)) {
                lines.add(line);
            }
        }
        return lines.isEmpty() ? null : String.join("\n  ", lines) + "\nnothing was written";
    }

    /**
     * A value as a properties file must hold it to read back the same: a backslash doubled (else
     * {@code sed 's/\\./-/'} reads back as {@code s/./-/}, and one at the end joins the next line to
     * the command), line breaks and leading spaces escaped.
     */
    static String value(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case ' ', '\t' -> out.append(out.length() == 0 ? "\\" : "").append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The file's text. */
    String configuration() {
        String name = service != null && !service.isBlank() ? service : job != null && !job.isBlank() ? job : "my-service";
        String health = actuator.replaceAll("/+$", "");
        if (!health.endsWith("/actuator/health")) {
            health = health + "/actuator/health";
        }
        List<String> lines = new ArrayList<>(List.of(
                "# Vigil configuration, written by `vigil init`. Check it before a deployment with",
                "#   java -jar vigil.jar validate --online --config " + file.getFileName() + " --version VERSION",
                "# Every key is in docs/configuration.md.",
                "",
                "# What is deployed. The release tool passes --version and --previous-version (and may pass --service).",
                "vigil.deployment.service=" + value(name),
                "",
                "# A round every 10 s for 5 minutes, after 30 s of warm-up. An inconclusive end stops the pipeline (exit 3).",
                "vigil.plan.initial-delay=30s",
                "vigil.plan.interval=10s",
                "vigil.plan.duration=5m",
                "vigil.plan.on-inconclusive=fail",
                "",
                "# Spring Boot's health endpoint must answer UP.",
                "vigil.probes.health.type=actuator",
                "vigil.probes.health.url=" + value(health),
                "vigil.probes.health.timeout=2s",
                "vigil.probes.health.max-failures=1"));
        if (prometheus != null) {
            String base = prometheus.replaceAll("/+$", "");
            String selector = "job=\"" + job + "\"";
            lines.addAll(List.of(
                    "",
                    "# The share of 5xx answers over the last minute, from Spring Boot's http.server.requests metric.",
                    "# \"or vector(0)\": before the first 5xx the error series does not exist, and no error is 0%, not \"no data\".",
                    "vigil.probes.error-rate.type=prometheus",
                    "vigil.probes.error-rate.base-url=" + value(base),
                    "vigil.probes.error-rate.query=" + value("(sum(rate(http_server_requests_seconds_count{" + selector
                            + ",status=~\"5..\"}[1m])) or vector(0)) / sum(rate(http_server_requests_seconds_count{" + selector + "}[1m]))"),
                    "vigil.probes.error-rate.fail-when=value > 1%",
                    "# A minute without any request gives no data (0/0): tolerate a few such rounds.",
                    "vigil.probes.error-rate.max-inconclusive=3",
                    "",
                    "# The mean latency over the last minute. With percentiles-histogram on, a quantile is better:",
                    "#   histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{" + selector + "}[1m])))",
                    "vigil.probes.latency.type=prometheus",
                    "vigil.probes.latency.base-url=" + value(base),
                    "vigil.probes.latency.query=" + value("sum(rate(http_server_requests_seconds_sum{" + selector + "}[1m]))"
                            + " / sum(rate(http_server_requests_seconds_count{" + selector + "}[1m]))"),
                    "vigil.probes.latency.fail-when=value > 0.5",
                    "vigil.probes.latency.max-inconclusive=3"));
        }
        lines.add("");
        lines.add("# How to roll back, run by /bin/sh -c. Make it safe to repeat: name the version, not \"one back\" (docs/rollback.md).");
        if (rollback != null && !rollback.isBlank()) {
            lines.add("vigil.rollback.command=" + value(rollback));
        } else {
            lines.add("#vigil.rollback.command=kubectl set image deployment/${vigil.deployment.service} "
                    + "app=registry.example.com/${vigil.deployment.service}:${vigil.deployment.previous-version}");
        }
        lines.add("vigil.rollback.timeout=2m");
        lines.add("");
        return String.join("\n", lines);
    }

    /** Says {@code message} after {@code vigil: } on standard error: a usage error. */
    private static int usage(PrintWriter err, String message) {
        err.println("vigil: " + message);
        err.flush();
        return ExitCodes.USAGE;
    }
}
