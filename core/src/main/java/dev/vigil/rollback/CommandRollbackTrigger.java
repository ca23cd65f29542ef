package dev.vigil.rollback;

import dev.vigil.internal.Durations;
import dev.vigil.spi.RollbackTrigger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Runs a command as a rollback; see {@link RollbackTriggers#shell} and {@link RollbackTriggers#command}. */
final class CommandRollbackTrigger implements RollbackTrigger {

    private final List<String> argv;
    private final String display;
    private final Duration timeout;

    CommandRollbackTrigger(List<String> argv, String display, Duration timeout) {
        this.argv = argv;
        this.display = display;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("rollback timeout must be positive: " + timeout);
        }
    }

    @Override
    public String execute(RollbackEvent event) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("VIGIL_SERVICE", event.deployment().service());
        env.put("VIGIL_VERSION", event.deployment().version());
        env.put("VIGIL_PREVIOUS_VERSION", Objects.toString(event.deployment().previousVersion(), ""));
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
            // 126/127: the shell could not find or run the program; trying again will not help.
            boolean retryable = exit != 126 && exit != 127;
            throw new RollbackException("rollback command exited with " + exit + ": " + display, retryable, output.text());
        }
        return output.text();
    }

    @Override
    public String description() {
        return "command: " + display;
    }

    @Override
    public String toString() {
        return description();
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
