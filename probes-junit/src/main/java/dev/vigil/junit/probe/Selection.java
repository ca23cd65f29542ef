package dev.vigil.junit.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * One {@code select} entry: {@code package:com.acme.smoke}, {@code class:com.acme.CheckoutSmokeTest}
 * or {@code method:com.acme.CheckoutSmokeTest#pays}. Immutable.
 */
record Selection(Kind kind, String name) {

    /** The prefixes a {@code select} entry may have. */
    enum Kind { PACKAGE, CLASS, METHOD }

    private static final String IDENTIFIER = "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
    private static final Pattern QUALIFIED = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*(\\$" + IDENTIFIER + ")*");
    private static final Pattern METHOD = Pattern.compile(QUALIFIED.pattern() + "#" + IDENTIFIER + "(\\([^()]*\\))?");

    /** The forms, for messages. */
    static final String FORMS = "package:com.acme.smoke, class:com.acme.CheckoutSmokeTest or method:com.acme.CheckoutSmokeTest#pays";

    Selection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException naming the entry and the accepted forms
     */
    static Selection parse(String entry) {
        String text = entry == null ? "" : entry.trim();
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' has no kind; use " + FORMS);
        }
        String prefix = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String name = text.substring(colon + 1).trim();
        Kind kind = switch (prefix) {
            case "package" -> Kind.PACKAGE;
            case "class" -> Kind.CLASS;
            case "method" -> Kind.METHOD;
            default -> throw new IllegalArgumentException("'" + text + "': unknown kind '" + prefix + "'; use " + FORMS);
        };
        Pattern form = kind == Kind.METHOD ? METHOD : QUALIFIED;
        if (!form.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a " + kind.name().toLowerCase(Locale.ROOT)
                    + " name; use " + FORMS);
        }
        return new Selection(kind, name);
    }

    /**
     * The JUnit selectors, classes loaded by {@code loader}. A method named without its parameter
     * types ({@code #pays}) selects every method of that name, as a person means it; JUnit alone
     * would look for one without parameters only.
     */
    List<DiscoverySelector> selectors(ClassLoader loader) {
        return switch (kind) {
            case PACKAGE -> List.of(DiscoverySelectors.selectPackage(name));
            case CLASS -> List.of(DiscoverySelectors.selectClass(loader, name));
            case METHOD -> methods(loader);
        };
    }

    private List<DiscoverySelector> methods(ClassLoader loader) {
        if (name.indexOf('(') < 0) {
            String className = name.substring(0, name.indexOf('#'));
            String methodName = name.substring(name.indexOf('#') + 1);
            try {
                Class<?> type = Class.forName(className, false, loader);
                List<DiscoverySelector> found = new ArrayList<>();
                for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                    Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().equals(methodName))
                            .forEach(m -> found.add(DiscoverySelectors.selectMethod(type, m)));
                }
                if (!found.isEmpty()) {
                    return found;
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // JUnit's own selector below reports the class that cannot be loaded.
            }
        }
        return List.of(DiscoverySelectors.selectMethod(loader, name));
    }

    /**
     * The entries no test or test container of a discovered plan comes from: a {@code package:} entry
     * with a typo beside one that matches, which JUnit ignores. (A discovered plan holds no container
     * without tests, except one that registers its tests as it runs.) Empty when a test has neither a
     * class nor a method as its source (another engine's), since then it cannot be told which entry
     * it came from.
     */
    static List<Selection> unmatched(List<Selection> selections, TestPlan plan) {
        List<Selection> out = new ArrayList<>(selections);
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                TestSource source = id.getSource().orElse(null);
                if (source instanceof MethodSource m) {
                    out.removeIf(s -> s.selects(m.getClassName(), m.getMethodName()));
                } else if (source instanceof ClassSource c) {
                    out.removeIf(s -> s.selects(c.getClassName(), null));
                } else if (id.isTest()) {
                    return List.of();
                }
            }
        }
        return out;
    }

    /** Whether a test of the class and method (or {@code null} for the class's own) comes from this entry. */
    private boolean selects(String className, String methodName) {
        return switch (kind) {
            case PACKAGE -> className.startsWith(name + ".");
            case CLASS -> className.equals(name) || className.startsWith(name + "$");
            case METHOD -> {
                int hash = name.indexOf('#');
                int paren = name.indexOf('(');
                yield className.equals(name.substring(0, hash))
                        && name.substring(hash + 1, paren < 0 ? name.length() : paren).equals(methodName);
            }
        };
    }

    /** The selectors of several entries. */
    static List<DiscoverySelector> selectors(List<Selection> selections, ClassLoader loader) {
        return selections.stream().flatMap(s -> s.selectors(loader).stream()).toList();
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
