package dev.vigil.config;

import dev.vigil.Confirmation;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.VerificationPlan;
import dev.vigil.spi.ProbeFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds one probe of {@code vigil.probes.<name>.*}: checks its name, finds the factory of its
 * {@code type} (an unknown type names the known ones), binds its limits against the plan, and asks
 * the factory for the probe. A factory that reads no condition while one is given is a problem.
 */
final class ProbeBinder {

    /** The probes with {@code watch=false}, in the order bound. */
    private final java.util.Set<String> unwatched = new java.util.LinkedHashSet<>();
    private final Map<String, Integer> watchMaxFailures = new LinkedHashMap<>();
    private final java.util.Set<String> unrechecked = new java.util.LinkedHashSet<>();
    private final java.util.Set<String> recheckOnly = new java.util.LinkedHashSet<>();

    private final Items items;
    private final Secrets secrets;
    private final Map<String, ProbeFactory> factories;

    ProbeBinder(Items items, Secrets secrets, Map<String, ProbeFactory> factories) {
        this.items = items;
        this.secrets = secrets;
        this.factories = factories;
    }

    /** The probe of that name, or empty when it has a problem (recorded). */
    Optional<BoundProbe> bind(String name, VerificationPlan plan) {
        String prefix = items.prefix();
        Key typeKey = Key.probeType(name);
        String display = prefix + "." + typeKey.text();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            items.problem(typeKey.base(), prefix + "." + CoreKeys.PROBES + "." + name,
                    "probe name is invalid: use letters, digits, '-', '_' and '.', starting with a letter or digit");
            return Optional.empty();
        }
        String type = items.typeOf(name);
        if (type == null || type.isEmpty()) {
            if (!items.unresolved(typeKey)) {
                items.problem(typeKey, display, "missing; known types: " + String.join(", ", factories.keySet()));
            }
            return Optional.empty();
        }
        ProbeFactory factory = factories.get(type);
        if (factory == null) {
            items.problem(typeKey, display, "unknown probe type '" + type + "'"
                    + Keys.suggest(type, factories.keySet()).map(s -> "; did you mean " + s + "?").orElse("")
                    + "; known types: " + String.join(", ", factories.keySet())
                    + " (a type comes from its module's jar on the classpath)");
            return Optional.empty();
        }
        Settings s = new Settings(items, secrets, CoreKeys.PROBES, name, CoreKeys.byName(CoreKeys.PROBE_KEYS, factory.keys()));
        ProbeLimits limits = limits(s, factory.defaultLimits(s));
        MeasurementPolicy measurement = measurement(s, factory.defaultMeasurementPolicy(s), plan);
        s.timeout(measurement.timeout());
        s.plan(plan);
        Probe probe = items.make(typeKey, "probe type " + type, () -> factory.create(s));
        // A probe refused (a url missing) may have stopped before reading its conditions: that it did not
        // read them says nothing about whether its type takes them.
        if (probe != null && !s.criteriaRead() && (s.string("pass-when").isPresent() || s.string("fail-when").isPresent())) {
            Key key = new Key(CoreKeys.PROBES, name, s.string("pass-when").isPresent() ? "pass-when" : "fail-when", null, null);
            items.problem(key, prefix + "." + key.text(), "probes of type " + type + " take no condition");
        }
        if (!s.bool("watch").orElse(true)) {
            unwatched.add(name);
        }
        s.integer("watch-max-failures").filter(n -> s.atLeast("watch-max-failures", n, 0)).ifPresent(n -> {
            if (unwatched.contains(name)) {
                s.problem("watch-max-failures", n + ", but watch=false leaves the probe out of the watch; leave one of them out");
            } else {
                watchMaxFailures.put(name, n);
            }
        });
        List<String> confirms = s.issueIds("confirms", "the probe confirms no issue as a whole").stream().distinct().toList();
        String refused = probe == null ? null : Confirmation.refusal(probe, confirms);
        if (refused != null) {
            s.problem("confirms", refused);
        }
        switch (recheck(s, factory)) {
            case "false" -> unrechecked.add(name);
            case "only" -> {
                recheckOnly.add(name);
                if (!factory.defaultRecheck(s)) {
                    s.problem("recheck", "only: a canary probe compares the canary with the baseline, and after the rollback"
                            + " there is no canary; check the previous version with a probe of its own");
                }
                if (!confirms.isEmpty()) {
                    s.problem("recheck", "only: the probe confirms " + String.join(", ", confirms) + ", which the bake must"
                            + " see; a probe measured after a rollback only can confirm nothing");
                }
                if (s.bool("watch").orElse(false)) {
                    s.problem("watch", "true, but recheck=only leaves the probe out of the bake and the watch");
                }
            }
            default -> { }
        }
        return Optional.ofNullable(probe).map(p -> new BoundProbe(name, type, p, limits, measurement, confirms));
    }

    /** The limits of one probe: how much bad news it may give. */
    private static ProbeLimits limits(Settings s, ProbeLimits d) {
        return new ProbeLimits(
                s.integer("max-failures").filter(n -> s.atLeast("max-failures", n, 0)).orElse(d.maxFailures()),
                s.integer("max-consecutive-errors").filter(n -> s.atLeast("max-consecutive-errors", n, 0))
                        .orElse(d.maxConsecutiveErrors()),
                s.integer("max-inconclusive").filter(n -> s.atLeast("max-inconclusive", n, 0)).orElse(d.maxInconclusive()));
    }

    /**
     * How each measurement of one probe is attempted. A measurement must fit in a round: a
     * {@code timeout} longer than the plan's {@code interval} is a problem, and a default timeout
     * longer than it is shortened to it.
     */
    private MeasurementPolicy measurement(Settings s, MeasurementPolicy d, VerificationPlan plan) {
        if (d.timeout().compareTo(plan.interval()) > 0) {
            d = d.withTimeout(plan.interval());
        }
        Optional<Duration> timeout = s.coarseDuration("timeout", "s",
                "would give each measurement %s, so that a healthy service times out as ERROR and is rolled back")
                .filter(t -> s.positive("timeout", t));
        timeout.filter(t -> t.compareTo(plan.interval()) > 0).ifPresent(t -> s.problem("timeout",
                Values.format(t) + " is longer than " + items.prefix() + "." + CoreKeys.PLAN + ".interval ("
                        + Values.format(plan.interval())
                        + "): a round would overrun into the next one, whose turn is then skipped; lower the timeout or"
                        + " raise the interval"));
        return new MeasurementPolicy(
                timeout.orElse(d.timeout()),
                s.integer("max-attempts").filter(n -> s.atLeast("max-attempts", n, 1)).orElse(d.maxAttempts()),
                s.duration("retry-backoff").filter(t -> s.atLeastZero("retry-backoff", t)).orElse(d.retryBackoff()));
    }

    /**
     * {@code recheck} as written: {@code true}, {@code false} (also {@code yes}, {@code no} and the
     * like) or {@code only}; the type's default when unset; a problem and {@code true} for anything else.
     */
    private static String recheck(Settings s, ProbeFactory factory) {
        Optional<String> text = s.string("recheck");
        if (text.isEmpty()) {
            return Boolean.toString(factory.defaultRecheck(s));
        }
        if (text.get().trim().equalsIgnoreCase("only")) {
            return "only";
        }
        Optional<Boolean> value = Values.bool(text.get());
        if (value.isEmpty()) {
            s.problem("recheck", "must be true, false or only");
        }
        return Boolean.toString(value.orElse(true));
    }

    /**
     * The probes bound so far whose {@code recheck} is {@code only}: measured in the re-check after
     * a rollback only, not in the bake or the watch.
     */
    java.util.Set<String> recheckOnly() {
        return recheckOnly;
    }

    /**
     * The probes bound so far whose {@code recheck} is {@code false} (by default, the canary probes):
     * left out of the re-check of the previous version after a rollback.
     */
    java.util.Set<String> unrechecked() {
        return unrechecked;
    }

    /** The {@code watch-max-failures} of the probes bound so far that have one, by name. */
    java.util.Map<String, Integer> watchMaxFailures() {
        return watchMaxFailures;
    }

    /** The probes bound so far whose {@code watch} is {@code false}: left out of the watch after the bake. */
    java.util.Set<String> unwatched() {
        return unwatched;
    }
}
