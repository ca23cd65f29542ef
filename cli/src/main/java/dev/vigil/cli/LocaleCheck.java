package dev.vigil.cli;

import dev.vigil.Deployment;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigProblem;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses a deployment whose names this process's locale cannot carry. The JVM reads the command
 * line and hands a command its text and environment in the locale's encoding
 * ({@code sun.jnu.encoding}: ASCII under {@code LANG=C}), replacing what it cannot encode:
 * {@code --service kassé} arrives as {@code kass\uFFFD\uFFFD}, recorded and reported under that name, and a
 * rollback command gets {@code VIGIL_SERVICE=kass?} (a shell pattern) for a service named
 * {@code kassé} in the configuration. Either would act on, or file a verdict under, another name
 * than the one deployed.
 */
final class LocaleCheck {

    private static final String DEPLOYMENT = "vigil.deployment.";
    private static final char LOST = '\uFFFD';

    private LocaleCheck() {
    }

    /**
     * The problems of the configuration and the deployment it names (the command-line options
     * included) in this process's locale; under a UTF-8 locale, only a deployment value that holds a
     * character lost in reading.
     */
    static List<ConfigProblem> problems(BoundConfig config, Deployment deployment) {
        Map<String, String> values = new java.util.TreeMap<>(config.properties());
        values.put(DEPLOYMENT + "service", deployment.service());
        values.put(DEPLOYMENT + "version", deployment.version());
        values.put(DEPLOYMENT + "previous-version", deployment.previousVersion());
        values.put(DEPLOYMENT + "environment", deployment.environment());
        values.put(DEPLOYMENT + "fixes", deployment.fixes().isEmpty() ? null : String.join(",", deployment.fixes()));
        deployment.labels().forEach((k, v) -> values.put(DEPLOYMENT + "labels." + k, v));
        return problems(values, platformCharset());
    }

    /**
     * The problems of the effective properties ({@link BoundConfig#properties()}) in {@code charset}:
     * a deployment value with a character lost in reading (under any locale: bytes that are not UTF-8
     * are lost under a UTF-8 one too), and, when a command runs (the rollback
     * command, a command probe), a deployment value or command text that charset cannot encode.
     */
    static List<ConfigProblem> problems(Map<String, String> properties, Charset charset) {
        if (charset.name().toUpperCase(java.util.Locale.ROOT).startsWith("UTF")) {
            return lostInUtf8(properties);
        }
        CharsetEncoder encoder = charset.newEncoder();
        List<String> commands = properties.keySet().stream().filter(LocaleCheck::isCommand).toList();
        String fix = "run Vigil with a UTF-8 locale (LANG=C.UTF-8), or use ASCII";
        List<ConfigProblem> out = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            boolean deployment = key.startsWith(DEPLOYMENT);
            if (deployment && value.indexOf(LOST) >= 0) {
                out.add(new ConfigProblem(key, value, "characters were lost when the command line was read in this locale's "
                        + "encoding (" + charset.name() + "); " + fix));
            } else if ((deployment || commands.contains(key)) && !commands.isEmpty() && !encoder.canEncode(value)) {
                out.add(new ConfigProblem(key, value, "cannot be handed to " + String.join(", ", commands) + " in this locale's "
                        + "encoding (" + charset.name() + "): the command would get '" + new String(value.getBytes(charset), charset)
                        + "'; " + fix));
            }
        });
        return out;
    }

    /**
     * Under a UTF-8 locale, a deployment value with bytes that are not UTF-8 ({@code --service "$NAME"}
     * where the variable holds ISO-8859-1 text): the JVM read each as U+FFFD, and the verification
     * would report, record and roll back that name, not the one deployed.
     */
    private static List<ConfigProblem> lostInUtf8(Map<String, String> properties) {
        List<ConfigProblem> out = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(DEPLOYMENT) && value != null && value.indexOf(LOST) >= 0) {
                out.add(new ConfigProblem(key, value, "characters were lost in reading: the command line or the environment"
                        + " gave bytes that are not UTF-8 (text in ISO-8859-1?), read as U+FFFD; give the value as UTF-8, or use ASCII"));
            }
        });
        return out;
    }

    private static boolean isCommand(String key) {
        return key.equals("vigil.rollback.command") || key.matches("vigil\\.probes\\.[^.]+\\.command");
    }

    /** The encoding the JVM reads the command line and writes a process's arguments and environment in. */
    private static Charset platformCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }
}
