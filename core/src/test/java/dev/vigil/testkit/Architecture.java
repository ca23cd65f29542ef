package dev.vigil.testkit;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture rules every module is held to, checked over its compiled classes with
 * ArchUnit: no cycle between packages, and no use of another module's {@code internal} packages
 * or of the configuration binder from a probe's side. Each module runs them in its
 * {@code ArchitectureTest}; see {@code docs/api.md}.
 */
public final class Architecture {

    /** The property naming another directory of classes to check, to show a rule failing on old code. */
    public static final String CLASSES_PROPERTY = "vigil.arch.classes";

    private Architecture() {
    }

    /** The main classes of the module under test ({@code target/classes}, or {@value #CLASSES_PROPERTY}). */
    public static JavaClasses mainClasses() {
        Path dir = Path.of(System.getProperty(CLASSES_PROPERTY, "target/classes"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no compiled classes at " + dir.toAbsolutePath());
        }
        return new ClassFileImporter().importPath(dir);
    }

    /**
     * Fails when packages depend on each other in a cycle, naming the classes that make it.
     *
     * @param classes the module's classes
     */
    public static void assertNoPackageCycles(JavaClasses classes) {
        SlicesRuleDefinition.slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String pkg = javaClass.getPackageName();
                return pkg.startsWith("dev.vigil") ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the packages of dev.vigil";
            }
        }).should().beFreeOfCycles().check(classes);
    }

    /**
     * Fails when a class uses an {@code internal} package other than its own module's, or when a
     * class outside {@code allowedConfigUsers} uses the configuration binder ({@code dev.vigil.config}).
     *
     * @param classes the module's classes
     * @param ownInternal the module's own internal package pattern ({@code dev.vigil.http.internal..}), or {@code null}
     * @param allowedConfigUsers the package patterns that may use {@code dev.vigil.config}
     */
    public static void assertLayers(JavaClasses classes, String ownInternal, String... allowedConfigUsers) {
        var foreignInternal = resideInAPackage("dev.vigil..internal..");
        if (ownInternal != null) {
            foreignInternal = foreignInternal.and(not(resideInAPackage(ownInternal)));
        }
        noClasses().should().dependOnClassesThat(foreignInternal.as("another module's internal packages"))
                .check(classes);
        noClasses().that().resideOutsideOfPackages(allowedConfigUsers)
                .should().dependOnClassesThat().resideInAPackage("dev.vigil.config..")
                .as("only configuration code uses the configuration binder (probe modules use dev.vigil.spi)")
                .allowEmptyShould(true)
                .check(classes);
    }
}
