package io.ipsecd.ike.message;

import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes payload chains and bodies. Each body decoder gets a reader bounded to exactly its payload,
 * so a field can never run into the next payload; loops over substructures check their own lengths
 * and the declared counts against what is actually there.
 */
final class PayloadDecoder {
    private static final int CRITICAL = 0x80;

    private PayloadDecoder() {
    }

    static List<Payload> decodeChain(int firstType, WireReader r, boolean insideSk) throws IkeDecodeException {
        List<Payload> payloads = new ArrayList<>();
        int next = firstType;
        while (next != PayloadType.NONE) {
            int at = r.position();
            if (r.remaining() < 4) {
                throw IkeDecodeException.syntax(name(next) + " payload header truncated at offset " + at + ": "
                        + r.remaining() + " bytes left");
            }
            int nextPayload = r.u8("next payload");
            int flags = r.u8("payload flags");
            int length = r.u16("payload length");
            if (length < 4) {
                throw IkeDecodeException.syntax(name(next) + " payload at offset " + at + " has length " + length
                        + ", less than its 4-byte header");
            }
            if (length - 4 > r.remaining()) {
                throw IkeDecodeException.syntax(name(next) + " payload at offset " + at + " has length " + length
                        + " but only " + (r.remaining() + 4) + " bytes remain");
            }
            WireReader body = r.slice(length - 4, "payload body");
            Optional<PayloadType> type = PayloadType.fromValue(next);
            if (type.isEmpty()) {
                if ((flags & CRITICAL) != 0) {
                    throw IkeDecodeException.unsupportedCritical(next, at);
                }
                payloads.add(new UnknownPayload(next, false, body.rest()));
            } else if (type.get() == PayloadType.SK) {
                if (insideSk) {
                    throw IkeDecodeException.syntax("SK payload at offset " + at + " is inside another SK payload");
                }
                if (r.hasRemaining()) {
                    throw IkeDecodeException.syntax("SK payload at offset " + at + " is not the last payload: "
                            + r.remaining() + " bytes follow");
                }
                // Its next-payload field names the first inner payload, not a following one.
                payloads.add(new SkPayload(nextPayload, body.rest()));
                return payloads;
            } else if (type.get() == PayloadType.SKF) {
                payloads.add(fragment(nextPayload, body, at, insideSk, r));
                return payloads;
            } else {
                payloads.add(decodeBody(type.get(), body));
            }
            next = nextPayload;
        }
        if (r.hasRemaining()) {
            throw IkeDecodeException.syntax(r.remaining() + " bytes after the last payload at offset " + r.position());
        }
        return payloads;
    }

    /** Like SK, SKF ends the message and links to the first inner payload (RFC 7383 §2.5). */
    private static EncryptedFragmentPayload fragment(int nextPayload, WireReader body, int at, boolean insideSk,
                                                     WireReader r) throws IkeDecodeException {
        if (insideSk) {
            throw IkeDecodeException.syntax("SKF payload at offset " + at + " is inside an SK payload");
        }
        if (r.hasRemaining()) {
            throw IkeDecodeException.syntax("SKF payload at offset " + at + " is not the last payload: "
                    + r.remaining() + " bytes follow");
        }
        int number = body.u16("SKF fragment number");
        int total = body.u16("SKF total fragments");
        String problem = EncryptedFragmentPayload.problem(number, total);
        if (problem != null) {
            throw IkeDecodeException.syntax("SKF payload at offset " + at + ": " + problem);
        }
        return new EncryptedFragmentPayload(nextPayload, number, total, body.rest());
    }

    private static String name(int type) {
        return PayloadType.fromValue(type).map(Enum::name).orElse("type " + type);
    }

    private static Payload decodeBody(PayloadType type, WireReader r) throws IkeDecodeException {
        return switch (type) {
            case SA -> SaDecoder.decode(r);
            case KE -> ke(r);
            case IDI, IDR -> id(type == PayloadType.IDI, r);
            case CERT -> new CertPayload(r.u8("CERT encoding"), r.rest());
            case CERTREQ -> new CertReqPayload(r.u8("CERTREQ encoding"), r.rest());
            case AUTH -> auth(r);
            case NONCE -> nonce(r);
            case NOTIFY -> notify(r);
            case DELETE -> delete(r);
            case VENDOR_ID -> new VendorIdPayload(r.rest());
            case TSI, TSR -> ts(type == PayloadType.TSI, r);
            case CP -> config(r);
            case EAP -> new EapPayload(r.rest());
            case SK, SKF -> throw new AssertionError(type + " is handled by the chain decoder");
        };
    }

    private static KePayload ke(WireReader r) throws IkeDecodeException {
        int group = r.u16("KE group");
        r.skip(2, "KE reserved");
        if (!r.hasRemaining()) {
            throw IkeDecodeException.syntax("KE payload has no key exchange data");
        }
        return new KePayload(group, r.rest());
    }

