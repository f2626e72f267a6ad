package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.StartAction;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.NoncePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.net.IkeTransport;
import io.ipsecd.ike.port.IpsecPort;
import io.ipsecd.ike.port.SaId;
import io.ipsecd.ike.sa.EventLoop;
import io.ipsecd.ike.sa.RetransmitPolicy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IKEv2 negotiator: finds the IKE SA for each arriving message (or starts a responder one),
 * starts initiator IKE SAs, and answers the daemon's up/down/list. Everything runs on one
 * {@link EventLoop}: call every method from it.
 */
public final class Negotiator {
    private static final Logger log = LoggerFactory.getLogger("ike");

    /** Local ports (500/4500 in production; free ports in tests) and the retransmission policy. */
    public record Settings(int ikePort, int natTPort, RetransmitPolicy retransmit) {
        public static final Settings DEFAULT = new Settings(500, 4500, RetransmitPolicy.DEFAULT);
    }

    /** strongSwan's half_open_timeout; a responder SA without IKE_AUTH by then is dropped. */
    static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(30);
    /** Beyond this many half-open responder SAs, new IKE_SA_INITs are dropped unanswered. */
    static final int MAX_HALF_OPEN = 1000;

    /** strongSwan's cookie_threshold: from this many half-open SAs on, IKE_SA_INIT needs a cookie. */
    int cookieThreshold = 30;
    private final Cookies cookies;

    final EventLoop loop;
    final IpsecPort port;
    final RandomSource random;
    final Settings settings;
    final NegotiatorListener listener;
    IkeTransport transport;
    final Map<Long, IkeSa> bySpi = new HashMap<>();
    /** Responder SAs by peer address and initiator SPI, to answer retransmitted IKE_SA_INITs. */
    private final Map<String, IkeSa> byInit = new HashMap<>();
    final Map<String, Integer> reqids = new HashMap<>();
    private final Set<Integer> inboundSpis = new HashSet<>();
    Map<String, Connection> connections = Map.of();
    /** The parsed certificates and keys of the auth: pubkey connections. */
    final PubkeyCredentials credentials = new PubkeyCredentials();
    private long uniqueIds;
    /** start: start children and dead peers' children coming back with backoff. */
    final Restarts restarts = new Restarts(this);

    public Negotiator(EventLoop loop, IpsecPort port, RandomSource random, Settings settings,
                      NegotiatorListener listener) {
        this.loop = loop;
        this.port = port;
        this.random = random;
        this.settings = settings;
        this.listener = listener;
        this.cookies = new Cookies(random, loop.now());
    }

    /** The transport to send with; its receiver must call {@link #receive} on the loop. */
    public void attach(IkeTransport transport) {
        this.transport = transport;
    }

    /**
     * The connections to respond for (a reload replaces them). Every child without an SA gets its
     * trap or drop policy ({@link PortEvents#failClosed}).
     */
    public void connections(Collection<Connection> configured) {
        Map<String, Connection> m = new LinkedHashMap<>();
        configured.forEach(c -> m.put(c.name(), c));
        connections = m;
        credentials.load(m.values()).forEach((name, message) -> {
            log.error("{}: {}", name, message);
            listener.failed(name, Optional.empty(), message);
        });
        // A connection still here kept its IKE SA through the reload: its children's settings may be new.
        bySpi.values().forEach(sa -> sa.conn = m.getOrDefault(sa.name(), sa.conn));
        for (Connection c : m.values()) {
            c.children().values().forEach(ch -> PortEvents.failClosed(this, c, ch));
        }
    }

    /** A packet hit the TRAP policy {@code reqid}: bring its child up (unless it is on its way). */
    public void acquire(int reqid) {
        PortEvents.acquire(this, reqid);
    }

    /** The data plane says an SA reached a byte/packet limit: soft rekeys the child, hard deletes it. */
    public void expired(SaId id, boolean hard) {
        PortEvents.expired(this, id, hard);
    }

    /**
     * Brings up {@code children} of the connection (all when empty): on the existing IKE SA with
     * CREATE_CHILD_SA, or on a new one whose IKE_AUTH carries the first child.
     */
    public void initiate(Connection conn, List<String> childNames) {
        initiate(conn, childNames, false);
    }

