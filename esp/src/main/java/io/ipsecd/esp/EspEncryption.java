package io.ipsecd.esp;

/**
 * ESP encryption transforms (IKEv2 transform type 1) this module implements.
 *
 * <p>{@code blockSize} is the alignment the padding brings the payload to: the cipher block for
 * CBC, 4 bytes for the AEAD modes (RFC 4303 section 2.4 asks for 4-byte alignment). AEAD
 * transforms carry their own ICV ({@code icvSize}); CBC needs a separate {@link EspIntegrity}.
 */
public enum EspEncryption {
    /** RFC 4106 AES-GCM with a 16-byte ICV, 128-bit key. */
    AES_GCM_16_128(20, "AES", 16, 4, 8, 4, 16, true),
    /** RFC 4106 AES-GCM with a 16-byte ICV, 256-bit key. */
    AES_GCM_16_256(20, "AES", 32, 4, 8, 4, 16, true),
    /** RFC 7634 ChaCha20-Poly1305. */
    CHACHA20_POLY1305(28, "ChaCha20", 32, 4, 8, 4, 16, true),
    /** RFC 3602 AES-CBC, 128-bit key. */
    AES_CBC_128(12, "AES", 16, 0, 16, 16, 0, false),
    /** RFC 3602 AES-CBC, 256-bit key. */
    AES_CBC_256(12, "AES", 32, 0, 16, 16, 0, false);

    private final int ikeTransformId;
    private final String keyAlgorithm;
    private final int keySize;
    private final int saltSize;
    private final int ivSize;
    private final int blockSize;
    private final int icvSize;
    private final boolean aead;

    EspEncryption(int ikeTransformId, String keyAlgorithm, int keySize, int saltSize, int ivSize,
                  int blockSize, int icvSize, boolean aead) {
        this.ikeTransformId = ikeTransformId;
        this.keyAlgorithm = keyAlgorithm;
        this.keySize = keySize;
        this.saltSize = saltSize;
        this.ivSize = ivSize;
        this.blockSize = blockSize;
        this.icvSize = icvSize;
        this.aead = aead;
    }

    /** IANA "Transform Type 1" ID (ENCR_AES_CBC = 12, ENCR_AES_GCM_16 = 20, ENCR_CHACHA20_POLY1305 = 28). */
    public int ikeTransformId() { return ikeTransformId; }

    /** Value of IKE's Key Length attribute in bits, or 0 when the transform takes none (ChaCha20). */
    public int ikeKeyLengthBits() { return this == CHACHA20_POLY1305 ? 0 : keySize * 8; }

    /** JCA key algorithm name. */
    public String keyAlgorithm() { return keyAlgorithm; }

    /** Encryption key length in bytes, salt excluded. */
    public int keySize() { return keySize; }

    /** Implicit nonce salt taken from the keying material after the key (RFC 4106 and 7634), else 0. */
    public int saltSize() { return saltSize; }

    /** Explicit IV carried in every packet. */
    public int ivSize() { return ivSize; }

    /** Alignment of the encrypted payload, padding included. */
    public int blockSize() { return blockSize; }

    /** ICV of the AEAD transform; 0 for CBC, whose ICV comes from the integrity transform. */
    public int icvSize() { return icvSize; }

    public boolean aead() { return aead; }
}
