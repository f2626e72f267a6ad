package io.ipsecd.ike.exchange;

import io.ipsecd.ike.crypto.Prf;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.PayloadCodec;
import io.ipsecd.ike.message.PayloadType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * What the IKE_INTERMEDIATE exchanges of one IKE SA's setup leave for IKE_AUTH (RFC 9242 §3.3):
 * the IntAuth chains, one per direction, and how many additional key exchanges (RFC 9370) ran.
 *
 * <p>Each IKE_INTERMEDIATE message extends its sender's chain:
 * {@code IntAuth_n = prf(SK_p, IntAuth_(n-1) | IntAuth_A | IntAuth_P)}, with the SK_pi (messages
 * from the original initiator) or SK_pr (from the responder) of the keys that protected that
 * message. IntAuth_A is the IKE header and the Encrypted payload's generic header, their lengths
 * counted as if the Encrypted payload held only the plaintext inner payloads (no IV, padding or
 * ICV) and as if it were not fragmented; IntAuth_P is that plaintext. Both sides compute it from
 * the header and inner payloads, so a fragmented or retransmitted message gives the same value.
 * The AUTH payloads then also cover {@code IntAuth_i | IntAuth_r | IKE_AUTH message ID}.
 */
final class IntermediateAuth {
    private static final int SK_HEADER = 4;

    private byte[] intAuthI = new byte[0];
    private byte[] intAuthR = new byte[0];
    private long lastMessageId = -1;
    /** Additional key exchanges completed so far (keys updated after each). */
    int keyExchangesDone;

    /** Whether an IKE_INTERMEDIATE exchange took place: only then does AUTH cover IntAuth. */
    boolean used() {
        return lastMessageId >= 0;
    }

    /**
     * Extends the chain of the message's sender with one IKE_INTERMEDIATE message.
     *
     * @param skP SK_pi for a message from the original initiator (I flag set), SK_pr otherwise,
     *            of the keys that protect this message
     */
    void add(Prf prf, SecretBytes skP, IkeHeader header, List<Payload> inner) {
        byte[] plain = PayloadCodec.encodeChain(inner);
        byte[] key = skP.copy();
        try {
            byte[] a = authenticatedPart(header, inner.isEmpty() ? PayloadType.NONE : inner.getFirst().payloadType(),
                    plain.length);
            if (header.initiatorFlag()) {
                intAuthI = prf.apply(key, intAuthI, a, plain);
            } else {
                intAuthR = prf.apply(key, intAuthR, a, plain);
            }
            lastMessageId = Math.max(lastMessageId, header.messageId());
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** IntAuth_A: the IKE header and the Encrypted payload header, lengths without IV, padding and ICV. */
    static byte[] authenticatedPart(IkeHeader header, int firstInner, int plainLength) {
        int skLength = SK_HEADER + plainLength;
        return ByteBuffer.allocate(IkeHeader.LENGTH + SK_HEADER)
                .put(header.encode(PayloadType.SK.value(), IkeHeader.LENGTH + skLength))
                .put((byte) firstInner).put((byte) 0).putShort((short) skLength).array();
    }

    /**
     * RFC 9242 §3.3.2: the signed octets of RFC 7296 §2.15 followed by
     * {@code IntAuth_i | IntAuth_r | IKE_AUTH_MID}; unchanged without IKE_INTERMEDIATE. The
     * IKE_AUTH request comes right after the last IKE_INTERMEDIATE exchange, so its message ID is
     * the next one.
     */
    byte[] appendTo(byte[] signedOctets) {
        if (!used()) {
            return signedOctets;
        }
        try {
            return ByteBuffer.allocate(signedOctets.length + intAuthI.length + intAuthR.length + 4).put(signedOctets)
                    .put(intAuthI).put(intAuthR).putInt((int) (lastMessageId + 1)).array();
        } finally {
            Arrays.fill(signedOctets, (byte) 0);
        }
    }

    /** Forgets the chains (the IKE SA is established or gone). */
    void wipe() {
        Arrays.fill(intAuthI, (byte) 0);
        Arrays.fill(intAuthR, (byte) 0);
    }
}