    /** As above; a restart attempt ({@code bounded}) gives its connect up after dpd.timeout. */
    void initiate(Connection conn, List<String> childNames, boolean bounded) {
        List<Child> wanted = new ArrayList<>();
        for (Child c : conn.children().values()) {
            if (childNames.isEmpty() || childNames.contains(c.name())) {
                wanted.add(c);
            }
        }
        Optional<IkeSa> existing = sas(conn.name()).stream().filter(s -> s.state != IkeSa.State.DELETING && !s.rekeyed
                && !s.redundant).findFirst();
        if (existing.isPresent()) {
            IkeSa sa = existing.get();
            for (Child c : wanted) {
                boolean pending = sa.children.stream().anyMatch(x -> x.name().equals(c.name()));
                if (!pending) {
                    sa.enqueue(new ChildCreateTask(c));
                }
            }
            return;
        }
        if (credentials.of(conn) instanceof PubkeyCredentials.Entry.Broken(String message)) {
            listener.failed(conn.name(), Optional.empty(), message);
            return;
        }
        InetSocketAddress remote = new InetSocketAddress(conn.remote().ip().orElseThrow(), conn.remote().port());
        int localPort = remote.getPort() == settings.natTPort() ? settings.natTPort() : settings.ikePort();
        IkeSa sa = newSa(conn, true, new InetSocketAddress(conn.local().ip().orElseThrow(), localPort), remote);
        sa.boundedConnect = bounded;
        log.info("{}: initiating IKE SA with {}", conn.name(), remote);
        sa.enqueue(new IkeInitTask(conn));
        sa.enqueue(new IkeAuthTask(wanted.isEmpty() ? null : wanted.getFirst()));
        wanted.stream().skip(1).forEach(c -> sa.enqueue(new ChildCreateTask(c)));
    }

    /** DELETE the child (when named) or the whole IKE SA; returns false when nothing was up. */
    public boolean terminate(String connection, Optional<String> child) {
        boolean any = restarts.pending(connection);
        restarts.cancel(connection, child);
        for (IkeSa sa : sas(connection)) {
            if (child.isPresent()) {
                for (ChildSa c : List.copyOf(sa.children)) {
                    if (c.name().equals(child.get())) {
                        sa.enqueue(new ChildDeleteTask(c));
                        any = true;
                    }
                }
            } else if (sa.state == IkeSa.State.ESTABLISHED) {
                if (!sa.hasQueued(DeleteTask.class)) {
                    sa.enqueue(new DeleteTask());
                }
                any = true;
            } else {
                sa.destroy("aborted by admin");
                any = true;
            }
        }
        return any;
    }

    /**
     * Rekeys the named child's SAs, or the IKE SA when no child is named (what {@code ipsecctl
     * rekey} asks); returns false when nothing is up to rekey.
     */
    public boolean rekey(String connection, Optional<String> child) {
        boolean any = false;
        for (IkeSa sa : sas(connection)) {
            if (sa.state != IkeSa.State.ESTABLISHED || sa.rekeyed || sa.redundant) {
                continue;
            }
            if (child.isEmpty()) {
                if (!sa.hasQueued(IkeRekeyTask.class)) {
                    sa.enqueue(new IkeRekeyTask());
                }
                any = true;
                continue;
            }
            for (ChildSa c : List.copyOf(sa.children)) {
                Child cfg = sa.conn.children().get(c.name());
                if (c.name().equals(child.get()) && cfg != null && c.state == ChildSa.State.INSTALLED && !c.redundant) {
                    sa.enqueue(new ChildCreateTask(cfg, c));
                    any = true;
                }
            }
        }
        return any;
    }

    /** Time until a rekey: the lifetime less its rekey margin, less a random share of up to its jitter. */
    Duration rekeyDelay(io.ipsecd.conf.Lifetime lifetime) {
        return Lifetimes.rekeyDelay(random, lifetime);
    }

    /** Schedules the child's rekey; when it fires, whichever IKE SA owns the child by then does it. */
    void scheduleChildRekey(Child cfg, ChildSa child, Duration delay) {
        loop.schedule(delay, () -> {
            for (IkeSa sa : bySpi.values()) {
                if (sa.children.contains(child) && sa.state == IkeSa.State.ESTABLISHED && !sa.rekeyed
                        && child.state == ChildSa.State.INSTALLED && !child.redundant) {
                    sa.enqueue(new ChildCreateTask(cfg, child));
                    return;
                }
            }
        });
    }

    /** A liveness check now on each established IKE SA of the connection, bounded by its dpd.timeout. */
    public void checkLiveness(String connection) {
        for (IkeSa sa : sas(connection)) {
            sa.liveness.checkNow("liveness check requested");
        }
    }

