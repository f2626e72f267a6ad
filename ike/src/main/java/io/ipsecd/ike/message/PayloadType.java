package io.ipsecd.ike.message;

import java.util.Optional;

/** Payload type numbers this codec understands (RFC 7296 §3.2). Anything else decodes as {@link UnknownPayload}. */
public enum PayloadType {
    SA(33), KE(34), IDI(35), IDR(36), CERT(37), CERTREQ(38), AUTH(39), NONCE(40), NOTIFY(41),
    DELETE(42), VENDOR_ID(43), TSI(44), TSR(45), SK(46), CP(47), EAP(48),
    /** Encrypted Fragment (RFC 7383 §2.5). */
    SKF(53);

    /** "No next payload" in a generic payload header. */
    public static final int NONE = 0;

    private final int value;

    PayloadType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<PayloadType> fromValue(int value) {
        if (value == SKF.value) {
            return Optional.of(SKF);
        }
        if (value < SA.value || value > EAP.value) {
            return Optional.empty();
        }
        return Optional.of(values()[value - SA.value]);
    }
}
