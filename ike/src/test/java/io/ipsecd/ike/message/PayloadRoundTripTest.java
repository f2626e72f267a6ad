package io.ipsecd.ike.message;

import static io.ipsecd.ike.message.Fixtures.hex;
import static io.ipsecd.ike.message.Fixtures.repeat;
import static io.ipsecd.ike.message.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.EsnMode;
import io.ipsecd.ike.transform.IntegrityAlgorithm;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import io.ipsecd.ike.transform.PrfAlgorithm;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every payload kind against a hand-assembled fixture (RFC 7296 §3 layouts): the bytes decode to the
 * expected record, and the record encodes back to exactly the same bytes.
 */
class PayloadRoundTripTest {

    static Stream<Arguments> fixtures() throws Exception {
        return Stream.of(
                fixture("SA, IKE proposal with key length attribute", 33,
                        "00 00 0030  00 00 002c 01 01 00 04"           // last proposal, len 44, #1 IKE, no SPI, 4 transforms
                                + " 03 00 000c 01 00 0014 800e 0100"   // ENCR AES_GCM_16, key length 256 (TV)
                                + " 03 00 0008 02 00 0006"             // PRF HMAC_SHA2_384
                                + " 03 00 0008 04 00 001f"             // KE Curve25519
                                + " 00 00 0008 04 00 0013",            // KE ECP-256, last
                        SaPayload.of(new Proposal(1, ProtocolId.IKE, Bytes.EMPTY,
                                Transform.of(EncryptionAlgorithm.AES_GCM_16, 256),
                                Transform.of(PrfAlgorithm.PRF_HMAC_SHA2_384),
                                Transform.of(KeyExchangeMethod.CURVE25519),
                                Transform.of(KeyExchangeMethod.ECP_256)))),
                fixture("SA, two ESP proposals with SPI, ESN and a TLV attribute", 33,
                        "00 00 0050"
                                + " 02 00 0028 01 03 04 03 c0ffee01"   // more follow, #1 ESP, SPI size 4, 3 transforms
                                + " 03 00 000c 01 00 000c 800e 0080"   // ENCR AES_CBC 128
                                + " 03 00 0008 03 00 000c"             // INTEG HMAC_SHA2_256_128
                                + " 00 00 0008 05 00 0000"             // ESN none
                                + " 00 00 0024 02 03 04 02 c0ffee01"   // last, #2 ESP, 2 transforms
                                + " 03 00 000c 01 00 0014 800e 0100"   // ENCR AES_GCM_16 256
                                + " 00 00 000c 05 00 0001 7fff 0000",  // ESN yes, with an empty TLV attribute 0x7fff
                        new SaPayload(List.of(
                                new Proposal(1, ProtocolId.ESP, Bytes.fromHex("c0ffee01"),
                                        Transform.of(EncryptionAlgorithm.AES_CBC, 128),
                                        Transform.of(IntegrityAlgorithm.HMAC_SHA2_256_128),
                                        Transform.of(EsnMode.NO_ESN)),
                                new Proposal(2, 3, Bytes.fromHex("c0ffee01"), List.of(
                                        Transform.of(EncryptionAlgorithm.AES_GCM_16, 256),
                                        new Transform(5, 1, List.of(new TransformAttribute.Tlv(0x7fff, Bytes.EMPTY)))))))),
                fixture("SA, response proposal numbered 3", 33,
                        "00 00 0014  00 00 0010 03 01 00 01  00 00 0008 01 00 001c",
                        SaPayload.of(new Proposal(3, ProtocolId.IKE, Bytes.EMPTY,
                                Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305)))),
                fixture("KE, Curve25519", 34,
                        "00 00 0028 001f 0000" + repeat("a5", 32),
                        new KePayload(31, Bytes.fromHex(repeat("a5", 32)))),
                fixture("IDi FQDN", 35,
                        "00 00 0012 02 000000 67772e6578616d706c65",   // "gw.example"
                        new IdPayload(true, IdType.FQDN, Bytes.of("gw.example".getBytes()))),
                fixture("IDr IPv4", 36,
                        "00 00 000c 01 000000 c0000201",
                        new IdPayload(false, IdType.IPV4_ADDR, Bytes.fromHex("c0000201"))),
                fixture("IDi IPv6", 35,
                        "00 00 0018 05 000000 20010db8000000000000000000000001",
                        new IdPayload(true, IdType.IPV6_ADDR, Bytes.fromHex("20010db8000000000000000000000001"))),
                fixture("IDi RFC822", 35,
                        "00 00 000d 03 000000 6140622e63",              // "a@b.c"
                        new IdPayload(true, IdType.RFC822_ADDR, Bytes.of("a@b.c".getBytes()))),
                fixture("IDr DER_ASN1_DN", 36,
                        "00 00 0017 09 000000 300d310b3009060355040613025553",  // C=US
                        new IdPayload(false, IdType.DER_ASN1_DN, Bytes.fromHex("300d310b3009060355040613025553"))),
                fixture("IDi KEY_ID", 35,
                        "00 00 000a 0b 000000 0102",
                        new IdPayload(true, IdType.KEY_ID, Bytes.fromHex("0102"))),
                fixture("CERT X.509", 37,
                        "00 00 0009 04 30820001",
                        new CertPayload(CertPayload.X509_SIGNATURE, Bytes.fromHex("30820001"))),
                fixture("CERTREQ with one SHA-1 key hash", 38,
                        "00 00 0019 04" + repeat("11", 20),
                        new CertReqPayload(4, Bytes.fromHex(repeat("11", 20)))),
                fixture("AUTH shared key MIC", 39,
                        "00 00 0010 02 000000 0102030405060708",
                        new AuthPayload(AuthPayload.SHARED_KEY_MIC, Bytes.fromHex("0102030405060708"))),
                fixture("Nonce, 16 bytes", 40,
                        "00 00 0014" + repeat("4e", 16),
                        new NoncePayload(Bytes.fromHex(repeat("4e", 16)))),
                fixture("Nonce, 256 bytes", 40,
                        "00 00 0104" + repeat("4e", 256),
                        new NoncePayload(Bytes.fromHex(repeat("4e", 256)))),
                fixture("Notify NAT_DETECTION_SOURCE_IP", 41,
                        "00 00 001c 00 00 4004" + repeat("5a", 20),
                        NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, Bytes.fromHex(repeat("5a", 20)))),
                fixture("Notify REKEY_SA with an ESP SPI", 41,
                        "00 00 000c 03 04 4009 aabbccdd",
                        new NotifyPayload(3, Bytes.fromHex("aabbccdd"), NotifyType.REKEY_SA.value(), Bytes.EMPTY)),
                fixture("Notify of an unknown type keeps its number", 41,
                        "00 00 000a 00 00 9c40 0102",
                        new NotifyPayload(0, Bytes.EMPTY, 40000, Bytes.fromHex("0102"))),
                fixture("Delete IKE SA", 42,
                        "00 00 0008 01 00 0000",
                        DeletePayload.ikeSa()),
                fixture("Delete two ESP SPIs", 42,
                        "00 00 0010 03 04 0002 11111111 22222222",
                        new DeletePayload(3, 4, List.of(Bytes.fromHex("11111111"), Bytes.fromHex("22222222")))),
                fixture("Vendor ID", 43,
                        "00 00 0014 882fe56d6fd20dbc2251613b2ebe5beb",
                        new VendorIdPayload(Bytes.fromHex("882fe56d6fd20dbc2251613b2ebe5beb"))),
                fixture("TSi, one IPv4 TCP range", 44,
                        "00 00 0018 01 000000  07 06 0010 0000 ffff 0a010000 0a0100ff",
                        new TsPayload(true, List.of(new TrafficSelector.AddressRange(6, 0, 65535,
                                InetAddress.getByName("10.1.0.0"), InetAddress.getByName("10.1.0.255"))))),
                fixture("TSr, IPv6 range, IPv4-mapped addresses stay IPv6, plus an unknown selector type", 45,
                        "00 00 0038 02 000000"
                                + " 08 11 0028 01f4 01f4 00000000000000000000ffff0a000001 00000000000000000000ffff0a0000ff"
                                + " 0a 00 0008 deadbeef",
                        new TsPayload(false, List.of(
                                new TrafficSelector.AddressRange(17, 500, 500,
                                        Inet6Address.getByAddress(null, hex("00000000000000000000ffff0a000001"), -1),
                                        Inet6Address.getByAddress(null, hex("00000000000000000000ffff0a0000ff"), -1)),
                                new TrafficSelector.Unknown(10, 0, Bytes.fromHex("deadbeef"))))),
                fixture("SK, still encrypted, first inner payload IDi", 46,
                        "23 00 0010 000102030405060708090a0b",
                        new SkPayload(35, Bytes.fromHex("000102030405060708090a0b"))),
                fixture("CP request for an address and DNS", 47,
                        "00 00 0010 01 000000 0001 0000 0003 0000",
                        new ConfigPayload(1, List.of(new ConfigPayload.Attribute(1, Bytes.EMPTY),
                                new ConfigPayload.Attribute(3, Bytes.EMPTY)))),
                fixture("EAP, kept raw", 48,
                        "00 00 0009 0201000501",
                        new EapPayload(Bytes.fromHex("0201000501"))),
                fixture("unknown non-critical payload type 49 is kept", 49,
                        "00 00 0008 deadbeef",
                        new UnknownPayload(49, false, Bytes.fromHex("deadbeef"))));
    }

    private static Arguments fixture(String name, int type, String hex, Payload expected) {
        return Arguments.of(name, type, hex, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesToTheRecordAndEncodesBackToTheSameBytes(String name, int type, String hex, Payload expected)
            throws IkeDecodeException {
        byte[] wire = request(type, hex);
        IkeMessage decoded = IkeMessageCodec.decode(wire);
        assertThat(decoded.payloads()).containsExactly(expected);
        assertThat(decoded.header()).isEqualTo(Fixtures.requestHeader());
        assertThat(IkeMessageCodec.encode(new IkeMessage(Fixtures.requestHeader(), expected))).isEqualTo(wire);
        assertThat(IkeMessageCodec.decode(IkeMessageCodec.encode(decoded))).isEqualTo(decoded);
    }
}
