package io.ipsecd.ike.transform;

import java.util.Optional;

/**
 * Transform type 3 (INTEG) IDs. Sources: RFC 7296 §3.3.2 (NONE 0, HMAC_MD5_96 1, HMAC_SHA1_96 2,
 * AES_XCBC_96 5), RFC 4868 (HMAC_SHA2_256_128 12, HMAC_SHA2_384_192 13, HMAC_SHA2_512_256 14).
 * Key length = hash output length (RFC 4868 §2.1.1, RFC 2404); ICV = truncated output.
 */
public enum IntegrityAlgorithm implements TransformId {
    NONE(0, null, 0, 0),
    HMAC_MD5_96(1, null, 16, 12),
    HMAC_SHA1_96(2, "HmacSHA1", 20, 12),
    AES_XCBC_96(5, null, 16, 12),
    HMAC_SHA2_256_128(12, "HmacSHA256", 32, 16),
    HMAC_SHA2_384_192(13, "HmacSHA384", 48, 24),
    HMAC_SHA2_512_256(14, "HmacSHA512", 64, 32);

    private final int id;
    private final String jceName;
    private final int keyBytes;
    private final int icvBytes;

    IntegrityAlgorithm(int id, String jceName, int keyBytes, int icvBytes) {
        this.id = id;
        this.jceName = jceName;
        this.keyBytes = keyBytes;
        this.icvBytes = icvBytes;
    }

    @Override
    public TransformType transformType() {
        return TransformType.INTEG;
    }

    @Override
    public int id() {
        return id;
    }

    public boolean isSupported() {
        return jceName != null;
    }

    public String jceName() {
        return jceName;
    }

    public int keyBytes() {
        return keyBytes;
    }

    public int icvBytes() {
        return icvBytes;
    }

    public static Optional<IntegrityAlgorithm> fromId(int id) {
        return TransformId.find(IntegrityAlgorithm.class, id);
    }
}
