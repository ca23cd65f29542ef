package dev.vigil.junit.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds the classes that JUnit's class-path scan leaves out without a word because they do not
 * load. With no {@code select} (every test on {@code classpath}) or a {@code package:} selection,
 * JUnit loads each class file found and drops one that fails, logging it at debug level only: a
 * test class whose superclass, interface or method signature names a class of a library left out of
 * {@code classpath}, or one compiled for a newer Java, would not run, and the other tests could
 * {@code PASS} without it. JUnit 6 reports no discovery issue for it.
 *
 * <p>So this walks the same class files, loads each with the suite's class loader without
 * initializing it (no static initializer runs) and lists its methods and those of its superclasses
 * and interfaces, as JUnit does when it looks for tests. A class that fails counts when its class
 * file names a JUnit Jupiter type (an annotation such as {@code @Test}, {@code Assertions}, an
 * extension): the test classes and their helpers, whatever the tags (a class that does not load has
 * no tags to read). Other classes are left alone, also beside the tests: the libraries' optional
 * parts often do not load, and a folder of tests may hold the application's own classes, which
 * need libraries the tests do not (a test class whose tests all come from a base class and which
 * names no Jupiter type itself is therefore not seen). Classes of the test framework itself are
 * left alone too. Each class is loaded once more at most, most already
 * by JUnit; the walk stops when the run's thread is interrupted. Stateless and thread-safe.
 */
final class UnloadableClasses {

    private static final String CLASS_FILE = ".class";
    /** The package of JUnit Jupiter's API, engine and parameters, as class files name it. */
    private static final String JUPITER = "org/junit/jupiter/";
    /** A class named by a {@link NoClassDefFoundError}'s message: {@code com/acme/lib/Helper}. */
    private static final Pattern CLASS_NAME = Pattern.compile("L?[\\p{javaJavaIdentifierPart}/.$]+;?");

    private UnloadableClasses() {
    }

    /** Whether JUnit scans class files for this selection: no {@code select}, or a {@code package:} entry. */
    static boolean scans(List<Selection> selections) {
        return selections.isEmpty() || selections.stream().anyMatch(s -> s.kind() == Selection.Kind.PACKAGE);
    }

