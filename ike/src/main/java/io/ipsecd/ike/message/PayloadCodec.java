package io.ipsecd.ike.message;

import java.util.List;

/**
 * Payload chains to bytes and back. The encoder computes every generic payload header: next-payload
 * links, lengths, and the critical bit (set only on {@link UnknownPayload}s that carry it).
 */
public final class PayloadCodec {
    private static final int CRITICAL = 0x80;

    private PayloadCodec() {
    }

    /** Encodes a chain; an {@link SkPayload} may only come last and links to its first inner payload. */
    public static byte[] encodeChain(List<Payload> payloads) {
        WireWriter w = new WireWriter();
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            boolean last = i == payloads.size() - 1;
            int next;
            if (p instanceof SkPayload sk) {
                if (!last) {
                    throw new IllegalArgumentException("the SK payload must be the last payload");
                }
                next = sk.firstInnerPayloadType();
            } else if (p instanceof EncryptedFragmentPayload skf) {
                if (!last) {
                    throw new IllegalArgumentException("the SKF payload must be the last payload");
                }
                next = skf.firstInnerPayloadType();
            } else {
                next = last ? PayloadType.NONE : payloads.get(i + 1).payloadType();
            }
            byte[] body = encodeBody(p);
            if (body.length + 4 > 0xffff) {
                throw new IllegalArgumentException(p.getClass().getSimpleName() + " is too long: " + body.length + " bytes");
            }
            boolean critical = p instanceof UnknownPayload u && u.critical();
            w.u8(next).u8(critical ? CRITICAL : 0).u16(body.length + 4).bytes(body);
        }
        return w.toByteArray();
    }

    /**
     * Decodes the payloads found inside a decrypted SK payload. A nested SK payload is a syntax error.
     *
     * @param firstType the SK payload's next-payload field
     */
    public static List<Payload> decodeInnerChain(int firstType, byte[] plaintext, int length) throws IkeDecodeException {
        return PayloadDecoder.decodeChain(firstType, new WireReader(plaintext, 0, length), true);
    }

    /**
     * A payload's body without its generic header, e.g. "RestOfInitIDPayload" for the AUTH
     * computation (RFC 7296 §2.15).
     */
    public static byte[] encodeBody(Payload payload) {
        WireWriter w = new WireWriter();
        switch (payload) {
            case SaPayload sa -> SaEncoder.encode(sa, w);
            case KePayload ke -> w.u16(ke.group()).u16(0).bytes(ke.data());
            case IdPayload id -> w.u8(id.idType()).zeros(3).bytes(id.data());
            case CertPayload cert -> w.u8(cert.encoding()).bytes(cert.data());
            case CertReqPayload req -> w.u8(req.encoding()).bytes(req.data());
            case AuthPayload auth -> w.u8(auth.method()).zeros(3).bytes(auth.data());
            case NoncePayload nonce -> w.bytes(nonce.nonce());
            case NotifyPayload n -> w.u8(n.protocolId()).u8(n.spi().length()).u16(n.notifyType()).bytes(n.spi()).bytes(n.data());
            case DeletePayload d -> {
                w.u8(d.protocolId()).u8(d.spiSize()).u16(d.spis().size());
                d.spis().forEach(w::bytes);
            }
            case VendorIdPayload v -> w.bytes(v.vendorId());
            case TsPayload ts -> encodeSelectors(ts, w);
            case SkPayload sk -> w.bytes(sk.body());
            case EncryptedFragmentPayload skf -> w.u16(skf.fragmentNumber()).u16(skf.totalFragments()).bytes(skf.body());
            case ConfigPayload cp -> {
                w.u8(cp.configType()).zeros(3);
                cp.attributes().forEach(a -> w.u16(a.type()).u16(a.value().length()).bytes(a.value()));
            }
            case EapPayload eap -> w.bytes(eap.message());
            case UnknownPayload u -> w.bytes(u.body());
        }
        return w.toByteArray();
    }

    private static void encodeSelectors(TsPayload ts, WireWriter w) {
        w.u8(ts.selectors().size()).zeros(3);
        for (TrafficSelector s : ts.selectors()) {
            switch (s) {
                case TrafficSelector.AddressRange r -> {
                    byte[] start = r.startAddress().getAddress();
                    w.u8(r.tsType()).u8(r.ipProtocol()).u16(8 + 2 * start.length).u16(r.startPort()).u16(r.endPort())
                            .bytes(start).bytes(r.endAddress().getAddress());
                }
                case TrafficSelector.Unknown u -> w.u8(u.tsType()).u8(u.ipProtocol()).u16(4 + u.body().length()).bytes(u.body());
            }
        }
    }
}
