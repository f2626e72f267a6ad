package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Connection;
import io.ipsecd.ike.crypto.IkeSaKeys;
import io.ipsecd.ike.crypto.Prf;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.crypto.SkCipher;
import io.ipsecd.ike.crypto.SkOpenResult;
import io.ipsecd.ike.exchange.Suites.EspSuite;
import io.ipsecd.ike.exchange.Suites.IkeSuite;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.TrafficSelector;
import io.ipsecd.ike.port.IpsecPortException;
import io.ipsecd.ike.sa.ResponderWindow;
import io.ipsecd.ike.sa.Retransmitter;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IKE SA: SPIs, role, state, keys, message IDs, Child SAs, and the queue of {@link Task}s it
 * initiates. Lives on the negotiator's event loop only, so it has no locks.
 */
final class IkeSa {
    private static final Logger log = LoggerFactory.getLogger("ike");

    enum State { CONNECTING, ESTABLISHED, DELETING, DELETED }

    final Negotiator n;
    /** Replaced by a reload that changed only some of its children ({@link Negotiator#connections}). */
    Connection conn;
    final boolean initiator;
    final long uniqueId;
    long spiI;
    long spiR;
    State state = State.CONNECTING;
    InetSocketAddress local;
    InetSocketAddress remote;
    boolean natDetected;
    /** Our own address is translated: we keep the NAT mapping open with keepalives (RFC 3948 §2.3). */
    boolean behindNat;
    byte[] ni;
    byte[] nr;
    byte[] initRequest;
    byte[] initResponse;
    /** The datagram of the response being processed (IKE_SA_INIT keeps it for AUTH). */
    byte[] lastResponse;
    IkeSuite suite;
    Prf prf;
    IkeSaKeys keys;
    private SkCipher outCipher;
    private SkCipher inCipher;
    private long nextRequestId;
    final ResponderWindow window = new ResponderWindow();
    private final Retransmitter retransmitter;
    final List<ChildSa> children = new ArrayList<>();
    private final Deque<Task> queue = new ArrayDeque<>();
    private Task active;
    Instant established;
    String peerIdText;
    /** Replaced by a rekeyed IKE SA that took over the children: its deletion is no news. */
    boolean rekeyed;
    /** Made by the losing side of an IKE SA rekey collision: it owns nothing and is deleted by its initiator. */
    boolean redundant;
    /** While our rekey of this IKE SA is out: the SA we made answering the peer's simultaneous one. */
    IkeSa peerReplacement;
    /** How many rekeys led to this IKE SA. */
    int rekeys;
    /** Made answering the peer's rekey while ours was out, and not announced: see {@link #standby}. */
    boolean standingBy;
    private io.ipsecd.ike.sa.EventLoop.Timer rekeyTimer;
    Instant rekeyAt;
    /** The hard end of this IKE SA's lifetime ({@link Lifetimes#scheduleIkeExpiry}). */
    Instant expiresAt;
    /** The peer's CREATE_CHILD_SAs waiting for their IKE_FOLLOWUP_KE exchanges (RFC 9370). */
    final FollowupKe.Responder followups = new FollowupKe.Responder(this);
    /** Dead peer detection while established. */
    final Liveness liveness = new Liveness(this);
    /** A restart attempt: its IKE_SA_INIT and IKE_AUTH give up after dpd.timeout (see {@link Restarts}). */
    boolean boundedConnect;
    /** How the peer proved its identity ("pre-shared key", "certificate CN=..., ECDSA ..."), for list-sas. */
    String peerAuth = "";
    /** The RFC 8784 PPK this IKE SA's keys were mixed with (kept across rekeys), or null. */
    String ppkId;
    /** RFC 8784 PPK in negotiation (both sides sent USE_PPK), until IKE_AUTH settles it. */
    Ppk ppk;
    /** RFC 7427 hash algorithms the peer announced in IKE_SA_INIT (empty: it sent none). */
    java.util.Set<Integer> peerSignatureHashes = java.util.Set.of();
    /** The CA key hashes of the peer's CERTREQ payloads (IKE_SA_INIT response or IKE_AUTH request). */
    final List<io.ipsecd.ike.message.Bytes> peerCertRequests = new ArrayList<>();
    /** RFC 7383: whether both sides fragment, and the peer's fragments being reassembled. */
    final IkeFragments fragments = new IkeFragments(this);
    /** IKE_INTERMEDIATE exchanges of the setup (RFC 9242/9370): IntAuth for AUTH, key exchanges done. */
    final IntermediateAuth intermediate = new IntermediateAuth();

