package io.ipsecd.ike.message;

import static io.ipsecd.ike.message.Fixtures.hex;
import static io.ipsecd.ike.message.Fixtures.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import io.ipsecd.ike.transform.PrfAlgorithm;
import io.ipsecd.ike.transform.TransformType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole messages: header fields, next-payload chains computed by the encoder, helpers. */
class IkeMessageCodecTest {

    /** A hand-assembled IKE_SA_INIT request: SA, KE, Nonce, two Notifies, Vendor ID (208 bytes). */
    static final String SA_INIT_REQUEST =
            "0011223344556677 0000000000000000 21 20 22 08 00000000 000000d0"     // header, first payload SA
                    + " 22 00 0030  00 00 002c 01 01 00 04"                          // SA -> KE
                    + "   03 00 000c 01 00 0014 800e 0100  03 00 0008 02 00 0006"
                    + "   03 00 0008 04 00 001f  00 00 0008 04 00 0013"
                    + " 28 00 0028 001f 0000" + repeat("a5", 32)                   // KE -> Nonce
                    + " 29 00 0024" + repeat("4e", 32)                              // Nonce -> Notify
                    + " 29 00 001c 00 00 4004" + repeat("5a", 20)                   // NAT_DETECTION_SOURCE_IP -> Notify
                    + " 2b 00 0008 00 00 402e"                                      // FRAGMENTATION_SUPPORTED -> VID
                    + " 00 00 0014" + repeat("76", 16);                             // Vendor ID, last

    static IkeMessage saInitRequest() {
        return new IkeMessage(Fixtures.requestHeader(),
                SaPayload.of(new Proposal(1, ProtocolId.IKE, Bytes.EMPTY,
                        Transform.of(EncryptionAlgorithm.AES_GCM_16, 256), Transform.of(PrfAlgorithm.PRF_HMAC_SHA2_384),
                        Transform.of(KeyExchangeMethod.CURVE25519), Transform.of(KeyExchangeMethod.ECP_256))),
                new KePayload(31, Bytes.fromHex(repeat("a5", 32))),
                new NoncePayload(Bytes.fromHex(repeat("4e", 32))),
                NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, Bytes.fromHex(repeat("5a", 20))),
                NotifyPayload.of(NotifyType.FRAGMENTATION_SUPPORTED),
                new VendorIdPayload(Bytes.fromHex(repeat("76", 16))));
    }

    @Test
    void decodesAHandAssembledSaInitRequest() throws IkeDecodeException {
        IkeMessage m = IkeMessageCodec.decode(hex(SA_INIT_REQUEST));
        assertThat(m).isEqualTo(saInitRequest());
        assertThat(m.header().exchange()).contains(ExchangeType.IKE_SA_INIT);
        assertThat(m.first(KePayload.class)).map(KePayload::group).contains(31);
        assertThat(m.notify(NotifyType.FRAGMENTATION_SUPPORTED)).isPresent();
        assertThat(m.all(NotifyPayload.class)).hasSize(2);
        Proposal p = m.first(SaPayload.class).orElseThrow().proposals().getFirst();
        assertThat(p.transformsOf(TransformType.KE)).extracting(Transform::id).containsExactly(31, 19);
        assertThat(p.transformsOf(TransformType.ENCR).getFirst().keyLength()).hasValue(256);
    }

    @Test
    void encoderComputesTheNextPayloadChainAndLengths() {
        assertThat(IkeMessageCodec.encode(saInitRequest())).isEqualTo(hex(SA_INIT_REQUEST));
    }

    @Test
    void headerFlagsMessageIdAndExchangeRoundTrip() throws IkeDecodeException {
        IkeHeader h = new IkeHeader(-1L, 0x0102030405060708L, 37, false, true, true, 0xFFFF_FFFFL);
        byte[] wire = IkeMessageCodec.encode(new IkeMessage(h, List.of()));
        assertThat(wire).isEqualTo(hex("ffffffffffffffff 0102030405060708 00 20 25 30 ffffffff 0000001c"));
        assertThat(IkeMessageCodec.decode(wire).header()).isEqualTo(h);
        assertThat(IkeMessageCodec.decodeHeader(wire)).isEqualTo(h);
    }

    @Test
    void minorVersionAndReservedFlagBitsAreIgnoredOnReceipt() throws IkeDecodeException {
        IkeMessage m = IkeMessageCodec.decode(hex("0011223344556677 0000000000000000 00 2f 22 cf 00000000 0000001c"));
        assertThat(m.header()).isEqualTo(Fixtures.requestHeader());
    }

    @Test
    void unknownExchangeTypeIsKeptAsANumber() throws IkeDecodeException {
        IkeMessage m = IkeMessageCodec.decode(hex("0011223344556677 0000000000000000 00 20 f0 08 00000000 0000001c"));
        assertThat(m.header().exchangeType()).isEqualTo(240);
        assertThat(m.header().exchange()).isEmpty();
    }

    @Test
    void criticalBitOnAKnownPayloadIsIgnored() throws IkeDecodeException {
        IkeMessage m = IkeMessageCodec.decode(Fixtures.request(43, "00 80 0008 01020304"));
        assertThat(m.payloads()).containsExactly(new VendorIdPayload(Bytes.fromHex("01020304")));
    }

    @Test
    void unknownPayloadWithCriticalBitIsEncodedWithIt() {
        byte[] wire = IkeMessageCodec.encode(new IkeMessage(Fixtures.requestHeader(),
                new UnknownPayload(200, true, Bytes.fromHex("01"))));
        assertThat(wire).isEqualTo(Fixtures.request(200, "00 80 0005 01"));
    }

    @Test
    void skPayloadLinksToItsFirstInnerPayloadAndMustBeLast() {
        byte[] wire = IkeMessageCodec.encode(new IkeMessage(Fixtures.requestHeader(),
                new NoncePayload(Bytes.fromHex(repeat("11", 16))), new SkPayload(41, Bytes.fromHex("00"))));
        assertThat(wire).isEqualTo(Fixtures.request(40, "2e 00 0014" + repeat("11", 16) + " 29 00 0005 00"));
        assertThatThrownBy(() -> PayloadCodec.encodeChain(List.of(new SkPayload(0, Bytes.EMPTY), DeletePayload.ikeSa())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the SK payload must be the last payload");
    }

    @Test
    void encodeBodyGivesTheIdPayloadWithoutGenericHeaderForAuth() {
        assertThat(PayloadCodec.encodeBody(new IdPayload(true, IdType.IPV4_ADDR, Bytes.fromHex("c0000201"))))
                .isEqualTo(hex("01000000c0000201"));
    }

    @Test
    void innerChainDecodes() throws IkeDecodeException {
        byte[] plain = hex("29 00 000c 01 000000 c0000201  00 00 0008 00 00 4000 0000");
        assertThat(PayloadCodec.decodeInnerChain(35, plain, plain.length - 2)).containsExactly(
                new IdPayload(true, IdType.IPV4_ADDR, Bytes.fromHex("c0000201")), NotifyPayload.of(NotifyType.INITIAL_CONTACT));
    }

    @Test
    void recordsRefuseOutOfRangeValues() {
        assertThatThrownBy(() -> new NoncePayload(Bytes.fromHex("00"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdPayload(true, IdType.IPV4_ADDR, Bytes.fromHex("00")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnknownPayload(41, false, Bytes.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SaPayload(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
