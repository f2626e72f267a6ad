package io.ipsecd.ike.message;

/** Nonce payload (RFC 7296 §3.9): 16 to 256 bytes. */
public record NoncePayload(Bytes nonce) implements Payload {
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 256;

    public NoncePayload {
        if (nonce.length() < MIN_LENGTH || nonce.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("nonce is " + nonce.length() + " bytes, must be 16..256");
        }
    }

    @Override
    public int payloadType() {
        return PayloadType.NONCE.value();
    }
}
