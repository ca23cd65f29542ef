package dev.vigil.junit.probe;

import dev.vigil.report.Reports;
import dev.vigil.spi.CredentialNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What is printed on {@code System.out} and {@code System.err} while tests run, masked line by line
 * before it reaches the console: a test that logs a request ({@code Authorization: Bearer ...}) or a
 * secret parameter must not put it into the log of the pipeline running Vigil.
 *
 * <p>The standard streams belong to the whole JVM, so this is the one place with static state: the
 * first run wraps each stream in a {@link Masking} stream that stays (a stream replaced later is
 * wrapped again by the next run), and a stream a test replaced during a run is put back when the
 * last run under way ends. While any run is active, every thread's lines are masked with the
 * secrets of every active run and redacted as the reports redact ({@link Reports#redact}): a test
 * may print from a thread that no run started, such as a worker of the common pool that
 * {@code CompletableFuture.runAsync} and parallel streams use, or one a concurrent run started. A
 * thread a run started (and the threads it starts) keeps that run's secrets for its whole life.
 * When no run is active, the output of every other thread passes unchanged, unheld. Bytes are read
 * as ISO-8859-1, which keeps them as they are; a masked thread's text is held until its line ends (or
 * 64 KiB) so that a secret is never cut in two, and a line begun during a run is masked with that
 * run's secrets even when it ends after the run. Thread-safe.
 */
final class MaskedConsole {

    /** How much of an unfinished line is held before it is masked and written anyway. */
    private static final int MAX_LINE = 64 * 1024;
    /** What a secret is replaced with, here and in what the tests say. */
    static final String MASK = "[REDACTED]";

    /** How a PEM block's first line starts. */
    private static final String KEY_BEGIN = "-----BEGIN ";
    /** How a PEM block's last line starts. */
    private static final String KEY_END = "-----END ";
    /** How a PEM private key's first and last lines end. */
    private static final String PRIVATE_KEY = "PRIVATE KEY-----";

    /** The console secrets of the run the current thread belongs to; inherited by the threads a test starts. */
    private static final InheritableThreadLocal<List<String>> OWN = new InheritableThreadLocal<>();

    /** The runs now active; replaced whole, under the class's lock, so that a write reads it without locking. */
    private static volatile Active active = Active.NONE;

    private MaskedConsole() {
    }

    /**
     * The runs now active, each as its secrets, and all their secrets together.
     *
     * @param runs one entry per active run
     * @param secrets every active run's secrets, without repetition
     */
    private record Active(List<List<String>> runs, Set<String> secrets) {

        static final Active NONE = new Active(List.of(), Set.of());

        boolean any() {
            return !runs.isEmpty();
        }

        Active with(List<String> run) {
            List<List<String>> more = new ArrayList<>(runs);
            more.add(run);
            return of(more);
        }

        Active without(List<String> run) {
            List<List<String>> fewer = new ArrayList<>(runs);
            fewer.remove(run);
            return of(fewer);
        }

        private static Active of(List<List<String>> runs) {
            Set<String> secrets = new LinkedHashSet<>();
            runs.forEach(secrets::addAll);
            return runs.isEmpty() ? NONE : new Active(List.copyOf(runs), Set.copyOf(secrets));
        }
    }

    /**
     * Runs {@code body} as an active run: what any thread prints meanwhile is masked with
     * {@code secrets} (and those of every other active run), and what the calling thread and the
     * threads it starts print, for their whole life. An unfinished last line of the calling thread
     * is masked and written at the end.
     *
     * @param secrets the run's secrets as they appear in bytes read as ISO-8859-1 (see {@link #forms})
     */
    static void masked(List<String> secrets, Runnable body) {
        List<String> run = List.copyOf(secrets);
        install();
        start(run);
        OWN.set(run);
        try {
            body.run();
        } finally {
            if (System.out instanceof Masking out) {
                out.end();
            }
            if (System.err instanceof Masking err) {
                err.end();
            }
            OWN.remove();
            end(run);
        }
    }

    private static synchronized void install() {
        if (!(System.out instanceof Masking)) {
            System.setOut(new Masking(System.out));
        }
        if (!(System.err instanceof Masking)) {
            System.setErr(new Masking(System.err));
        }
    }

    /**
     * The standard streams when the first of the runs under way started; guarded by the class's lock.
     * A test may replace them (to check what it prints) and not put them back: the last run to end does.
     */
    private static PrintStream savedOut;
    private static PrintStream savedErr;

    private static synchronized void start(List<String> run) {
        if (!active.any()) {
            savedOut = System.out;
            savedErr = System.err;
        }
        active = active.with(run);
    }

    private static synchronized void end(List<String> run) {
        active = active.without(run);
        if (!active.any()) {
            // Not earlier: a test of a run still under way may be printing into the stream it set.
            if (System.out != savedOut) {
                System.setOut(savedOut);
            }
            if (System.err != savedErr) {
                System.setErr(savedErr);
            }
            savedOut = null;
            savedErr = null;
        }
    }

    /** A line with each secret (longest first, so that one containing another is masked whole) masked, then redacted as the reports are. */
    private static String mask(String line, Set<String> secrets) {
        return Reports.redact(hidden(line, secrets));
    }

    /**
     * The text with each of the values replaced by the mask, longest first
     * ({@link CredentialNames#scrub}); {@code null} stays {@code null}.
     */
    static String hidden(String text, java.util.Collection<String> values) {
        return CredentialNames.scrub(text, values, MASK);
    }

    /** A thread's unfinished line and the secrets it is to be masked with. */
    private static final class Pending {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** The secrets of the runs active while the line was written, so that one ending after its run is masked too. */
        final Set<String> secrets = new LinkedHashSet<>();
        /**
         * Whether the thread's last line began a PEM private key that no line has ended yet: the key's
         * lines are masked whole, as {@link Reports#redact} masks the key in a text that holds all of it.
         */
        boolean inPrivateKey;
        /** The active runs whose secrets were last added: a write adds them again only after a run starts or ends. */
        Active seen;

        void saw(Active now) {
            if (seen != now) {
                secrets.addAll(now.secrets());
                seen = now;
            }
        }
    }

    /** A standard stream that masks the lines of the threads that belong to a run, and of every thread while one is active. */
    static final class Masking extends PrintStream {

        private final PrintStream target;
        /** The calling thread's unfinished line; none for a thread that printed only while no run was active. */
        private final ThreadLocal<Pending> pending = new ThreadLocal<>();

        Masking(PrintStream target) {
            super(target, true);
            this.target = target;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            List<String> own = OWN.get();
            Active now = active;
            Pending line = pending.get();
            if (own == null && !now.any() && line == null) {
                target.write(buf, off, len);
                return;
            }
            if (line == null) {
                line = new Pending();
                pending.set(line);
            }
            line.saw(now);
            for (int i = off; i < off + len; i++) {
                line.bytes.write(buf[i]);
                if (buf[i] == '\n' || line.bytes.size() >= MAX_LINE) {
                    emit(line, own, now);
                }
            }
            if (own == null && !now.any() && line.bytes.size() == 0) {
                // The run this thread printed during has ended: back to the unheld path, nothing kept.
                pending.remove();
            }
        }

        /** Writes the calling thread's unfinished line, masked, and forgets it. */
        void end() {
            Pending line = pending.get();
            if (line != null && line.bytes.size() > 0) {
                emit(line, OWN.get(), active);
            }
            pending.remove();
        }

        private void emit(Pending line, List<String> own, Active now) {
            Set<String> secrets = new LinkedHashSet<>(line.secrets);
            secrets.addAll(now.secrets());
            if (own != null) {
                secrets.addAll(own);
            }
            byte[] masked = shown(line, line.bytes.toString(StandardCharsets.ISO_8859_1), secrets)
                    .getBytes(StandardCharsets.ISO_8859_1);
            line.bytes.reset();
            line.secrets.clear();
            line.seen = null;
            line.saw(now);
            target.write(masked, 0, masked.length);
            target.flush();
        }

        /**
         * A line as it is shown: masked, and a line of a PEM private key that an earlier line began
         * ({@code -----BEGIN ... PRIVATE KEY-----}) masked whole, its line break kept, up to the
         * key's {@code -----END} line.
         */
        private static String shown(Pending line, String text, Set<String> secrets) {
            String prefix = "";
            String rest = text;
            if (line.inPrivateKey) {
                int end = text.indexOf(KEY_END);
                if (end < 0) {
                    return MASK + text.substring(text.stripTrailing().length());
                }
                prefix = end > 0 ? MASK : "";
                rest = text.substring(end);
                line.inPrivateKey = false;
            }
            int begin = rest.lastIndexOf(KEY_BEGIN);
            line.inPrivateKey = begin >= 0 && rest.indexOf(PRIVATE_KEY, begin) > 0 && rest.indexOf(KEY_END, begin) < 0;
            return prefix + mask(rest, secrets);
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            target.close();
        }
    }

    /** Each form a secret takes in bytes read as ISO-8859-1: as UTF-8, and in the default charset. */
    static void forms(String secret, Consumer<String> out) {
        out.accept(new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        out.accept(new String(secret.getBytes(java.nio.charset.Charset.defaultCharset()), StandardCharsets.ISO_8859_1));
    }
}
