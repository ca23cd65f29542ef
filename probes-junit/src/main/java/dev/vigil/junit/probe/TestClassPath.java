package dev.vigil.junit.probe;

import dev.vigil.report.Reports;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The {@code classpath} of a probe: jars and folders, with globs ({@code build/libs/*.jar},
 * {@code lib/**}{@code /*.jar}), resolved when the tests run so that a jar built after the
 * configuration was read is found. Immutable and thread-safe.
 *
 * <p>The tests are loaded by an {@link #open isolated class loader}: it sees the entries, the JDK,
 * and from the application only the JUnit Platform, Jupiter, opentest4j, apiguardian and
 * {@code dev.vigil.junit} (so that the engine and the tests agree on the annotations); nothing
 * else of the application or of Vigil. Each run gets its own loader, closed when the run ends.
 */
final class TestClassPath {

    /** The packages, with their sub-packages, the isolated loader takes from the application: the test framework. */
    static final List<String> SHARED_PACKAGES = List.of("org.junit.", "org.opentest4j.", "org.apiguardian.");
    /** The one package taken without its sub-packages: what tests read the target with. */
    static final String VIGIL_JUNIT = "dev.vigil.junit.";

    private final List<String> entries;

    private TestClassPath(List<String> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The class path of the given entries; empty means the application's own class path. */
    static TestClassPath of(List<String> entries) {
        return new TestClassPath(entries.stream().map(String::trim).filter(e -> !e.isEmpty()).toList());
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<String> entries() {
        return entries;
    }

    /**
     * The files the entries stand for, in order.
     *
     * @throws IllegalStateException naming every entry that does not exist or whose glob matches nothing
     */
    List<Path> resolve() {
        List<Path> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String entry : entries) {
            List<Path> found = isGlob(entry) ? glob(entry) : List.of(Paths.get(entry).toAbsolutePath().normalize());
            found = found.stream().filter(Files::exists).toList();
            if (found.isEmpty()) {
                missing.add("'" + Reports.oneLine(entry) + "' (" + (isGlob(entry) ? "matches no file" : "does not exist") + ")");
            }
            found.stream().filter(p -> !out.contains(p)).forEach(out::add);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("classpath " + String.join(", ", missing) + " in "
                    + Reports.oneLine(Paths.get("").toAbsolutePath().toString()));
        }
        return out;
    }

    /**
     * A new isolated loader over the given files.
     *
     * @param shared where the shared packages come from (the probe module's loader)
     */
    static URLClassLoader open(List<Path> files, ClassLoader shared) {
        URL[] urls = new URL[files.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = files.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException("classpath entry " + files.get(i) + " cannot be loaded: " + e.getMessage(), e);
            }
        }
        return new URLClassLoader("vigil-junit-tests", urls, new SharedLoader(shared));
    }

    /** Whether the isolated loader takes a class from the application: a class of the test framework, never a team's test. */
    static boolean shared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith)
                || className.startsWith(VIGIL_JUNIT) && className.indexOf('.', VIGIL_JUNIT.length()) < 0;
    }

    private static boolean isGlob(String entry) {
        return entry.contains("*") || entry.contains("?") || entry.contains("[") || entry.contains("{");
    }

    /** The files matching a glob, sorted; the walk starts at the last folder before the first wildcard. */
    private static List<Path> glob(String entry) {
        String normalized = entry.replace('\\', '/');
        int wildcard = firstWildcard(normalized);
        int slash = normalized.lastIndexOf('/', wildcard);
        Path base = Paths.get(slash < 0 ? "." : slash == 0 ? "/" : normalized.substring(0, slash)).toAbsolutePath().normalize();
        String rest = slash < 0 ? normalized : normalized.substring(slash + 1);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(p -> !p.equals(base) && matcher.matches(base.relativize(p))).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("classpath '" + entry + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static int firstWildcard(String text) {
        int first = text.length();
        for (char c : new char[] {'*', '?', '[', '{'}) {
            int at = text.indexOf(c);
            if (at >= 0 && at < first) {
                first = at;
            }
        }
        return first;
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }

    /**
     * The parent of an isolated loader: the JDK, plus the shared packages (and the JUnit Platform's
     * service files, so that the engines are found) from the application.
     */
    private static final class SharedLoader extends ClassLoader {

        private final ClassLoader shared;

        SharedLoader(ClassLoader shared) {
            super("vigil-junit-shared", ClassLoader.getPlatformClassLoader());
            this.shared = Objects.requireNonNull(shared, "shared");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (shared(name)) {
                return shared.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            return sharedResource(name) ? shared.getResource(name) : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return sharedResource(name) ? shared.getResources(name) : super.getResources(name);
        }

        private static boolean sharedResource(String name) {
            if (name.startsWith("META-INF/services/org.junit.platform.")) {
                return true;
            }
            if (!name.endsWith(".class")) {
                return false;
            }
            return shared(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
        }
    }
}
