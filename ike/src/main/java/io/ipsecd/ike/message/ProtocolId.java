package io.ipsecd.ike.message;

import java.util.Optional;

/**
 * Security protocol identifiers (RFC 7296 §3.3.1). Payload records keep the wire number as an
 * {@code int}: other values are legal on the wire (an unknown protocol makes a proposal
 * unacceptable, it does not make the message malformed).
 */
public enum ProtocolId {
    /** Used in Notify payloads that carry no SPI. */
    NONE(0), IKE(1), AH(2), ESP(3);

    private final int value;

    ProtocolId(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<ProtocolId> fromValue(int value) {
        return value >= 0 && value <= 3 ? Optional.of(values()[value]) : Optional.empty();
    }
}
