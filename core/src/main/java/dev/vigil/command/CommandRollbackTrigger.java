package dev.vigil.command;

import dev.vigil.Deployment;
import dev.vigil.Durations;
import dev.vigil.Preflight;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackTrigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A rollback that runs a command. Applications get one from {@code RollbackTriggers.shell} or
 * {@code RollbackTriggers.command} (in {@code dev.vigil.rollback}), which document the
 * environment the command gets; this class is where they are made. Immutable and thread-safe.
 * Not idempotent: a failed run is retried only when its exit code is one of those that mean
 * "nothing was changed". A command that cannot be started, or that runs past its timeout (it is
 * killed with its children), is a failure not retried.
 */
public final class CommandRollbackTrigger implements RollbackTrigger {

    /** Most output kept from a command, in bytes; the rest is dropped and the drop is noted. */
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;

    /** How far back a cut output is shortened to the end of a word: longer than any credential. */
    private static final int LONGEST_WORD = 4096;

    private static final String PREVIOUS_VERSION = "VIGIL_PREVIOUS_VERSION";
    /**
     * The command's own answer to an empty value: a default or check ({@code ${VIGIL_PREVIOUS_VERSION:-x}},
     * {@code :=x}, {@code :?msg}) or a test of it ({@code [ -n "$VIGIL_PREVIOUS_VERSION" ]},
     * {@code -z}). Not {@code ${VIGIL_PREVIOUS_VERSION-x}} without the colon: that default is for an
     * unset variable, and this one is set, empty, so the shell gives the empty value.
     */
    private static final Pattern OWN_DEFAULT = Pattern.compile("\\$\\{" + PREVIOUS_VERSION + ":[-=?]"
            + "|-[nz]\\s+\"?\\$\\{?" + PREVIOUS_VERSION + "\\b");

    private final List<String> argv;
    private final String display;
    private final Duration timeout;
    private final Set<Integer> retryOnExitCodes;

