package io.ipsecd.ike.message;

import static io.ipsecd.ike.message.Fixtures.hex;
import static io.ipsecd.ike.message.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The SKF payload's wire form (RFC 7383 §2.5), pinned by hand-written hex. */
class EncryptedFragmentPayloadTest {
    /** SKF linking to IDi (35), fragment 1 of 2, then 16 bytes of IV/ciphertext/ICV. */
    static final String FIRST_OF_TWO = "23 00 0018 0001 0002 000102030405060708090a0b0c0d0e0f";

    @Test
    void decodesAndEncodesTheHexFixture() throws Exception {
        byte[] datagram = request(53, FIRST_OF_TWO);
        IkeMessage message = IkeMessageCodec.decode(datagram);

        assertThat(message.payloads()).containsExactly(new EncryptedFragmentPayload(35, 1, 2,
                Bytes.fromHex("000102030405060708090a0b0c0d0e0f")));
        assertThat(IkeMessageCodec.encode(message)).isEqualTo(datagram);
        assertThat(PayloadType.fromValue(53)).contains(PayloadType.SKF);
        assertThat(PayloadType.fromValue(49)).isEmpty();
        assertThat(PayloadType.fromValue(48)).contains(PayloadType.EAP);
    }

    @Test
    void laterFragmentsLinkToNothing() throws Exception {
        byte[] datagram = request(53, "00 00 000c 0002 0002 aabbccdd");
        assertThat(IkeMessageCodec.decode(datagram).payloads())
                .containsExactly(new EncryptedFragmentPayload(0, 2, 2, Bytes.fromHex("aabbccdd")));
    }

    @Test
    void impossibleNumbersAreSyntaxErrors() {
        assertThatThrownBy(() -> IkeMessageCodec.decode(request(53, "00 00 000c 0001 0000 aabbccdd")))
                .isInstanceOf(IkeDecodeException.class).hasMessageContaining("Total Fragments is 0");
        assertThatThrownBy(() -> IkeMessageCodec.decode(request(53, "00 00 000c 0003 0002 aabbccdd")))
                .isInstanceOf(IkeDecodeException.class).hasMessageContaining("Fragment Number is 3");
        assertThatThrownBy(() -> IkeMessageCodec.decode(request(53, "00 00 000c 0000 0002 aabbccdd")))
                .isInstanceOf(IkeDecodeException.class).hasMessageContaining("Fragment Number is 0");
    }

    @Test
    void skfMustBeTheLastPayload() {
        byte[] datagram = request(53, FIRST_OF_TWO + "00000004");
        // the header's length covers the trailing bytes, so only the SKF rule can object
        assertThatThrownBy(() -> IkeMessageCodec.decode(datagram)).isInstanceOf(IkeDecodeException.class)
                .hasMessageContaining("SKF payload at offset 28 is not the last payload");
        assertThatThrownBy(() -> PayloadCodec.encodeChain(java.util.List.of(
                new EncryptedFragmentPayload(0, 1, 1, Bytes.fromHex("00")), new VendorIdPayload(Bytes.fromHex("01")))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anSkfInsideAnSkIsRefused() {
        byte[] inner = hex("00 00 000c 0001 0001 aabbccdd");
        assertThatThrownBy(() -> PayloadCodec.decodeInnerChain(53, inner, inner.length))
                .isInstanceOf(IkeDecodeException.class).hasMessageContaining("inside an SK payload");
    }
}
