package dev.vigil.junit.probe;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What the tests print on {@code System.out} and {@code System.err}, masked line by line before it
 * reaches the console: a test that logs a request ({@code Authorization: Bearer ...}) or a secret
 * parameter must not put it into the log of the pipeline running Vigil.
 *
 * <p>The standard streams belong to the whole JVM, so this is the one place with static state: the
 * first run wraps each stream in a {@link Masking} stream that stays (a stream replaced later is
 * wrapped again by the next run). It masks the output of the threads of a run and of the threads
 * they start; every other thread's output passes unchanged. Bytes are read as ISO-8859-1, which
 * keeps them as they are; text is held until its line ends (or 64 KiB) so that a secret is never cut
 * in two. Thread-safe.
 */
final class MaskedConsole {

    /** How much of an unfinished line is held before it is masked and written anyway. */
    private static final int MAX_LINE = 64 * 1024;

    /** The mask of the run the current thread belongs to; inherited by the threads a test starts. */
    private static final InheritableThreadLocal<UnaryOperator<String>> MASK = new InheritableThreadLocal<>();

    private MaskedConsole() {
    }

    /**
     * Runs {@code body} with what it (and the threads it starts) prints masked by {@code mask}; an
     * unfinished last line of the calling thread is masked and written at the end.
     */
    static void masked(UnaryOperator<String> mask, Runnable body) {
        install();
        MASK.set(mask);
        try {
            body.run();
        } finally {
            MASK.remove();
            if (System.out instanceof Masking out) {
                out.end(mask);
            }
            if (System.err instanceof Masking err) {
                err.end(mask);
            }
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

    /** A standard stream that masks the lines of the threads that belong to a run. */
    static final class Masking extends PrintStream {

        private final PrintStream target;
        private final ThreadLocal<ByteArrayOutputStream> pending = ThreadLocal.withInitial(ByteArrayOutputStream::new);

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
            UnaryOperator<String> mask = MASK.get();
            if (mask == null) {
                target.write(buf, off, len);
                return;
            }
            ByteArrayOutputStream line = pending.get();
            for (int i = off; i < off + len; i++) {
                line.write(buf[i]);
                if (buf[i] == '\n' || line.size() >= MAX_LINE) {
                    emit(line, mask);
                }
            }
        }

        /** Writes the calling thread's unfinished line, masked. */
        void end(UnaryOperator<String> mask) {
            ByteArrayOutputStream line = pending.get();
            if (line.size() > 0) {
                emit(line, mask);
            }
            pending.remove();
        }

        private void emit(ByteArrayOutputStream line, UnaryOperator<String> mask) {
            byte[] masked = mask.apply(line.toString(StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            line.reset();
            target.write(masked, 0, masked.length);
            target.flush();
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
