package dev.vigil.rollback;

import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.Durations;
import dev.vigil.Preflight;
import dev.vigil.RollbackTrigger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a rollback; see {@link RollbackTriggers#shell} and {@link RollbackTriggers#command}.
 * Not idempotent: a failed run is retried only when its exit code is one of those that mean
 * "nothing was changed".
 */
final class CommandRollbackTrigger implements RollbackTrigger {

    private final List<String> argv;
    private final String display;
    private final Duration timeout;
    private final Set<Integer> retryOnExitCodes;

    CommandRollbackTrigger(List<String> argv, String display, Duration timeout, Set<Integer> retryOnExitCodes) {
        this.argv = argv;
        this.display = display;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("rollback timeout must be positive: " + timeout);
        }
        this.retryOnExitCodes = RollbackTriggers.checkExitCodes(retryOnExitCodes);
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
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (String program : programs) {
            if (program.contains("$") || program.contains("`")) {
                unchecked.add(program);
                continue;
            }
            Programs.find(program).ifPresentOrElse(path -> found.add(program + " (" + path + ")"), () -> missing.add(program));
        }
        String path = Objects.toString(System.getenv("PATH"), "");
        if (!missing.isEmpty()) {
            return Preflight.error("rollback command " + display + ": " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not on the PATH of this machine (" + path
                    + "): install " + (missing.size() == 1 ? "it" : "them") + " where the pipeline runs, or give the full path");
        }
        String message = "rollback command " + display + ": "
                + (found.isEmpty() ? "no program to look for" : "found " + String.join(", ", found));
        return unchecked.isEmpty() ? Preflight.ok(message)
                : Preflight.warning(message + "; not checked, as only the shell knows them: " + String.join(", ", unchecked));
    }

    @Override
    public String execute(RollbackEvent event) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("VIGIL_SERVICE", event.deployment().service());
        env.put("VIGIL_VERSION", event.deployment().version());
        env.put("VIGIL_PREVIOUS_VERSION", Objects.toString(event.deployment().previousVersion(), ""));
        env.put("VIGIL_ENVIRONMENT", Objects.toString(event.deployment().environment(), ""));
        env.put("VIGIL_KIND", event.deployment().kind().name().toLowerCase(Locale.ROOT));
        // What rolling back withdraws: the fixes of this deployment are re-opened (issue 18).
        env.put("VIGIL_FIXES", String.join(",", event.deployment().fixes()));
        env.put("VIGIL_ROLLBACK_ID", event.rollbackId());
        env.put("VIGIL_VERDICT", event.verdict().name());
        env.put("VIGIL_REASON", event.reason());
        env.put("VIGIL_ATTEMPT", Integer.toString(event.attempt()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new RollbackException("rollback command could not be started: " + display + ": " + e.getMessage(), false, "");
        }
        closeQuietly(process);
        BoundedReader output = new BoundedReader(process.getInputStream());
        Thread reader = new Thread(output, "vigil-rollback-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                killTree(process);
                reader.join(1000);
                throw new RollbackException("rollback command timed out after " + Durations.format(timeout) + " and was killed: " + display,
                        false, output.text());
            }
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        reader.join(1000);
        int exit = process.exitValue();
        if (exit != 0) {
            // Any other exit may come after the command changed something (rollout undo succeeded,
            // rollout status timed out): running it again could undo the rollback.
            boolean retryable = retryOnExitCodes.contains(exit);
            throw new RollbackException("rollback command exited with " + exit + ": " + display
                    + (retryable ? "" : " (not retried: exit codes retried are " + describe(retryOnExitCodes) + ")"),
                    retryable, output.text());
        }
        return output.text();
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

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Nothing to send to the command anyway.
        }
    }

    private static void killTree(Process process) {
        List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        boolean interrupted = false;
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // Finish making sure the tree is gone; the interrupt is restored below.
                interrupted = true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Best effort: a process that outlives SIGKILL for 2 s is beyond our reach.
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a stream to its end, keeping at most {@link RollbackTriggers#MAX_OUTPUT_BYTES}. */
    private static final class BoundedReader implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long dropped;

        BoundedReader(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        int room = RollbackTriggers.MAX_OUTPUT_BYTES - kept.size();
                        int take = Math.max(0, Math.min(room, n));
                        kept.write(buffer, 0, take);
                        dropped += n - take;
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its output; what was read so far is kept.
            }
        }

        synchronized String text() {
            String text = kept.toString(StandardCharsets.UTF_8);
            return dropped == 0 ? text : text + "\n... (" + dropped + " more bytes of output dropped)";
        }
    }
}
