package dev.vigil.prometheus;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.vigil.testkit.ApiSurface;
import dev.vigil.testkit.Architecture;
import org.junit.jupiter.api.Test;

/**
 * The module's architecture and public API: no package cycles, no use of another module's
 * internals, and a public API equal to the committed listing {@code api/probes-prometheus.txt} (see
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
        Architecture.assertLayers(CLASSES, null);
    }

    @Test
    void thePublicApiIsTheCommittedListing() {
        ApiSurface.assertMatchesCommitted("probes-prometheus", CLASSES);
    }
}
