package dev.vigil.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A loopback fleet in one small non-blocking server: {@code healthyPorts} ports that answer every
 * request on a keep-alive connection with an actuator {@code UP}, and one black-hole port that
 * accepts connections and never reads or answers. One selector thread serves them all.
 *
 * <p>{@code java -cp vigil-bench.jar dev.vigil.bench.FleetServer HEALTHY_PORTS} prints
 * {@code READY <healthy port>,<healthy port>,... <black-hole port>} and serves until stdin closes.
 */
public final class FleetServer {

    /** Most connections waiting to be accepted on one port. */
    static final int BACKLOG = 4096;

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/vnd.spring-boot.actuator.v3+json\r\n"
            + "Content-Length: 15\r\n\r\n"
            + "{\"status\":\"UP\"}").getBytes(StandardCharsets.US_ASCII);

    private FleetServer() {
    }

    /**
     * Starts the fleet.
     *
     * @param args the number of healthy ports
     */
    public static void main(String[] args) throws IOException {
        int healthyPorts = Integer.parseInt(args[0]);
        Selector selector = Selector.open();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < healthyPorts; i++) {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(loopback, 0), BACKLOG);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT, Boolean.TRUE);
            ports.add(server.socket().getLocalPort());
        }
        ServerSocketChannel hole = ServerSocketChannel.open();
        hole.bind(new InetSocketAddress(loopback, 0), BACKLOG);
        hole.configureBlocking(false);
        hole.register(selector, SelectionKey.OP_ACCEPT, Boolean.FALSE);
        System.out.println("READY " + String.join(",", ports.stream().map(String::valueOf).toList()) + " "
                + hole.socket().getLocalPort());
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent keeps stdin open while it needs the fleet
                }
            } catch (IOException e) {
                // the parent is gone
            }
            System.exit(0);
        }, "fleet-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        List<SocketChannel> swallowed = new ArrayList<>();
        while (true) {
            selector.select();
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept(key, selector, swallowed);
                } else {
                    serve(key);
                }
            }
        }
    }

    private static void accept(SelectionKey key, Selector selector, List<SocketChannel> swallowed) throws IOException {
        ServerSocketChannel server = (ServerSocketChannel) key.channel();
        SocketChannel client;
        while (true) {
            try {
                client = server.accept();
            } catch (IOException e) {
                // out of file descriptors: the connections closed by the client are closed here as their
                // end is read; accept the rest on the next pass instead of ending the fleet
                return;
            }
            if (client == null) {
                return;
            }
            if (Boolean.TRUE.equals(key.attachment())) {
                client.configureBlocking(false);
                client.register(selector, SelectionKey.OP_READ, new Connection());
            } else {
                swallowed.add(client); // a black hole: held open, never read, never answered
            }
        }
    }

    private static void serve(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        Connection c = (Connection) key.attachment();
        try {
            if (key.isReadable()) {
                c.in.clear();
                int n = channel.read(c.in);
                if (n < 0) {
                    channel.close();
                    return;
                }
                c.pending += c.requestsIn(c.in);
            }
            while (c.out.hasRemaining() || c.pending > 0) {
                if (!c.out.hasRemaining()) {
                    c.out.clear();
                    while (c.pending > 0 && c.out.remaining() >= RESPONSE.length) {
                        c.out.put(RESPONSE);
                        c.pending--;
                    }
                    c.out.flip();
                }
                channel.write(c.out);
                if (c.out.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
            }
            key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }
    }

    /** One keep-alive connection: how far into "\r\n\r\n" the last read ended, and the answers owed. */
    private static final class Connection {
        final ByteBuffer in = ByteBuffer.allocate(4096);
        final ByteBuffer out = ByteBuffer.allocate(16 * 1024).flip();
        int matched;
        int pending;

        /** Counts the ends of request heads (GET requests carry no body). */
        int requestsIn(ByteBuffer buffer) {
            buffer.flip();
            int found = 0;
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                boolean expected = b == (matched % 2 == 0 ? '\r' : '\n');
                matched = expected ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    found++;
                    matched = 0;
                }
            }
            return found;
        }
    }
}
