package dev.vigil.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

    /**
     * A shell running {@code sleep 30; kubectl rollout undo ...} at its timeout: killed after the
     * {@code sleep}, it started the undo the moment the {@code sleep} died (5 runs in 40 on a real
     * shell), and that undo, not among the processes listed for the kill, ran on after the rollback
     * was reported killed.
     */
    @Test
    void aShellIsKilledBeforeTheCommandItWaitsForSoItCannotStartTheNextOne() {
        List<String> startedAfterTheKill = new ArrayList<>();
        FakeProcess shell = new FakeProcess(100, null);
        FakeProcess sleep = new FakeProcess(101, shell);
        FakeProcess watcher = new FakeProcess(102, sleep);
        sleep.whenKilled = () -> {
            if (shell.isAlive()) {
                startedAfterTheKill.add("kubectl rollout undo");
            }
        };

        ProcessRunner.killTree(shell);

        assertThat(startedAfterTheKill).as("nothing started by the shell once the kill began").isEmpty();
        assertThat(List.of(shell, sleep, watcher)).noneMatch(FakeProcess::isAlive);
    }

    /**
     * A command that leaves a process behind holding its output ({@code sleep 20 &}, not redirected):
     * the thread reading the output stayed blocked on the open pipe until that process ended (for a
     * daemon, for ever), one thread per attempt, and the JVM's own closing of the pipe at the exit
     * waited for it.
     */
    @Test
    void aProcessLeftBehindHoldingTheOutputLeavesNoThreadReadingIt() throws Exception {
        String reader = "vigil-test-output-" + System.nanoTime();
        long started = System.nanoTime();

        ProcessRunner.Result run = ProcessRunner.run(
                List.of("/bin/sh", "-c", "echo before; sleep 20 & sleep 0.5; echo after; exit 3"), Map.of(),
                Duration.ofSeconds(30), 10_000, reader);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.timedOut()).isFalse();
        assertThat(run.output()).contains("before").contains("after");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(reader) && t.isAlive());
    }

    /** A process of a tree, alive until it is killed; a child is listed by its parent. */
    private static final class FakeProcess implements ProcessHandle {
        private final long pid;
        private final FakeProcess parent;
        private final List<FakeProcess> children = new ArrayList<>();
        private final CompletableFuture<ProcessHandle> exit = new CompletableFuture<>();
        Runnable whenKilled = () -> { };

        FakeProcess(long pid, FakeProcess parent) {
            this.pid = pid;
            this.parent = parent;
            if (parent != null) {
                parent.children.add(this);
            }
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public Optional<ProcessHandle> parent() {
            return Optional.ofNullable(parent);
        }

        @Override
        public Stream<ProcessHandle> children() {
            return children.stream().filter(FakeProcess::isAlive).map(c -> c);
        }

        @Override
        public Stream<ProcessHandle> descendants() {
            return children.stream().filter(FakeProcess::isAlive).flatMap(c -> Stream.concat(Stream.of(c), c.descendants()));
        }

        @Override
        public Info info() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<ProcessHandle> onExit() {
            return exit;
        }

        @Override
        public boolean supportsNormalTermination() {
            return true;
        }

        @Override
        public boolean destroy() {
            return destroyForcibly();
        }

        @Override
        public boolean destroyForcibly() {
            if (exit.complete(this)) {
                whenKilled.run();
            }
            return true;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public int compareTo(ProcessHandle other) {
            return Long.compare(pid, other.pid());
        }
    }
}
