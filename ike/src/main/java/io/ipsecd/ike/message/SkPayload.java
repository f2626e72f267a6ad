package io.ipsecd.ike.message;

/**
 * Encrypted and Authenticated payload (RFC 7296 §3.14), still encrypted: IV, ciphertext and ICV.
 * Its next-payload field names the first inner payload, and it must be the last payload of a
 * message. {@code io.ipsecd.ike.crypto.SkCodec} seals and opens it.
 */
public record SkPayload(int firstInnerPayloadType, Bytes body) implements Payload {
    public SkPayload {
        if (firstInnerPayloadType < 0 || firstInnerPayloadType > 255) {
            throw new IllegalArgumentException("payload type out of range: " + firstInnerPayloadType);
        }
    }

    @Override
    public int payloadType() {
        return PayloadType.SK.value();
    }
}