    /**
     * ESP came for an SPI the data plane doesn't know (RFC 7296 §2.21.4): when it comes from the
     * peer of an established IKE SA, that peer may have lost its state, so check it now rather
     * than after dpd.delay. Rate-limited per IKE SA.
     */
    public void unknownSpi(int spi, InetSocketAddress from) {
        for (IkeSa sa : List.copyOf(bySpi.values())) {
            if (sa.state == IkeSa.State.ESTABLISHED && sa.remote.getAddress().equals(from.getAddress())) {
                sa.liveness.suspect("ESP for unknown SPI " + String.format("%08x", spi) + " from " + sa.peer());
            }
        }
    }

    /** The connection went away in a reload: DELETE once, without waiting, and forget it. */
    public void remove(String connection) {
        restarts.cancel(connection);
        for (IkeSa sa : sas(connection)) {
            deleteNow(sa, "connection removed");
        }
        reqids.forEach((name, reqid) -> {
            if (name.startsWith(connection + "/")) {
                port.deletePolicy(reqid); // its trap and drop policies
            }
        });
    }

    /** Shutdown: one DELETE to every established peer (no retransmission), everything torn down. */
    public void shutdown() {
        restarts.cancelAll();
        for (IkeSa sa : List.copyOf(bySpi.values())) {
            deleteNow(sa, "shutdown");
        }
    }

    private void deleteNow(IkeSa sa, String why) {
        if (sa.state == IkeSa.State.ESTABLISHED) {
            sa.sendOnce(new DeleteTask());
        }
        sa.destroy(why);
    }

    public List<IkeSaInfo> snapshot() {
        return bySpi.values().stream().sorted(java.util.Comparator.comparingLong(s -> s.uniqueId)).map(IkeSa::info).toList();
    }

    List<IkeSa> sas(String connection) {
        return bySpi.values().stream().filter(s -> s.name().equals(connection)).toList();
    }

    // ---- receiving -----------------------------------------------------------------------------

    /** One IKE message from the transport. Never throws: anything wrong is dropped (and logged at debug). */
    public void receive(InetSocketAddress at, InetSocketAddress from, byte[] datagram) {
        try {
            dispatch(at, from, datagram);
        } catch (RuntimeException e) {
            log.warn("IKE message from {} dropped after an internal error", from, e);
        }
    }

    private void dispatch(InetSocketAddress at, InetSocketAddress from, byte[] datagram) {
        IkeHeader h;
        IkeMessage m;
        try {
            h = IkeMessageCodec.decodeHeader(datagram);
            m = IkeMessageCodec.decode(datagram);
        } catch (IkeDecodeException e) {
            log.debug("undecodable IKE message from {}: {}", from, e.getMessage());
            e.header().filter(this::isInitRequest).ifPresent(hdr -> sendPlainError(at, from, hdr,
                    NotifyPayload.of(e.notifyType(), e.notifyData())));
            return;
        }
        if (isInitRequest(h)) {
            IkeSa known = byInit.get(initKey(from, h.initiatorSpi()));
            if (known != null) {
                known.received(at, from, h, datagram, m);
                return;
            }
            if (byInit.size() >= MAX_HALF_OPEN) {
                log.debug("IKE_SA_INIT from {} dropped: {} half-open IKE SAs already", from, byInit.size());
                return;
            }
            Optional<Connection> conn = responderFor(at, from);
            if (conn.isEmpty()) {
                log.info("IKE_SA_INIT from {} to {}: no connection configured for this peer; ignored", from, at);
                return;
            }
            if (!cookieOk(at, from, h, m)) {
                return;
            }
            IkeInitTask.respond(this, conn.get(), at, from, h, datagram, m).ifPresent(sa -> {
                String key = initKey(from, sa.spiI);
                byInit.put(key, sa);
                // A peer that never sends IKE_AUTH must not hold state for long (RFC 7296 §2.6).
                loop.schedule(HALF_OPEN_TIMEOUT, () -> {
                    byInit.remove(key, sa);
                    if (sa.state == IkeSa.State.CONNECTING) {
                        sa.destroy("no IKE_AUTH within " + HALF_OPEN_TIMEOUT.toSeconds() + " s");
                    }
                });
            });
            return;
        }
        boolean weInitiated = !h.initiatorFlag();
        IkeSa sa = bySpi.get(weInitiated ? h.initiatorSpi() : h.responderSpi());
        if (sa == null || sa.initiator != weInitiated || (!weInitiated && sa.spiI != h.initiatorSpi())
                || (weInitiated && sa.spiR != 0 && sa.spiR != h.responderSpi()
                && h.exchangeType() != ExchangeType.IKE_SA_INIT.value())) {
            log.debug("IKE message for unknown SPIs {}/{} from {} dropped", Long.toHexString(h.initiatorSpi()),
                    Long.toHexString(h.responderSpi()), from);
            return;
        }
        sa.received(at, from, h, datagram, m);
    }

