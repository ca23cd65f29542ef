package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.history.HistoryException;
import dev.vigil.history.HistorySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on the embedded default, an H2 file. */
class H2HistoryStoreTest extends HistoryStoreContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    HistorySettings freshDatabase() {
        Path file = dir.resolve("db" + DATABASES.incrementAndGet()).resolve("history");
        return HistorySettings.defaults().withDatabase("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE", null, null);
    }

    @Test
    void theEmbeddedFileIsCreatedWithItsFolder() {
        Path file = dir.resolve("a/b/history");
        try (JdbcHistoryStore store = open(HistorySettings.defaults().withDatabase("jdbc:h2:file:" + file, null, null))) {
            assertThat(store.description()).isEqualTo("jdbc:h2:file:" + file);
        }
        assertThat(Files.exists(dir.resolve("a/b/history.mv.db"))).isTrue();
    }

    @Test
    void anUnsupportedDatabaseIsRefusedNamingTheOnesThatWork() {
        assertThatThrownBy(() -> open(HistorySettings.defaults().withDatabase("jdbc:mysql://db/history", "u", "s3cret")))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("jdbc:h2:file:")
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aWrongPasswordIsReportedWithoutThePassword() {
        HistorySettings first = freshDatabase().withDatabase(freshDatabase().url(), "owner", "right-one");
        open(first).close();
        assertThatThrownBy(() -> open(first.withDatabase(first.url(), "owner", "wrong-pass-123")))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("could not be opened")
                .hasMessageNotContaining("wrong-pass-123")
                .hasMessageNotContaining("right-one");
    }

    @Test
    void theDescriptionLeavesOutUrlParametersAndCredentials() {
        assertThat(JdbcHistoryStore.describe("jdbc:postgresql://ci:s3cret@db.example:5432/vigil?password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db.example:5432/vigil");
        assertThat(JdbcHistoryStore.describe("jdbc:h2:file:/tmp/h;AUTO_SERVER=TRUE;PASSWORD=x")).isEqualTo("jdbc:h2:file:/tmp/h");
        assertThat(JdbcHistoryStore.describe("jdbc:postgresql://ci:s3@cret@db.example:5432/vigil"))
                .isEqualTo("jdbc:postgresql://db.example:5432/vigil");
    }
}
