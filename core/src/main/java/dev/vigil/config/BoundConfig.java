package dev.vigil.config;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Preflight;
import dev.vigil.ProbeContext;
import dev.vigil.RecheckPlan;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackTrigger;
import dev.vigil.VerificationPlan;
import dev.vigil.WatchPlan;
import dev.vigil.VigilException;
import dev.vigil.history.HistorySettings;
import dev.vigil.spi.UrlCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A configuration bound and checked: the deployment defaults, the plan, the probes and the
 * rollback, ready to make a {@link DeployVerifier}. Immutable and thread-safe; its
 * {@link #toString()} and {@link #describe()} never show a secret.
 */
public final class BoundConfig {

    private final String prefix;
    private final DeploymentDefaults deployment;
    /** The online check's word for a probe measured in the re-check only, which it does not measure. */
    static final String RECHECK_ONLY = "measured in the re-check only, after a rollback: not measured now (it reads"
            + " which version answers, and is to fail against the new one; a rehearsal measures it)";

    /** The online check's word when no trigger is configured: an unhealthy verdict could then only page a person. */
    static final String NO_ROLLBACK = "no rollback trigger is configured (vigil.rollback.command, vigil.rollback.webhook.url, ...):"
            + " an UNHEALTHY verdict cannot roll back; it ends FAILED (exit 4) with the bad version still running";

    private final VerificationPlan plan;
    private final List<BoundProbe> probes;
    private final RollbackTrigger rollback;
    private final RollbackPolicy rollbackPolicy;
    private final RecheckPlan recheck;
    private final HistorySettings history;
    private final Map<String, String> properties;
    private final List<String> secrets;
    private final boolean requirePastConfirmations;
    private final WatchPlan watch;

    BoundConfig(String prefix, DeploymentDefaults deployment, VerificationPlan plan, List<BoundProbe> probes,
            RollbackTrigger rollback, RollbackPolicy rollbackPolicy, RecheckPlan recheck, HistorySettings history,
            Map<String, String> properties, List<String> secrets, boolean requirePastConfirmations, WatchPlan watch) {
        this.watch = watch;
        this.requirePastConfirmations = requirePastConfirmations;
        this.secrets = List.copyOf(secrets);
        this.prefix = prefix;
        this.deployment = deployment;
        this.plan = plan;
        this.probes = probes.stream().map(p -> p.hiding(this.secrets)).toList();
        this.rollback = rollback;
        this.rollbackPolicy = rollbackPolicy;
        this.recheck = recheck;
        this.history = history;
        this.properties = Map.copyOf(properties);
    }

    /**
     * The watch after a healthy bake, as configured under {@code vigil.plan.watch*} and the probes'
     * {@code watch=false}.
     *
     * @return the watch plan; {@link WatchPlan#off()} when {@code vigil.plan.watch} is not set
     */
    public WatchPlan watch() {
        return watch;
    }

    /**
     * The deployment as configured under {@code vigil.deployment.*}; parts may be missing.
     *
     * @return the deployment defaults; never {@code null}
     */
    public DeploymentDefaults deployment() {
        return deployment;
    }

    /**
     * The plan from {@code vigil.plan.*}, with the defaults of {@link VerificationPlan} for what is not set.
     *
     * @return the plan; never {@code null}
     */
    public VerificationPlan plan() {
        return plan;
    }

    /**
     * The probes from {@code vigil.probes.*}, in the order they were first given.
     *
     * @return an unmodifiable list; may be empty
     */
    public List<BoundProbe> probes() {
        return probes;
    }

    /**
     * The one rollback trigger configured, whichever kind it is: {@code vigil.rollback.command}
     * (run by {@code /bin/sh -c}) or a trigger's sub-section such as {@code vigil.rollback.webhook.*}
     * (see {@link dev.vigil.spi.RollbackTriggerFactory}); empty when none is configured. Its
     * description, output and errors never show a secret of the configuration.
     *
     * @return the trigger, or empty when none is configured
     */
    public Optional<RollbackTrigger> rollback() {
        return Optional.ofNullable(rollback);
    }

    /**
     * The policy from {@code vigil.rollback.timeout}, {@code .max-attempts} and {@code .backoff},
     * with the defaults of {@link RollbackPolicy} for what is not set; it applies to any trigger.
     *
     * @return the policy; never {@code null}, also when no trigger is configured
     */
    public RollbackPolicy rollbackPolicy() {
        return rollbackPolicy;
    }

    /**
     * The re-check after a rollback from {@code vigil.rollback.recheck.delay} and {@code .rounds},
     * with the defaults of {@link RecheckPlan} for what is not set.
     *
     * @return the re-check plan; never {@code null}
     */
    public RecheckPlan recheck() {
        return recheck;
    }

    /**
     * The release history from {@code vigil.history.*}: on by default, into the embedded H2 file; the
     * {@code vigil-history} module opens it. Its {@code toString()} never shows the password.
     *
     * @return the history settings; never {@code null}
     */
    public HistorySettings history() {
        return history;
    }

    /**
     * {@code vigil.regressions.require-past-confirmations}: whether a test that confirmed an earlier
     * fix of the service and no longer runs and passes fails the verification (see
     * {@link DeployVerifier.Builder#regressionGuard}); default {@code false}, a warning.
     *
     * @return whether such a test fails the verification
     */
    public boolean requirePastConfirmations() {
        return requirePastConfirmations;
    }

    /**
     * The effective configuration under the prefix, by canonical key ({@code vigil.plan.duration}),
     * placeholders resolved, secrets as {@code ******}: fit for logs.
     *
     * @return a new map sorted by key, which the caller may change
     */
    public Map<String, String> properties() {
        return new java.util.TreeMap<>(properties);
    }

    /**
     * A new builder holding the probes, plan, rollback trigger and policy and re-check of this
     * configuration: the one place to add what configuration does not hold (listeners, a meter
     * registry, a time source) and more probes or triggers before {@code build()}. Unlike
     * {@link #verifier()}, it accepts a configuration without probes; {@code build()} then needs
     * one added.
     *
     * @return a new builder on each call; the probe instances are shared with this configuration
     */
    public DeployVerifier.Builder toBuilder() {
        DeployVerifier.Builder builder = DeployVerifier.builder().plan(plan).watch(watch).rollbackPolicy(rollbackPolicy)
                .recheck(recheck);
        for (BoundProbe p : probes) {
            builder.probe(p.name(), secrets.isEmpty() ? p.probe() : new RedactingProbe(p.probe(), secrets), p.limits(),
                    p.measurement());
            if (!p.confirms().isEmpty()) {
                builder.confirms(p.name(), p.confirms().toArray(String[]::new));
            }
        }
        if (rollback != null) {
            builder.rollback(rollback);
        }
        return builder;
    }

    /**
     * The verifier: {@link #toBuilder()} built as it is.
     *
     * @return a new verifier on each call
     * @throws ConfigurationException naming {@code vigil.probes} when no probe is configured
     */
    public DeployVerifier verifier() {
        if (probes.isEmpty()) {
            throw ConfigurationException.single(prefix + ".probes", "no probe configured; add "
                    + prefix + ".probes.<name>.type and its keys");
        }
        return toBuilder().build();
    }

    /**
     * Checks, before a deployment, that what the configuration depends on answers — touching each
     * dependency once without changing anything ({@code vigil validate --online}): each probe's
     * {@link dev.vigil.Probe#preflight preflight} (by default one measurement: an HTTP probe's
     * request, a Prometheus query), all probes at the same time, each within its timeout; and the
     * rollback trigger's (a command's programs on the {@code PATH}, a webhook's host accepting a
     * connection; nothing is run or posted). Never throws for what a probe or trigger does; no
     * message holds a secret.
     *
     * @param deployment what the probes are told they measure (placeholders are already resolved)
     * @return one check per probe, in order, then one for the rollback trigger: its own check, or a
     *     warning that none is configured (not in a dry-run, which rolls nothing back). A probe measured
     *     in the {@link RecheckPlan#only() re-check only} is not measured (it is to fail against the new
     *     version): its check is {@code OK} and says so
     * @throws NullPointerException when {@code deployment} is {@code null}
     */
    public List<OnlineCheck> checkOnline(Deployment deployment) {
        java.util.Objects.requireNonNull(deployment, "deployment");
        ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vigil-preflight");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Preflight>> pending = new ArrayList<>();
            for (BoundProbe p : probes) {
                // What a recheck=only probe reads depends on the version that answers: it is to fail
                // against the new one, so a measurement now would judge nothing.
                pending.add(recheck.only().contains(p.name()) ? null : threads.submit(() -> returned(p.probe().preflight(
                        ProbeContext.builder(deployment, p.name()).round(0).timeout(p.measurement().timeout()).build()),
                        () -> "probe " + p.name())));
            }
            List<OnlineCheck> checks = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                BoundProbe p = probes.get(i);
                checks.add(new OnlineCheck("probe " + p.name(), pending.get(i) == null ? Preflight.ok(RECHECK_ONLY)
                        : scrubbed(await(pending.get(i), p.measurement().timeout()))));
            }
            if (rollback != null) {
                Future<Preflight> trigger = threads.submit(() -> returned(rollback.preflight(),
                        () -> "trigger " + rollback.description()));
                checks.add(new OnlineCheck("rollback", scrubbed(await(trigger, rollbackPolicy.timeout()))));
            } else if (!plan.dryRun()) {
                checks.add(new OnlineCheck("rollback", Preflight.warning(NO_ROLLBACK)));
            }
            return checks;
        } finally {
            threads.shutdownNow();
            // A probe keeps its connections between measurements; one measured again opens them again.
            probes.forEach(p -> p.probe().close());
        }
    }

    /**
     * What a plug-in's {@code preflight} returned; {@code null}, which its contract rules out, is a
     * failed check that names the plug-in ({@code whose} is asked only then).
     */
    private static Preflight returned(Preflight found, java.util.function.Supplier<String> whose) {
        return found != null ? found : Preflight.error(whose.get() + "'s preflight() returned null; it must return"
                + " a Preflight (Preflight.ok(...) when there is nothing to check)");
    }

    private Preflight scrubbed(Preflight found) {
        return new Preflight(found.status(), Secrets.scrub(found.message(), secrets));
    }

    private static Preflight await(Future<Preflight> future, Duration timeout) {
        try {
            return future.get(dev.vigil.Durations.nanos(timeout) + 1_000_000_000L, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Preflight.error("no answer within " + Values.format(timeout));
        } catch (ExecutionException e) {
            return Preflight.error(VigilException.describe(e.getCause()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return Preflight.error("interrupted");
        }
    }

    /**
     * What would run, for people: the deployment, the plan, each probe with its type, conditions
     * and limits, the rollback, the re-check and the history.
     *
     * @return several lines, without a trailing newline; no secret shows
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("deployment: ").append(orDash(deployment.service())).append(' ').append(orDash(deployment.version()));
        if (deployment.previousVersion() != null) {
            out.append(" (previous ").append(deployment.previousVersion()).append(')');
        }
        if (deployment.environment() != null) {
            out.append(" in ").append(deployment.environment());
        }
        out.append(", ").append(deployment.kind().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        out.append("plan: initial-delay ").append(Values.format(plan.initialDelay()))
                .append(", interval ").append(Values.format(plan.interval()))
                .append(", duration ").append(Values.format(plan.duration()))
                .append(" (").append(plan.rounds()).append(plan.rounds() == 1 ? " round" : " rounds").append(')')
                .append(", on-inconclusive ").append(plan.onInconclusive().name().toLowerCase(java.util.Locale.ROOT))
                .append(plan.dryRun() ? ", dry-run" : "").append('\n');
        if (watch.enabled()) {
            int rounds = watch.rounds(plan).rounds();
            out.append("watch: ").append(Values.format(watch.duration())).append(" after a healthy bake, interval ")
                    .append(Values.format(watch.interval())).append(" (").append(rounds).append(rounds == 1 ? " round" : " rounds")
                    .append("), then ").append(watch.action() == WatchPlan.Action.ROLLBACK ? "rollback" : "notify")
                    .append(" when a limit breaks")
                    .append(watch.describeLimits().isEmpty() ? "" : "; " + watch.describeLimits())
                    .append(watch.unwatched().isEmpty() ? "" : "; not watched: " + String.join(", ", watch.unwatched()))
                    .append('\n');
        }
        out.append("probes:").append(probes.isEmpty() ? " none\n" : "\n");
        for (BoundProbe p : probes) {
            out.append("  ").append(p.describe(recheck.only().contains(p.name()))).append('\n');
            p.probe().warnings(plan).forEach(w -> out.append("    warning: probe ").append(p.name()).append(": ").append(w)
                    .append('\n'));
        }
        out.append("rollback: ").append(rollback == null ? "none configured" : rollback.description())
                .append(" (timeout ").append(Values.format(rollbackPolicy.timeout()))
                .append(", max-attempts ").append(rollbackPolicy.maxAttempts())
                .append(", backoff ").append(Values.format(rollbackPolicy.backoff())).append(')');
        out.append("\nre-check: ").append(recheck.enabled()
                ? recheck.rounds() + (recheck.rounds() == 1 ? " round" : " rounds") + " after "
                        + Values.format(recheck.delayFor(plan, probes.stream()
                                .filter(p -> !recheck.unchecked().contains(p.name())).map(BoundProbe::probe).toList()))
                        + (recheck.unchecked().isEmpty() ? "" : "; not re-checked: " + String.join(", ", recheck.unchecked()))
                        + (recheck.only().isEmpty() ? "" : "; measured in the re-check only: " + String.join(", ", recheck.only()))
                : "off" + (recheck.only().isEmpty() ? "" : "; so " + String.join(", ", recheck.only())
                        + " (recheck=only) is measured in rehearsals only, never after a real rollback"));
        out.append("\nhistory: ").append(!history.enabled() ? "off"
                : history.url() == null ? "the embedded H2 file ~/.vigil/history" : UrlCredentials.mask(history.url(), Keys.REDACTED))
                .append(history.enabled() ? " (retention " + Values.format(history.retention()) + ")" : "");
        // A secret may have reached a plain value through a placeholder (service=${API_TOKEN}).
        return Secrets.scrub(out.toString(), secrets);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    @Override
    public String toString() {
        return "BoundConfig[\n" + describe() + "\n]";
    }
}