    private CommandRollbackTrigger(List<String> argv, String display, Duration timeout, Set<Integer> retryOnExitCodes) {
        this.argv = argv;
        this.display = display;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("rollback timeout must be positive: " + timeout);
        }
        this.retryOnExitCodes = checkExitCodes(retryOnExitCodes);
    }

    /**
     * A command run by {@code /bin/sh -c}.
     *
     * @param command the command line
     * @param timeout how long one attempt may run before it is killed with its children
     * @param retryOnExitCodes the exit codes by which the command says it changed nothing, so that
     *     it is run again; empty: never run again
     * @return the trigger
     * @throws IllegalArgumentException when the command is blank, the timeout not positive, or an
     *     exit code is outside 1..255
     * @throws NullPointerException when an argument is null
     */
    public static CommandRollbackTrigger shell(String command, Duration timeout, Set<Integer> retryOnExitCodes) {
        Objects.requireNonNull(command, "command");
        if (command.isBlank()) {
            throw new IllegalArgumentException("rollback command must not be blank");
        }
        return new CommandRollbackTrigger(List.of("/bin/sh", "-c", command), command, timeout, retryOnExitCodes);
    }

    /**
     * A command run directly, without a shell.
     *
     * @param argv the program and its arguments
     * @param timeout how long one attempt may run before it is killed with its children
     * @param retryOnExitCodes the exit codes after which it is run again; empty: never
     * @return the trigger
     * @throws IllegalArgumentException when no program is named, the timeout is not positive, or
     *     an exit code is outside 1..255
     * @throws NullPointerException when the timeout or the exit codes are null
     */
    public static CommandRollbackTrigger command(List<String> argv, Duration timeout, Set<Integer> retryOnExitCodes) {
        if (argv == null || argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("rollback command must name a program");
        }
        return new CommandRollbackTrigger(List.copyOf(argv), String.join(" ", argv), timeout, retryOnExitCodes);
    }

    private static Set<Integer> checkExitCodes(Set<Integer> codes) {
        Objects.requireNonNull(codes, "retryOnExitCodes");
        for (Integer code : codes) {
            if (code == null || code < 1 || code > 255) {
                throw new IllegalArgumentException("retry-on-exit-codes must be exit codes from 1 to 255: " + code);
            }
        }
        return Set.copyOf(codes);
    }

    /**
     * Finds the programs the command would start on this machine's {@code PATH}: for a shell
     * command, the first word of each simple command ({@code a && b; c | d}), skipping variable
     * assignments and the shell's own builtins; a word with a {@code $} or a backquote cannot be
     * known before it runs and is named as unchecked.
     */
    @Override
    public Preflight preflight() {
        List<String> programs = argv.size() == 3 && argv.get(0).equals("/bin/sh") && argv.get(1).equals("-c")
                ? Programs.ofShellCommand(argv.get(2)) : List.of(argv.get(0));
        return Programs.check("rollback command " + display, programs);
    }

    @Override
    public String execute(RollbackEvent event) throws InterruptedException {
        String refused = wouldNotReturn(event.deployment());
        if (refused != null) {
            throw new RollbackException(refused, false, "");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VIGIL_SERVICE", event.deployment().service());
        env.put("VIGIL_VERSION", event.deployment().version());
        env.put("VIGIL_PREVIOUS_VERSION", Objects.toString(event.deployment().previousVersion(), ""));
        env.put("VIGIL_ENVIRONMENT", Objects.toString(event.deployment().environment(), ""));
        env.put("VIGIL_KIND", event.deployment().kind().name().toLowerCase(Locale.ROOT));
        // What rolling back withdraws: the fixes of this deployment are re-opened (issue 18).
        env.put("VIGIL_FIXES", String.join(",", event.deployment().fixes()));
        env.put("VIGIL_ROLLBACK_ID", event.rollbackId());
        env.put("VIGIL_VERDICT", event.verdict().name());
        // Redacted as the webhook's reason and the reports are: a command that posts it to a chat
        // or writes it to a ticket must not carry a credential a probe's explanation quoted.
        env.put("VIGIL_REASON", dev.vigil.report.Reports.redact(event.reason()));
        env.put("VIGIL_ATTEMPT", Integer.toString(event.attempt()));
        ProcessRunner.Result run;
        try {
            run = ProcessRunner.run(argv, env, timeout, MAX_OUTPUT_BYTES, "vigil-rollback-output");
        } catch (IOException e) {
            throw new RollbackException("rollback command could not be started: " + display + ": " + e.getMessage(), false, "");
        } catch (ProcessRunner.Interrupted e) {
            // Stopped by the caller: what it printed until it was killed says what it changed, for
            // the person who must now find out which version runs.
            Thread.currentThread().interrupt();
            throw new RollbackException("rollback command was stopped and killed: " + display, false,
                    withDropped(e.output(), e.dropped()));
        }
        String output = withDropped(run.output(), run.dropped());
        if (run.timedOut()) {
            throw new RollbackException("rollback command timed out after " + Durations.format(timeout) + " and was killed: " + display,
                    false, output);
        }
        int exit = run.exitCode();
        if (exit != 0) {
            // Any other exit may come after the command changed something (rollout undo succeeded,
            // rollout status timed out): running it again could undo the rollback.
            boolean retryable = retryOnExitCodes.contains(exit);
            throw new RollbackException("rollback command exited with " + exit + ": " + display
                    + (retryable ? "" : " (not retried: exit codes retried are " + describe(retryOnExitCodes) + ")"),
                    retryable, output);
        }
        return output;
    }

    /**
     * The output with its drop noted. Output cut at the most kept ends at its last space or line
     * break before the cut, at most {@link #LONGEST_WORD} characters back: a credential cut in two is
     * no longer the value masked (an inherited one, a configuration's), and its first part showed.
     */
    private static String withDropped(String output, long dropped) {
        if (dropped == 0) {
            return output;
        }
        int floor = Math.max(0, output.length() - LONGEST_WORD);
        int end = floor;
        for (int i = output.length() - 1; i >= floor; i--) {
            if (Character.isWhitespace(output.charAt(i))) {
                end = i + 1;
                break;
            }
        }
        String kept = output.substring(0, end);
        long more = dropped + output.substring(end).getBytes(StandardCharsets.UTF_8).length;
        return kept + "\n... (" + more + " more bytes of output dropped)";
    }

    /**
     * Why this command must not run for this deployment, or {@code null}: a command that names the
     * version to return to with {@code $VIGIL_PREVIOUS_VERSION} ({@code set image ...:$VIGIL_PREVIOUS_VERSION})
     * would deploy an image with an empty tag when the deployment names no previous version, and
     * the very version it rolls back when the previous version is that version. A shell default,
     * check or test of the command's own ({@code ${VIGIL_PREVIOUS_VERSION:-stable}}, {@code :?},
     * {@code [ -n "$VIGIL_PREVIOUS_VERSION" ]}) answers the first case itself.
     */
    private String wouldNotReturn(Deployment deployment) {
        String command = String.join(" ", argv);
        if (!command.contains(PREVIOUS_VERSION)) {
            return null;
        }
        String previous = deployment.previousVersion();
        if (previous == null || previous.isBlank()) {
            return OWN_DEFAULT.matcher(command).find() ? null
                    : "rollback command not run: it uses $" + PREVIOUS_VERSION + ", but the deployment names no previous"
                            + " version (--previous-version, vigil.deployment.previous-version), so it would return to an"
                            + " empty version";
        }
        if (previous.equals(deployment.version())) {
            return "rollback command not run: it uses $" + PREVIOUS_VERSION + ", and the previous version given is "
                    + previous + ", the version being rolled back, so it would deploy that version again";
        }
        return null;
    }

    @Override
    public String description() {
        return "command: " + display;
    }

    /** The program and its arguments: two commands are the same trigger when they run the same thing. */
    @Override
    public Object identity() {
        return argv;
    }

    @Override
    public String toString() {
        return description();
    }

    private static String describe(Set<Integer> codes) {
        return codes.isEmpty() ? "none" : new TreeSet<>(codes).toString().replaceAll("[\\[\\]]", "");
    }
}
