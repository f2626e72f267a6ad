package io.ipsecd.ike.message;

import java.util.Optional;

/**
 * The only exception a decode may throw, for any input. It says what a responder should answer:
 * {@link #notifyType()} (INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD or INVALID_MAJOR_VERSION) and
 * {@link #notifyData()} (the offending payload type, or the highest version we speak).
 * {@link #header()} is present when the IKE header itself parsed, so the answer can carry the SPIs
 * and message ID (RFC 7296 §2.21). No stack trace is recorded: malformed input is routine traffic.
 */
public final class IkeDecodeException extends Exception {
    private final NotifyType notifyType;
    private final Bytes notifyData;
    private final transient IkeHeader header;

    private IkeDecodeException(NotifyType notifyType, Bytes notifyData, String message, IkeHeader header) {
        super(message, null, false, false);
        this.notifyType = notifyType;
        this.notifyData = notifyData;
        this.header = header;
    }

    public static IkeDecodeException syntax(String message) {
        return new IkeDecodeException(NotifyType.INVALID_SYNTAX, Bytes.EMPTY, message, null);
    }

    /** RFC 7296 §3.10.1: the notification data is the one-octet payload type. */
    public static IkeDecodeException unsupportedCritical(int payloadType, int offset) {
        return new IkeDecodeException(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, Bytes.of(new byte[] {(byte) payloadType}),
                "unknown payload type " + payloadType + " marked critical at offset " + offset, null);
    }

    /** RFC 7296 §2.5: answer with the highest major version we support, which is 2. */
    public static IkeDecodeException invalidMajorVersion(int major) {
        return new IkeDecodeException(NotifyType.INVALID_MAJOR_VERSION, Bytes.of(new byte[] {0x20}),
                "IKE major version " + major + " is not supported (only 2)", null);
    }

    IkeDecodeException withHeader(IkeHeader decodedHeader) {
        return new IkeDecodeException(notifyType, notifyData, getMessage(), decodedHeader);
    }

    public NotifyType notifyType() {
        return notifyType;
    }

    public Bytes notifyData() {
        return notifyData;
    }

    public Optional<IkeHeader> header() {
        return Optional.ofNullable(header);
    }

    @Override
    public String toString() {
        return notifyType + ": " + getMessage();
    }
}
