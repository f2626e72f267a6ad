package io.ipsecd.ike.message;

import java.util.Optional;

/**
 * Notify payload (RFC 7296 §3.10). {@code notifyType} is the wire number so types we do not know
 * survive; {@link #type()} maps the known ones.
 *
 * @param protocolId {@link ProtocolId} number; 0 when there is no SPI
 */
public record NotifyPayload(int protocolId, Bytes spi, int notifyType, Bytes data) implements Payload {
    public NotifyPayload {
        if (protocolId < 0 || protocolId > 255 || spi.length() > 255 || notifyType < 0 || notifyType > 0xffff) {
            throw new IllegalArgumentException("notify field out of range");
        }
    }

    /** A notification about the IKE SA itself (no protocol, no SPI). */
    public static NotifyPayload of(NotifyType type, Bytes data) {
        return new NotifyPayload(0, Bytes.EMPTY, type.value(), data);
    }

    public static NotifyPayload of(NotifyType type) {
        return of(type, Bytes.EMPTY);
    }

    public Optional<NotifyType> type() {
        return NotifyType.fromValue(notifyType);
    }

    public boolean isError() {
        return notifyType < NotifyType.FIRST_STATUS_TYPE;
    }

    @Override
    public int payloadType() {
        return PayloadType.NOTIFY.value();
    }
}
