package dev.vigil;

/**
 * How {@link Watch#close()} stops a watch: by interrupting its thread while it waits for a round or
 * measures, and never once it acts on a decision, so that a rollback under way is never cut short.
 * Thread-safe.
 */
final class WatchStop {

    private Thread thread;
    private boolean stopping;
    private boolean acting;

    /** The watch's thread, before it starts. */
    synchronized void thread(Thread value) {
        this.thread = value;
    }

    /** Asks the watch to stop: interrupts it unless it is acting on a decision. */
    synchronized void stop() {
        stopping = true;
        if (!acting && thread != null) {
            thread.interrupt();
        }
    }

    /**
     * Called by the watch's thread when its rounds reached a decision: from now on it is not
     * interrupted, and an interrupt that came with the decision is cleared, so that the rollback
     * runs whole.
     */
    synchronized void acting() {
        acting = true;
        Thread.interrupted();
    }

    /** Whether {@link #stop()} was called. */
    synchronized boolean stopping() {
        return stopping;
    }
}
