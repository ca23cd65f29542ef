package dev.vigil.http;

import dev.vigil.testkit.ArchitectureKit;

/** The architecture and public-API checks every published module runs; see {@link ArchitectureKit}. */
class ArchitectureTest extends ArchitectureKit {

    @Override
    protected String module() {
        return "probes-http";
    }

    @Override
    protected String ownInternal() {
        return "dev.vigil.http.internal..";
    }
}
