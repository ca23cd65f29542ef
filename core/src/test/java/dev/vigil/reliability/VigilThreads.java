package dev.vigil.reliability;

import java.time.Duration;
import java.util.List;

/** The threads Vigil starts, all named {@code vigil-*}. */
public final class VigilThreads {

    private VigilThreads() {
    }

    /** The live threads whose name starts with {@code vigil-}, sorted by name. */
    public static List<String> alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("vigil-"))
                .map(Thread::getName)
                .sorted()
                .toList();
    }

    /**
     * Waits until no live thread is named {@code vigil-*} except those in {@code allowed}, at most
     * {@code max}; returns those still alive.
     */
    public static List<String> awaitGone(Duration max, List<String> allowed) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        List<String> left = others(allowed);
        while (!left.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
            left = others(allowed);
        }
        return left;
    }

    private static List<String> others(List<String> allowed) {
        return alive().stream().filter(name -> !allowed.contains(name)).toList();
    }
}
