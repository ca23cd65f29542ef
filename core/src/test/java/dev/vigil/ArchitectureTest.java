package dev.vigil;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.vigil.testkit.ApiSurface;
import dev.vigil.testkit.Architecture;
import org.junit.jupiter.api.Test;

/**
 * The module's architecture and public API: no package cycles, no use of another module's
 * internals, and a public API equal to the committed listing {@code api/core.txt} (see
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
        Architecture.assertLayers(CLASSES, null, "dev.vigil.config..");
    }

    @Test
    void thePublicApiIsTheCommittedListing() {
        ApiSurface.assertMatchesCommitted("core", CLASSES);
    }

    @Test
    void theApiPackageDependsOnNoOtherPackageOfVigil() {
        noClasses().that().resideInAPackage("dev.vigil")
                .should().dependOnClassesThat().resideInAPackage("dev.vigil.*..")
                .as("dev.vigil (values, contracts, the verifier and its engine) is the bottom layer")
                .check(CLASSES);
    }

    @Test
    void theSpiDependsOnlyOnTheApiAndConditions() {
        classes().that().resideInAPackage("dev.vigil.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.vigil", "dev.vigil.spi..", "dev.vigil.condition..",
                        "java..")
                .as("dev.vigil.spi depends on dev.vigil and dev.vigil.condition only")
                .check(CLASSES);
    }
}
