package dev.vigil.junit.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the test code that would end the JVM: a call to {@code System.exit}, {@code Runtime.exit}
 * or {@code Runtime.halt} (a method reference to one included) in the class files of the selected
 * test classes and of every class they refer to that comes from the same jar or folder (their
 * nested, anonymous and helper classes, an extension named in {@code @ExtendWith}). Such a call in a probe's test would end the verification
 * with no verdict and no report, and {@code vigil.jar} with the code the test chose: {@code halt(0)}
 * would look {@code HEALTHY} to a release tool. Libraries (other jars or folders) and calls through
 * reflection are not searched. Stateless and thread-safe.
 */
final class ExitCalls {

    private ExitCalls() {
    }

    /**
     * The calls found, as {@code com.acme.SmokeTest calls System.exit}, in the order met.
     *
     * @param loader the suite's class loader
     * @param testClasses the binary names of the selected test classes
     */
    static List<String> find(ClassLoader loader, Collection<String> testClasses) {
        Set<String> roots = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        for (String name : testClasses) {
            String resource = name.replace('.', '/') + ".class";
            URL url = loader.getResource(resource);
            if (url != null) {
                roots.add(ClassFile.root(url, resource));
                pending.add(resource);
            }
        }
        Set<String> seen = new HashSet<>();
        Set<String> found = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            String resource = pending.poll();
            if (!seen.add(resource)) {
                continue;
            }
            URL url = loader.getResource(resource);
            if (url == null || !roots.contains(ClassFile.root(url, resource))) {
                continue;
            }
            try (InputStream in = url.openStream()) {
                ClassFile file = ClassFile.read(in);
                String name = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
                file.exits().forEach(call -> found.add(name + " calls " + call));
                file.classes().forEach(c -> pending.add(c + ".class"));
            } catch (IOException | RuntimeException e) {
                // Not a class file this reader understands: the JVM will say so when it loads it.
            }
        }
        return List.copyOf(found);
    }
}
