package io.ipsecd.ike.crypto;

import io.ipsecd.ike.message.EncryptedFragmentPayload;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.PayloadCodec;
import io.ipsecd.ike.message.PayloadType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a protected message into Encrypted Fragment (SKF) messages and opens one of them (RFC 7383
 * §2.5). The inner payload chain, as it would go into one SK payload, is cut into pieces; each piece
 * is padded and sealed on its own with the SA's {@link SkCipher}, exactly as an SK body is. The
 * AEAD associated data (or HMAC input) is everything before the IV: IKE header plus the 8-byte SKF
 * header, so Fragment Number and Total Fragments are authenticated too.
 *
 * <p>Sizes: {@code maxMessageBytes} bounds each whole IKE message (the UDP payload without a
 * non-ESP marker); {@link #messageBudget} derives it from an IP datagram size such as
 * {@link #DEFAULT_FRAGMENT_SIZE}, the IPv6 minimum MTU.
 */
public final class IkeFragmenter {
    /** IP datagram size of a fragment when none is configured: the IPv6 minimum MTU (RFC 8200 §5). */
    public static final int DEFAULT_FRAGMENT_SIZE = 1280;
    private static final int IPV4_AND_UDP = 20 + 8;
    private static final int IPV6_AND_UDP = 40 + 8;
    private static final int NON_ESP_MARKER = 4;
    private static final int BODY_OFFSET = IkeHeader.LENGTH + EncryptedFragmentPayload.HEADER_LENGTH;

    private IkeFragmenter() {
    }

    /** The IKE message bytes left in an IP datagram of {@code fragmentSize} once IP, UDP and the marker (port 4500) are counted. */
    public static int messageBudget(int fragmentSize, boolean ipv6, boolean nonEspMarker) {
        return fragmentSize - (ipv6 ? IPV6_AND_UDP : IPV4_AND_UDP) - (nonEspMarker ? NON_ESP_MARKER : 0);
    }

    /** Inner payload bytes one fragment can carry: what is left after headers, IV, ICV, padding and the pad length byte. */
    public static int contentPerFragment(SkCipher cipher, int maxMessageBytes) {
        int plaintext = maxMessageBytes - BODY_OFFSET - cipher.ivBytes() - cipher.icvBytes();
        return plaintext / cipher.blockBytes() * cipher.blockBytes() - 1;
    }

    /** The SKF datagrams, in fragment order, for {@code header} carrying {@code inner}. */
    public static List<byte[]> split(IkeHeader header, List<Payload> inner, SkCipher cipher, int maxMessageBytes) {
        byte[] chain = PayloadCodec.encodeChain(inner);
        try {
            return split(header, inner.isEmpty() ? PayloadType.NONE : inner.getFirst().payloadType(), chain, cipher,
                    maxMessageBytes);
        } finally {
            Arrays.fill(chain, (byte) 0);
        }
    }

    /** As {@link #split(IkeHeader, List, SkCipher, int)}, for an already encoded inner chain. */
    static List<byte[]> split(IkeHeader header, int firstInnerType, byte[] chain, SkCipher cipher, int maxMessageBytes) {
        int perFragment = contentPerFragment(cipher, maxMessageBytes);
        if (perFragment < 1) {
            throw new IllegalArgumentException("a " + maxMessageBytes + "-byte fragment has no room for content after "
                    + "headers, IV and ICV");
        }
        int total = Math.max(1, (chain.length + perFragment - 1) / perFragment);
        if (total > 0xffff) {
            throw new IllegalArgumentException(chain.length + " bytes need " + total + " fragments, more than 65535");
        }
        List<byte[]> fragments = new ArrayList<>(total);
        for (int number = 1; number <= total; number++) {
            int from = (number - 1) * perFragment;
            int to = Math.min(chain.length, from + perFragment);
            fragments.add(seal(header, number == 1 ? firstInnerType : PayloadType.NONE, number, total,
                    SkCodec.padded(chain, from, to, cipher.blockBytes()), cipher));
        }
        return fragments;
    }

    private static byte[] seal(IkeHeader header, int nextPayload, int number, int total, byte[] plaintext, SkCipher cipher) {
        int skfLength = EncryptedFragmentPayload.HEADER_LENGTH + cipher.ivBytes() + plaintext.length + cipher.icvBytes();
        byte[] datagram = new byte[IkeHeader.LENGTH + skfLength];
        System.arraycopy(header.encode(PayloadType.SKF.value(), datagram.length), 0, datagram, 0, IkeHeader.LENGTH);
        int at = IkeHeader.LENGTH;
        datagram[at] = (byte) nextPayload;
        datagram[at + 2] = (byte) (skfLength >>> 8);
        datagram[at + 3] = (byte) skfLength;
        datagram[at + 4] = (byte) (number >>> 8);
        datagram[at + 5] = (byte) number;
        datagram[at + 6] = (byte) (total >>> 8);
        datagram[at + 7] = (byte) total;
        cipher.seal(datagram, BODY_OFFSET, plaintext);
        Arrays.fill(plaintext, (byte) 0);
        return datagram;
    }

    /** What opening one fragment gave: its inner bytes (padding removed), or why it was dropped. */
    sealed interface Opened {
        record Content(byte[] bytes) implements Opened {
        }

        record Dropped(String reason) implements Opened {
        }
    }

    /**
     * Verifies and decrypts {@code fragment}, the last payload of {@code datagram} (so its body ends
     * the datagram). Nothing is decrypted or kept unless the ICV verifies.
     */
    static Opened open(byte[] datagram, EncryptedFragmentPayload fragment, SkCipher cipher) {
        int bodyLength = fragment.body().length();
        int cipherLength = bodyLength - cipher.ivBytes() - cipher.icvBytes();
        if (cipherLength < 1 || cipherLength % cipher.blockBytes() != 0) {
            return new Opened.Dropped("SKF payload body of " + bodyLength + " bytes cannot hold IV, whole cipher blocks "
                    + "and ICV");
        }
        byte[] plaintext = cipher.open(datagram, datagram.length - bodyLength).orElse(null);
        if (plaintext == null) {
            return new Opened.Dropped("integrity check failed");
        }
        int padLength = plaintext[plaintext.length - 1] & 0xff;
        if (padLength + 1 > plaintext.length) {
            Arrays.fill(plaintext, (byte) 0);
            return new Opened.Dropped("SKF pad length " + padLength + " exceeds the " + plaintext.length
                    + "-byte plaintext");
        }
        byte[] content = Arrays.copyOf(plaintext, plaintext.length - padLength - 1);
        Arrays.fill(plaintext, (byte) 0);
        return new Opened.Content(content);
    }
}
