package dev.vigil.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The architecture and public-API checks every published module runs: no package cycles, no use
 * of another module's internals, the configuration binder only where configuration is bound, and
 * a public API equal to the committed listing {@code api/<module>.txt} (see {@code docs/api.md}).
 * A module's {@code ArchitectureTest} extends it and names itself; core adds its own layer rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ArchitectureKit {

    /** The module's main classes, imported once per test class. */
    protected JavaClasses classes;

    /** The module's name, as in {@code api/<name>.txt} ({@code probes-http}). */
    protected abstract String module();

    /** The module's own internal packages ({@code dev.vigil.http.internal..}), or {@code null} when it has none. */
    protected String ownInternal() {
        return null;
    }

    /** The packages that may use {@code dev.vigil.config}; none by default. */
    protected String[] configurationUsers() {
        return new String[0];
    }

    @BeforeAll
    void importClasses() {
        classes = Architecture.mainClasses();
    }

    @Test
    void noCycleBetweenPackages() {
        Architecture.assertNoPackageCycles(classes);
    }

    @Test
    void noForeignInternalsAndConfigurationOnlyWhereItIsBound() {
        Architecture.assertLayers(classes, ownInternal(), configurationUsers());
    }

    @Test
    void thePublicApiIsTheCommittedListing() {
        ApiSurface.assertMatchesCommitted(module(), classes);
    }
}
