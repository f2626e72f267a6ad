package io.ipsecd.ike.exchange;

import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.LoadResult;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaStats;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.net.IkeTransport;
import io.ipsecd.ike.port.SaId;
import io.ipsecd.ike.sa.ManualEventLoop;
import io.ipsecd.ike.sa.RetransmitPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Two negotiators, corp (192.0.2.1) and cloud (192.0.2.2), on one manual clock, joined by an
 * in-memory network a test can cut, or on which it can hold datagrams and release them in any
 * order (how exchanges are made to cross deterministically); their connections come from YAML, as
 * an admin writes them. Records the wire, failures and events with the time they happened
 * (seconds since the start).
 */
final class ScriptedLab {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String CORP = "192.0.2.1";
    static final String CLOUD = "192.0.2.2";

    final ManualEventLoop loop = new ManualEventLoop(T0);
    final MemoryPort corpPort = new MemoryPort();
    final MemoryPort cloudPort = new MemoryPort();
    /** "12.5 192.0.2.1 INFORMATIONAL request 2": each datagram sent, dropped or not. */
    final List<String> wire = new ArrayList<>();
    /** "12.5 corp dpd-dead: message". */
    final List<String> events = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final Negotiator corp;
    final Negotiator cloud;
    /** While true, every datagram is lost in both directions (a dead peer, a cut line). */
    boolean cut;
    /** Which datagrams to hold on the wire instead of delivering at once. */
    Predicate<Datagram> hold = d -> false;
    /** Runs after each datagram is processed: where tests check invariants at every step. */
    Runnable afterDelivery = () -> { };
    private final List<Datagram> held = new ArrayList<>();

    /** One datagram on its way; {@code text} as "cloud CREATE_CHILD_SA request 0". */
    record Datagram(Negotiator from, Negotiator to, InetSocketAddress src, InetSocketAddress dst, byte[] bytes,
                    String text) {
        boolean is(ExchangeType exchange, boolean response) {
            IkeHeader h = header();
            return h.exchangeType() == exchange.value() && h.responseFlag() == response;
        }

        boolean response() {
            return header().responseFlag();
        }

        private IkeHeader header() {
            try {
                return IkeMessageCodec.decodeHeader(bytes);
            } catch (io.ipsecd.ike.message.IkeDecodeException e) {
                throw new AssertionError(e);
            }
        }
    }

    ScriptedLab() {
        this(1);
    }

    /** Seeds the two sides' randomness (SPIs, nonces) with {@code seed} and {@code seed + 1}. */
    ScriptedLab(long seed) {
        corp = negotiator("corp", corpPort, seed);
        cloud = negotiator("cloud", cloudPort, seed + 1);
        corp.attach(transport(corp));
        cloud.attach(transport(cloud));
    }

    /**
     * A connection "s2s" from {@code local} to {@code remote} ("%any" to only respond) with one
     * child "net" (10.1.0.0/24 on corp's side), and the given ike.dpd and child start values.
     */
    static Connection connection(String local, String remote, String dpd, String start, String psk) {
        return connection(local, remote, dpd, start, psk, "aes256gcm16");
    }

    /** As above, with the child's ESP proposal (e.g. with a PFS group). */
    static Connection connection(String local, String remote, String dpd, String start, String psk, String esp) {
        return connection(local, remote, dpd, start, psk, esp, "aes256gcm16-prfsha384-x25519");
    }

    /** As above, with the IKE proposal too (e.g. with additional key exchanges). */
    static Connection connection(String local, String remote, String dpd, String start, String psk, String esp,
                                 String ike) {
        boolean corpSide = local.equals(CORP);
        String yaml = """
                connections:
                  s2s:
                    local: { address: %s, id: %s }
                    remote: { address: "%s", id: %s }
                    psk: { env: PSK }
                    ike: { proposals: [%s], dpd: %s }
                    children:
                      net: { local_ts: [%s], remote_ts: [%s], esp_proposals: [%s], start: %s }
                """.formatted(local, corpSide ? "corp" : "cloud", remote, corpSide ? "cloud" : "corp", ike, dpd,
                corpSide ? "10.1.0.0/24" : "10.2.0.0/24", corpSide ? "10.2.0.0/24" : "10.1.0.0/24", esp, start);
        LoadResult r = ConfigLoader.parse(yaml, "lab.yaml", Path.of("/"), name -> name.equals("PSK") ? psk : null);
        if (!(r instanceof LoadResult.Valid valid)) {
            throw new AssertionError("lab config invalid: " + r + "\n" + yaml);
        }
        return valid.config().connections().get("s2s");
    }

