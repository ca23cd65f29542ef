package dev.vigil.junit.probe.internal;

import dev.vigil.MeasurementPolicy;
import dev.vigil.Probe;
import dev.vigil.condition.Criteria;
import dev.vigil.junit.probe.JunitProbeBuilder;
import dev.vigil.junit.probe.JunitProbes;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type=junit}: JUnit tests run against the deployed service through the JUnit Platform
 * Launcher; see {@link JunitProbes}. Found by {@link java.util.ServiceLoader}; stateless and
 * thread-safe. Public only for the service loader.
 */
public final class JunitProbeFactory implements ProbeFactory {

    /**
     * The timeout when none is set: a suite takes longer than one request. Like every default
     * timeout, shortened to the plan's interval when that is shorter.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);

    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.of("select", Kind.LIST, null, "What to run, comma-separated: package:com.acme.smoke, "
                    + "class:com.acme.CheckoutSmokeTest, method:com.acme.CheckoutSmokeTest#pays; default: every test on the classpath."),
            ConfigKey.of("tags", Kind.STRING, null, "A JUnit tag expression the tests must match: smoke & !slow, ORD-17."),
            ConfigKey.of("classpath", Kind.LIST, null, "Jars and folders of the tests and their libraries, globs allowed "
                    + "(build/libs/*.jar); loaded in an isolated class loader. Default: the application's class path."),
            ConfigKey.of("parameters", Kind.MAP, null, "Values handed to the tests: parameters.base-url=http://... is read "
                    + "with @VigilParameter(\"base-url\"). A name such as api-token, or a value from a secret variable, is a secret."),
            new ConfigKey("secret-parameters", Kind.MAP, null, true, "Like parameters, for secrets: masked in everything "
                    + "the tests say and in every report."),
            ConfigKey.of("min-tests", Kind.INTEGER, Integer.toString(JunitProbeBuilder.DEFAULT_MIN_TESTS),
                    "How many tests must pass for a pass; aborted and disabled tests never count."),
            ConfigKey.of("every-round", Kind.BOOLEAN, "false", "Whether the tests run in every round instead of once per verification."),
            ConfigKey.of("every", Kind.INTEGER, null, "Run the tests every <n> rounds (from the first) instead of once per verification."));

    /** For {@link java.util.ServiceLoader}. */
    public JunitProbeFactory() {
    }

    @Override
    public String type() {
        return "junit";
    }

    @Override
    public String description() {
        return "JUnit tests (confirmation and regression suites) run against the deployed service, reported test by test";
    }

    @Override
    public List<ConfigKey> keys() {
        return KEYS;
    }

    @Override
    public MeasurementPolicy defaultMeasurementPolicy(ProbeSettings settings) {
        return MeasurementPolicy.defaults().withTimeout(DEFAULT_TIMEOUT);
    }

    @Override
    public Probe create(ProbeSettings settings) {
        JunitProbeBuilder builder = JunitProbes.builder();
        boolean ok = true;
        List<String> select = settings.list("select");
        for (String entry : select) {
            ok &= check(settings, "select", () -> builder.select(entry));
        }
        Optional<String> tags = settings.string("tags");
        if (tags.isPresent()) {
            ok &= check(settings, "tags", () -> builder.tags(tags.get()));
        }
        List<String> classpath = settings.list("classpath");
        builder.classpath(classpath);
        if (select.isEmpty() && classpath.isEmpty()) {
            settings.problem("select", "missing: a junit probe needs select (" + "package:com.acme.smoke, class:..., method:...)"
                    + " or classpath (the jars and folders of the tests), or both");
            ok = false;
        }
        for (Map.Entry<String, String> p : settings.map("parameters").entrySet()) {
            String key = "parameters." + p.getKey();
            if (settings.secret(key)) {
                ok &= check(settings, key, () -> builder.secretParameter(p.getKey(), p.getValue()));
            } else {
                ok &= check(settings, key, () -> builder.parameter(p.getKey(), p.getValue()));
            }
        }
        for (Map.Entry<String, String> p : settings.map("secret-parameters").entrySet()) {
            ok &= check(settings, "secret-parameters." + p.getKey(), () -> builder.secretParameter(p.getKey(), p.getValue()));
        }
        Optional<Integer> minTests = settings.integer("min-tests");
        if (minTests.isPresent()) {
            ok &= check(settings, "min-tests", () -> builder.minTests(minTests.get()));
        }
        Optional<Boolean> everyRound = settings.bool("every-round");
        Optional<Integer> every = settings.integer("every");
        if (everyRound.orElse(false) && every.isPresent()) {
            settings.problem("every", "set every-round=true or every=<n>, not both");
            ok = false;
        } else if (every.isPresent()) {
            if (every.get() < 1) {
                settings.problem("every", "must be 1 or more rounds, was " + every.get());
                ok = false;
            } else {
                builder.every(every.get());
            }
        } else if (everyRound.orElse(false)) {
            builder.everyRound();
        }
        if (settings.string("pass-when").isPresent() || settings.string("fail-when").isPresent()) {
            Optional<Criteria> criteria = settings.criteria(JunitProbes.conditionNames(), null);
            if (criteria.isEmpty()) {
                ok = false;
            } else {
                builder.criteria(criteria.get());
            }
        }
        if (!ok) {
            throw InvalidSettingsException.reported(settings);
        }
        return builder.build();
    }

    private static boolean check(ProbeSettings settings, String key, Runnable step) {
        try {
            step.run();
            return true;
        } catch (IllegalArgumentException e) {
            settings.problem(key, e.getMessage());
            return false;
        }
    }
}
