package io.ipsecd.ike.message;

import java.util.List;

/** Encodes SA payload substructures, computing "last" markers, lengths and transform counts. */
final class SaEncoder {
    private SaEncoder() {
    }

    static void encode(SaPayload sa, WireWriter w) {
        List<Proposal> proposals = sa.proposals();
        for (int i = 0; i < proposals.size(); i++) {
            Proposal p = proposals.get(i);
            WireWriter transforms = new WireWriter();
            for (int t = 0; t < p.transforms().size(); t++) {
                encodeTransform(p.transforms().get(t), t == p.transforms().size() - 1, transforms);
            }
            byte[] body = transforms.toByteArray();
            int length = 8 + p.spi().length() + body.length;
            if (length > 0xffff) {
                throw new IllegalArgumentException("proposal " + p.number() + " is too long");
            }
            w.u8(i == proposals.size() - 1 ? SaDecoder.LAST : SaDecoder.MORE_PROPOSALS).u8(0).u16(length)
                    .u8(p.number()).u8(p.protocolId()).u8(p.spi().length()).u8(p.transforms().size())
                    .bytes(p.spi()).bytes(body);
        }
    }

    private static void encodeTransform(Transform t, boolean last, WireWriter w) {
        WireWriter attributes = new WireWriter();
        for (TransformAttribute a : t.attributes()) {
            switch (a) {
                case TransformAttribute.Tv tv -> attributes.u16(0x8000 | tv.type()).u16(tv.value());
                case TransformAttribute.Tlv tlv -> attributes.u16(tlv.type()).u16(tlv.value().length()).bytes(tlv.value());
            }
        }
        byte[] body = attributes.toByteArray();
        w.u8(last ? SaDecoder.LAST : SaDecoder.MORE_TRANSFORMS).u8(0).u16(8 + body.length)
                .u8(t.type()).u8(0).u16(t.id()).bytes(body);
    }
}
