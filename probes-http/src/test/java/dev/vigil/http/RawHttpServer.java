package dev.vigil.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers every request with the same bytes, exactly as written: what a
 * real server (WireMock, the JDK's) would normalise or refuse — header names repeated in another
 * case, a body shorter than its {@code Content-Length} — each connection closed after its answer.
 */
final class RawHttpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final byte[] answer;
    private final boolean stalls;
    private final AtomicInteger requests = new AtomicInteger();

    private RawHttpServer(String answer, boolean stalls) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.answer = answer.getBytes(StandardCharsets.ISO_8859_1);
        this.stalls = stalls;
        Thread accepting = new Thread(this::serve, "raw-http-" + socket.getLocalPort());
        accepting.setDaemon(true);
        accepting.start();
    }

    /**
     * Starts a server answering {@code answer}: status line, headers and body, lines ended with CRLF.
     *
     * @param answer the bytes of each answer, as ISO-8859-1 text
     * @return the running server; close it
     */
    static RawHttpServer answering(String answer) {
        return start(answer, false);
    }

    /**
     * Starts a server that sends {@code answer} and then keeps the connection open without another
     * byte until it is closed: a receiver that announced more body than it sends, and stalls.
     *
     * @param answer the bytes sent before the stall, as ISO-8859-1 text
     * @return the running server; close it
     */
    static RawHttpServer stallingAfter(String answer) {
        return start(answer, true);
    }

    private static RawHttpServer start(String answer, boolean stalls) {
        try {
            return new RawHttpServer(answer, stalls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    /** How many requests were read whole. */
    int requests() {
        return requests.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                readRequest(connection.getInputStream());
                requests.incrementAndGet();
                connection.getOutputStream().write(answer);
                connection.getOutputStream().flush();
                while (stalls && !socket.isClosed()) {
                    Thread.sleep(50);
                }
                connection.shutdownOutput();
            } catch (IOException e) {
                // closed, or a client that went away: the next connection is answered the same
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Reads the request's head and the body its Content-Length announces. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request ended in its head");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        in.readNBytes((int) length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
