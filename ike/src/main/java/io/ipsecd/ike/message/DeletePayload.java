package io.ipsecd.ike.message;

import java.util.List;

/**
 * Delete payload (RFC 7296 §3.11). The SPI size is kept explicitly: an IKE SA delete has size 0 and
 * no SPIs, but a child delete with no SPIs still has size 4 on the wire.
 */
public record DeletePayload(int protocolId, int spiSize, List<Bytes> spis) implements Payload {
    public DeletePayload {
        spis = List.copyOf(spis);
        if (protocolId < 0 || protocolId > 255 || spiSize < 0 || spiSize > 255 || spis.size() > 0xffff) {
            throw new IllegalArgumentException("delete field out of range");
        }
        for (Bytes spi : spis) {
            if (spi.length() != spiSize) {
                throw new IllegalArgumentException("SPI of " + spi.length() + " bytes in a delete of SPI size " + spiSize);
            }
        }
    }

    public static DeletePayload ikeSa() {
        return new DeletePayload(ProtocolId.IKE.value(), 0, List.of());
    }

    @Override
    public int payloadType() {
        return PayloadType.DELETE.value();
    }
}
