package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Connection;
import io.ipsecd.ike.crypto.InvalidKeyExchangeException;
import io.ipsecd.ike.crypto.KeyExchange;
import io.ipsecd.ike.crypto.KeyExchanges;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.exchange.Suites.IkeSuite;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NoncePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.Proposal;
import io.ipsecd.ike.message.SaPayload;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IKE_SA_INIT (RFC 7296 §1.2): proposals, key exchange, nonces and NAT detection. The initiator
 * retries with the group a responder asks for (INVALID_KE_PAYLOAD, §1.3) and echoes a COOKIE
 * (§2.6), a bounded number of times each.
 */
final class IkeInitTask implements Task {
    private static final Logger log = LoggerFactory.getLogger("ike");
    static final int NONCE_BYTES = 32;
    private static final int MAX_COOKIES = 2;
    private static final int MAX_KE_RETRIES = 1;

    private KeyExchangeMethod group;
    private KeyExchange ke;
    private Bytes cookie;
    private int cookies;
    private int keRetries;

    IkeInitTask(Connection conn) {
        this.group = Proposals.keyExchanges(conn.ike().proposals()).getFirst();
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.IKE_SA_INIT;
    }

    @Override
    public List<Payload> build(IkeSa sa) {
        if (ke == null) {
            ke = KeyExchanges.create(group, sa.n.random, weak(sa.conn));
        }
        if (sa.ni == null) {
            sa.ni = sa.n.random.bytes(NONCE_BYTES);
        }
        List<Payload> payloads = new ArrayList<>();
        if (cookie != null) {
            payloads.add(NotifyPayload.of(NotifyType.COOKIE, cookie)); // must come first (§2.6)
        }
        payloads.add(new SaPayload(Proposals.ike(sa.conn.ike().proposals())));
        payloads.add(new KePayload(group.id(), ke.initiatorShare()));
        payloads.add(new NoncePayload(Bytes.of(sa.ni)));
        payloads.addAll(natDetection(sa, 0, sa.conn.ike().encap()));
        payloads.addAll(Ppk.offer(sa.conn));
        payloads.addAll(IkeFragments.offer(sa));
        if (offersAdditionalKeyExchanges(sa.conn)) {
            payloads.add(NotifyPayload.of(NotifyType.INTERMEDIATE_EXCHANGE_SUPPORTED));
        }
        payloads.addAll(PubkeyAuth.offer(sa.conn));
        return payloads;
    }

    /** Whether any configured IKE proposal has ke1_.. (RFC 9370): they need IKE_INTERMEDIATE (RFC 9242). */
    private static boolean offersAdditionalKeyExchanges(Connection conn) {
        return conn.ike().proposals().stream().anyMatch(p -> !p.additionalKeyExchanges().isEmpty());
    }

    private static KeyExchanges.WeakGroups weak(Connection conn) {
        return conn.ike().allowWeakGroups() ? KeyExchanges.WeakGroups.ALLOW : KeyExchanges.WeakGroups.REFUSE;
    }

