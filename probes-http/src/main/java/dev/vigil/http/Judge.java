package dev.vigil.http;

import dev.vigil.ProbeResult;

/** Turns one response into a measurement. Implementations are immutable and thread-safe. */
interface Judge {

    /** Judges a response; never throws. */
    ProbeResult judge(Response response);

    /** The pass condition as written, for reports, or {@code null}. */
    String passWhen();

    /** The fail condition as written, for reports, or {@code null}. */
    String failWhen();

    /**
     * Judges a made-up answer ({@code 200}, a JSON body {@code {}}) and drops the result, so that
     * the first real answer does not pay for loading the conditions' code: one call took 0.25-0.9 s in
     * a fresh JVM at load 8-10, after the whole budget when an instance is black-holed. Judges keep
     * nothing, so nothing of it is seen.
     */
    default void warmUp() {
        judge(new Response(200, java.util.Map.of("Content-Type", "application/json"), "{}", java.time.Duration.ZERO));
    }
}
