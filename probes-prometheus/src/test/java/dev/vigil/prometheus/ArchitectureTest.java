package dev.vigil.prometheus;

import dev.vigil.testkit.ArchitectureKit;

/** The architecture and public-API checks every published module runs; see {@link ArchitectureKit}. */
class ArchitectureTest extends ArchitectureKit {

    @Override
    protected String module() {
        return "probes-prometheus";
    }
}
