package io.ipsecd.ike.message;

/**
 * Authentication payload (RFC 7296 §3.8). Methods: 1 RSA signature, 2 shared key MIC, 9/10/11 ECDSA
 * with SHA-256 on P-256 / SHA-384 on P-384 / SHA-512 on P-521 (RFC 4754), 14 digital signature (RFC 7427).
 */
public record AuthPayload(int method, Bytes data) implements Payload {
    public static final int RSA_SIGNATURE = 1;
    public static final int SHARED_KEY_MIC = 2;
    public static final int ECDSA_SHA256_P256 = 9;
    public static final int ECDSA_SHA384_P384 = 10;
    public static final int ECDSA_SHA512_P521 = 11;
    public static final int DIGITAL_SIGNATURE = 14;

    public AuthPayload {
        if (method < 0 || method > 255) {
            throw new IllegalArgumentException("auth method out of range: " + method);
        }
        if (data.isEmpty()) {
            throw new IllegalArgumentException("authentication data is empty");
        }
    }

    @Override
    public int payloadType() {
        return PayloadType.AUTH.value();
    }
}
