package dev.vigil.testkit;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The public API of a module as text, one line per public type and one per public or protected
 * member, and the check that it matches the committed listing {@code api/<module>.txt}: a change
 * to the API is always a visible diff. Packages named {@code internal} are not API and are left
 * out. Run a module's {@code ApiListingTest} with {@code -Dvigil.api.update=true} to write the
 * listing after a deliberate change, and commit it with the change.
 */
public final class ApiSurface {

    /** The property that makes the check write the listing instead of comparing. */
    public static final String UPDATE_PROPERTY = "vigil.api.update";

    private ApiSurface() {
    }

    /**
     * The listing of the given classes: their public types outside {@code internal} packages, each
     * followed by its public and protected members, sorted.
     *
     * @param classes the module's main classes
     * @return the lines
     */
    public static List<String> listing(JavaClasses classes) {
        List<JavaClass> types = new ArrayList<>();
        for (JavaClass c : classes) {
            if (isApi(c)) {
                types.add(c);
            }
        }
        types.sort(Comparator.comparing(JavaClass::getName));
        List<String> lines = new ArrayList<>();
        for (JavaClass type : types) {
            lines.add(type.getName() + " " + kind(type) + supertypes(type));
            Set<String> members = new TreeSet<>();
            for (JavaField f : type.getFields()) {
                if (visible(f)) {
                    members.add("field " + modifiers(f) + f.getRawType().getName() + " " + f.getName());
                }
            }
            for (JavaCodeUnit u : type.getCodeUnits()) {
                if (!visible(u) || u.getModifiers().contains(JavaModifier.SYNTHETIC)
                        || u.getModifiers().contains(JavaModifier.BRIDGE) || u.getName().equals("<clinit>")) {
                    continue;
                }
                String params = u.getRawParameterTypes().stream().map(JavaClass::getName).collect(Collectors.joining(", "));
                String exceptions = u.getThrowsClause().getTypes().stream().map(JavaClass::getName).sorted()
                        .collect(Collectors.joining(", "));
                members.add((u.getName().equals("<init>") ? "constructor " + modifiers(u) + "(" + params + ")"
                        : "method " + modifiers(u) + u.getRawReturnType().getName() + " " + u.getName() + "(" + params + ")")
                        + (exceptions.isEmpty() ? "" : " throws " + exceptions));
            }
            members.forEach(m -> lines.add("  " + m));
        }
        return lines;
    }

    /**
     * Fails, with the lines added and removed, when the listing of the module's classes differs
     * from {@code api/<module>.txt} at the root of the repository; writes the file instead with
     * {@code -Dvigil.api.update=true}.
     *
     * @param module the module's name ({@code core})
     * @param classes its main classes
     */
    public static void assertMatchesCommitted(String module, JavaClasses classes) {
        List<String> actual = listing(classes);
        Path file = Path.of("..", "api", module + ".txt");
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.createDirectories(file.getParent());
                Files.write(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                throw new AssertionError("no committed API listing at " + file.toAbsolutePath()
                        + ": write it with -D" + UPDATE_PROPERTY + "=true and commit it");
            }
            List<String> committed = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!committed.equals(actual)) {
                List<String> added = new ArrayList<>(actual);
                added.removeAll(committed);
                List<String> removed = new ArrayList<>(committed);
                removed.removeAll(actual);
                throw new AssertionError("the public API of " + module + " differs from api/" + module + ".txt;"
                        + " if the change is meant, run the test with -D" + UPDATE_PROPERTY + "=true and commit the file\n"
                        + "added:\n  " + String.join("\n  ", added) + "\nremoved:\n  " + String.join("\n  ", removed));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isApi(JavaClass c) {
        if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.getPackageName().contains(".internal")
                || c.getModifiers().contains(JavaModifier.SYNTHETIC) || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        return c.getEnclosingClass().map(ApiSurface::isApi).orElse(true);
    }

    private static boolean visible(JavaMember m) {
        Set<JavaModifier> mods = m.getModifiers();
        return mods.contains(JavaModifier.PUBLIC) || mods.contains(JavaModifier.PROTECTED);
    }

    private static String modifiers(JavaMember m) {
        StringBuilder out = new StringBuilder();
        for (JavaModifier mod : List.of(JavaModifier.PROTECTED, JavaModifier.STATIC, JavaModifier.FINAL, JavaModifier.ABSTRACT)) {
            if (m.getModifiers().contains(mod)) {
                out.append(mod.name().toLowerCase(Locale.ROOT)).append(' ');
            }
        }
        return out.toString();
    }

    private static String kind(JavaClass c) {
        String kind = c.isInterface() ? (c.isAnnotation() ? "@interface" : "interface")
                : c.isEnum() ? "enum" : c.isRecord() ? "record" : "class";
        Set<JavaModifier> mods = c.getModifiers();
        if (!c.isInterface() && !c.isEnum() && !c.isRecord()) {
            kind = (mods.contains(JavaModifier.ABSTRACT) ? "abstract " : "") + (mods.contains(JavaModifier.FINAL) ? "final " : "") + kind;
        }
        return (mods.contains(JavaModifier.STATIC) && c.isNestedClass() ? "static " : "") + kind;
    }

    private static String supertypes(JavaClass c) {
        List<String> names = new ArrayList<>();
        c.getRawSuperclass().filter(s -> !s.getName().equals("java.lang.Object") && !s.getName().equals("java.lang.Record")
                && !s.getName().equals("java.lang.Enum")).ifPresent(s -> names.add(s.getName()));
        c.getRawInterfaces().stream().map(JavaClass::getName).sorted().forEach(names::add);
        return names.isEmpty() ? "" : " : " + String.join(", ", names);
    }
}