    private static IdPayload id(boolean initiator, WireReader r) throws IkeDecodeException {
        int idType = r.u8("ID type");
        r.skip(3, "ID reserved");
        String problem = IdPayload.problem(idType, r.remaining());
        if (problem != null) {
            throw IkeDecodeException.syntax((initiator ? "IDi" : "IDr") + " payload: " + problem);
        }
        return new IdPayload(initiator, idType, r.rest());
    }

    private static AuthPayload auth(WireReader r) throws IkeDecodeException {
        int method = r.u8("AUTH method");
        r.skip(3, "AUTH reserved");
        if (!r.hasRemaining()) {
            throw IkeDecodeException.syntax("AUTH payload has no authentication data");
        }
        return new AuthPayload(method, r.rest());
    }

    private static NoncePayload nonce(WireReader r) throws IkeDecodeException {
        int n = r.remaining();
        if (n < NoncePayload.MIN_LENGTH || n > NoncePayload.MAX_LENGTH) {
            throw IkeDecodeException.syntax("Nonce payload: nonce is " + n + " bytes, must be 16..256");
        }
        return new NoncePayload(r.rest());
    }

    private static NotifyPayload notify(WireReader r) throws IkeDecodeException {
        int protocol = r.u8("Notify protocol ID");
        int spiSize = r.u8("Notify SPI size");
        int type = r.u16("Notify type");
        Bytes spi = r.bytes(spiSize, "Notify SPI");
        return new NotifyPayload(protocol, spi, type, r.rest());
    }

    private static DeletePayload delete(WireReader r) throws IkeDecodeException {
        int protocol = r.u8("Delete protocol ID");
        int spiSize = r.u8("Delete SPI size");
        int count = r.u16("Delete SPI count");
        if (r.remaining() != count * spiSize) {
            throw IkeDecodeException.syntax("Delete payload declares " + count + " SPIs of " + spiSize + " bytes but carries "
                    + r.remaining() + " bytes of SPIs");
        }
        List<Bytes> spis = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spis.add(r.bytes(spiSize, "Delete SPI"));
        }
        return new DeletePayload(protocol, spiSize, spis);
    }

    private static TsPayload ts(boolean initiator, WireReader r) throws IkeDecodeException {
        String name = initiator ? "TSi" : "TSr";
        int count = r.u8(name + " selector count");
        r.skip(3, name + " reserved");
        if (count == 0) {
            throw IkeDecodeException.syntax(name + " payload has no traffic selectors");
        }
        List<TrafficSelector> selectors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = r.position();
            if (!r.hasRemaining()) {
                throw IkeDecodeException.syntax(name + " payload declares " + count + " selectors but holds " + i);
            }
            int tsType = r.u8("TS type");
            int protocol = r.u8("TS IP protocol");
            int length = r.u16("TS length");
            if (length < 4 || length - 4 > r.remaining()) {
                throw IkeDecodeException.syntax("traffic selector at offset " + at + " has length " + length + " but "
                        + (r.remaining() + 4) + " bytes remain");
            }
            WireReader s = r.slice(length - 4, "TS body");
            selectors.add(switch (tsType) {
                case TrafficSelector.TS_IPV4_ADDR_RANGE -> range(s, protocol, length, 4, at);
                case TrafficSelector.TS_IPV6_ADDR_RANGE -> range(s, protocol, length, 16, at);
                default -> new TrafficSelector.Unknown(tsType, protocol, s.rest());
            });
        }
        if (r.hasRemaining()) {
            throw IkeDecodeException.syntax(name + " payload has " + r.remaining() + " bytes after its " + count
                    + " declared selectors");
        }
        return new TsPayload(initiator, selectors);
    }

    private static TrafficSelector.AddressRange range(WireReader s, int protocol, int length, int addressBytes, int at)
            throws IkeDecodeException {
        int expected = 8 + 2 * addressBytes;
        if (length != expected) {
            throw IkeDecodeException.syntax((addressBytes == 4 ? "IPv4" : "IPv6") + " traffic selector at offset " + at
                    + " has length " + length + ", must be " + expected);
        }
        int startPort = s.u16("TS start port");
        int endPort = s.u16("TS end port");
        InetAddress start = address(s.bytes(addressBytes, "TS start address"));
        InetAddress end = address(s.bytes(addressBytes, "TS end address"));
        return new TrafficSelector.AddressRange(protocol, startPort, endPort, start, end);
    }

    /** Keeps 16-byte addresses as Inet6Address even when IPv4-mapped, so round trips are exact. */
    static InetAddress address(Bytes raw) {
        try {
            return raw.length() == 4 ? InetAddress.getByAddress(raw.toArray())
                    : Inet6Address.getByAddress(null, raw.toArray(), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("length was checked", e);
        }
    }

    private static ConfigPayload config(WireReader r) throws IkeDecodeException {
        int cfgType = r.u8("CP type");
        r.skip(3, "CP reserved");
        List<ConfigPayload.Attribute> attributes = new ArrayList<>();
        while (r.hasRemaining()) {
            int type = r.u16("CP attribute type") & 0x7fff;
            int length = r.u16("CP attribute length");
            attributes.add(new ConfigPayload.Attribute(type, r.bytes(length, "CP attribute value")));
        }
        return new ConfigPayload(cfgType, attributes);
    }
}
