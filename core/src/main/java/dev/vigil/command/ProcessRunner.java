package dev.vigil.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one command to its end or its timeout, for the command probe and the command rollback:
 * no input, standard error merged into the output, at most a given number of bytes of output
 * kept, and on timeout or interrupt the process killed with all its descendants.
 *
 * <p>The output is read while the command runs and, once it has ended, for what is left in the pipe
 * ({@link #READER_GRACE_MILLIS} at most); then reading stops. A process the command left running
 * that still holds the output (a {@code sleep 600 &} not redirected) neither holds the result up
 * nor keeps a thread reading: the JVM closes the pipe when the command exits, so what such a
 * process prints afterwards is not read (and a write to the closed pipe fails for it). It is not
 * killed: it may be meant to run on.
 */
final class ProcessRunner {

    /** How long the output is still read after the process ended or was killed. */
    private static final long READER_GRACE_MILLIS = 1000;
    /** How long the reader waits when nothing is there to read. */
    private static final long POLL_MILLIS = 10;
    /** How long killed processes are waited for before they are given up on. */
    private static final long KILL_WAIT_SECONDS = 2;

    private ProcessRunner() {
    }

    /**
     * Runs {@code argv} with {@code env} added to this process's environment, a NUL in a value (which
     * no environment variable can hold) given as U+FFFD. The output has the
     * credentials of that environment blanked out ({@link InheritedSecrets}).
     *
     * @param maxOutput most bytes of output kept; the rest is read and counted as dropped
     * @param readerName the name of the thread that reads the output
     * @throws IOException when the command cannot be started
     * @throws InterruptedException when interrupted while it runs; it is killed first
     */
    static Result run(List<String> argv, Map<String, String> env, Duration timeout, int maxOutput, String readerName)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        // A NUL cannot be in an environment variable, and ProcessBuilder refuses the whole command for
        // one: a verdict's reason quoting a body or a test's message with a NUL failed the rollback.
        env.forEach((name, value) -> builder.environment().put(name, value == null ? "" : value.replace('\0', '\uFFFD')));
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Nothing to send to the command anyway.
        }
        BoundedReader output = new BoundedReader(process.getInputStream(), maxOutput);
        Thread reader = new Thread(output, readerName);
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(dev.vigil.Durations.nanos(timeout), TimeUnit.NANOSECONDS)) {
                killTree(process);
                output.finish();
                reader.join(READER_GRACE_MILLIS);
                return output.result(true, -1, started).masked(builder.environment());
            }
            output.finish();
            reader.join(READER_GRACE_MILLIS);
        } catch (InterruptedException e) {
            killTree(process);
            output.finish();
            throw new Interrupted(readAfterKill(reader, output, started).masked(builder.environment()));
        }
        return output.result(false, process.exitValue(), started).masked(builder.environment());
    }

    /**
     * The output of a process killed because the caller was interrupted, read on for a moment with
     * the interrupt set aside (it is thrown as {@link Interrupted}): what it printed says what it
     * changed before it died.
     */
    private static Result readAfterKill(Thread reader, BoundedReader output, long started) {
        Thread.interrupted();
        try {
            reader.join(READER_GRACE_MILLIS);
        } catch (InterruptedException e) {
            // Interrupted again: what was read so far is kept.
        }
        return output.result(false, -1, started);
    }

    /**
     * The caller's interrupt while the command ran: the command was killed with its descendants,
     * and {@link #output()} holds what it printed until then.
     */
    static final class Interrupted extends InterruptedException {
        private static final long serialVersionUID = 1L;
        private final transient Result result;

        Interrupted(Result result) {
            super("interrupted while the command ran; it was killed");
            this.result = result;
        }

        /** What the command printed before it was killed, its credentials blanked out. */
        String output() {
            return result == null ? "" : result.output();
        }

        /** How many bytes of output were dropped past the most kept. */
        long dropped() {
            return result == null ? 0 : result.dropped();
        }
    }

    /**
     * How a run ended.
     *
     * @param timedOut whether the command ran past its timeout and was killed
     * @param exitCode its exit code; -1 when it timed out
     * @param output the output kept, decoded as UTF-8
     * @param dropped how many bytes of output were dropped past the most kept
     * @param elapsed from just before the start to the end of the output
     */
    record Result(boolean timedOut, int exitCode, String output, long dropped, Duration elapsed) {

        /** The result with the credentials the command inherited blanked out of its output ({@link InheritedSecrets}). */
        Result masked(Map<String, String> environment) {
            return new Result(timedOut, exitCode, InheritedSecrets.mask(output, environment), dropped, elapsed);
        }
    }

    private static void killTree(Process process) {
        killTree(process.toHandle());
    }

    /**
     * Kills the process, then its descendants as {@link ProcessHandle#descendants()} lists them
     * (children before grandchildren), all listed before the first kill: a process that dies makes
     * its children orphans, which are no longer its descendants. Parents before children: a shell
     * killed after its child ran the script's next command the moment that child died (the
     * {@code kubectl rollout undo} after a {@code sleep} or a wait), and that command, started after
     * the list was made, ran on after the run was reported killed.
     */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        tree.addAll(root.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_WAIT_SECONDS);
        boolean interrupted = false;
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // Finish making sure the tree is gone; the interrupt is restored below.
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                // Best effort: a process that outlives SIGKILL for 2 s is beyond our reach.
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads a process's output until {@link #finish} (then what is left, {@link #READER_GRACE_MILLIS}
     * at most) or its end, keeping at most {@code max} bytes and counting the rest. It reads only
     * what is there ({@link InputStream#available()}) and never waits inside a read: a read blocked
     * on a pipe that a process left behind holds open never returned, and, holding the stream's
     * lock, it kept the JVM from closing the pipe when the command exited.
     */
    private static final class BoundedReader implements Runnable {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long dropped;
        /** When reading ends, on {@link System#nanoTime()}, once the process has ended. */
        private volatile long finishBy;
        private volatile boolean finishing;

        BoundedReader(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        /** The process has ended (or was killed): what is left is read, then reading stops. */
        void finish() {
            finishBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READER_GRACE_MILLIS);
            finishing = true;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                while (!finishing || System.nanoTime() - finishBy < 0) {
                    int available = in.available();
                    if (available > 0) {
                        int n = in.read(buffer, 0, Math.min(available, buffer.length));
                        if (n < 0) {
                            return;
                        }
                        keep(buffer, n);
                    } else if (finishing) {
                        return;
                    } else {
                        Thread.sleep(POLL_MILLIS);
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its output; what was read so far is kept.
            } catch (InterruptedException e) {
                // Nobody interrupts this thread but the JVM's end; what was read so far is kept.
                Thread.currentThread().interrupt();
            }
        }

        private synchronized void keep(byte[] buffer, int n) {
            int take = Math.max(0, Math.min(max - kept.size(), n));
            kept.write(buffer, 0, take);
            dropped += n - take;
        }

        /** The output read so far, with how the run ended. */
        synchronized Result result(boolean timedOut, int exitCode, long startedNanos) {
            return new Result(timedOut, exitCode, kept.toString(StandardCharsets.UTF_8), dropped,
                    Duration.ofNanos(System.nanoTime() - startedNanos));
        }
    }
}
