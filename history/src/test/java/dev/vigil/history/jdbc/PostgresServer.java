package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests: {@code initdb} and {@code pg_ctl} of Debian's package
 * ({@code /usr/lib/postgresql/VERSION/bin}, or {@code PG_BIN}) in a temporary folder, on a free
 * loopback port, its socket in that folder. PostgreSQL refuses to run as root, so as root it runs
 * as the {@code postgres} user the package creates (through {@code runuser}), the folder owned by it.
 *
 * <p>Without the binaries the calling tests are skipped with a message saying how to install them,
 * or fail when {@code VIGIL_REQUIRE_POSTGRES=true} (set by {@code .ci/run}).
 */
final class PostgresServer implements AutoCloseable {

    static final String REQUIRE_ENV = "VIGIL_REQUIRE_POSTGRES";
    private static final String USER = "vigil";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private int databases;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Starts a server, or skips (or fails) the calling tests when PostgreSQL is not installed. */
    static PostgresServer start() throws IOException, InterruptedException {
        Optional<Path> found = binaries();
        if (found.isEmpty()) {
            String message = "PostgreSQL is not installed, so the history was not tested against it; install it with "
                    + "'apt-get install -y --no-install-recommends postgresql' (or .ci/install-postgresql.sh), or point PG_BIN "
                    + "at the folder holding initdb and pg_ctl. Set " + REQUIRE_ENV + "=true to make this fail the build.";
            if ("true".equalsIgnoreCase(System.getenv(REQUIRE_ENV))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("vigil-postgres-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresServer server = new PostgresServer(found.get(), dir, port, root);
        if (root) {
            server.exec(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        server.exec(List.of(found.get().resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                "-U", USER, "-E", "UTF8", "--no-locale"), true);
        server.exec(List.of(found.get().resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off",
                "-l", dir.resolve("log").toString(), "-w", "-t", "60", "start"), true);
        return server;
    }

    private static Optional<Path> binaries() {
        String configured = System.getenv("PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(p -> Files.isExecutable(p.resolve("pg_ctl")));
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void exec(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asServerUser && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("vigil-postgres-", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", full) + " did not finish within 120 s: " + Files.readString(output));
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log"), StandardCharsets.UTF_8) : "";
                fail(String.join(" ", full) + " exited with " + p.exitValue() + ": " + Files.readString(output) + log);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The JDBC URL of a new, empty database on this server. */
    synchronized String newDatabase() throws SQLException {
        String name = "history_" + (++databases);
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    String user() {
        return USER;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"),
                    true);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
