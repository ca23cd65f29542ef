package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code java -jar cli/target/vigil.jar} as a subprocess, as a release tool would, in a
 * working folder of its own, with stdout and stderr captured to files.
 */
final class VigilJar {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Path jar;
    private final Path workDir;
    private final Map<String, String> env;

    private VigilJar(Path jar, Path workDir, Map<String, String> env) {
        this.jar = jar;
        this.workDir = workDir;
        this.env = env;
    }

    /** The jar the build made; its path comes from failsafe's {@code vigil.jar} system property. */
    static VigilJar in(Path workDir, Map<String, String> env) {
        String path = System.getProperty("vigil.jar", "target/vigil.jar");
        Path jar = Path.of(path).toAbsolutePath();
        assertThat(jar).as("the shaded jar (run 'mvn verify', which packages it first)").isRegularFile();
        return new VigilJar(jar, workDir, env);
    }

    /** A started run. */
    Started start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "stdout-", ".txt");
        Path err = Files.createTempFile(workDir, "stderr-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // Hermetic: no VIGIL_* variable of the machine running the build reaches the command.
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        // Each run's release history stays in its working folder, never in the home folder of the build's user.
        builder.environment().put("VIGIL_HISTORY_URL", "jdbc:h2:file:" + workDir.resolve(".vigil/history") + ";AUTO_SERVER=TRUE");
        builder.environment().putAll(env);
        return new Started(builder.start(), out, err);
    }

    /** Runs to the end. */
    Result run(String... args) throws IOException, InterruptedException {
        return start(args).await();
    }

    /** A run in progress. */
    record Started(Process process, Path out, Path err) {

        Result await() throws IOException, InterruptedException {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("vigil.jar did not finish within " + TIMEOUT + "; stdout:\n" + read(out) + "\nstderr:\n" + read(err));
            }
            return new Result(process.exitValue(), read(out), read(err));
        }

        /** Waits until stdout contains {@code text}. */
        void awaitOutput(String text) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!read(out).contains(text)) {
                if (!process.isAlive()) {
                    fail("vigil.jar ended before printing '" + text + "'; stdout:\n" + read(out) + "\nstderr:\n" + read(err));
                }
                if (System.nanoTime() > deadline) {
                    fail("vigil.jar did not print '" + text + "' within " + TIMEOUT);
                }
                Thread.sleep(50);
            }
        }
    }

    /** What a run did. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
