package io.ipsecd.ike.message;

/** Vendor ID payload (RFC 7296 §3.12). */
public record VendorIdPayload(Bytes vendorId) implements Payload {
    @Override
    public int payloadType() {
        return PayloadType.VENDOR_ID.value();
    }
}
