package dev.vigil.config;

import dev.vigil.MeasurementPolicy;
import dev.vigil.ProbeLimits;
import dev.vigil.RollbackPolicy;
import dev.vigil.VerificationPlan;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keys the core binds, relative to their section, with their defaults. */
final class CoreKeys {

    static final String DEPLOYMENT = "deployment";
    static final String PLAN = "plan";
    static final String PROBES = "probes";
    static final String ROLLBACK = "rollback";
    static final String HISTORY = "history";
    static final String REGRESSIONS = "regressions";
    static final List<String> SECTIONS = List.of(DEPLOYMENT, PLAN, PROBES, ROLLBACK, HISTORY, REGRESSIONS);

    static final List<ConfigKey> REGRESSIONS_KEYS = List.of(
            ConfigKey.of("require-past-confirmations", Kind.BOOLEAN, "false",
                    "With the release history on: a test that confirmed an earlier fix of the service and no longer runs"
                            + " and passes makes the verification fail instead of a warning."));
    /** The built-in rollback trigger's key; other triggers have a sub-section of {@link #ROLLBACK} each. */
    static final String COMMAND = "command";
    /** The exit codes after which the rollback command is run again. */
    static final String RETRY_ON_EXIT_CODES = "retry-on-exit-codes";

    static final List<ConfigKey> DEPLOYMENT_KEYS = List.of(
            ConfigKey.of("service", Kind.STRING, null, "The service deployed; may also be given by the caller."),
            ConfigKey.of("version", Kind.STRING, null, "The version now deployed; may also be given by the caller."),
            ConfigKey.of("previous-version", Kind.STRING, null, "The version a rollback returns to."),
            ConfigKey.of("environment", Kind.STRING, null, "Where it was deployed (production, staging)."),
            ConfigKey.of("kind", Kind.STRING, "release", "release or hotfix; both get the same verification."),
            ConfigKey.of("fixes", Kind.LIST, null,
                    "The issue ids this deployment fixes; each needs a probe that confirms it. A hotfix lists at least one."),
            ConfigKey.of("labels", Kind.MAP, null, "Free-form labels copied into reports and rollback events."));

    static final List<ConfigKey> PLAN_KEYS = List.of(
            ConfigKey.of("initial-delay", Kind.DURATION, Values.format(VerificationPlan.DEFAULT_INITIAL_DELAY),
                    "Warm-up before the first round."),
            ConfigKey.of("interval", Kind.DURATION, Values.format(VerificationPlan.DEFAULT_INTERVAL),
                    "Time between the starts of two rounds."),
            ConfigKey.of("duration", Kind.DURATION, Values.format(VerificationPlan.DEFAULT_DURATION), "The bake time."),
            ConfigKey.of("on-inconclusive", Kind.STRING, "fail", "What an inconclusive end leads to: fail, rollback or pass."),
            ConfigKey.of("dry-run", Kind.BOOLEAN, "false", "Run everything except the rollback."),
            ConfigKey.of("watch", Kind.DURATION, "0s",
                    "Keep measuring this long after a healthy bake (verify --watch; verifyThenWatch); 0s: no watch."),
            ConfigKey.of("watch-interval", Kind.DURATION, Values.format(dev.vigil.WatchPlan.DEFAULT_INTERVAL),
                    "Time between the starts of two rounds of the watch."),
            ConfigKey.of("watch-action", Kind.STRING, "rollback",
                    "What breaking a limit during the watch leads to: rollback, or notify (nothing is rolled back)."),
            ConfigKey.of("watch-failure-window", Kind.DURATION, null,
                    "In the watch, a probe breaks max-failures when more than max-failures of its FAILs fall within"
                            + " this window (its last window / watch-interval rounds); at least watch-interval, at most"
                            + " watch. Unset: FAILs count over the whole watch."));

    static final List<ConfigKey> ROLLBACK_KEYS = List.of(
            ConfigKey.of(COMMAND, Kind.STRING, null, "A command run by /bin/sh -c when the deployment is unhealthy."),
            ConfigKey.of(RETRY_ON_EXIT_CODES, Kind.LIST, Integer.toString(RollbackTriggers.EX_TEMPFAIL),
                    "Exit codes by which the command says it changed nothing, so it is run again; none: never. "
                            + "Any other failure is not retried: a rollback command run twice may undo itself."),
            ConfigKey.of("timeout", Kind.DURATION, Values.format(RollbackPolicy.DEFAULT_TIMEOUT),
                    "How long one attempt may take: a command is then killed, a webhook post abandoned."),
            ConfigKey.of("max-attempts", Kind.INTEGER, Integer.toString(RollbackPolicy.DEFAULT_MAX_ATTEMPTS),
                    "Attempts in all, at least 1."),
            ConfigKey.of("backoff", Kind.DURATION, Values.format(RollbackPolicy.DEFAULT_BACKOFF),
                    "Wait before the first retry, doubled for each further one."),
            ConfigKey.of("signal-grace", Kind.DURATION, Values.format(RollbackPolicy.DEFAULT_SIGNAL_GRACE),
                    "How long an attempt already running when SIGINT or SIGTERM comes may still finish before it is"
                            + " stopped; 0s: stopped at once."));

