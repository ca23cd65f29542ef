package dev.vigil.report;

import static org.assertj.core.api.Assertions.fail;

import dev.vigil.command.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens an HTML file in headless Chromium and returns the DOM as the browser built it. Shared
 * with other modules through core's test jar.
 *
 * <p>Without a Chromium binary ({@code chromium}, {@code chromium-browser}, {@code google-chrome}
 * on the PATH, or the one named by {@code VIGIL_CHROMIUM}) the calling test is skipped with a
 * message saying how to install it; with {@code VIGIL_REQUIRE_CHROMIUM=true} it fails instead.
 */
public final class HeadlessChromium {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private static final Pattern SVG = Pattern.compile(
            "<svg\\b[^>]*\\bclass=\"timeline\"[^>]*\\bdata-probe=\"([^\"]*)\"[^>]*>(.*?)</svg>", Pattern.DOTALL);
    private static final Pattern POINT = Pattern.compile("<circle\\b[^>]*\\bclass=\"point\\b");

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The installed Chromium, or the calling test is skipped (or failed, when it is required). */
    public static HeadlessChromium require() {
        Optional<Path> found = find();
        if (found.isEmpty()) {
            String message = "headless Chromium is not installed, so the HTML report was not opened in a browser; "
                    + "install it with 'apt-get install -y --no-install-recommends chromium' (or .ci/install-chromium.sh)";
            if ("true".equalsIgnoreCase(System.getenv("VIGIL_REQUIRE_CHROMIUM"))) {
                fail(message + " (VIGIL_REQUIRE_CHROMIUM=true)");
            }
            Assumptions.abort(message);
        }
        return new HeadlessChromium(found.get());
    }

    private static Optional<Path> find() {
        String configured = System.getenv("VIGIL_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        for (String name : NAMES) {
            Optional<Path> found = Programs.find(name);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Loads the file and returns the serialized DOM ({@code --dump-dom}). */
    public String dumpDom(Path html) throws IOException, InterruptedException {
        return open(html).dom();
    }

    /**
     * A page as the browser built it, and what it wrote to its console while loading.
     *
     * @param dom the serialized DOM
     * @param console each console message of the page (a script error, a load the
     *     Content-Security-Policy refused), as Chromium logs it; empty for a clean page
     */
    public record Page(String dom, List<String> console) {
    }

    /** Loads the file; returns the serialized DOM and the page's console messages. */
    public Page open(Path html) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("vigil-chromium-");
        Path stdout = Files.createTempFile("vigil-chromium-", ".html");
        Path stderr = Files.createTempFile("vigil-chromium-", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--enable-logging=stderr", "--v=0",
                    "--user-data-dir=" + profile, "--dump-dom", html.toAbsolutePath().toUri().toString()));
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("Chromium did not finish within 90 s: " + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            String dom = Files.readString(stdout, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || dom.isBlank()) {
                fail("Chromium exited with " + process.exitValue() + " and printed no DOM: "
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            List<String> console = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains(":CONSOLE")).toList();
            return new Page(dom, console);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The number of {@code circle.point} elements in each {@code svg.timeline}, by its {@code data-probe}. */
    public static Map<String, Integer> pointsPerTimeline(String dom) {
        Map<String, Integer> result = new LinkedHashMap<>();
        Matcher svg = SVG.matcher(dom);
        while (svg.find()) {
            Matcher point = POINT.matcher(svg.group(2));
            int count = 0;
            while (point.find()) {
                count++;
            }
            result.put(svg.group(1), count);
        }
        return result;
    }
}
