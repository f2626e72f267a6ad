package io.ipsecd.ike.message;

/**
 * One IKEv2 payload: one immutable record per kind, in the spirit of the AOSP IKE library. The
 * generic payload header (next payload, critical bit, length) is not stored: the encoder computes
 * it, and the critical bit only matters for payload types we do not know ({@link UnknownPayload}).
 */
public sealed interface Payload
        permits SaPayload, KePayload, IdPayload, CertPayload, CertReqPayload, AuthPayload, NoncePayload,
        NotifyPayload, DeletePayload, VendorIdPayload, TsPayload, SkPayload, ConfigPayload, EapPayload,
        UnknownPayload, EncryptedFragmentPayload {

    /** The payload type number that goes into the preceding next-payload field. */
    int payloadType();
}
