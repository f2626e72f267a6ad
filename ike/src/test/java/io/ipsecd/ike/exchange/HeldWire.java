package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Connection;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.net.IkeTransport;
import io.ipsecd.ike.sa.ManualEventLoop;
import io.ipsecd.ike.sa.RetransmitPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Two negotiators (corp 192.0.2.1, cloud 192.0.2.2) on one manual clock, joined by a wire that can
 * hold datagrams and release them in any order: how tests make exchanges cross deterministically.
 */
final class HeldWire {
    static final InetSocketAddress CORP = new InetSocketAddress("192.0.2.1", 500);
    static final InetSocketAddress CLOUD = new InetSocketAddress("192.0.2.2", 500);

    /** One datagram on its way. */
    record Datagram(Negotiator from, Negotiator to, InetSocketAddress src, InetSocketAddress dst, byte[] bytes,
                    String text) {
        boolean is(ExchangeType exchange, boolean response) {
            IkeHeader h = header(bytes);
            return h.exchangeType() == exchange.value() && h.responseFlag() == response;
        }

        boolean response() {
            return header(bytes).responseFlag();
        }
    }

    static IkeHeader header(byte[] datagram) {
        try {
            return IkeMessageCodec.decodeHeader(datagram);
        } catch (io.ipsecd.ike.message.IkeDecodeException e) {
            throw new AssertionError(e);
        }
    }

    final ManualEventLoop loop = new ManualEventLoop(Instant.parse("2026-01-01T00:00:00Z"));
    final MemoryPort corpPort = new MemoryPort();
    final MemoryPort cloudPort = new MemoryPort();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> corpEvents = new CopyOnWriteArrayList<>();
    final List<String> cloudEvents = new CopyOnWriteArrayList<>();
    /** Every event as "type: message", both sides. */
    final List<String> eventTexts = new CopyOnWriteArrayList<>();
    final Negotiator corp;
    final Negotiator cloud;
    final Connection corpConn;
    final Connection cloudConn;
    final List<String> wire = new ArrayList<>();
    private final List<Datagram> held = new ArrayList<>();
    /** Which datagrams to hold instead of delivering at once. */
    Predicate<Datagram> hold = d -> false;
    /** Runs after each datagram is processed: where tests check invariants at every step. */
    Runnable afterDelivery = () -> { };

    HeldWire(long seed, String esp) {
        corp = negotiator(corpPort, seed, corpEvents);
        cloud = negotiator(cloudPort, seed + 1000, cloudEvents);
        corpConn = LoopbackGateway.connection("192.0.2.1", "corp", "192.0.2.2", "cloud", 500, "a-long-shared-secret",
                "aes256gcm16-prfsha384-x25519", esp, "10.1.0.0/24", "10.2.0.0/24");
        cloudConn = LoopbackGateway.connection("192.0.2.2", "cloud", "192.0.2.1", "corp", 500, "a-long-shared-secret",
                "aes256gcm16-prfsha384-x25519", esp, "10.2.0.0/24", "10.1.0.0/24");
        corp.attach(transport(corp));
        cloud.attach(transport(cloud));
        corp.connections(List.of(corpConn));
        cloud.connections(List.of(cloudConn));
    }

    private Negotiator negotiator(MemoryPort port, long seed, List<String> events) {
        return new Negotiator(loop, port, RandomSource.deterministic(seed), new Negotiator.Settings(500, 4500,
                RetransmitPolicy.DEFAULT), new NegotiatorListener() {
                    @Override
                    public void failed(String connection, Optional<String> child, String message) {
                        failures.add(connection + ": " + message);
                    }

                    @Override
                    public void event(String type, String connection, String message) {
                        events.add(type);
                        eventTexts.add((events == corpEvents ? "corp " : "cloud ") + type + ": " + message);
                    }
                });
    }

    private IkeTransport transport(Negotiator self) {
        return new IkeTransport() {
            @Override
            public void send(InetSocketAddress local, InetSocketAddress remote, byte[] message) {
                IkeHeader h = header(message);
                String text = (self == corp ? "corp " : "cloud ") + h.exchange().map(Enum::name).orElse("?")
                        + (h.responseFlag() ? " response " : " request ") + h.messageId();
                wire.add(text);
                Datagram d = new Datagram(self, self == corp ? cloud : corp, local, remote, message, text);
                if (hold.test(d)) {
                    held.add(d);
                } else {
                    loop.execute(() -> deliver(d));
                }
            }

            @Override
            public void sendKeepalive(InetSocketAddress local, InetSocketAddress remote) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Delivers the held datagrams that match, in the order they were sent, and lets the loop run. */
    List<String> release(Predicate<Datagram> which) {
        List<Datagram> go = held.stream().filter(which).toList();
        held.removeAll(go);
        go.forEach(d -> loop.execute(() -> deliver(d)));
        loop.runReady();
        return go.stream().map(Datagram::text).toList();
    }

    private void deliver(Datagram d) {
        d.to().receive(d.dst(), d.src(), d.bytes());
        afterDelivery.run();
    }

    List<Datagram> held() {
        return List.copyOf(held);
    }

    /** Drops what is held (a lost datagram). */
    void lose(Predicate<Datagram> which) {
        held.removeIf(which);
    }

    void up() {
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        if (!established(corp) || !established(cloud)) {
            throw new AssertionError("tunnel did not come up: " + wire + " " + failures);
        }
    }

    void run(Duration d) {
        loop.advance(d);
    }

    static boolean established(Negotiator n) {
        return n.snapshot().stream().anyMatch(s -> s.state().equals("ESTABLISHED") && s.children().size() == 1);
    }

    static IkeSaInfo only(Negotiator n) {
        List<IkeSaInfo> sas = n.snapshot();
        if (sas.size() != 1) {
            throw new AssertionError("expected one IKE SA, found " + sas);
        }
        return sas.getFirst();
    }
}
