package io.ipsecd.ike.message;

/** EAP payload (RFC 7296 §3.16), kept raw: the exchange layer refuses EAP. */
public record EapPayload(Bytes message) implements Payload {
    @Override
    public int payloadType() {
        return PayloadType.EAP.value();
    }
}
