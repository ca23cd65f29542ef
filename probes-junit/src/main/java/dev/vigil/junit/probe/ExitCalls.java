package dev.vigil.junit.probe;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int METHODREF = 10;
    private static final int NAME_AND_TYPE = 12;
    /** A class named in a descriptor or signature: {@code Lcom/acme/Helper;}, {@code Lcom/acme/Box<...>;}. */
    private static final Pattern DESCRIBED = Pattern.compile("L([\\p{javaJavaIdentifierPart}/$]+)[;<]");

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
                roots.add(root(url, resource));
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
            if (url == null || !roots.contains(root(url, resource))) {
                continue;
            }
            try (InputStream in = url.openStream()) {
                ClassFile file = ClassFile.read(in);
                String name = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
                file.exits.forEach(call -> found.add(name + " calls " + call));
                file.classes.forEach(c -> pending.add(c + ".class"));
            } catch (IOException | RuntimeException e) {
                // Not a class file this reader understands: the JVM will say so when it loads it.
            }
        }
        return List.copyOf(found);
    }

    /** The jar or folder a resource comes from: its URL without the resource's path. */
    private static String root(URL url, String resource) {
        String text = url.toString();
        return text.endsWith(resource) ? text.substring(0, text.length() - resource.length()) : text;
    }

    /** What one class file's constant pool holds: the calls that end the JVM and the classes named. */
    private record ClassFile(List<String> exits, List<String> classes) {

        static ClassFile read(InputStream stream) throws IOException {
            DataInputStream in = new DataInputStream(stream);
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] first = new int[count];
            int[] second = new int[count];
            int[] tags = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case UTF8 -> utf8[i] = in.readUTF();
                    case CLASS, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                    case 15 -> {
                        in.readUnsignedByte();
                        first[i] = in.readUnsignedShort();
                    }
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 9, METHODREF, 11, NAME_AND_TYPE, 17, 18 -> {
                        first[i] = in.readUnsignedShort();
                        second[i] = in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            List<String> exits = new ArrayList<>();
            List<String> classes = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                if (tags[i] == UTF8) {
                    // Descriptors and signatures name classes too: an annotation's class value (@ExtendWith), a parameter type.
                    Matcher named = DESCRIBED.matcher(utf8[i]);
                    while (named.find()) {
                        classes.add(named.group(1));
                    }
                } else if (tags[i] == CLASS && !utf8[first[i]].startsWith("[")) {
                    classes.add(utf8[first[i]]);
                } else if (tags[i] == METHODREF) {
                    String owner = utf8[first[first[i]]];
                    String method = utf8[first[second[i]]];
                    if (owner.equals("java/lang/System") && method.equals("exit")
                            || owner.equals("java/lang/Runtime") && (method.equals("exit") || method.equals("halt"))) {
                        exits.add(owner.substring("java/lang/".length()) + "." + method);
                    }
                }
            }
            return new ClassFile(exits, classes);
        }
    }
}
