package io.ipsecd.ike.message;

import io.ipsecd.ike.transform.TransformType;
import java.util.List;

/**
 * One proposal substructure (RFC 7296 §3.3.1).
 *
 * @param number proposal number: 1, 2, ... in a request; in a response, the number of the accepted one
 * @param protocolId {@link ProtocolId} number (IKE 1, AH 2, ESP 3)
 * @param spi empty for the initial IKE SA, 8 bytes for an IKE rekey, 4 bytes for ESP/AH
 */
public record Proposal(int number, int protocolId, Bytes spi, List<Transform> transforms) {
    public Proposal {
        transforms = List.copyOf(transforms);
        if (number < 1 || number > 255 || protocolId < 0 || protocolId > 255 || spi.length() > 255
                || transforms.size() > 255) {
            throw new IllegalArgumentException("proposal field out of range");
        }
    }

    public Proposal(int number, ProtocolId protocol, Bytes spi, Transform... transforms) {
        this(number, protocol.value(), spi, List.of(transforms));
    }

    /** The transforms of one type, in proposal order. */
    public List<Transform> transformsOf(TransformType type) {
        return transforms.stream().filter(t -> t.type() == type.value()).toList();
    }
}
