package io.ipsecd.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request on ipsecd's control socket straight from the test JVM (docs/control-protocol.md),
 * for tests that poll or act every few hundred milliseconds, where starting an ipsecctl JVM each
 * time would cost more CPU than the tunnel under test. Unix socket paths are not namespaced, so
 * this works from outside the gateway's network namespace. Every wait is bounded.
 */
public final class ControlSocket {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong();

    private ControlSocket() {}

    /** The whole response object ({@code kind}, {@code result}, {@code error}). */
    public static JsonNode request(Path socket, String command, Map<String, String> args, Duration timeout) {
        ObjectNode req = JSON.createObjectNode().put("version", 1).put("id", "t" + IDS.incrementAndGet())
                .put("command", command);
        ObjectNode a = req.putObject("args");
        args.forEach(a::put);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
             Selector selector = Selector.open()) {
            ByteBuffer out = ByteBuffer.wrap((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) ch.write(out);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) throw new IllegalStateException("no answer to '" + command + "' on " + socket + " within " + timeout);
                selector.select(left);
                selector.selectedKeys().clear();
                in.clear();
                int n = ch.read(in);
                if (n < 0) throw new IllegalStateException("ipsecd closed " + socket + " before answering '" + command + "'");
                for (int i = 0; i < n; i++) {
                    byte b = in.get(i);
                    if (b == '\n') return JSON.readTree(line.toString(StandardCharsets.UTF_8));
                    line.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("control socket " + socket + ": " + command, e);
        }
    }

    /**
     * {@code monitor}: the daemon's events ({@code {at, type, connection, message}}) as they come,
     * collected by a reader thread until {@link Monitor#close}.
     */
    public static Monitor monitor(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            String req = "{\"version\":1,\"id\":\"m" + IDS.incrementAndGet() + "\",\"command\":\"monitor\"}\n";
            ByteBuffer out = ByteBuffer.wrap(req.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) ch.write(out);
            Monitor m = new Monitor(ch);
            m.reader.start();
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("control socket " + socket + ": monitor", e);
        }
    }

    /** The events a {@link #monitor} has received so far. */
    public static final class Monitor implements AutoCloseable {
        private final SocketChannel channel;
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Monitor(SocketChannel channel) {
            this.channel = channel;
            this.reader = Thread.ofPlatform().daemon().name("ipsecd-monitor").unstarted(this::read);
        }

        private void read() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            try {
                while (channel.read(in.clear()) >= 0) {
                    for (int i = 0; i < in.position(); i++) {
                        byte b = in.get(i);
                        if (b != '\n') {
                            line.write(b);
                            continue;
                        }
                        JsonNode r = JSON.readTree(line.toString(StandardCharsets.UTF_8));
                        if ("event".equals(r.path("kind").asText())) events.add(r.path("result"));
                        line.reset();
                    }
                }
            } catch (IOException e) {
                // closed by close(), or the daemon went away: the events so far stay readable
            }
        }

        /** How many events of this type arrived so far. */
        public long count(String type) {
            return events.stream().filter(e -> type.equals(e.path("type").asText())).count();
        }

        public List<JsonNode> events() { return List.copyOf(events); }

        /** Events of {@code type} ({@code dpd-dead}, {@code restart}, ...), oldest first. */
        public List<JsonNode> events(String type) {
            return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
        }

        /** Everything seen so far, one event a line, for failure messages. */
        public String dump() {
            StringBuilder sb = new StringBuilder();
            events.forEach(e -> sb.append(e.path("at").asText()).append(' ').append(e.path("type").asText()).append(' ')
                    .append(e.path("connection").asText()).append(": ").append(e.path("message").asText()).append('\n'));
            return sb.toString();
        }

        /** When an event happened, by the daemon's clock. */
        public static java.time.Instant at(JsonNode event) {
            return java.time.Instant.parse(event.path("at").asText());
        }

        @Override
        public void close() {
            try {
                channel.close();
                reader.join(Duration.ofSeconds(5));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The {@code result} of a successful request; an error answer throws with its code and message. */
    public static JsonNode result(Path socket, String command, Map<String, String> args, Duration timeout) {
        JsonNode r = request(socket, command, args, timeout);
        if (!"result".equals(r.path("kind").asText())) {
            throw new IllegalStateException("ipsecd refused '" + command + " " + args + "': " + r.path("error"));
        }
        return r.path("result");
    }
}
