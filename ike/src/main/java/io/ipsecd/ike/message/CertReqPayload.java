package io.ipsecd.ike.message;

/** Certificate Request payload (RFC 7296 §3.7): encoding and the raw CA key hashes. */
public record CertReqPayload(int encoding, Bytes data) implements Payload {
    /** X.509 certificate - signature: data are SHA-1 hashes of trusted CAs' SubjectPublicKeyInfo. */
    public static final int X509_SIGNATURE = CertPayload.X509_SIGNATURE;

    public CertReqPayload {
        if (encoding < 0 || encoding > 255) {
            throw new IllegalArgumentException("certificate encoding out of range: " + encoding);
        }
    }

    @Override
    public int payloadType() {
        return PayloadType.CERTREQ.value();
    }
}
