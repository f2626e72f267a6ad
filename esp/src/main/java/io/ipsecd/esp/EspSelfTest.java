package io.ipsecd.esp;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The data plane's power-on self-test: each transform carries packets of several sizes through a
 * throwaway SA pair, and what comes out must be what went in (and a flipped bit must be refused).
 * Run with enough rounds it also gets the JIT to compile the hot path before the first tunnel's
 * traffic, so the first packets of a fresh daemon are not the slow, interpreted ones.
 */
public final class EspSelfTest {
    /** What the data plane carries in practice, the default (AES-GCM-256) first. */
    public static final List<EspTransform> HOT = List.of(EspTransform.AES_GCM_256, EspTransform.AES_GCM_128,
            EspTransform.CHACHA20_POLY1305);
    /** Legacy and CBC transforms: checked, with a few rounds. */
    public static final List<EspTransform> COLD = List.of(
            new EspTransform(EspEncryption.AES_CBC_128, EspIntegrity.HMAC_SHA1_96),
            new EspTransform(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_256_128),
            new EspTransform(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_384_192),
            new EspTransform(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_512_256));
    private static final int[] SIZES = {64, 512, 1400};
    private static final int HEADROOM = 64;

    private EspSelfTest() {}

    /**
     * Carries {@code rounds} packets through each transform.
     *
     * @return packets carried
     * @throws GeneralSecurityException the JDK cannot run a transform
     * @throws IllegalStateException a transform gave back something else than what went in
     */
    public static long run(List<EspTransform> transforms, int rounds) throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        long carried = 0;
        for (EspTransform t : transforms) {
            carried += roundTrips(t, rounds, random);
        }
        return carried;
    }

    private static long roundTrips(EspTransform t, int rounds, SecureRandom random) throws GeneralSecurityException {
        byte[] material = new byte[t.keyMaterialSize()];
        random.nextBytes(material);
        EspKeys keys = EspKeys.fromKeyMaterial(t, material, 0);
        Arrays.fill(material, (byte) 0);
        OutboundSa out = OutboundSa.create(SaParameters.of(0x1000, SaDirection.OUTBOUND, t, keys));
        InboundSa in = InboundSa.create(SaParameters.of(0x1000, SaDirection.INBOUND, t, keys));
        try {
            byte[] inner = new byte[SIZES[SIZES.length - 1]];
            random.nextBytes(inner);
            inner[0] = 0x45; // an IPv4 packet, as the trailer's next header says
            byte[] wire = new byte[HEADROOM + t.encapsulatedLength(inner.length)];
            byte[] clear = new byte[wire.length];
            for (int i = 0; i < rounds; i++) {
                int size = SIZES[i % SIZES.length];
                check(t, out.encapsulate(inner, 0, size, wire, HEADROOM), "encapsulate");
                int length = out.length();
                if (i == 0) {
                    wire[HEADROOM + length - 1] ^= 1; // a damaged ICV must be refused ...
                    if (in.decapsulate(wire, HEADROOM, length, clear, 0) != EspStatus.AUTH_FAILED) {
                        throw new IllegalStateException(t + ": a packet with a damaged ICV was accepted");
                    }
                    check(t, out.encapsulate(inner, 0, size, wire, HEADROOM), "encapsulate"); // ... and spends nothing
                    length = out.length();
                }
                check(t, in.decapsulate(wire, HEADROOM, length, clear, 0), "decapsulate");
                if (in.innerLength() != size || !Arrays.equals(clear, 0, size, inner, 0, size)) {
                    throw new IllegalStateException(t + ": a " + size + "-byte packet came back different");
                }
            }
            return rounds;
        } finally {
            out.destroy();
            in.destroy();
        }
    }

    private static void check(EspTransform t, EspStatus status, String step) {
        if (!status.ok()) {
            throw new IllegalStateException(t + ": " + step + " failed: " + status);
        }
    }
}
