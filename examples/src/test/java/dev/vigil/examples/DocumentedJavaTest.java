package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java the documentation offers to copy compiles against the current API: each snippet is
 * the first {@code java} block after a line of its page, compiled in a method with the variables
 * it takes for granted declared.
 */
class DocumentedJavaTest {

    private static final String IMPORTS = String.join("\n",
            "import dev.vigil.*;",
            "import dev.vigil.config.*;",
            "import dev.vigil.http.*;",
            "import dev.vigil.report.*;",
            "import dev.vigil.rollback.*;",
            "import io.micrometer.core.instrument.MeterRegistry;",
            "import io.micrometer.core.instrument.simple.SimpleMeterRegistry;",
            "import java.nio.file.Path;",
            "import java.time.Duration;",
            "");

    /** The first java block after the line {@code after} of {@code page}. */
    static String snippet(Path page, String after) throws IOException {
        String text = Files.readString(page);
        int at = text.indexOf(after);
        assertThat(at).as("'%s' in %s", after, page).isNotNegative();
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertThat(block.find(at)).as("a java block after '%s' in %s", after, page).isTrue();
        return block.group(1);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "README.md               | ## Pipeline code                                      | ",
        "../docs/configuration.md | For the deployment defaults, the options and a check | MeterRegistry registry = new SimpleMeterRegistry();",
        "../README.md            | Or without properties:                                | MeterRegistry registry = new SimpleMeterRegistry();"})
    void documentedJavaCompiles(String page, String after, String given, @TempDir Path dir) throws IOException {
        String code = snippet(Path.of(page), after);
        String source = IMPORTS + "class Snippet {\n    void run() throws Exception {\n" + (given == null ? "" : given) + "\n"
                + code + "\n    }\n}\n";
        Path file = Files.writeString(dir.resolve("Snippet.java"), source);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        int status = ToolProvider.getSystemJavaCompiler().run(null, null, new PrintStream(errors, true, StandardCharsets.UTF_8),
                "-d", dir.toString(), "-cp", System.getProperty("java.class.path"), "--release", "17", "-proc:none",
                file.toString());

        assertThat(status).as("%s, the snippet after '%s', does not compile:%n%s", page, after,
                errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void pipelineSnippetExitsFiveWhenThePreviousVersionIsNotHealthyEither() throws IOException {
        // As PipelineExample and vigil.jar verify: rolled back, but neither version is known to be healthy.
        String code = snippet(Path.of("README.md"), "## Pipeline code");

        assertThat(code).containsPattern("case UNHEALTHY -> report\\.rolledBackButPreviousVersionInDoubt\\(\\)\\s*\\?\\s*5\\b");
    }
}