    IkeSa(Negotiator n, Connection conn, boolean initiator, long uniqueId, InetSocketAddress local,
          InetSocketAddress remote) {
        this.n = n;
        this.conn = conn;
        this.initiator = initiator;
        this.uniqueId = uniqueId;
        this.local = local;
        this.remote = remote;
        this.peerIdText = conn.remote().id().toString();
        this.retransmitter = new Retransmitter(n.loop, n.settings.retransmit(), this::transmit);
    }

    /** Our SPI: what the negotiator finds this SA by. */
    long ourSpi() {
        return initiator ? spiI : spiR;
    }

    String peer() {
        return Selectors.text(remote.getAddress());
    }

    String name() {
        return conn.name();
    }

    void transmit(byte[] datagram) {
        n.transport.send(local, remote, datagram);
    }

    // ---- tasks we initiate -------------------------------------------------------------------

    void enqueue(Task task) {
        queue.add(task);
        kick();
    }

    /** Runs {@code tasks}, in order, before anything queued (IKE_INTERMEDIATE before IKE_AUTH). */
    void runNext(List<Task> tasks) {
        for (int i = tasks.size() - 1; i >= 0; i--) {
            queue.addFirst(tasks.get(i));
        }
    }

    boolean idle() {
        return active == null && queue.isEmpty();
    }

    boolean hasQueued(Class<? extends Task> kind) {
        return kind.isInstance(active) || queue.stream().anyMatch(kind::isInstance);
    }

    /** Whether the request out now is a {@code kind} that matches. */
    <T extends Task> boolean hasActive(Class<T> kind, java.util.function.Predicate<T> matching) {
        return kind.isInstance(active) && matching.test(kind.cast(active));
    }

    /** After a rekey, what was waiting on the old IKE SA runs on the new one (RFC 7296 §2.18). */
    void handOverQueue(IkeSa fresh) {
        for (java.util.Iterator<Task> it = queue.iterator(); it.hasNext(); ) {
            Task t = it.next();
            if (!(t instanceof DeleteTask) && !(t instanceof IkeRekeyTask)) {
                it.remove();
                fresh.enqueue(t);
            }
        }
    }

    private void kick() {
        while (active == null && !queue.isEmpty() && state != State.DELETED) {
            Task next = queue.poll();
            if (next.obsolete(this)) {
                next.abandoned(this);
                continue;
            }
            active = next;
            sendActive();
        }
    }

    private void sendActive() {
        Task task = active;
        List<Payload> payloads = task.build(this);
        if (state == State.DELETED) {
            return;
        }
        IkeHeader header = new IkeHeader(spiI, spiR, task.exchange(), initiator, false, nextRequestId);
        List<byte[]> datagrams = encode(header, payloads);
        if (task.exchange() == ExchangeType.IKE_SA_INIT) {
            initRequest = datagrams.getFirst();
        }
        retransmitter.send((int) nextRequestId, datagrams, Liveness.retransmitPolicy(this, task), giveUp -> {
            if (active == task && state != State.DELETED) {
                task.gaveUp(this, giveUp);
            }
        });
    }

    /** A request of ours sent once, without retransmission: the DELETEs at shutdown. */
    void sendOnce(Task task) {
        IkeHeader header = new IkeHeader(spiI, spiR, task.exchange(), initiator, false, nextRequestId);
        encode(header, task.build(this)).forEach(this::transmit);
    }

    /** The datagrams of one message: IKE_SA_INIT in the clear, the others protected (fragmented when too big). */
    private List<byte[]> encode(IkeHeader header, List<Payload> payloads) {
        if (header.exchangeType() == ExchangeType.IKE_SA_INIT.value()) {
            return List.of(IkeMessageCodec.encode(new IkeMessage(header, payloads)));
        }
        intermediateMessage(header, payloads);
        return fragments.seal(header, payloads, outCipher);
    }

