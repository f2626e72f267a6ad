package io.ipsecd.ike.message;

/** Key Exchange payload (RFC 7296 §3.4): the KE method number and the public value or KEM share. */
public record KePayload(int group, Bytes data) implements Payload {
    public KePayload {
        if (group < 0 || group > 0xffff) {
            throw new IllegalArgumentException("KE group out of range: " + group);
        }
        if (data.isEmpty()) {
            throw new IllegalArgumentException("KE payload needs key exchange data");
        }
    }

    @Override
    public int payloadType() {
        return PayloadType.KE.value();
    }
}