    /**
     * With {@link #cookieThreshold} or more half-open SAs, an IKE_SA_INIT must bring back the
     * cookie we hand out; otherwise it gets one (and we keep no state).
     */
    private boolean cookieOk(InetSocketAddress at, InetSocketAddress from, IkeHeader h, IkeMessage m) {
        long halfOpen = byInit.values().stream().filter(s -> s.state == IkeSa.State.CONNECTING).count();
        Optional<NoncePayload> ni = m.first(NoncePayload.class);
        if (halfOpen < cookieThreshold || ni.isEmpty()) {
            return true;
        }
        Optional<NotifyPayload> cookie = m.notify(NotifyType.COOKIE);
        if (cookie.isPresent() && cookies.valid(cookie.get().data(), ni.get().nonce(), from.getAddress(),
                h.initiatorSpi(), loop.now())) {
            return true;
        }
        sendPlainError(at, from, h, NotifyPayload.of(NotifyType.COOKIE, cookies.make(ni.get().nonce(),
                from.getAddress(), h.initiatorSpi(), loop.now())));
        return false;
    }

    private boolean isInitRequest(IkeHeader h) {
        return h.exchangeType() == ExchangeType.IKE_SA_INIT.value() && !h.responseFlag() && h.initiatorFlag()
                && h.responderSpi() == 0;
    }

    private static String initKey(InetSocketAddress from, long spiI) {
        return from.getAddress().getHostAddress() + "/" + spiI;
    }

    private Optional<Connection> responderFor(InetSocketAddress at, InetSocketAddress from) {
        return connections.values().stream()
                .filter(c -> c.local().ip().map(ip -> ip.equals(at.getAddress()) || at.getAddress().isAnyLocalAddress())
                        .orElse(true))
                .filter(c -> c.remote().ip().map(ip -> ip.equals(from.getAddress())).orElse(true))
                .findFirst();
    }

    /** An unprotected error answer to an IKE_SA_INIT request (RFC 7296 §2.21.1); no state is kept. */
    void sendPlainError(InetSocketAddress at, InetSocketAddress to, IkeHeader request, NotifyPayload notify) {
        IkeHeader h = new IkeHeader(request.initiatorSpi(), 0, ExchangeType.IKE_SA_INIT, false, true, request.messageId());
        transport.send(at, to, IkeMessageCodec.encode(new IkeMessage(h, notify)));
    }

    // ---- bookkeeping ---------------------------------------------------------------------------

    IkeSa newSa(Connection conn, boolean initiator, InetSocketAddress local, InetSocketAddress remote) {
        IkeSa sa = new IkeSa(this, conn, initiator, nextUniqueId(), local, remote);
        long spi;
        do {
            spi = ByteBuffer.wrap(random.bytes(8)).getLong();
        } while (spi == 0 || bySpi.containsKey(spi));
        if (initiator) {
            sa.spiI = spi;
        } else {
            sa.spiR = spi;
        }
        bySpi.put(spi, sa);
        return sa;
    }

    void forget(IkeSa sa) {
        bySpi.remove(sa.ourSpi(), sa);
        byInit.values().remove(sa);
        sa.children.forEach(c -> inboundSpis.remove(c.spiIn()));
    }

    long nextUniqueId() {
        return ++uniqueIds;
    }

    /** A fresh inbound ESP SPI: random, above the reserved 0..255, not in use. */
    int newChildSpi() {
        int spi;
        do {
            spi = ByteBuffer.wrap(random.bytes(4)).getInt();
        } while (Integer.compareUnsigned(spi, 256) < 0 || !inboundSpis.add(spi));
        return spi;
    }

    void releaseSpi(int spi) {
        inboundSpis.remove(spi);
    }

    /** A stable reqid per connection/child, so a rekeyed child keeps its policy. */
    int reqid(String connection, String child) {
        return reqids.computeIfAbsent(connection + "/" + child, k -> reqids.size() + 1);
    }

    /** Whether {@code sa} is the only IKE SA of its connection: then IKE_AUTH carries INITIAL_CONTACT. */
    boolean firstWith(IkeSa sa) {
        return sas(sa.name()).stream().allMatch(s -> s == sa);
    }

    /** The peer says it has no other IKE SA with us (RFC 7296 §2.4): drop our stale ones. */
    void initialContact(IkeSa fresh) {
        for (IkeSa old : sas(fresh.name())) {
            if (old != fresh && old.state == IkeSa.State.ESTABLISHED) {
                old.destroy("peer sent INITIAL_CONTACT");
            }
        }
    }
}
