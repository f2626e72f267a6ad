package io.ipsecd.ike.message;

import java.util.Optional;

/**
 * Identification payload, IDi or IDr (RFC 7296 §3.5). {@code idType} is the wire number; address
 * types are length-checked (4 or 16 bytes). The AUTH computation needs the payload body without its
 * generic header: {@link PayloadCodec#encodeBody(Payload)}.
 */
public record IdPayload(boolean initiator, int idType, Bytes data) implements Payload {
    public IdPayload {
        if (idType < 0 || idType > 255) {
            throw new IllegalArgumentException("ID type out of range: " + idType);
        }
        String problem = problem(idType, data.length());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public IdPayload(boolean initiator, IdType type, Bytes data) {
        this(initiator, type.value(), data);
    }

    static String problem(int idType, int length) {
        if (idType == IdType.IPV4_ADDR.value() && length != 4) {
            return "ID_IPV4_ADDR is " + length + " bytes, must be 4";
        }
        if (idType == IdType.IPV6_ADDR.value() && length != 16) {
            return "ID_IPV6_ADDR is " + length + " bytes, must be 16";
        }
        if (length == 0) {
            return "identification data is empty";
        }
        return null;
    }

    public Optional<IdType> type() {
        return IdType.fromValue(idType);
    }

    @Override
    public int payloadType() {
        return (initiator ? PayloadType.IDI : PayloadType.IDR).value();
    }
}