    // ---- receiving ---------------------------------------------------------------------------

    void received(InetSocketAddress at, InetSocketAddress from, IkeHeader h, byte[] datagram, IkeMessage msg) {
        if (state == State.DELETED) {
            return;
        }
        if (h.responseFlag()) {
            onResponse(h, datagram, msg);
        } else {
            onRequest(at, from, h, datagram, msg);
        }
    }

    private void onResponse(IkeHeader h, byte[] datagram, IkeMessage msg) {
        if (active == null || h.messageId() != nextRequestId || h.exchangeType() != active.exchange().value()) {
            log.debug("{}: unexpected response {} #{} dropped", name(), h.exchangeType(), h.messageId());
            return;
        }
        List<Payload> payloads;
        if (active.exchange() == ExchangeType.IKE_SA_INIT) {
            payloads = msg.payloads();
        } else {
            Optional<SkOpenResult> opened = fragments.open(datagram, msg, inCipher);
            if (opened.isEmpty()) {
                return; // a fragment: the rest are to come
            }
            switch (opened.get()) {
                case SkOpenResult.Opened o -> payloads = o.payloads();
                case SkOpenResult.Rejected r -> {
                    log.debug("{}: response #{} dropped: {}", name(), h.messageId(), r.reason());
                    return;
                }
                case SkOpenResult.Malformed m -> {
                    log.debug("{}: malformed response #{} dropped: {}", name(), h.messageId(), m.error().getMessage());
                    return;
                }
            }
        }
        retransmitter.answered((int) h.messageId());
        liveness.heard();
        lastResponse = datagram;
        intermediateMessage(h, payloads);
        Task task = active;
        Task.Result result = task.process(this, h, payloads);
        if (state == State.DELETED) {
            return;
        }
        if (result == Task.Result.RESEND) {
            sendActive();
            return;
        }
        nextRequestId++;
        active = null;
        kick();
    }

    private void onRequest(InetSocketAddress at, InetSocketAddress from, IkeHeader h, byte[] datagram, IkeMessage msg) {
        int id = (int) h.messageId();
        switch (window.classify(id)) {
            case DROP -> {
                log.debug("{}: request #{} outside the window dropped", name(), h.messageId());
                return;
            }
            case RETRANSMIT -> {
                if (IkeFragments.resendsResponse(msg)) {
                    window.cachedResponse().forEach(this::transmit);
                }
                return;
            }
            case NEW -> {
            }
        }
        if (inCipher == null) {
            return;
        }
        Optional<SkOpenResult> opened = fragments.open(datagram, msg, inCipher);
        if (opened.isEmpty()) {
            return; // a fragment: the rest are to come
        }
        Task.Reply reply;
        switch (opened.get()) {
            case SkOpenResult.Rejected r -> {
                log.debug("{}: request #{} dropped: {}", name(), h.messageId(), r.reason());
                return;
            }
            case SkOpenResult.Malformed m -> reply = new Task.Reply(List.of(NotifyPayload.of(m.error().notifyType(),
                    m.error().notifyData())));
            case SkOpenResult.Opened o -> {
                liveness.heard();
                adoptAddresses(at, from);
                intermediateMessage(h, o.payloads());
                reply = dispatch(h, o.payloads());
            }
        }
        IkeHeader header = new IkeHeader(spiI, spiR, h.exchangeType(), initiator, true, false, h.messageId());
        List<byte[]> response = encode(header, reply.payloads());
        window.answered(id, response);
        response.forEach(this::transmit);
        reply.after().run();
    }

