package io.ipsecd.ike.exchange;

import io.ipsecd.conf.AuthMethod;
import io.ipsecd.conf.Child;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.Dpd;
import io.ipsecd.conf.Endpoint;
import io.ipsecd.conf.IdKind;
import io.ipsecd.conf.Identity;
import io.ipsecd.conf.IkeSettings;
import io.ipsecd.conf.Proposal;
import io.ipsecd.conf.Secret;
import io.ipsecd.conf.StartAction;
import io.ipsecd.conf.TrafficSelectorSpec;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.net.UdpIkeTransport;
import io.ipsecd.ike.sa.RetransmitPolicy;
import io.ipsecd.ike.sa.ThreadEventLoop;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One negotiator on a loopback address with real UDP sockets, its own event loop and an
 * in-memory data plane. Two of them (127.0.0.1 and 127.0.0.2, same free ports) make a lab.
 */
final class LoopbackGateway implements AutoCloseable {
    static final RetransmitPolicy FAST = new RetransmitPolicy(Duration.ofMillis(500), 1.5, Duration.ofSeconds(2), 3);

    final MemoryPort port = new MemoryPort();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    private final ThreadEventLoop loop;
    private final Negotiator negotiator;
    private final UdpIkeTransport transport;

    LoopbackGateway(String address, int[] ports, long seed) throws IOException {
        loop = new ThreadEventLoop("ike-" + address, Clock.systemUTC());
        negotiator = new Negotiator(loop, port, RandomSource.deterministic(seed),
                new Negotiator.Settings(ports[0], ports[1], FAST), new NegotiatorListener() {
                    @Override
                    public void failed(String connection, Optional<String> child, String message) {
                        failures.add(message);
                    }

                    @Override
                    public void event(String type, String connection, String message) {
                        events.add(type);
                    }
                });
        transport = UdpIkeTransport.open(List.of(InetAddress.ofLiteral(address)), ports[0], ports[1],
                (at, from, data) -> loop.execute(() -> negotiator.receive(at, from, data)));
        negotiator.attach(transport);
    }

    /** Two ports free on 127.0.0.1 (and, on Linux, in practice on 127.0.0.2 too). */
    static int[] freePorts() throws IOException {
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.ofLiteral("127.0.0.1"));
             DatagramSocket b = new DatagramSocket(0, InetAddress.ofLiteral("127.0.0.1"))) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    <T> T call(Function<Negotiator, T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(action.apply(negotiator));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void run(java.util.function.Consumer<Negotiator> action) {
        call(n -> {
            action.accept(n);
            return null;
        });
    }

    List<IkeSaInfo> sas() {
        return call(Negotiator::snapshot);
    }

    boolean up() {
        return sas().stream().anyMatch(s -> s.state().equals("ESTABLISHED") && !s.children().isEmpty());
    }

    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() throws InterruptedException {
        transport.close();
        loop.close();
    }

    /** A connection from {@code local} to {@code remote} with one child "net". */
    static Connection connection(String local, String localId, String remote, String remoteId, int port, String psk,
                                 String ike, String esp, String localTs, String remoteTs) {
        Endpoint l = new Endpoint(local, Optional.of(InetAddress.ofLiteral(local)), port, new Identity(IdKind.FQDN, localId),
                AuthMethod.PSK);
        Endpoint r = new Endpoint(remote, Optional.of(InetAddress.ofLiteral(remote)), port,
                new Identity(IdKind.FQDN, remoteId), AuthMethod.PSK);
        Child child = new Child("net", List.of(TrafficSelectorSpec.parse(localTs)), List.of(TrafficSelectorSpec.parse(remoteTs)),
                List.of(Proposal.parseEsp(esp)), StartAction.NONE, Duration.ofHours(1));
        return new Connection("s2s", l, r, Optional.of(Secret.of(psk.getBytes(StandardCharsets.UTF_8), "test")),
                new IkeSettings(List.of(Proposal.parseIke(ike)), Duration.ofHours(8), Dpd.defaults(), false, false),
                Map.of("net", child));
    }

    static InetSocketAddress at(String address, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(address), port);
    }
}
