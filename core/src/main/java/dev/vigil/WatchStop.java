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
    private String why;
    private String supersededBy;
    private boolean aborting;

    /** The watch's thread, before it starts. */
    synchronized void thread(Thread value) {
        this.thread = value;
    }

    /**
     * Asks the watch to stop: interrupts it unless it is acting on a decision.
     *
     * @param reason why, for the watch's report ({@code closed}, {@code superseded by ...})
     */
    synchronized void stop(String reason) {
        if (why == null) {
            why = reason;
        }
        stopping = true;
        if (!acting && thread != null) {
            thread.interrupt();
        }
    }

    /**
     * Asks the watch to stop because a newer verification or rehearsal of its service took its place.
     *
     * @param reason why, for the watch's report ({@code superseded by ...})
     * @param by what took its place, for {@link VerificationReport#supersededBy()}
     */
    synchronized void supersede(String reason, String by) {
        if (why == null) {
            supersededBy = by;
        }
        stop(reason);
    }

    /**
     * Stops the watch at once, even while it acts on a decision: the interrupt reaches a rollback
     * under way as it would a verification's.
     *
     * @param reason why, for the watch's report
     */
    synchronized void abort(String reason) {
        if (why == null) {
            why = reason;
        }
        stopping = true;
        aborting = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * Called by the watch's thread when its rounds reached a decision: from now on it is not
     * interrupted by {@link #stop}, and an interrupt that came with the decision is cleared, so that
     * the rollback runs whole; unless the watch is being aborted.
     *
     * @return whether the watch may act on its decision: {@code false} when it was asked to stop
     *     before (between the decision and this call), as it would have been had the request come a
     *     moment earlier
     */
    synchronized boolean acting() {
        acting = true;
        if (!aborting) {
            Thread.interrupted();
        }
        return !stopping;
    }

    /** Whether {@link #stop} was called. */
    synchronized boolean stopping() {
        return stopping;
    }

    /** What took the watch's place, when that is why it was asked to stop; {@code null} otherwise. */
    synchronized String supersededBy() {
        return supersededBy;
    }

    /** Why the watch was asked to stop; {@code null} when it was not (an interrupt of its own thread). */
    synchronized String why() {
        return why;
    }
}
