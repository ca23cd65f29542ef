package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.history.HistoryException;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A history database that hung mid-run (SIGSTOP, a dropped network) costs each operation its
 * timeout; the recorder reads and writes several times on the thread that also writes the reports
 * and prints the verdict, so that a run waited for it once per operation.
 */
class HistoryAccessTest {

    /** Fails every operation, after {@code delay}; counts the operations that reached it. */
    private static final class FailingStore implements HistoryStore {
        private final Duration delay;
        final AtomicInteger asked = new AtomicInteger();

        FailingStore(Duration delay) {
            this.delay = delay;
        }

        private <T> T fail() {
            asked.incrementAndGet();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new HistoryException("history db: Connection attempt timed out.");
        }

        @Override
        public boolean record(ReleaseRecord record) {
            return fail();
        }

        @Override
        public boolean record(RehearsalRecord record) {
            return fail();
        }

        @Override
        public List<ReleaseRecord> releases(HistoryQuery query) {
            return fail();
        }

        @Override
        public List<RehearsalRecord> rehearsals(HistoryQuery query) {
            return fail();
        }

        @Override
        public String description() {
            return "db";
        }
    }

    @Test
    void theHistoryNamedInAMessageShowsNoPartOfAPasswordThatHoldsAQuestionMarkOrASemicolon() {
        // Cut at the first ? or ; before its user info was masked, the name kept the password's start.
        assertThat(HistoryAccess.describe("jdbc:postgresql://vigil:s3cr?t@db.example:5432/vigil?ssl=true"))
                .isEqualTo("jdbc:postgresql://db.example:5432/vigil");
        assertThat(HistoryAccess.describe("jdbc:postgresql://vigil:pa;ss@db.example/vigil")).doesNotContain("pa");
        assertThat(HistoryAccess.describe(null)).isEqualTo("jdbc:h2:file:~/.vigil/history");
    }

    @Test
    void aStoreThatFailedAfterWaitingIsNotAskedAgainInTheRun() {
        FailingStore hung = new FailingStore(Duration.ofMillis(120));
        HistoryStore store = new HistoryAccess.GivesUpWhenStalled(hung, Duration.ofMillis(100), Duration.ofSeconds(5));
        HistoryQuery query = HistoryQuery.service("checkout");

        assertThatThrownBy(() -> store.releases(query)).hasMessage("history db: Connection attempt timed out.");
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.rehearsals(query)).isInstanceOf(HistoryException.class)
                .hasMessage("it did not answer in time earlier in this run (Connection attempt timed out.), so it was not asked again");
        assertThatThrownBy(() -> store.releases(query)).isInstanceOf(HistoryException.class);

        assertThat(hung.asked).hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void aStoreThatFailsAtOnceIsAskedAgainSoThatADatabaseBackFromARestartGetsTheRecord() {
        FailingStore refusing = new FailingStore(Duration.ZERO);
        HistoryStore store = new HistoryAccess.GivesUpWhenStalled(refusing, Duration.ofMillis(100), Duration.ofSeconds(5));
        HistoryQuery query = HistoryQuery.service("checkout");

        assertThatThrownBy(() -> store.releases(query)).isInstanceOf(HistoryException.class);
        assertThatThrownBy(() -> store.releases(query)).isInstanceOf(HistoryException.class).hasMessageNotContaining("not asked again");

        assertThat(refusing.asked).hasValue(2);
    }
    @Test
    void anOperationThatNeverReturnsIsAFailureAtTheWaitAndTheRunGivesUpOnTheStore() {
        // An embedded H2 file served by a Vigil stopped with SIGSTOP: the JDBC call sits in a socket read for good.
        FailingStore hung = new FailingStore(Duration.ofDays(1));
        HistoryStore store = new HistoryAccess.GivesUpWhenStalled(hung, Duration.ofMillis(100), Duration.ofMillis(300));
        HistoryQuery query = HistoryQuery.service("checkout");

        long start = System.nanoTime();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> store.releases(query)).isInstanceOf(HistoryException.class)
                        .hasMessage("it did not answer within 300ms"));
        assertThatThrownBy(() -> store.rehearsals(query)).isInstanceOf(HistoryException.class)
                .hasMessageContaining("not asked again");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(hung.asked).hasValue(1);
    }

    /**
     * The deadline wraps every operation of the store: one it does not override falls back to the
     * interface's default, which keeps nothing and reads nothing, and so silently turns off what it
     * serves (without {@code started} and {@code starts}, a watch in another process could not tell
     * that a newer version is being verified, and rolled it back).
     */
    @Test
    void theDeadlineWrapsEveryOperationOfTheStore() {
        List<String> missing = java.util.Arrays.stream(HistoryStore.class.getMethods())
                .filter(m -> !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
                .filter(m -> {
                    try {
                        return HistoryAccess.GivesUpWhenStalled.class.getDeclaredMethod(m.getName(), m.getParameterTypes()) == null;
                    } catch (NoSuchMethodException e) {
                        return true;
                    }
                })
                .map(m -> m.getName() + java.util.Arrays.toString(m.getParameterTypes())).toList();
        assertThat(missing).isEmpty();
    }
}
