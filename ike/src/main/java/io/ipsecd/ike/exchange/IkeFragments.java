package io.ipsecd.ike.exchange;

import io.ipsecd.conf.Fragmentation;
import io.ipsecd.ike.crypto.FragmentReassembler;
import io.ipsecd.ike.crypto.IkeFragmenter;
import io.ipsecd.ike.crypto.SkCipher;
import io.ipsecd.ike.crypto.SkCodec;
import io.ipsecd.ike.crypto.SkOpenResult;
import io.ipsecd.ike.message.EncryptedFragmentPayload;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IKE fragmentation (RFC 7383) of one IKE SA: offered and agreed in IKE_SA_INIT (§2.3), every
 * protected message larger than the connection's fragment size sent as SKF fragments (§2.5), and
 * the peer's fragments reassembled, each authenticated before it is kept (§2.6). The IKE SA sees
 * only whole messages: {@link #seal} gives the datagrams to send (and to resend, all of them, §2.6),
 * {@link #open} the payloads of a whole or reassembled message.
 */
final class IkeFragments {
    private static final Logger log = LoggerFactory.getLogger("ike");

    private final IkeSa sa;
    /** Both sides sent FRAGMENTATION_SUPPORTED in IKE_SA_INIT (a rekeyed IKE SA keeps it). */
    private boolean agreed;
    /** Made with the inbound cipher when the first fragment arrives. */
    private FragmentReassembler reassembler;
    private SkCipher reassemblerCipher;

    IkeFragments(IkeSa sa) {
        this.sa = sa;
    }

    boolean agreed() {
        return agreed;
    }

    // ---- IKE_SA_INIT ---------------------------------------------------------------------------

    /** The FRAGMENTATION_SUPPORTED notify for our IKE_SA_INIT request, when the connection allows it. */
    static List<Payload> offer(IkeSa sa) {
        return sa.conn.ike().fragmentation().enabled() ? List.of(NotifyPayload.of(NotifyType.FRAGMENTATION_SUPPORTED))
                : List.of();
    }

    /** Initiator: the IKE_SA_INIT response {@code payloads} arrived. */
    void peerAnswered(List<Payload> payloads) {
        agreed = sa.conn.ike().fragmentation().enabled() && offered(payloads);
    }

    /** Responder: what to add to our IKE_SA_INIT response for the request's {@code payloads} (RFC 7383 §2.3). */
    List<Payload> answer(List<Payload> payloads) {
        agreed = sa.conn.ike().fragmentation().enabled() && offered(payloads);
        return agreed ? List.of(NotifyPayload.of(NotifyType.FRAGMENTATION_SUPPORTED)) : List.of();
    }

    private static boolean offered(List<Payload> payloads) {
        return payloads.stream().anyMatch(p -> p instanceof NotifyPayload n
                && n.notifyType() == NotifyType.FRAGMENTATION_SUPPORTED.value());
    }

    /** A rekeyed IKE SA fragments as the one it replaces did: there is no IKE_SA_INIT to agree again. */
    void inherit(IkeFragments old) {
        agreed = old.agreed;
    }

    // ---- sending -------------------------------------------------------------------------------

    /**
     * The datagrams of one protected message: one SK message, or its SKF fragments when fragmentation
     * was agreed and the SK message would make an IP datagram larger than the fragment size (IP, UDP
     * and the non-ESP marker on port 4500 counted, §2.5.1).
     */
    List<byte[]> seal(IkeHeader header, List<Payload> payloads, SkCipher cipher) {
        byte[] whole = SkCodec.seal(header, payloads, cipher);
        if (!agreed) {
            return List.of(whole);
        }
        Fragmentation config = sa.conn.ike().fragmentation();
        int budget = IkeFragmenter.messageBudget(config.fragmentSize(), sa.remote.getAddress() instanceof Inet6Address,
                sa.udpEncapsulated());
        if (whole.length <= budget) {
            return List.of(whole);
        }
        List<byte[]> fragments = IkeFragmenter.split(header, payloads, cipher, budget);
        log.debug("{}: {} #{} of {} bytes sent to {} as {} fragments of at most {} bytes (fragment size {})", sa.name(),
                describe(header), header.messageId(), whole.length, sa.peer(), fragments.size(), budget,
                config.fragmentSize());
        return fragments;
    }

    // ---- receiving -----------------------------------------------------------------------------

    static boolean isFragment(IkeMessage msg) {
        return !msg.payloads().isEmpty() && msg.payloads().getLast() instanceof EncryptedFragmentPayload;
    }

    /**
     * Whether a retransmitted request answers with our cached response: a whole one does; of a
     * fragmented one, only fragment 1, so that a resent request of N fragments costs one resent
     * response, not N (RFC 7383 §2.6.1).
     */
    static boolean resendsResponse(IkeMessage request) {
        return !isFragment(request) || ((EncryptedFragmentPayload) request.payloads().getLast()).fragmentNumber() == 1;
    }

    /**
     * Opens a protected message: an SK message at once; an SKF fragment into the message it belongs
     * to, empty while fragments are missing. A forged fragment is {@code Rejected} after one ICV check
     * and changes nothing.
     */
    Optional<SkOpenResult> open(byte[] datagram, IkeMessage msg, SkCipher cipher) {
        if (!isFragment(msg)) {
            return Optional.of(SkCodec.open(datagram, msg, cipher));
        }
        IkeHeader h = msg.header();
        if (!agreed) {
            return Optional.of(new SkOpenResult.Rejected("IKE fragment, but fragmentation was not agreed"));
        }
        if (reassembler == null || reassemblerCipher != cipher) {
            discard();
            // New keys (after each RFC 9370 additional key exchange): fragments are checked with them.
            reassembler = new FragmentReassembler(cipher, sa.n.loop, FragmentReassembler.Limits.DEFAULT);
            reassemblerCipher = cipher;
        }
        return switch (reassembler.accept(datagram, msg)) {
            case FragmentReassembler.Result.Pending p -> {
                log.debug("{}: received fragment {} of {} of {} #{} from {} ({} so far)", sa.name(),
                        ((EncryptedFragmentPayload) msg.payloads().getLast()).fragmentNumber(), p.total(), describe(h),
                        h.messageId(), sa.peer(), p.received());
                yield Optional.empty();
            }
            case FragmentReassembler.Result.Dropped d -> Optional.of(new SkOpenResult.Rejected("fragment: " + d.reason()));
            case FragmentReassembler.Result.Malformed m -> Optional.of(new SkOpenResult.Malformed(m.error()));
            case FragmentReassembler.Result.Complete c -> {
                log.debug("{}: reassembled {} #{} from {} fragments from {}", sa.name(), describe(h), h.messageId(),
                        ((EncryptedFragmentPayload) msg.payloads().getLast()).totalFragments(), sa.peer());
                yield Optional.of(new SkOpenResult.Opened(c.payloads()));
            }
        };
    }

    /** Drops the fragments of incomplete messages, wiped, and their timers. */
    void discard() {
        if (reassembler != null) {
            reassembler.clear();
        }
    }

    private static String describe(IkeHeader h) {
        return h.exchange().map(Enum::name).orElse("exchange " + h.exchangeType())
                + (h.responseFlag() ? " response" : " request");
    }
}
