package io.ipsecd.ike.message;

/**
 * A payload of a type this codec does not know (RFC 7296 §2.5): skipped but kept, body and critical
 * bit included, so it can be logged or re-encoded. Decoding never yields a critical one: an unknown
 * critical payload rejects the message with UNSUPPORTED_CRITICAL_PAYLOAD.
 */
public record UnknownPayload(int type, boolean critical, Bytes body) implements Payload {
    public UnknownPayload {
        if (type < 0 || type > 255 || PayloadType.fromValue(type).isPresent() || type == PayloadType.NONE) {
            throw new IllegalArgumentException("not an unknown payload type: " + type);
        }
    }

    @Override
    public int payloadType() {
        return type;
    }
}
