package dev.vigil.junit.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Test classes compiled during a test, outside the test's class path: what a team hands to {@code classpath=}. */
public final class CompiledSuite {

    private CompiledSuite() {
    }

    /**
     * Compiles sources (class name to source) into {@code folder}, against the class path of this JVM.
     *
     * @return the folder
     */
    public static Path compile(Path folder, Map<String, String> sources) throws IOException {
        return compile(folder, sources, System.getProperty("java.class.path"));
    }

    /** Compiles sources into {@code folder} against the given class path. */
    public static Path compile(Path folder, Map<String, String> sources, String classpath) throws IOException {
        Path src = Files.createDirectories(folder.resolveSibling(folder.getFileName() + "-src"));
        List<String> args = new ArrayList<>(List.of("-d", folder.toString(), "-cp", classpath,
                "--release", "17", "-proc:none"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, System.err, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javac failed with " + status);
        }
        return folder;
    }

    /** Packs a folder of classes into a jar. */
    public static Path jar(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return jar;
    }
}