    static final List<ConfigKey> HISTORY_KEYS = List.of(
            ConfigKey.of("enabled", Kind.BOOLEAN, "true", "Record every verification in the release history."),
            ConfigKey.of("url", Kind.STRING, "jdbc:h2:file:~/.vigil/history",
                    "The JDBC URL of the history: an H2 file (the default) or jdbc:postgresql://host/db for a team."),
            ConfigKey.of("username", Kind.STRING, null, "The database user."),
            ConfigKey.secret("password", Kind.STRING, "The database password."),
            ConfigKey.of("retention", Kind.DURATION, Values.format(dev.vigil.history.HistorySettings.DEFAULT_RETENTION),
                    "Records older than this are deleted when a record is written."),
            ConfigKey.of("hotfix-window", Kind.DURATION, Values.format(dev.vigil.history.HistorySettings.DEFAULT_HOTFIX_WINDOW),
                    "A deployment followed by a hotfix of its service within this time counts as a failed change."));

    /** The built-in sub-section {@code vigil.rollback.recheck.*}: the re-check after a rollback. */
    static final String RECHECK = "recheck";

    static final List<ConfigKey> RECHECK_KEYS = List.of(
            ConfigKey.of("delay", Kind.DURATION, "the plan's interval",
                    "Wait between the rollback and the first re-check round; at least the window of a rate() query."),
            ConfigKey.of("rounds", Kind.INTEGER, Integer.toString(dev.vigil.RecheckPlan.DEFAULT_ROUNDS),
                    "Re-check rounds of the previous version, judged like a bake; 0 turns the re-check off."));

    /** The keys every probe has, whatever its type. */
    static final List<ConfigKey> PROBE_KEYS = List.of(
            ConfigKey.of("type", Kind.STRING, null, "The probe type (command, http, prometheus, ...)."),
            ConfigKey.of("pass-when", Kind.CONDITION, null, "The condition a passing measurement satisfies."),
            ConfigKey.of("fail-when", Kind.CONDITION, null, "The condition that makes a measurement fail."),
            ConfigKey.of("watch", Kind.BOOLEAN, "true",
                    "Whether the watch after the bake measures this probe too (false for a probe that changes data)."),
            ConfigKey.of("recheck", Kind.STRING, "true, false for a canary probe",
                    "Whether the re-check of the previous version after a rollback measures this probe: true, false (a"
                            + " canary probe has no canary to compare then), or only (not in the bake or the watch: a probe"
                            + " that checks that the previous version answers)."),
            ConfigKey.of("confirms", Kind.LIST, null,
                    "The issue ids this probe confirms as a whole: its pass is the proof that they are fixed."),
            ConfigKey.of("max-failures", Kind.INTEGER, Integer.toString(ProbeLimits.DEFAULT_MAX_FAILURES),
                    "FAIL measurements tolerated; one more makes the deployment unhealthy."),
            ConfigKey.of("watch-max-failures", Kind.INTEGER, null,
                    "FAIL measurements tolerated in the watch (within vigil.plan.watch-failure-window, when set),"
                            + " instead of max-failures; unset: max-failures."),
            ConfigKey.of("max-consecutive-errors", Kind.INTEGER, Integer.toString(ProbeLimits.DEFAULT_MAX_CONSECUTIVE_ERRORS),
                    "ERROR measurements in a row tolerated."),
            ConfigKey.of("max-inconclusive", Kind.INTEGER, Integer.toString(ProbeLimits.DEFAULT_MAX_INCONCLUSIVE),
                    "INCONCLUSIVE measurements tolerated; one more ends the bake as inconclusive."),
            ConfigKey.of("timeout", Kind.DURATION, Values.format(MeasurementPolicy.DEFAULT_TIMEOUT),
                    "How long one measurement may take, retries included."),
            ConfigKey.of("max-attempts", Kind.INTEGER, Integer.toString(MeasurementPolicy.DEFAULT_MAX_ATTEMPTS),
                    "Attempts for a measurement whose failure is transient, at least 1."),
            ConfigKey.of("retry-backoff", Kind.DURATION, Values.format(MeasurementPolicy.DEFAULT_RETRY_BACKOFF),
                    "Wait before the first retry, doubled for each further one."));

    private CoreKeys() {
    }

    /** The keys of a section other than probes. */
    static List<ConfigKey> section(String section) {
        switch (section) {
            case DEPLOYMENT:
                return DEPLOYMENT_KEYS;
            case PLAN:
                return PLAN_KEYS;
            case ROLLBACK:
                return ROLLBACK_KEYS;
            case HISTORY:
                return HISTORY_KEYS;
            case REGRESSIONS:
                return REGRESSIONS_KEYS;
            default:
                return List.of();
        }
    }

    /** Keys by name; the common probe keys first, then the type's own. */
    static Map<String, ConfigKey> byName(List<ConfigKey> first, List<ConfigKey> second) {
        Map<String, ConfigKey> out = new LinkedHashMap<>();
        for (ConfigKey k : first) {
            out.put(k.name(), k);
        }
        for (ConfigKey k : second) {
            out.putIfAbsent(k.name(), k);
        }
        return out;
    }
}
