package dev.vigil.junit.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the JUnit 4 (and 3) test classes that JUnit's class-path scan leaves out without a word
 * because no engine runs them. The JUnit Platform runs a JUnit 4 test only with the vintage engine
 * ({@code junit-vintage-engine}, deprecated in JUnit 6 and not brought by Vigil); without it, a
 * {@code package:} or whole-{@code classpath} scan skips such a class, and the Jupiter tests beside it
 * pass without its own (a {@code class:} entry of one is already an error: no test matched).
 *
 * <p>A class is a JUnit 4 test when it is neither abstract nor an interface and it, or a superclass of
 * the same class path, declares a method annotated {@code org.junit.Test}, or it extends
 * {@code junit.framework.TestCase} (directly or through superclasses) and it or a superclass below
 * {@code TestCase} declares a public method {@code test...()} returning nothing, as JUnit 3 runs. A
 * class that only names {@code org.junit.Test} (a runner that calls
 * {@code method.getAnnotation(Test.class)}, a support class of a library) is none: the methods' own
 * annotations are read, not the constant pool. Read from the class files, nothing loaded. When the
 * vintage engine is on the suite's class path nothing is looked for: it finds them itself, under the
 * tags. Stateless and thread-safe.
 */
final class Junit4Classes {

    /** The annotation of a JUnit 4 test method, as a method's annotations name it. */
    private static final String JUNIT4_TEST = "Lorg/junit/Test;";
    /** What JUnit 3 runs: {@code public void test...()}. */
    private static final String TEST_PREFIX = "test";
    private static final String NO_ARGUMENTS_NO_RESULT = "()V";
    /** The base class of a JUnit 3 test, run by JUnit 4 too. */
    private static final String TEST_CASE = "junit/framework/TestCase";
    /** JUnit 4's own classes, outside {@code org.junit}. */
    private static final String JUNIT3_PACKAGE = "junit.";
    /** The engine that runs them on the JUnit Platform. */
    static final String VINTAGE_ENGINE = "org.junit.vintage.engine.VintageTestEngine";
    /** How many superclasses are followed to {@code junit.framework.TestCase}. */
    private static final int MAX_DEPTH = 16;

    private Junit4Classes() {
    }

    /**
     * The classes of the scan that look like JUnit 4 tests and that no engine discovered, sorted;
     * none when the vintage engine is there.
     *
     * @param loader the suite's class loader
     * @param selections the selection; empty means every class under {@code roots}
     * @param roots the class path roots scanned when {@code selections} is empty
     * @param discovered the classes of the discovered tests
     */
    static List<String> find(ClassLoader loader, List<Selection> selections, List<Path> roots, Set<String> discovered) {
        if (vintage(loader)) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        for (String name : UnloadableClasses.scanned(loader, selections, roots)) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            if (!name.startsWith(JUNIT3_PACKAGE) && !discovered.contains(name) && looksLikeJunit4(name, loader)) {
                found.add(name);
            }
        }
        return List.copyOf(found);
    }

    private static boolean vintage(ClassLoader loader) {
        try {
            Class.forName(VINTAGE_ENGINE, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean looksLikeJunit4(String name, ClassLoader loader) {
        ClassFile file = read(name.replace('.', '/'), loader);
        if (file == null || (file.access() & (ClassFile.ACC_ABSTRACT | ClassFile.ACC_INTERFACE)) != 0) {
            return false;
        }
        // The class and its superclasses up to TestCase: JUnit runs the test methods a class inherits.
        boolean junit3Methods = false;
        for (int depth = 0; file != null && depth < MAX_DEPTH; depth++) {
            for (ClassFile.Method method : file.methods()) {
                if (method.annotations().contains(JUNIT4_TEST)) {
                    return true;
                }
                junit3Methods |= junit3Test(method);
            }
            if (file.superclass() == null) {
                return false;
            }
            if (file.superclass().equals(TEST_CASE)) {
                return junit3Methods;
            }
            file = read(file.superclass(), loader);
        }
        return false;
    }

    private static boolean junit3Test(ClassFile.Method method) {
        return (method.access() & ClassFile.ACC_PUBLIC) != 0 && method.name().startsWith(TEST_PREFIX)
                && method.descriptor().equals(NO_ARGUMENTS_NO_RESULT);
    }

    /** The class file of an internal name from the suite's loader, or {@code null} when it has none or it cannot be read. */
    private static ClassFile read(String internalName, ClassLoader loader) {
        URL url = loader.getResource(internalName + ".class");
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return ClassFile.read(in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