    private Task.Reply dispatch(IkeHeader h, List<Payload> payloads) {
        ExchangeType exchange = h.exchange().orElse(null);
        if (exchange == ExchangeType.IKE_AUTH && !initiator && state == State.CONNECTING) {
            return IkeIntermediateTask.authTooEarly(this).orElseGet(() -> IkeAuthTask.respond(this, payloads));
        }
        if (exchange == ExchangeType.IKE_INTERMEDIATE && !initiator && state == State.CONNECTING) {
            return IkeIntermediateTask.respond(this, payloads);
        }
        if (exchange == ExchangeType.CREATE_CHILD_SA && state == State.ESTABLISHED) {
            return ChildCreateTask.respond(this, payloads);
        }
        if (exchange == ExchangeType.IKE_FOLLOWUP_KE && state == State.ESTABLISHED) {
            return followups.respond(payloads);
        }
        if (exchange == ExchangeType.INFORMATIONAL && state != State.CONNECTING && AuthFailedTask.carries(payloads)) {
            return AuthFailedTask.respond(this, payloads);
        }
        if (exchange == ExchangeType.INFORMATIONAL && state != State.CONNECTING) {
            Liveness.informational(this, payloads);
            return DeleteTask.respond(this, payloads);
        }
        // RFC 7296 §2.21: a request that makes no sense now gets INVALID_SYNTAX, nothing else changes.
        return new Task.Reply(List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
    }

    /** RFC 7296 §2.23: after an authentic request from a new address/port (the peer floated to 4500). */
    private void adoptAddresses(InetSocketAddress at, InetSocketAddress from) {
        if (!at.equals(local) || !from.equals(remote)) {
            log.debug("{}: peer moved {} -> {} (local {})", name(), remote, from, at);
            local = at;
            remote = from;
        }
    }

    /** NAT-T: move this IKE SA to the NAT-T port on both sides (RFC 7296 §2.23). */
    void floatToNatT() {
        local = new InetSocketAddress(local.getAddress(), n.settings.natTPort());
        remote = new InetSocketAddress(remote.getAddress(), n.settings.natTPort());
    }

    boolean udpEncapsulated() {
        return local.getPort() == n.settings.natTPort();
    }

    // ---- keys ----------------------------------------------------------------------------------

    /** New SK_e/SK_a ciphers after a key derivation ({@link SaKeying}). */
    void useCiphers(SkCipher out, SkCipher in) {
        outCipher = out;
        inCipher = in;
    }

    /** An IKE_INTERMEDIATE message sent or received during setup extends its sender's IntAuth (RFC 9242 §3.3). */
    private void intermediateMessage(IkeHeader h, List<Payload> inner) {
        if (h.exchangeType() == ExchangeType.IKE_INTERMEDIATE.value() && state == State.CONNECTING) {
            intermediate.add(prf, h.initiatorFlag() ? keys.skPi() : keys.skPr(), h, inner);
        }
    }

    /** Our SK_p (SK_pi for the original initiator) and the peer's. */
    SecretBytes ourSkP() {
        return initiator ? keys.skPi() : keys.skPr();
    }

    SecretBytes peerSkP() {
        return initiator ? keys.skPr() : keys.skPi();
    }

    // ---- Child SAs -----------------------------------------------------------------------------

    /** See {@link ChildSas#install}. */
    ChildSa installChild(Child cfg, EspSuite esp, int spiIn, int spiOut, byte[] childNi, byte[] childNr,
                         boolean weInitiated, SecretBytes pfs, List<TrafficSelector> localTs,
                         List<TrafficSelector> remoteTs, ChildSa replaces, boolean activate) throws IpsecPortException {
        return ChildSas.install(this, cfg, esp, spiIn, spiOut, childNi, childNr, weInitiated, pfs, localTs, remoteTs,
                replaces, activate);
    }

    /** See {@link ChildSas#install}, with the secrets of the additional key exchanges (RFC 9370). */
    ChildSa installChild(Child cfg, EspSuite esp, int spiIn, int spiOut, byte[] childNi, byte[] childNr,
                         boolean weInitiated, SecretBytes pfs, List<SecretBytes> additional, List<TrafficSelector> localTs,
                         List<TrafficSelector> remoteTs, ChildSa replaces, boolean activate) throws IpsecPortException {
        return ChildSas.install(this, cfg, esp, spiIn, spiOut, childNi, childNr, weInitiated, pfs, additional, localTs,
                remoteTs, replaces, activate);
    }

    /** See {@link ChildSas#remove}. */
    void removeChild(ChildSa child, String why) {
        ChildSas.remove(this, child, why);
    }

    Optional<ChildSa> child(String childName) {
        return children.stream().filter(c -> c.name().equals(childName)).findFirst();
    }

    // ---- outcomes ------------------------------------------------------------------------------

    void established() {
        standingBy = false;
        state = State.ESTABLISHED;
        established = n.loop.now();
        scheduleRekeys();
        liveness.start();
        n.restarts.succeeded(this);
        if (behindNat) {
            n.loop.schedule(KEEPALIVE, this::keepalive);
        }
        log.info("{}: IKE SA established with {} ({}), {}: {}", name(), peer(), peerIdText,
                initiator ? "initiator" : "responder", suite.describe());
        n.listener.event("ike-established", name(), "IKE SA established with " + peer() + ": " + suite.describe());
    }

    /** Keys and addresses ready, but not announced: the peer's half of an IKE rekey collision, until decided. */
    void standby() {
        state = State.ESTABLISHED;
        established = n.loop.now();
        standingBy = true;
    }

    /** Every 20 s while behind a NAT, as strongSwan's keep_alive default. */
    private void keepalive() {
        if (state == State.ESTABLISHED && behindNat) {
            n.transport.sendKeepalive(local, remote);
            n.loop.schedule(KEEPALIVE, this::keepalive);
        }
    }

    static final java.time.Duration KEEPALIVE = java.time.Duration.ofSeconds(20);

    /**
     * Rekeys the IKE SA before its configured lifetime ends (by default at 90% of it, less a random
     * share of up to 5% so that two peers with the same lifetime rarely rekey at once), and deletes
     * it at the end if it was not rekeyed by then.
     */
    void scheduleRekeys() {
        if (rekeyTimer != null) {
            rekeyTimer.cancel();
        }
        java.time.Duration delay = n.rekeyDelay(conn.ike().lifetime());
        rekeyAt = n.loop.now().plus(delay);
        Lifetimes.scheduleIkeExpiry(this);
        rekeyTimer = n.loop.schedule(delay, () -> {
            if (state == State.ESTABLISHED && !rekeyed && !redundant && !hasQueued(IkeRekeyTask.class)) {
                enqueue(new IkeRekeyTask());
            }
        });
    }

    /** A Child SA could not be made; the IKE SA stays. */
    void childFailed(String childName, String message) {
        n.listener.failed(name(), Optional.ofNullable(childName), message);
    }

    /** The IKE SA failed: report once, then tear it down without another word to the peer. */
    void fail(Optional<String> childName, String message) {
        if (state == State.DELETED) {
            return;
        }
        n.listener.failed(name(), childName, message);
        destroy("failed");
        n.restarts.failed(this, message);
    }

    /** Gone: Child SAs out of the data plane, keys wiped, forgotten by the negotiator. */
    void destroy(String why) {
        if (state == State.DELETED) {
            return;
        }
        boolean wasUp = state == State.ESTABLISHED || state == State.DELETING;
        state = State.DELETED;
        retransmitter.cancel();
        liveness.stop();
        if (rekeyTimer != null) {
            rekeyTimer.cancel();
        }
        if (active != null) {
            active.abandoned(this);
        }
        queue.forEach(t -> t.abandoned(this));
        queue.clear();
        active = null;
        followups.clear();
        if (peerReplacement != null && !children.isEmpty() && peerReplacement.state == State.ESTABLISHED) {
            // Deleted while both sides rekeyed it: the peer's new IKE SA takes over (RFC 7296 §2.25.2).
            IkeRekeyTask.takeOver(this, peerReplacement);
        }
        for (ChildSa c : List.copyOf(children)) {
            removeChild(c, why);
        }
        if (ppk != null) {
            ppk.wipeUnused(keys);
        }
        if (keys != null) {
            keys.destroy();
        }
        intermediate.wipe();
        fragments.discard();
        n.forget(this);
        if (rekeyed || redundant || standingBy) {
            log.debug("{}: {} IKE SA {} gone ({})", name(), rekeyed ? "rekeyed" : "redundant", Long.toHexString(ourSpi()), why);
        } else if (wasUp) {
            log.info("{}: IKE SA with {} deleted ({})", name(), peer(), why);
            n.listener.event("ike-deleted", name(), "IKE SA with " + peer() + " deleted (" + why + ")");
        }
    }

    IkeSaInfo info() {
        return IkeSaInfo.of(this);
    }
}
