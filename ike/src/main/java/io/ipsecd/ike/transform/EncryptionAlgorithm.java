package io.ipsecd.ike.transform;

import java.util.Optional;

/**
 * Transform type 1 (ENCR) IDs. Sources: RFC 7296 §3.3.2 (3DES 3, NULL 11, AES_CBC 12, AES_CTR 13),
 * RFC 5282 (AES_CCM_8/12/16 = 14/15/16, AES_GCM_8/12/16 = 18/19/20), RFC 7634 (CHACHA20_POLY1305 = 28).
 *
 * <p>{@code saltBytes} is the implicit nonce part appended to the encryption key in the key material
 * (RFC 5282 §7.1, RFC 7634 §3). {@code keyBits} lists the allowed key sizes; AES ones require the
 * Key Length attribute (14), ChaCha20 has a fixed 256-bit key and must not carry it.
 */
public enum EncryptionAlgorithm implements TransformId {
    ENCR_3DES(3, false, 0, 8, 8, 0, new int[] {192}, false),
    ENCR_NULL(11, false, 0, 0, 1, 0, new int[] {0}, false),
    AES_CBC(12, false, 0, 16, 16, 0, new int[] {128, 192, 256}, true),
    AES_CTR(13, false, 4, 8, 1, 0, new int[] {128, 192, 256}, true),
    AES_CCM_8(14, true, 3, 8, 1, 8, new int[] {128, 192, 256}, true),
    AES_CCM_12(15, true, 3, 8, 1, 12, new int[] {128, 192, 256}, true),
    AES_CCM_16(16, true, 3, 8, 1, 16, new int[] {128, 192, 256}, true),
    AES_GCM_8(18, true, 4, 8, 1, 8, new int[] {128, 192, 256}, true),
    AES_GCM_12(19, true, 4, 8, 1, 12, new int[] {128, 192, 256}, true),
    AES_GCM_16(20, true, 4, 8, 1, 16, new int[] {128, 192, 256}, true),
    CHACHA20_POLY1305(28, true, 4, 8, 1, 16, new int[] {256}, false);

    private final int id;
    private final boolean aead;
    private final int saltBytes;
    private final int ivBytes;
    private final int blockBytes;
    private final int icvBytes;
    private final int[] keyBits;
    private final boolean keyLengthAttribute;

    EncryptionAlgorithm(int id, boolean aead, int saltBytes, int ivBytes, int blockBytes, int icvBytes, int[] keyBits,
                        boolean keyLengthAttribute) {
        this.id = id;
        this.aead = aead;
        this.saltBytes = saltBytes;
        this.ivBytes = ivBytes;
        this.blockBytes = blockBytes;
        this.icvBytes = icvBytes;
        this.keyBits = keyBits;
        this.keyLengthAttribute = keyLengthAttribute;
    }

    @Override
    public TransformType transformType() {
        return TransformType.ENCR;
    }

    @Override
    public int id() {
        return id;
    }

    /** Combined-mode cipher: no separate INTEG transform is negotiated (RFC 5282 §8). */
    public boolean isAead() {
        return aead;
    }

    public int saltBytes() {
        return saltBytes;
    }

    public int ivBytes() {
        return ivBytes;
    }

    /** Alignment the SK plaintext is padded to (1 = none needed). */
    public int blockBytes() {
        return blockBytes;
    }

    /** The AEAD tag length; 0 for non-AEAD ciphers (the ICV then comes from INTEG). */
    public int icvBytes() {
        return icvBytes;
    }

    public boolean allowsKeyBits(int bits) {
        for (int k : keyBits) {
            if (k == bits) {
                return true;
            }
        }
        return false;
    }

    /** Whether proposals carry the Key Length attribute for this cipher. */
    public boolean usesKeyLengthAttribute() {
        return keyLengthAttribute;
    }

    /** The only key size, for ciphers without a Key Length attribute. */
    public int fixedKeyBits() {
        if (keyLengthAttribute) {
            throw new IllegalStateException(this + " needs a Key Length attribute");
        }
        return keyBits[0];
    }

    /** Bytes of key material for this cipher: the key plus the salt (RFC 5282, RFC 7634). */
    public int keyMaterialBytes(int bits) {
        if (!allowsKeyBits(bits)) {
            throw new IllegalArgumentException(this + " has no " + bits + "-bit key");
        }
        return bits / 8 + saltBytes;
    }

    public static Optional<EncryptionAlgorithm> fromId(int id) {
        return TransformId.find(EncryptionAlgorithm.class, id);
    }
}
