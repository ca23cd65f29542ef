package dev.vigil.command;

import dev.vigil.Durations;
import dev.vigil.Outcome;
import dev.vigil.Plot;
import dev.vigil.Preflight;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The built-in {@code type=command} probe: runs a local command with {@code /bin/sh -c} and
 * judges its exit code, output and latency. The configuration registers it before any factory
 * found on the class path. Its {@link Probe#preflight preflight} ({@code vigil validate --online})
 * runs nothing: it looks for the command's programs on the {@code PATH}. Stateless and thread-safe.
 */
public final class CommandProbeFactory implements ProbeFactory {

    /** The probe type this factory makes: {@value}. */
    public static final String TYPE = "command";
    /** The condition used when neither pass-when nor fail-when is given. */
    static final String DEFAULT_PASS_WHEN = "exit-code == 0";
    /** Default most output kept, in bytes. */
    static final long DEFAULT_MAX_OUTPUT = 64 * 1024;

    static final Map<String, ValueType> NAMES = names();

    /** A factory; the configuration makes the one it registers. */
    public CommandProbeFactory() {
    }

    private static Map<String, ValueType> names() {
        Map<String, ValueType> names = new LinkedHashMap<>();
        names.put("exit-code", ValueType.NUMBER);
        names.put("output", ValueType.STRING);
        names.put("latency", ValueType.DURATION);
        return Collections.unmodifiableMap(names);
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
            throw InvalidSettingsException.reported(settings);
        }
        return new CommandProbe(command.get(), settings.redactor(), (int) maxOutput, criteria.get());
    }

    /** Runs the command once per measurement. */
    static final class CommandProbe implements Probe {
        private final String command;
        private final String display;
        private final UnaryOperator<String> redact;
        private final int maxOutput;
        private final Criteria criteria;

        /** @param redact blanks out the configuration's secrets, which the command may print */
        CommandProbe(String command, UnaryOperator<String> redact, int maxOutput, Criteria criteria) {
            this.command = command;
            this.redact = redact;
            this.display = redact.apply(command);
            this.maxOutput = maxOutput;
            this.criteria = criteria;
        }

        @Override
        public ProbeResult measure(ProbeContext context) throws Exception {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("VIGIL_SERVICE", context.deployment().service());
            env.put("VIGIL_VERSION", context.deployment().version());
            env.put("VIGIL_PREVIOUS_VERSION", Objects.toString(context.deployment().previousVersion(), ""));
            env.put("VIGIL_PROBE", context.probeName());
            env.put("VIGIL_ROUND", Integer.toString(context.round()));
            ProcessRunner.Result run;
            try {
                run = ProcessRunner.run(List.of("/bin/sh", "-c", command), env, context.timeout(), maxOutput,
                        "vigil-command-probe-output");
            } catch (IOException e) {
                return ProbeResult.error("command could not be started: " + display + ": " + e.getMessage());
            }
            if (run.timedOut()) {
                return ProbeResult.error("command timed out after " + Durations.format(context.timeout()) + " and was killed: " + display);
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("exit-code", run.exitCode());
            values.put("output", run.output().trim());
            values.put("latency", run.elapsed());
            return scrub(criteria.judge(values));
        }

        /** The measurement with every secret of the configuration blanked out of its texts. */
        private ProbeResult scrub(ProbeResult m) {
            Map<String, Object> values = new LinkedHashMap<>();
            m.values().forEach((k, v) -> values.put(k, v instanceof String text ? redact.apply(text) : v));
            return m.outcome() == Outcome.ERROR ? ProbeResult.error(redact.apply(m.error()), values)
                    : ProbeResult.of(m.outcome(), values, redact.apply(m.explanation()));
        }

        @Override
        public String description() {
            return "command: " + display;
        }

        /**
         * The check before a deployment runs nothing: the command may change the service (a smoke
         * test that places an order), as a {@code POST} would, which an HTTP probe does not send
         * either. Its programs must be on the {@code PATH}, as a rollback command's.
         */
        @Override
        public Preflight preflight(ProbeContext context) {
            return Programs.check("command " + display + " not run (it may change the service)",
                    Programs.ofShellCommand(command));
        }

        /** The value the conditions compare with a number, {@code latency} before {@code exit-code}; else latency. */
        @Override
        public Plot plot() {
            return Plot.fromConditions(criteria.passWhen(), criteria.failWhen(), "latency", "exit-code");
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
    }
}
