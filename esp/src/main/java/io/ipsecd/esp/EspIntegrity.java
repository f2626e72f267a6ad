package io.ipsecd.esp;

/** ESP integrity transforms (IKEv2 transform type 3); {@link #NONE} goes with AEAD encryption. */
public enum EspIntegrity {
    NONE(0, null, 0, 0),
    /** RFC 2404; legacy, for peers that offer nothing better. */
    HMAC_SHA1_96(2, "HmacSHA1", 20, 12),
    /** RFC 4868. */
    HMAC_SHA2_256_128(12, "HmacSHA256", 32, 16),
    /** RFC 4868. */
    HMAC_SHA2_384_192(13, "HmacSHA384", 48, 24),
    /** RFC 4868. */
    HMAC_SHA2_512_256(14, "HmacSHA512", 64, 32);

    private final int ikeTransformId;
    private final String macAlgorithm;
    private final int keySize;
    private final int icvSize;

    EspIntegrity(int ikeTransformId, String macAlgorithm, int keySize, int icvSize) {
        this.ikeTransformId = ikeTransformId;
        this.macAlgorithm = macAlgorithm;
        this.keySize = keySize;
        this.icvSize = icvSize;
    }

    /** IANA "Transform Type 3" ID. */
    public int ikeTransformId() { return ikeTransformId; }

    /** JCA Mac name, or null for {@link #NONE}. */
    public String macAlgorithm() { return macAlgorithm; }

    /** Integrity key length in bytes (RFC 4868: equal to the hash output length). */
    public int keySize() { return keySize; }

    /** Truncated ICV length sent in each packet. */
    public int icvSize() { return icvSize; }
}
