package io.ipsecd.esp;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Hex, SA pairs and inner packets for the tests. */
final class Fixtures {
    static final int SPI = 0x1234_5678;

    static final List<EspTransform> ALL_TRANSFORMS = List.of(
            EspTransform.AES_GCM_128, EspTransform.AES_GCM_256, EspTransform.CHACHA20_POLY1305,
            EspTransform.cbc(EspEncryption.AES_CBC_128, EspIntegrity.HMAC_SHA1_96),
            EspTransform.cbc(EspEncryption.AES_CBC_128, EspIntegrity.HMAC_SHA2_256_128),
            EspTransform.cbc(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_256_128),
            EspTransform.cbc(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_384_192),
            EspTransform.cbc(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_512_256));

    private Fixtures() {}

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    static String hex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    static EspKeys keys(EspTransform t, long seed) {
        byte[] keymat = new byte[t.keyMaterialSize()];
        new Random(seed).nextBytes(keymat);
        return EspKeys.fromKeyMaterial(t, keymat, 0);
    }

    record Pair(OutboundSa out, InboundSa in) {}

    static Pair pair(EspTransform t, boolean esn) {
        return pair(t, esn, SaParameters.DEFAULT_REPLAY_WINDOW, 1);
    }

    static Pair pair(EspTransform t, boolean esn, int window, long firstSeq) {
        EspKeys k = keys(t, 42);
        try {
            return new Pair(
                    OutboundSa.startingAt(SaParameters.of(SPI, SaDirection.OUTBOUND, t, k).withEsn(esn), firstSeq),
                    InboundSa.startingAfter(SaParameters.of(SPI, SaDirection.INBOUND, t, k).withEsn(esn).withReplayWindow(window),
                            firstSeq - 1));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** An inner packet whose first nibble says IPv4 or IPv6; the rest is random. */
    static byte[] innerPacket(boolean ipv6, int length, long seed) {
        byte[] p = new byte[length];
        new Random(seed).nextBytes(p);
        p[0] = (byte) (ipv6 ? 0x60 : 0x45);
        return p;
    }
}
