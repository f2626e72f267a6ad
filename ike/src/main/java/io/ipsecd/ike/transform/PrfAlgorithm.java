package io.ipsecd.ike.transform;

import java.util.Optional;

/**
 * Transform type 2 (PRF) IDs. Sources: RFC 7296 §3.3.2 (HMAC_MD5 1, HMAC_SHA1 2), RFC 4434
 * (AES128_XCBC 4), RFC 4868 (HMAC_SHA2_256/384/512 = 5/6/7), RFC 4615 (AES128_CMAC 8).
 * {@code jceName} is null for PRFs this implementation does not offer.
 */
public enum PrfAlgorithm implements TransformId {
    PRF_HMAC_MD5(1, null, 16),
    PRF_HMAC_SHA1(2, "HmacSHA1", 20),
    PRF_AES128_XCBC(4, null, 16),
    PRF_HMAC_SHA2_256(5, "HmacSHA256", 32),
    PRF_HMAC_SHA2_384(6, "HmacSHA384", 48),
    PRF_HMAC_SHA2_512(7, "HmacSHA512", 64),
    PRF_AES128_CMAC(8, null, 16);

    private final int id;
    private final String jceName;
    private final int outputBytes;

    PrfAlgorithm(int id, String jceName, int outputBytes) {
        this.id = id;
        this.jceName = jceName;
        this.outputBytes = outputBytes;
    }

    @Override
    public TransformType transformType() {
        return TransformType.PRF;
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

    public int outputBytes() {
        return outputBytes;
    }

    /**
     * Length of SK_d, SK_pi and SK_pr: the PRF's preferred key size, which for HMAC is the output
     * length (RFC 7296 §2.14, RFC 4868 §2.3).
     */
    public int keyBytes() {
        return outputBytes;
    }

    public static Optional<PrfAlgorithm> fromId(int id) {
        return TransformId.find(PrfAlgorithm.class, id);
    }
}
