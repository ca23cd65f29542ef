package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code cli/target/vigil} as the build leaves it beside the jar and its class-data
 * sharing archive: run from other working folders and through symlinks it finds its jar and uses
 * the archive; with an archive that does not match the JVM or the jar it is plain
 * {@code java -jar}: the same output and exit code, and no JVM warning about the archive.
 *
 * <p>Which classes came from where is read from the JVM's own log ({@code -Xlog:class+load} in
 * {@code JAVA_OPTS}), written to a file so that the output stays the command's.
 */
class LauncherIT {

    /** Loaded by every {@code validate}; in the archive when the archive is used. */
    private static final String VIGIL_CLASS = "dev.vigil.config.VigilConfig";
    /** The JDK's first class: shared when the JVM maps an archive (its own default one, or vigil.jsa). */
    private static final String JDK_CLASS = "java.lang.Object";

    private static final Pattern LOADED = Pattern.compile("\\] (\\S+) source: (.+)$", Pattern.MULTILINE);

    @TempDir
    Path work;

    private Path built;

    @BeforeEach
    void findTheBuild() throws IOException {
        Path jar = Path.of(System.getProperty("vigil.jar", "target/vigil.jar")).toAbsolutePath();
        built = jar.getParent();
        for (String file : List.of("vigil", "vigil.jar", "vigil.jsa", "vigil.jsa.properties")) {
            assertThat(built.resolve(file)).as("%s beside the jar (run 'mvn verify', which packages it first)", file)
                    .isRegularFile();
        }
        assertThat(Files.isExecutable(built.resolve("vigil"))).as("the launcher is executable").isTrue();
        Files.writeString(work.resolve("app.properties"), """
                vigil.deployment.service=checkout
                vigil.deployment.version=2.4.1
                vigil.plan.interval=10s
                vigil.plan.duration=1m
                vigil.probes.smoke.type=command
                vigil.probes.smoke.command=true
                """);
    }

    @Test
    void runsFromAnyWorkingFolderAndUsesTheArchive() throws Exception {
        Run plain = plainJavaJar("validate", "--config", "app.properties");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();

        Run run = launch(built.resolve("vigil"), "validate", "--config", "app.properties");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(plain.out()).contains("app.properties: configuration is valid");
        assertThat(run.err()).isEqualTo(plain.err());
        assertThat(run.source(VIGIL_CLASS)).as("%s, from the archive", VIGIL_CLASS).contains("shared objects file");
        assertThat(plain.source(VIGIL_CLASS)).as("%s, plain java -jar", VIGIL_CLASS).contains("vigil.jar");
    }

