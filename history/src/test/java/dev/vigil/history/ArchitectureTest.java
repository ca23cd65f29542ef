package dev.vigil.history;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.vigil.testkit.ApiSurface;
import dev.vigil.testkit.Architecture;
import org.junit.jupiter.api.Test;

/**
 * The module's architecture and public API: no package cycles, no use of another module's
 * internals, and a public API equal to the committed listing {@code api/history.txt} (see
 * {@code docs/api.md}).
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = Architecture.mainClasses();

    @Test
    void noCycleBetweenPackages() {
        Architecture.assertNoPackageCycles(CLASSES);
    }

    @Test
    void noForeignInternalsAndConfigurationOnlyWhereItIsBound() {
        Architecture.assertLayers(CLASSES, null, "dev.vigil.history.jdbc..");
    }

    @Test
    void thePublicApiIsTheCommittedListing() {
        ApiSurface.assertMatchesCommitted("history", CLASSES);
    }
}
