package io.ipsecd.ike.message;

import java.util.ArrayList;
import java.util.List;

/** Decodes the SA payload's proposal / transform / attribute substructures (RFC 7296 §3.3). */
final class SaDecoder {
    static final int LAST = 0;
    static final int MORE_PROPOSALS = 2;
    static final int MORE_TRANSFORMS = 3;

    private SaDecoder() {
    }

    static SaPayload decode(WireReader r) throws IkeDecodeException {
        if (!r.hasRemaining()) {
            throw IkeDecodeException.syntax("SA payload has no proposals");
        }
        List<Proposal> proposals = new ArrayList<>();
        while (r.hasRemaining()) {
            int at = r.position();
            int marker = r.u8("proposal header");
            r.skip(1, "proposal header");
            int length = r.u16("proposal header");
            if (marker != LAST && marker != MORE_PROPOSALS) {
                throw IkeDecodeException.syntax("proposal at offset " + at + " has substructure type " + marker
                        + ", expected 0 or 2");
            }
            if (length < 8 || length - 4 > r.remaining()) {
                throw IkeDecodeException.syntax("proposal at offset " + at + " has length " + length + " but "
                        + (r.remaining() + 4) + " bytes remain in the SA payload");
            }
            WireReader p = r.slice(length - 4, "proposal");
            boolean markedLast = marker == LAST;
            if (markedLast == r.hasRemaining()) {
                throw IkeDecodeException.syntax(markedLast
                        ? "proposal at offset " + at + " is marked last but " + r.remaining() + " bytes follow it"
                        : "proposal at offset " + at + " is marked not last but ends the SA payload");
            }
            proposals.add(proposal(p, at, proposals.isEmpty() ? -1 : proposals.getLast().number(), markedLast));
        }
        return new SaPayload(proposals);
    }

    private static Proposal proposal(WireReader p, int at, int previous, boolean only) throws IkeDecodeException {
        int number = p.u8("proposal number");
        int protocol = p.u8("proposal protocol ID");
        int spiSize = p.u8("proposal SPI size");
        int count = p.u8("proposal transform count");
        // A request numbers its proposals 1, 2, ...; a response carries one proposal with the
        // number of the accepted one, which can be anything but 0.
        if (number == 0) {
            throw IkeDecodeException.syntax("proposal at offset " + at + " has number 0");
        }
        if (previous < 0 && !only && number != 1) {
            throw IkeDecodeException.syntax("first of several proposals has number " + number + ", must be 1");
        }
        if (previous >= 0 && number != previous + 1) {
            throw IkeDecodeException.syntax("proposal number " + number + " at offset " + at + " follows number "
                    + previous + ", must be " + (previous + 1));
        }
        Bytes spi = p.bytes(spiSize, "proposal SPI");
        List<Transform> transforms = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!p.hasRemaining()) {
                throw IkeDecodeException.syntax("proposal " + number + " declares " + count + " transforms but holds " + i);
            }
            transforms.add(transform(p, number, i == count - 1));
        }
        if (p.hasRemaining()) {
            throw IkeDecodeException.syntax("proposal " + number + " has " + p.remaining() + " bytes after its " + count
                    + " declared transforms");
        }
        return new Proposal(number, protocol, spi, transforms);
    }

    private static Transform transform(WireReader p, int proposal, boolean last) throws IkeDecodeException {
        int at = p.position();
        int marker = p.u8("transform header");
        p.skip(1, "transform header");
        int length = p.u16("transform header");
        if (marker != LAST && marker != MORE_TRANSFORMS) {
            throw IkeDecodeException.syntax("transform at offset " + at + " has substructure type " + marker
                    + ", expected 0 or 3");
        }
        if (length < 8 || length - 4 > p.remaining()) {
            throw IkeDecodeException.syntax("transform at offset " + at + " has length " + length + " but "
                    + (p.remaining() + 4) + " bytes remain in proposal " + proposal);
        }
        if ((marker == LAST) != last) {
            throw IkeDecodeException.syntax("transform at offset " + at + (last
                    ? " is the last of proposal " + proposal + " but not marked last"
                    : " is marked last but proposal " + proposal + " declares more transforms"));
        }
        WireReader t = p.slice(length - 4, "transform");
        int type = t.u8("transform type");
        t.skip(1, "transform reserved");
        int id = t.u16("transform ID");
        List<TransformAttribute> attributes = new ArrayList<>();
        while (t.hasRemaining()) {
            int format = t.u16("transform attribute");
            int attributeType = format & 0x7fff;
            if ((format & 0x8000) != 0) {
                attributes.add(new TransformAttribute.Tv(attributeType, t.u16("transform attribute value")));
            } else {
                int attributeLength = t.u16("transform attribute length");
                attributes.add(new TransformAttribute.Tlv(attributeType, t.bytes(attributeLength, "transform attribute value")));
            }
        }
        return new Transform(type, id, attributes);
    }
}