    @Test
    void runsThroughAChainOfSymlinks() throws Exception {
        // bin/vigil -> ../tools/vigil (relative) -> cli/target/vigil (absolute), as an installer may leave it.
        Path tools = Files.createDirectories(work.resolve("tools"));
        Files.createSymbolicLink(tools.resolve("vigil"), built.resolve("vigil"));
        Path bin = Files.createDirectories(work.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("vigil"), Path.of("../tools/vigil"));

        Run version = launch(bin.resolve("vigil"), "--version");
        Run invalid = launch(bin.resolve("vigil"), "validate", "--config", "missing.properties");

        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("vigil ").contains("Java " + System.getProperty("java.version"));
        assertThat(version.source("dev.vigil.cli.VigilCommand")).contains("shared objects file");
        assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).contains("missing.properties").contains("file not found");
    }

    @Test
    void aRecordOfAnotherJvmMeansPlainJavaJar() throws Exception {
        Path copy = copyOfTheBuild();
        rewriteRecord(copy, "jar", copy.resolve("vigil.jar").toString());
        rewriteRecord(copy, "java.runtime.version", "17.0.0+0-another-jvm");

        assertFallsBack(copy);
    }

    @Test
    void anArchiveBuiltForAJarElsewhereMeansPlainJavaJar() throws Exception {
        // The record as built: it names the jar in cli/target, not the one beside this launcher.
        Path copy = copyOfTheBuild();

        assertFallsBack(copy);
    }

    @Test
    void aDamagedArchiveIsRejectedByTheJvmWithoutAWord() throws Exception {
        Path copy = copyOfTheBuild();
        rewriteRecord(copy, "jar", copy.resolve("vigil.jar").toString());
        Path archive = copy.resolve("vigil.jsa");
        Files.delete(archive);
        byte[] damaged = new byte[64 * 1024];
        new java.util.Random(20).nextBytes(damaged);
        Files.write(archive, damaged);

        assertSameAsPlain(copy);
    }

    @Test
    void anArchiveThatTheJvmFindsForeignIsRejectedWithoutAWord() throws Exception {
        // The launcher's record says yes, the JVM says no: the archive was written for cli/target/vigil.jar,
        // not for the jar beside this launcher (another path, another modification time).
        Path copy = copyOfTheBuild();
        rewriteRecord(copy, "jar", copy.resolve("vigil.jar").toString());
        Files.delete(copy.resolve("vigil.jar"));
        Files.copy(built.resolve("vigil.jar"), copy.resolve("vigil.jar"));
        // Older than the archive, or the launcher would call the archive stale and not try it.
        long archiveWritten = Files.getLastModifiedTime(built.resolve("vigil.jsa")).toMillis();
        assertThat(copy.resolve("vigil.jar").toFile().setLastModified(archiveWritten - 3_600_000)).isTrue();

        assertSameAsPlain(copy);
    }

    /** A folder with a copy of the launcher and links to the built jar and archive, with a record to rewrite. */
    private Path copyOfTheBuild() throws IOException {
        Path copy = Files.createDirectories(work.resolve("elsewhere"));
        Files.copy(built.resolve("vigil"), copy.resolve("vigil"));
        assertThat(copy.resolve("vigil").toFile().setExecutable(true)).isTrue();
        Files.createSymbolicLink(copy.resolve("vigil.jar"), built.resolve("vigil.jar"));
        Files.createSymbolicLink(copy.resolve("vigil.jsa"), built.resolve("vigil.jsa"));
        Files.copy(built.resolve("vigil.jsa.properties"), copy.resolve("vigil.jsa.properties"));
        return copy;
    }

    private static void rewriteRecord(Path folder, String key, String value) throws IOException {
        Path record = folder.resolve("vigil.jsa.properties");
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
            if (line.startsWith(key + "=")) {
                lines.add(key + "=" + value);
                found = true;
            } else {
                lines.add(line);
            }
        }
        assertThat(found).as("%s in %s", key, record).isTrue();
        Files.write(record, lines, StandardCharsets.UTF_8);
    }

    /** The launcher did not hand the archive to the JVM: the JVM started as plain java -jar does. */
    private void assertFallsBack(Path copy) throws Exception {
        Run plain = assertSameAsPlain(copy);
        Run run = launch(copy.resolve("vigil"), "validate", "--config", "app.properties");
        assertThat(run.source(VIGIL_CLASS)).as("%s, from the jar", VIGIL_CLASS).contains("vigil.jar");
        assertThat(run.source(JDK_CLASS)).as("%s, as plain java -jar loads it", JDK_CLASS).isEqualTo(plain.source(JDK_CLASS));
    }

    /** Valid and invalid configurations give what plain java -jar gives, without a word about the archive. */
    private Run assertSameAsPlain(Path copy) throws Exception {
        Path launcher = copy.resolve("vigil");
        Run plain = plainJavaJar("validate", "--config", "app.properties");
        Run run = launch(launcher, "validate", "--config", "app.properties");
        Run plainInvalid = plainJavaJar("validate", "--config", "missing.properties");
        Run invalid = launch(launcher, "validate", "--config", "missing.properties");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).isEqualTo(plain.out());
        assertThat(run.err()).as(run.toString()).isEqualTo(plain.err());
        assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.out()).isEqualTo(plainInvalid.out());
        assertThat(invalid.err()).isEqualTo(plainInvalid.err()).contains("missing.properties");
        for (Run r : List.of(run, invalid)) {
            assertThat(r.out() + r.err()).as("no word about the archive")
                    .doesNotContainIgnoringCase("shared archive").doesNotContain("[cds").doesNotContain("[warning]")
                    .doesNotContain("[error");
        }
        assertThat(run.source(VIGIL_CLASS)).as("%s, from the jar", VIGIL_CLASS).contains("vigil.jar");
        return plain;
    }

    private Run plainJavaJar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java().toString(), "-Xlog:class+load=info:file=" + classLog(), "-jar",
                built.resolve("vigil.jar").toString()));
        command.addAll(List.of(args));
        return run(command, Map.of());
    }

    private Run launch(Path launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return run(command, Map.of("JAVA_HOME", System.getProperty("java.home"),
                "JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog()));
    }

    private Path classLog() {
        return work.resolve("classes.log");
    }

    private static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private Run run(List<String> command, Map<String, String> env) throws Exception {
        Files.deleteIfExists(classLog());
        Path out = Files.createTempFile(work, "stdout-", ".txt");
        Path err = Files.createTempFile(work, "stderr-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_") || k.equals("JAVA_OPTS") || k.equals("JAVA_HOME"));
        builder.environment().put("VIGIL_HISTORY_URL", "jdbc:h2:file:" + work.resolve(".vigil/history"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("%s did not finish within 120 s", command);
        }
        String classes = Files.exists(classLog()) ? Files.readString(classLog(), StandardCharsets.UTF_8) : "";
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), classes);
    }

    /** What a run printed, its exit code, and where the JVM found each class. */
    private record Run(int exitCode, String out, String err, String classes) {

        /** Where {@code className} was loaded from, as the JVM logged it; "not loaded" when it was not. */
        String source(String className) {
            Matcher m = LOADED.matcher(classes);
            while (m.find()) {
                if (m.group(1).equals(className)) {
                    return m.group(2);
                }
            }
            return "not loaded";
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }
}
