package dev.vigil.config;

import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ConfigKey;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The built-in {@code type=command} probe: runs a local command with {@code /bin/sh -c} and
 * judges its exit code, output and latency. Stateless and thread-safe.
 */
final class CommandProbeFactory implements ProbeFactory {

    static final String TYPE = "command";
    /** The condition used when neither pass-when nor fail-when is given. */
    static final String DEFAULT_PASS_WHEN = "exit-code == 0";
    /** Default most output kept, in bytes. */
    static final long DEFAULT_MAX_OUTPUT = 64 * 1024;

    static final Map<String, ValueType> NAMES = names();

    private static Map<String, ValueType> names() {
        Map<String, ValueType> names = new LinkedHashMap<>();
        names.put("exit-code", ValueType.NUMBER);
        names.put("output", ValueType.STRING);
        names.put("latency", ValueType.DURATION);
        return java.util.Collections.unmodifiableMap(names);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "runs a local command with /bin/sh -c; names exit-code, output (trimmed) and latency; default pass-when "
                + DEFAULT_PASS_WHEN;
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("command", ConfigKey.Kind.STRING, null, "The command line, run by /bin/sh -c."),
                ConfigKey.of("max-output", ConfigKey.Kind.SIZE, "64KB", "Most output kept for the output name; the rest is dropped."));
    }

    @Override
    public Probe create(ProbeSettings settings) {
        Optional<String> command = settings.requiredString("command");
        long maxOutput = settings.size("max-output").orElse(DEFAULT_MAX_OUTPUT);
        if (maxOutput < 0 || maxOutput > Integer.MAX_VALUE) {
            settings.problem("max-output", "must be between 0 and 2GB");
        }
        Optional<Criteria> criteria = settings.criteria(NAMES, DEFAULT_PASS_WHEN);
        if (command.isEmpty() || criteria.isEmpty() || maxOutput < 0 || maxOutput > Integer.MAX_VALUE) {
            return null;
        }
        java.util.function.UnaryOperator<String> redact = settings instanceof Settings bound ? bound.redactor()
                : java.util.function.UnaryOperator.identity();
        return new CommandProbe(command.get(), redact, (int) maxOutput, criteria.get());
    }

    /** Runs the command once per measurement. */
    static final class CommandProbe implements Probe {
        private final String command;
        private final String display;
        private final java.util.function.UnaryOperator<String> redact;
        private final int maxOutput;
        private final Criteria criteria;

        /** @param redact blanks out the configuration's secrets, which the command may print */
        CommandProbe(String command, java.util.function.UnaryOperator<String> redact, int maxOutput, Criteria criteria) {
            this.command = command;
            this.redact = redact;
            this.display = redact.apply(command);
            this.maxOutput = maxOutput;
            this.criteria = criteria;
        }

        @Override
        public ProbeResult measure(ProbeContext context) throws Exception {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("VIGIL_SERVICE", context.deployment().service());
            env.put("VIGIL_VERSION", context.deployment().version());
            env.put("VIGIL_PREVIOUS_VERSION", Objects.toString(context.deployment().previousVersion(), ""));
            env.put("VIGIL_PROBE", context.probeName());
            env.put("VIGIL_ROUND", Integer.toString(context.round()));
            long started = System.nanoTime();
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return ProbeResult.error("command could not be started: " + display + ": " + e.getMessage());
            }
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // The command gets no input anyway.
            }
            Output output = new Output(process.getInputStream(), maxOutput);
            Thread reader = new Thread(output, "vigil-command-probe-output");
            reader.setDaemon(true);
            reader.start();
            try {
                if (!process.waitFor(context.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                    kill(process);
                    return ProbeResult.error("command timed out after " + Values.format(context.timeout()) + " and was killed: " + display);
                }
                reader.join(1000);
            } catch (InterruptedException e) {
                kill(process);
                throw e;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("exit-code", process.exitValue());
            values.put("output", output.text().trim());
            values.put("latency", Duration.ofNanos(System.nanoTime() - started));
            return scrub(criteria.judge(values));
        }

        /** The measurement with every secret of the configuration blanked out of its texts. */
        private ProbeResult scrub(ProbeResult m) {
            Map<String, Object> values = new LinkedHashMap<>();
            m.values().forEach((k, v) -> values.put(k, v instanceof String text ? redact.apply(text) : v));
            return m.outcome() == dev.vigil.Outcome.ERROR ? ProbeResult.error(redact.apply(m.error()), values)
                    : ProbeResult.of(m.outcome(), values, redact.apply(m.explanation()));
        }

        @Override
        public String description() {
            return "command: " + display;
        }

        @Override
        public String passWhen() {
            return criteria.passWhen();
        }

        @Override
        public String failWhen() {
            return criteria.failWhen();
        }

        @Override
        public String toString() {
            return description();
        }

        private static void kill(Process process) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Reads a stream to its end, keeping at most the given number of bytes. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Output(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        kept.write(buffer, 0, Math.max(0, Math.min(max - kept.size(), n)));
                    }
                }
            } catch (IOException e) {
                // The process ended or was killed; what was read is kept.
            }
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