    static final String PSK = "a-long-shared-secret";

    private Negotiator negotiator(String side, MemoryPort port, long seed) {
        return new Negotiator(loop, port, RandomSource.deterministic(seed),
                new Negotiator.Settings(500, 4500, RetransmitPolicy.DEFAULT), new NegotiatorListener() {
                    @Override
                    public void failed(String connection, Optional<String> child, String message) {
                        failures.add(side + ": " + message);
                    }

                    @Override
                    public void event(String type, String connection, String message) {
                        events.add(at() + " " + side + " " + type + ": " + message);
                    }
                });
    }

    private IkeTransport transport(Negotiator self) {
        return new IkeTransport() {
            @Override
            public void send(InetSocketAddress local, InetSocketAddress remote, byte[] message) {
                wire.add(at() + " " + local.getAddress().getHostAddress() + " " + describe(message));
                Datagram d = new Datagram(self, self == corp ? cloud : corp, local, remote, message,
                        (self == corp ? "corp " : "cloud ") + describe(message));
                if (cut) {
                    return;
                }
                if (hold.test(d)) {
                    held.add(d);
                } else {
                    loop.execute(() -> deliver(d));
                }
            }

            @Override
            public void close() {
            }
        };
    }

    private void deliver(Datagram d) {
        d.to().receive(d.dst(), d.src(), d.bytes());
        afterDelivery.run();
    }

    /** Delivers the held datagrams that match, in the order they were sent, and lets the loop run. */
    List<String> release(Predicate<Datagram> which) {
        List<Datagram> go = held.stream().filter(which).toList();
        held.removeAll(go);
        go.forEach(d -> loop.execute(() -> deliver(d)));
        loop.runReady();
        return go.stream().map(Datagram::text).toList();
    }

    List<Datagram> held() {
        return List.copyOf(held);
    }

    /** Drops what is held (lost datagrams). */
    void lose(Predicate<Datagram> which) {
        held.removeIf(which);
    }

    static IkeSaInfo only(Negotiator n) {
        List<IkeSaInfo> sas = n.snapshot();
        if (sas.size() != 1) {
            throw new AssertionError("expected one IKE SA, found " + sas);
        }
        return sas.getFirst();
    }

    /** Seconds since the lab started, as "12.5". */
    String at() {
        long millis = Duration.between(T0, loop.now()).toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    private static String describe(byte[] datagram) {
        try {
            IkeHeader h = IkeMessageCodec.decodeHeader(datagram);
            return h.exchange().map(Enum::name).orElse("?") + (h.responseFlag() ? " response " : " request ") + h.messageId();
        } catch (Exception e) {
            return "garbage";
        }
    }

    void run(Duration d) {
        loop.advance(d);
    }

    void runSeconds(double seconds) {
        loop.advance(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    static boolean up(Negotiator n) {
        return n.snapshot().stream().anyMatch(s -> s.state().equals("ESTABLISHED") && s.children().size() == 1);
    }

    /** Packets "arrived" on each inbound SA of {@code n}: the counters its port reports grow by one. */
    static void espArrives(Negotiator n, MemoryPort port) {
        for (IkeSaInfo sa : n.snapshot()) {
            for (IkeSaInfo.ChildSaInfo c : sa.children()) {
                SaId id = new SaId(c.spiIn(), SaDirection.INBOUND);
                long before = port.usage.containsKey(id) ? port.usage.get(id).packets() : 0;
                port.usage.put(id, new SaStats(before + 1, (before + 1) * 100, 0, 0, 0, 0, 0, System.nanoTime()));
            }
        }
    }

    /** Wire lines from {@code address} whose text contains {@code what}, e.g. "INFORMATIONAL request". */
    List<String> sent(String address, String what) {
        return wire.stream().filter(w -> w.split(" ", 3)[1].equals(address) && w.contains(what)).toList();
    }

    List<String> events(String side, String type) {
        return events.stream().filter(e -> e.split(" ", 3)[1].equals(side) && e.split(" ", 4)[2].equals(type + ":"))
                .toList();
    }

    /** The time (seconds since start) of a recorded wire or event line. */
    static double time(String line) {
        return Double.parseDouble(line.split(" ", 2)[0]);
    }
}