    /**
     * The classes of the scan that do not load, sorted, as {@code com.acme.SmokeTest needs com.acme.lib.Helper}
     * or {@code com.acme.SmokeTest: UnsupportedClassVersionError: ...}.
     *
     * @param loader the suite's class loader, the context class loader JUnit scanned with
     * @param selections the selection; empty means every class under {@code roots}
     * @param roots the class path roots scanned when {@code selections} is empty
     * @throws UncheckedIOException when a folder of the scan cannot be read
     */
    static List<String> find(ClassLoader loader, List<Selection> selections, List<Path> roots) {
        Map<Class<?>, Throwable> checked = new HashMap<>();
        List<String> found = new ArrayList<>();
        for (String name : scanned(loader, selections, roots)) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            Throwable problem = problem(name, loader, checked);
            if (problem != null && namesJupiter(name, loader)) {
                found.add(name + describe(name, problem));
            }
        }
        return List.copyOf(found);
    }

    /** The binary names of the classes JUnit's scan meets, without those of the test framework. */
    static Set<String> scanned(ClassLoader loader, List<Selection> selections, List<Path> roots) {
        Set<String> names = new TreeSet<>();
        try {
            if (selections.isEmpty()) {
                for (Path root : roots) {
                    if (Files.isDirectory(root)) {
                        folder(root, "", names);
                    } else if (Files.isRegularFile(root)) {
                        jar(root, "", names);
                    }
                }
            }
            for (Selection selection : selections) {
                if (selection.kind() == Selection.Kind.PACKAGE) {
                    String path = selection.name().replace('.', '/');
                    // As JUnit finds a package: every jar and folder of the loader that has it.
                    for (String asked : List.of(path, path + "/")) {
                        for (URL url : Collections.list(loader.getResources(asked))) {
                            located(url, path + "/", names);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the test classes could not be listed: " + e.getMessage(), e);
        }
        return names;
    }

    private static void located(URL url, String prefix, Set<String> names) throws IOException {
        try {
            if (url.getProtocol().equals("file")) {
                Path folder = Path.of(url.toURI());
                if (Files.isDirectory(folder)) {
                    folder(folder, prefix, names);
                }
            } else if (url.getProtocol().equals("jar")) {
                URLConnection connection = url.openConnection();
                if (connection instanceof JarURLConnection jar) {
                    jar(Path.of(jar.getJarFileURL().toURI()), prefix, names);
                }
            }
            // Other places (the module image, say) hold no test classes of a team.
        } catch (URISyntaxException | IllegalArgumentException e) {
            // A URL that is no file path: JUnit cannot walk it either.
        }
    }

    /** The classes under a folder whose files are in the package {@code prefix} ({@code com/acme/}, or empty). */
    private static void folder(Path folder, String prefix, Set<String> names) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(f -> f.getFileName().toString().endsWith(CLASS_FILE) && Files.isRegularFile(f))
                    .forEach(f -> add(prefix + folder.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/"), names));
        }
    }

    /** The classes of a jar whose entries start with {@code prefix}; a file that is no jar has none, as for JUnit. */
    private static void jar(Path file, String prefix, Set<String> names) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith(prefix) && n.endsWith(CLASS_FILE))
                    .forEach(n -> add(n, names));
        } catch (IOException e) {
            // Not a jar: JUnit scans nothing there.
        }
    }

    /** Adds the class of a class file's path, unless the path names none (META-INF/versions/..., module-info) or the test framework's. */
    private static void add(String path, Set<String> names) {
        String name = path.substring(0, path.length() - CLASS_FILE.length()).replace('/', '.');
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))
                    || !part.chars().allMatch(Character::isJavaIdentifierPart)) {
                return;
            }
        }
        if (!TestClassPath.shared(name)) {
            names.add(name);
        }
    }

    /** What keeps a class from loading or from showing its methods, or {@code null}. */
    private static Throwable problem(String name, ClassLoader loader, Map<Class<?>, Throwable> checked) {
        try {
            return unlinked(Class.forName(name, false, loader), checked);
        } catch (ClassNotFoundException | LinkageError e) {
            return e;
        }
    }

    /**
     * The error met listing the methods of a class and of its superclasses and interfaces, as JUnit
     * does looking for tests (a parameter type that does not load), or {@code null}; the JDK's and the
     * test framework's classes are not looked at.
     */
    private static Throwable unlinked(Class<?> type, Map<Class<?>, Throwable> checked) {
        if (type == null || type.getClassLoader() == null || type.getClassLoader() == ClassLoader.getPlatformClassLoader()
                || TestClassPath.shared(type.getName())) {
            return null;
        }
        if (checked.containsKey(type)) {
            return checked.get(type);
        }
        checked.put(type, null);
        Throwable problem = null;
        try {
            type.getDeclaredMethods();
        } catch (LinkageError e) {
            problem = e;
        }
        if (problem == null) {
            problem = unlinked(type.getSuperclass(), checked);
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (problem == null) {
                problem = unlinked(implemented, checked);
            }
        }
        checked.put(type, problem);
        return problem;
    }

    /** Whether a class that does not load is a test's or a helper's: its class file names a Jupiter type. */
    private static boolean namesJupiter(String name, ClassLoader loader) {
        URL url = loader.getResource(resource(name));
        if (url == null) {
            return true;
        }
        try (InputStream in = url.openStream()) {
            return ClassFile.read(in).classes().stream().anyMatch(c -> c.startsWith(JUPITER));
        } catch (IOException | RuntimeException e) {
            // A class file that cannot be read and does not load may be a test all the same.
            return true;
        }
    }

    /** {@code  needs com.acme.lib.Helper}, or the error's type and first line. */
    private static String describe(String name, Throwable problem) {
        String message = problem.getMessage() == null ? "" : problem.getMessage().strip();
        if ((problem instanceof NoClassDefFoundError || problem instanceof ClassNotFoundException)
                && CLASS_NAME.matcher(message).matches()) {
            String missing = message.replace('/', '.');
            if (missing.startsWith("L") && missing.endsWith(";")) {
                missing = missing.substring(1, missing.length() - 1);
            }
            if (!missing.equals(name)) {
                return " needs " + missing;
            }
        }
        int end = message.indexOf('\n');
        return ": " + problem.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + (end < 0 ? message : message.substring(0, end)));
    }

    private static String resource(String className) {
        return className.replace('.', '/') + CLASS_FILE;
    }
}
