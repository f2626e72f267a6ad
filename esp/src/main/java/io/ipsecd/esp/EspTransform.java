package io.ipsecd.esp;

import java.util.Objects;

/**
 * An encryption plus integrity pair as IKE negotiates it, with the sizes the data plane needs.
 *
 * <p>Packet layout (RFC 4303): {@code SPI(4) | seq(4) | IV | payload | padding | padLen(1) |
 * nextHeader(1) | ICV}. {@link #headerSize()} is where the inner packet lands in the output, so a
 * data plane that reads inner packets at {@code outOff + headerSize()} avoids a copy.
 */
public record EspTransform(EspEncryption encryption, EspIntegrity integrity) {

    public static final EspTransform AES_GCM_128 = new EspTransform(EspEncryption.AES_GCM_16_128, EspIntegrity.NONE);
    public static final EspTransform AES_GCM_256 = new EspTransform(EspEncryption.AES_GCM_16_256, EspIntegrity.NONE);
    public static final EspTransform CHACHA20_POLY1305 =
            new EspTransform(EspEncryption.CHACHA20_POLY1305, EspIntegrity.NONE);

    public EspTransform {
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(integrity, "integrity");
        if (encryption.aead() && integrity != EspIntegrity.NONE) {
            throw new IllegalArgumentException(encryption + " is AEAD: integrity must be NONE");
        }
        // RFC 8221: CBC without integrity is a MUST NOT.
        if (!encryption.aead() && integrity == EspIntegrity.NONE) {
            throw new IllegalArgumentException(encryption + " needs an integrity transform");
        }
    }

    /** CBC with an HMAC. */
    public static EspTransform cbc(EspEncryption encryption, EspIntegrity integrity) {
        return new EspTransform(encryption, integrity);
    }

    public boolean aead() { return encryption.aead(); }

    public int ivSize() { return encryption.ivSize(); }

    public int icvSize() { return aead() ? encryption.icvSize() : integrity.icvSize(); }

    public int blockSize() { return encryption.blockSize(); }

    public int saltSize() { return encryption.saltSize(); }

    public int encryptionKeySize() { return encryption.keySize(); }

    public int integrityKeySize() { return integrity.keySize(); }

    /** Bytes of IKE KEYMAT (RFC 7296 section 2.17) one direction of this SA consumes. */
    public int keyMaterialSize() { return encryption.keySize() + encryption.saltSize() + integrity.keySize(); }

    /** SPI, sequence number and IV: the offset of the inner packet from the start of ESP. */
    public int headerSize() { return EspPacket.HEADER_SIZE + ivSize(); }

    /** Encrypted part for an inner packet of {@code innerLength}: inner, padding, pad length, next header. */
    public int paddedLength(int innerLength) {
        int block = blockSize();
        return (innerLength + 2 + block - 1) / block * block;
    }

    /** Whole ESP packet length (outer IP/UDP not included) for an inner packet of {@code innerLength}. */
    public int encapsulatedLength(int innerLength) {
        return headerSize() + paddedLength(innerLength) + icvSize();
    }

    /** Largest ESP overhead over the inner packet (worst-case padding): the tunnel MTU costs this much. */
    public int maxOverhead() {
        return headerSize() + blockSize() - 1 + 2 + icvSize();
    }

    /**
     * Largest inner packet whose ESP packet fits in {@code espBudget} bytes, where the budget is the
     * outer MTU minus the outer IP (and UDP, for RFC 3948 encapsulation) header: the tunnel MTU.
     * Returns 0 when not even an empty packet fits.
     */
    public int maxInnerLength(int espBudget) {
        int room = espBudget - headerSize() - icvSize();
        if (room < blockSize()) {
            return 0;
        }
        return Math.max(0, room / blockSize() * blockSize() - 2);
    }

    /** Upper bound of the decrypted bytes decapsulating an {@code espLength}-byte packet writes. */
    public int decryptedLength(int espLength) {
        return Math.max(0, espLength - headerSize() - icvSize());
    }

    @Override
    public String toString() {
        return aead() ? encryption.name() : encryption.name() + "+" + integrity.name();
    }
}
