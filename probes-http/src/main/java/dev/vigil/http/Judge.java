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
}
