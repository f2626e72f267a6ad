package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.PayloadCodec;
import io.ipsecd.ike.message.PayloadType;
import io.ipsecd.ike.message.SkPayload;
import java.util.Arrays;
import java.util.List;

/**
 * Builds and opens protected messages: an IKE header followed by one SK payload (RFC 7296 §3.14).
 * Plaintext layout: inner payloads | padding (zeros) | pad length (1 byte). AEAD ciphers need no
 * alignment (RFC 5282 §3, RFC 7634 §2), so they get no padding.
 */
public final class SkCodec {
    private static final int SK_HEADER = 4;

    private SkCodec() {
    }

    /** The datagram for {@code header} carrying {@code inner} encrypted. */
    public static byte[] seal(IkeHeader header, List<Payload> inner, SkCipher cipher) {
        byte[] chain = PayloadCodec.encodeChain(inner);
        byte[] plaintext = padded(chain, 0, chain.length, cipher.blockBytes());

        int skLength = SK_HEADER + cipher.ivBytes() + plaintext.length + cipher.icvBytes();
        if (skLength > 0xffff) {
            throw new IllegalArgumentException("inner payloads too long for one SK payload: " + chain.length + " bytes");
        }
        int total = IkeHeader.LENGTH + skLength;
        byte[] datagram = new byte[total];
        System.arraycopy(header.encode(PayloadType.SK.value(), total), 0, datagram, 0, IkeHeader.LENGTH);
        int firstInner = inner.isEmpty() ? PayloadType.NONE : inner.getFirst().payloadType();
        datagram[28] = (byte) firstInner;
        datagram[30] = (byte) (skLength >>> 8);
        datagram[31] = (byte) skLength;
        cipher.seal(datagram, IkeHeader.LENGTH + SK_HEADER, plaintext);
        Arrays.fill(plaintext, (byte) 0);
        return datagram;
    }

    /** {@code source[from, to)} followed by zero padding and the pad length, a whole number of blocks. */
    static byte[] padded(byte[] source, int from, int to, int block) {
        int length = to - from;
        int padLength = (block - (length + 1) % block) % block;
        byte[] plaintext = new byte[length + padLength + 1];
        System.arraycopy(source, from, plaintext, 0, length);
        plaintext[plaintext.length - 1] = (byte) padLength;
        return plaintext;
    }

    /**
     * Opens the SK payload of {@code message}, which was decoded from {@code datagram}. The SK
     * payload is the last one, so its body ends the datagram; unencrypted payloads before it are
     * covered by the ICV/AAD too.
     */
    public static SkOpenResult open(byte[] datagram, IkeMessage message, SkCipher cipher) {
        if (message.payloads().isEmpty() || !(message.payloads().getLast() instanceof SkPayload sk)) {
            return new SkOpenResult.Rejected("no SK payload");
        }
        int bodyOffset = datagram.length - sk.body().length();
        int cipherLength = sk.body().length() - cipher.ivBytes() - cipher.icvBytes();
        if (cipherLength < 1 || cipherLength % cipher.blockBytes() != 0) {
            return new SkOpenResult.Rejected("SK payload body of " + sk.body().length() + " bytes cannot hold IV, "
                    + "whole cipher blocks and ICV");
        }
        byte[] plaintext = cipher.open(datagram, bodyOffset).orElse(null);
        if (plaintext == null) {
            return new SkOpenResult.Rejected("integrity check failed");
        }
        try {
            int padLength = plaintext[plaintext.length - 1] & 0xff;
            if (padLength + 1 > plaintext.length) {
                return new SkOpenResult.Malformed(IkeDecodeException.syntax("SK pad length " + padLength + " exceeds the "
                        + plaintext.length + "-byte plaintext"));
            }
            return new SkOpenResult.Opened(PayloadCodec.decodeInnerChain(sk.firstInnerPayloadType(), plaintext,
                    plaintext.length - padLength - 1));
        } catch (IkeDecodeException e) {
            return new SkOpenResult.Malformed(e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }
}
