package io.ipsecd.ike.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** IKEv2 key derivation: SKEYSEED, the IKE SA keys, child SA KEYMAT and IKE SA rekeying. */
public final class KeyDerivation {
    private KeyDerivation() {
    }

    /** SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 §2.14). */
    public static SecretBytes skeyseed(Prf prf, byte[] ni, byte[] nr, SecretBytes sharedSecret) {
        byte[] key = concat(ni, nr);
        byte[] gir = sharedSecret.copy();
        try {
            return SecretBytes.wrap(prf.apply(key, gir));
        } finally {
            Arrays.fill(gir, (byte) 0);
        }
    }

    /**
     * SKEYSEED for a rekeyed IKE SA: prf(SK_d (old), g^ir (new) | Ni | Nr) (RFC 7296 §2.18), with the
     * old SA's PRF; the new SA's keys then come from {@link #ikeSaKeys} with the new PRF. RFC 9370
     * uses the same shape for each additional key exchange: prf(SK_d(n-1), SK(n) | Ni | Nr).
     */
    public static SecretBytes rekeySkeyseed(Prf oldPrf, SecretBytes oldSkD, SecretBytes newSharedSecret, byte[] ni,
                                            byte[] nr) {
        byte[] key = oldSkD.copy();
        byte[] gir = newSharedSecret.copy();
        try {
            return SecretBytes.wrap(oldPrf.apply(key, gir, ni, nr));
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(gir, (byte) 0);
        }
    }

    /**
     * SKEYSEED for a rekeyed IKE SA with additional key exchanges (RFC 9370 §2.2.4):
     * prf(SK_d (old), SK(0) | Ni | Nr | SK(1) | ... | SK(n)), SK(0) from the CREATE_CHILD_SA and
     * SK(1)..SK(n) from the IKE_FOLLOWUP_KE exchanges in the order they ran.
     */
    public static SecretBytes rekeySkeyseed(Prf oldPrf, SecretBytes oldSkD, SecretBytes newSharedSecret, byte[] ni,
                                            byte[] nr, java.util.List<SecretBytes> additionalSecrets) {
        byte[] key = oldSkD.copy();
        byte[] data = seed(newSharedSecret, ni, nr, additionalSecrets);
        try {
            return SecretBytes.wrap(oldPrf.apply(key, data));
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(data, (byte) 0);
        }
    }

    /** SK(0) | Ni | Nr | SK(1) | ... | SK(n): RFC 9370 §2.2.4's input for both SKEYSEED and KEYMAT. */
    private static byte[] seed(SecretBytes first, byte[] ni, byte[] nr, java.util.List<SecretBytes> additional) {
        java.util.List<byte[]> parts = new java.util.ArrayList<>();
        parts.add(first == null ? new byte[0] : first.copy());
        parts.add(ni);
        parts.add(nr);
        additional.forEach(s -> parts.add(s.copy()));
        try {
            return concat(parts.toArray(byte[][]::new));
        } finally {
            Arrays.fill(parts.getFirst(), (byte) 0);
            parts.subList(3, parts.size()).forEach(b -> Arrays.fill(b, (byte) 0));
        }
    }

    /**
     * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
     * SK_d and SK_p are as long as the PRF's key; SK_e includes the AEAD salt.
     */
    public static IkeSaKeys ikeSaKeys(Prf prf, SecretBytes skeyseed, byte[] ni, byte[] nr, long spiI, long spiR,
                                      CipherSuite suite) {
        int prfKey = prf.algorithm().keyBytes();
        int integ = suite.integrityKeyBytes();
        int encr = suite.encryptionKeyBytes();
        byte[] seed = ByteBuffer.allocate(ni.length + nr.length + 16).put(ni).put(nr).putLong(spiI).putLong(spiR).array();
        byte[] key = skeyseed.copy();
        byte[] stream = prf.plus(key, seed, 3 * prfKey + 2 * integ + 2 * encr);
        try {
            Splitter s = new Splitter(stream);
            SecretBytes skD = s.next(prfKey);
            SecretBytes skAi = s.next(integ);
            SecretBytes skAr = s.next(integ);
            SecretBytes skEi = s.next(encr);
            SecretBytes skEr = s.next(encr);
            return new IkeSaKeys(skD, new DirectionKeys(skEi, skAi), new DirectionKeys(skEr, skAr), s.next(prfKey),
                    s.next(prfKey));
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(stream, (byte) 0);
        }
    }

    /**
     * KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir (new) | Ni | Nr) with PFS (RFC 7296 §2.17),
     * split as encryption then integrity key for initiator-to-responder, then the same for
     * responder-to-initiator.
     *
     * @param pfsSharedSecret the new key exchange's secret, or null without PFS
     */
    public static ChildSaKeys childSaKeys(Prf prf, SecretBytes skD, SecretBytes pfsSharedSecret, byte[] ni, byte[] nr,
                                          CipherSuite suite) {
        return childSaKeys(prf, skD, pfsSharedSecret, ni, nr, java.util.List.of(), suite);
    }

    /**
     * KEYMAT with additional key exchanges (RFC 9370 §2.2.4): prf+(SK_d, SK(0) | Ni | Nr | SK(1) |
     * ... | SK(n)), SK(0) from the CREATE_CHILD_SA's KE and SK(1)..SK(n) from the IKE_FOLLOWUP_KE
     * exchanges in the order they ran; with none it is RFC 7296's KEYMAT.
     */
    public static ChildSaKeys childSaKeys(Prf prf, SecretBytes skD, SecretBytes pfsSharedSecret, byte[] ni, byte[] nr,
                                          java.util.List<SecretBytes> additionalSecrets, CipherSuite suite) {
        byte[] seed = seed(pfsSharedSecret, ni, nr, additionalSecrets);
        byte[] key = skD.copy();
        byte[] stream = prf.plus(key, seed, 2 * suite.directionKeyBytes());
        try {
            Splitter s = new Splitter(stream);
            SecretBytes encrI = s.next(suite.encryptionKeyBytes());
            SecretBytes integI = s.next(suite.integrityKeyBytes());
            SecretBytes encrR = s.next(suite.encryptionKeyBytes());
            SecretBytes integR = s.next(suite.integrityKeyBytes());
            return new ChildSaKeys(new DirectionKeys(encrI, integI), new DirectionKeys(encrR, integR));
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(key, (byte) 0);
            Arrays.fill(stream, (byte) 0);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static final class Splitter {
        private final byte[] stream;
        private int offset;

        Splitter(byte[] stream) {
            this.stream = stream;
        }

        SecretBytes next(int length) {
            SecretBytes s = SecretBytes.wrap(Arrays.copyOfRange(stream, offset, offset + length));
            offset += length;
            return s;
        }
    }
}
