package dev.vigil.history;

import dev.vigil.testkit.ArchitectureKit;

/** The architecture and public-API checks every published module runs; see {@link ArchitectureKit}. */
class ArchitectureTest extends ArchitectureKit {

    @Override
    protected String module() {
        return "history";
    }

    @Override
    protected String[] configurationUsers() {
        return new String[] {"dev.vigil.history.jdbc.."};
    }
}
