package dev.vigil;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import dev.vigil.testkit.ArchitectureKit;
import org.junit.jupiter.api.Test;

/**
 * Core's architecture and public API: the checks every module runs ({@link ArchitectureKit}) and
 * core's layers: {@code dev.vigil} at the bottom, {@code dev.vigil.spi} just above it.
 */
class ArchitectureTest extends ArchitectureKit {

    @Override
    protected String module() {
        return "core";
    }

    @Override
    protected String[] configurationUsers() {
        return new String[] {"dev.vigil.config.."};
    }

    @Test
    void theApiPackageDependsOnNoOtherPackageOfVigil() {
        noClasses().that().resideInAPackage("dev.vigil")
                .should().dependOnClassesThat().resideInAPackage("dev.vigil.*..")
                .as("dev.vigil (values, contracts, the verifier and its engine) is the bottom layer")
                .check(classes);
    }

    @Test
    void theSpiDependsOnlyOnTheApiAndConditions() {
        classes().that().resideInAPackage("dev.vigil.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.vigil", "dev.vigil.spi..", "dev.vigil.condition..",
                        "java..")
                .as("dev.vigil.spi depends on dev.vigil and dev.vigil.condition only")
                .check(classes);
    }
}
