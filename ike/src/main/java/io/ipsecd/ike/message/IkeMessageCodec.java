package io.ipsecd.ike.message;

import java.util.List;

/**
 * Datagram bytes to {@link IkeMessage} and back (RFC 7296 §3). Pure functions over byte arrays, no
 * sockets: the transport hands a UDP payload (non-ESP marker already stripped) to {@link #decode}.
 *
 * <p>Decoding throws nothing but {@link IkeDecodeException}, whatever the input.
 */
public final class IkeMessageCodec {
    private IkeMessageCodec() {
    }

    /**
     * Only the header, checked (length, version, length field): enough to find the IKE SA by SPI
     * before spending effort on the body.
     */
    public static IkeHeader decodeHeader(byte[] datagram) throws IkeDecodeException {
        return readHeader(datagram, new WireReader(datagram, 0, datagram.length)).header();
    }

    public static IkeMessage decode(byte[] datagram) throws IkeDecodeException {
        WireReader r = new WireReader(datagram, 0, datagram.length);
        RawHeader raw = readHeader(datagram, r);
        IkeHeader header = raw.header();
        try {
            List<Payload> payloads = PayloadDecoder.decodeChain(raw.firstPayload(), r, false);
            return new IkeMessage(header, payloads);
        } catch (IkeDecodeException e) {
            throw e.withHeader(header);
        }
    }

    private record RawHeader(IkeHeader header, int firstPayload) {
    }

    /** Leaves {@code r} at the first payload. */
    private static RawHeader readHeader(byte[] datagram, WireReader r) throws IkeDecodeException {
        if (datagram.length < IkeHeader.LENGTH) {
            throw IkeDecodeException.syntax("message is " + datagram.length + " bytes, shorter than the 28-byte IKE header");
        }
        long spiI = r.u64("IKE header");
        long spiR = r.u64("IKE header");
        int firstPayload = r.u8("IKE header");
        int version = r.u8("IKE header");
        int exchange = r.u8("IKE header");
        int flags = r.u8("IKE header");
        long messageId = r.u32("IKE header");
        long length = r.u32("IKE header");
        IkeHeader header = new IkeHeader(spiI, spiR, exchange, (flags & IkeHeader.FLAG_INITIATOR) != 0,
                (flags & IkeHeader.FLAG_RESPONSE) != 0, (flags & IkeHeader.FLAG_VERSION) != 0, messageId);
        if (version >>> 4 != 2) {
            throw IkeDecodeException.invalidMajorVersion(version >>> 4).withHeader(header);
        }
        if (length != datagram.length) {
            throw IkeDecodeException.syntax("IKE header says the message is " + length + " bytes, the datagram has "
                    + datagram.length).withHeader(header);
        }
        return new RawHeader(header, firstPayload);
    }

    public static byte[] encode(IkeMessage message) {
        byte[] chain = PayloadCodec.encodeChain(message.payloads());
        int first = message.payloads().isEmpty() ? PayloadType.NONE : message.payloads().getFirst().payloadType();
        byte[] header = message.header().encode(first, IkeHeader.LENGTH + chain.length);
        byte[] out = new byte[header.length + chain.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(chain, 0, out, header.length, chain.length);
        return out;
    }
}