    /**
     * NAT_DETECTION_SOURCE_IP/_DESTINATION_IP. With forced encapsulation the source hash is made
     * up, so the peer believes there is a NAT and both sides use UDP 4500 (what strongSwan's
     * {@code encap = yes} does).
     */
    static List<Payload> natDetection(IkeSa sa, long spiR, boolean forceEncap) {
        Bytes source = forceEncap ? Bytes.of(sa.n.random.bytes(20)) : Identities.natHash(sa.spiI, spiR, sa.local);
        return List.of(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, source),
                NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, Identities.natHash(sa.spiI, spiR, sa.remote)));
    }

    /** Whether the peer's NAT_DETECTION notifies (hashed with {@code spiRSent}) show a NAT (or a forced encapsulation) on the path. */
    static boolean natDetected(IkeSa sa, List<Payload> payloads, long spiRSent) {
        IkeMessage m = new IkeMessage(new IkeHeader(0, 0, 0, false, false, false, 0), payloads);
        Optional<NotifyPayload> dest = m.notify(NotifyType.NAT_DETECTION_DESTINATION_IP);
        List<NotifyPayload> sources = m.all(NotifyPayload.class).stream()
                .filter(x -> x.notifyType() == NotifyType.NAT_DETECTION_SOURCE_IP.value()).toList();
        if (dest.isEmpty() || sources.isEmpty()) {
            return false;
        }
        boolean weAreNatted = !dest.get().data().equals(Identities.natHash(sa.spiI, spiRSent, sa.local));
        sa.behindNat = weAreNatted;
        Bytes peerHash = Identities.natHash(sa.spiI, spiRSent, sa.remote);
        boolean peerNatted = sources.stream().noneMatch(s -> s.data().equals(peerHash));
        return weAreNatted || peerNatted;
    }

    @Override
    public Result process(IkeSa sa, IkeHeader header, List<Payload> payloads) {
        IkeMessage m = new IkeMessage(header, payloads);
        Optional<NotifyPayload> cookieNotify = m.notify(NotifyType.COOKIE);
        if (cookieNotify.isPresent() && cookies++ < MAX_COOKIES) {
            cookie = cookieNotify.get().data();
            return Result.RESEND;
        }
        Optional<NotifyPayload> invalidKe = m.notify(NotifyType.INVALID_KE_PAYLOAD);
        if (invalidKe.isPresent()) {
            return retryWithGroup(sa, invalidKe.get());
        }
        Optional<NotifyPayload> error = m.all(NotifyPayload.class).stream().filter(NotifyPayload::isError).findFirst();
        String offered = Proposals.describeConfigured(sa.conn.ike().proposals());
        if (error.isPresent()) {
            int type = error.get().notifyType();
            if (type == NotifyType.NO_PROPOSAL_CHOSEN.value()) {
                sa.fail(Optional.empty(), "proposal mismatch: peer " + sa.peer() + " accepts none of the IKE proposals we "
                        + "offered " + offered + " (NO_PROPOSAL_CHOSEN); compare with its IKE proposals");
            } else {
                sa.fail(Optional.empty(), "peer " + sa.peer() + " refused IKE_SA_INIT with "
                        + error.get().type().map(Enum::name).orElse("error " + type));
            }
            return Result.DONE;
        }
        Optional<SaPayload> saPayload = m.first(SaPayload.class);
        Optional<KePayload> kePayload = m.first(KePayload.class);
        Optional<NoncePayload> nonce = m.first(NoncePayload.class);
        if (saPayload.isEmpty() || kePayload.isEmpty() || nonce.isEmpty() || header.responderSpi() == 0
                || saPayload.get().proposals().size() != 1) {
            sa.fail(Optional.empty(), "peer " + sa.peer() + " sent a malformed IKE_SA_INIT response (SA, KE or nonce "
                    + "missing); is it an IKEv2 gateway?");
            return Result.DONE;
        }
        Proposal chosen = saPayload.get().proposals().getFirst();
        if (!Proposals.isAnswerTo(chosen, Proposals.ike(sa.conn.ike().proposals()))) {
            sa.fail(Optional.empty(), "proposal mismatch: peer " + sa.peer() + " chose " + Proposals.describe(chosen)
                    + ", which we did not offer " + offered);
            return Result.DONE;
        }
        IkeSuite suite = Proposals.ikeSuite(chosen);
        if (suite.keyExchange() != group || kePayload.get().group() != group.id()) {
            sa.fail(Optional.empty(), "peer " + sa.peer() + " answered with key exchange " + kePayload.get().group()
                    + " after choosing " + Suites.keName(suite.keyExchange()) + "; we sent " + Suites.keName(group));
            return Result.DONE;
        }
        sa.spiR = header.responderSpi();
        sa.nr = nonce.get().nonce().toArray();
        SecretBytes shared;
        try {
            shared = ke.complete(kePayload.get().data());
        } catch (InvalidKeyExchangeException e) {
            sa.fail(Optional.empty(), "peer " + sa.peer() + " sent an invalid key exchange value: " + e.getMessage());
            return Result.DONE;
        } finally {
            ke.destroy();
        }
        SaKeying.initial(sa, suite, shared);
        if (!suite.additionalKeyExchanges().isEmpty()) {
            if (m.notify(NotifyType.INTERMEDIATE_EXCHANGE_SUPPORTED).isEmpty()) {
                sa.fail(Optional.empty(), "peer " + sa.peer() + " chose " + Proposals.describe(chosen) + " but did not "
                        + "announce IKE_INTERMEDIATE support (RFC 9242), which additional key exchanges need");
                return Result.DONE;
            }
            sa.runNext(IkeIntermediateTask.forSuite(suite));
        }
        sa.initResponse = sa.lastResponse;
        if (!Ppk.initiatorAccepts(sa, payloads)) {
            return Result.DONE;
        }
        sa.natDetected = natDetected(sa, payloads, sa.spiR);
        sa.fragments.peerAnswered(payloads);
        PubkeyAuth.noteInit(sa, payloads);
        if (sa.natDetected || sa.conn.ike().encap()) {
            sa.floatToNatT();
        }
        log.debug("{}: IKE_SA_INIT done with {}: {}{}", sa.name(), sa.peer(), suite.describe(),
                sa.natDetected ? ", NAT detected: floating to port " + sa.local.getPort() : "");
        return Result.DONE;
    }

    private Result retryWithGroup(IkeSa sa, NotifyPayload notify) {
        Bytes data = notify.data();
        int wanted = data.length() == 2 ? data.get(0) << 8 | data.get(1) : -1;
        Optional<KeyExchangeMethod> method = KeyExchangeMethod.fromId(wanted)
                .filter(k -> Proposals.keyExchanges(sa.conn.ike().proposals()).contains(k));
        if (method.isEmpty() || method.get() == group || keRetries++ >= MAX_KE_RETRIES) {
            sa.fail(Optional.empty(), "proposal mismatch: peer " + sa.peer() + " asks for key exchange group " + wanted
                    + ", which none of our IKE proposals " + Proposals.describeConfigured(sa.conn.ike().proposals())
                    + " has");
            return Result.DONE;
        }
        log.debug("{}: peer {} wants {} instead of {}: retrying", sa.name(), sa.peer(), method.get(), group);
        ke.destroy();
        ke = null;
        group = method.get();
        return Result.RESEND;
    }

    // ---- responder -----------------------------------------------------------------------------

    /**
     * Answers an IKE_SA_INIT request for {@code conn}. Returns the new half-open IKE SA, or empty
     * when the request was answered with an error (nothing is kept for those).
     */
    static Optional<IkeSa> respond(Negotiator n, Connection conn, InetSocketAddress at, InetSocketAddress from,
                                   IkeHeader h, byte[] datagram, IkeMessage m) {
        Optional<SaPayload> saPayload = m.first(SaPayload.class);
        Optional<KePayload> kePayload = m.first(KePayload.class);
        Optional<NoncePayload> nonce = m.first(NoncePayload.class);
        if (saPayload.isEmpty() || kePayload.isEmpty() || nonce.isEmpty()) {
            n.sendPlainError(at, from, h, NotifyPayload.of(NotifyType.INVALID_SYNTAX));
            return Optional.empty();
        }
        List<Proposal> ours = Proposals.ike(conn.ike().proposals());
        boolean intermediate = m.notify(NotifyType.INTERMEDIATE_EXCHANGE_SUPPORTED).isPresent();
        if (!intermediate) {
            // Additional key exchanges run in IKE_INTERMEDIATE: without it only our plain proposals can match.
            ours = ours.stream().filter(p -> Proposals.additionalKeyExchanges(p).isEmpty()).toList();
        }
        Optional<Proposal> chosen = Proposals.select(ours, saPayload.get().proposals());
        if (chosen.isEmpty()) {
            n.sendPlainError(at, from, h, NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            n.listener.failed(conn.name(), Optional.empty(), "proposal mismatch: peer " + Selectors.text(from.getAddress())
                    + " offered " + Proposals.describe(saPayload.get().proposals()) + ", we accept "
                    + Proposals.describeConfigured(conn.ike().proposals())
                    + (intermediate || saPayload.get().proposals().stream()
                            .allMatch(p -> Proposals.additionalKeyExchanges(p).isEmpty()) ? ""
                            : " (the peer does not announce IKE_INTERMEDIATE, which additional key exchanges need)"));
            return Optional.empty();
        }
        IkeSuite suite = Proposals.ikeSuite(chosen.get());
        if (kePayload.get().group() != suite.keyExchange().id()) {
            int g = suite.keyExchange().id();
            n.sendPlainError(at, from, h, NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD,
                    Bytes.of(new byte[] {(byte) (g >>> 8), (byte) g})));
            return Optional.empty();
        }
        IkeSa sa = n.newSa(conn, false, at, from);
        sa.spiI = h.initiatorSpi();
        sa.ni = nonce.get().nonce().toArray();
        sa.nr = n.random.bytes(NONCE_BYTES);
        KeyExchange ke = KeyExchanges.create(suite.keyExchange(), n.random, weak(conn));
        KeyExchange.Response response;
        try {
            response = ke.respond(kePayload.get().data());
        } catch (InvalidKeyExchangeException e) {
            log.debug("{}: IKE_SA_INIT from {} with a bad KE value: {}", conn.name(), from, e.getMessage());
            n.sendPlainError(at, from, h, NotifyPayload.of(NotifyType.INVALID_SYNTAX));
            n.forget(sa);
            return Optional.empty();
        } finally {
            ke.destroy();
        }
        SaKeying.initial(sa, suite, response.sharedSecret());
        sa.natDetected = natDetected(sa, m.payloads(), 0);
        List<Payload> out = new ArrayList<>(List.of(new SaPayload(List.of(chosen.get())),
                new KePayload(suite.keyExchange().id(), response.responderShare()), new NoncePayload(Bytes.of(sa.nr))));
        out.addAll(natDetection(sa, sa.spiR, conn.ike().encap()));
        out.addAll(Ppk.answer(sa, m.payloads()));
        out.addAll(sa.fragments.answer(m.payloads()));
        if (!suite.additionalKeyExchanges().isEmpty()) {
            out.add(NotifyPayload.of(NotifyType.INTERMEDIATE_EXCHANGE_SUPPORTED));
        }
        out.addAll(PubkeyAuth.answer(sa, m.payloads()));
        IkeHeader rh = new IkeHeader(sa.spiI, sa.spiR, ExchangeType.IKE_SA_INIT, false, true, 0);
        byte[] bytes = IkeMessageCodec.encode(new IkeMessage(rh, out));
        sa.initRequest = datagram;
        sa.initResponse = bytes;
        sa.window.answered(0, List.of(bytes));
        sa.transmit(bytes);
        log.debug("{}: IKE_SA_INIT from {} answered: {}", conn.name(), from, suite.describe());
        return Optional.of(sa);
    }
}
