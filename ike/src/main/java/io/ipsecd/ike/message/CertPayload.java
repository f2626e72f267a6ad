package io.ipsecd.ike.message;

/** Certificate payload (RFC 7296 §3.6): encoding (4 = X.509 signature) and the raw data, interpreted later. */
public record CertPayload(int encoding, Bytes data) implements Payload {
    public static final int X509_SIGNATURE = 4;

    public CertPayload {
        if (encoding < 0 || encoding > 255) {
            throw new IllegalArgumentException("certificate encoding out of range: " + encoding);
        }
    }

    @Override
    public int payloadType() {
        return PayloadType.CERT.value();
    }
}
