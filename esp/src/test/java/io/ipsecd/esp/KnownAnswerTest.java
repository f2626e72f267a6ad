package io.ipsecd.esp;

import static io.ipsecd.esp.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Published vectors: RFC 7634 Appendix A, McGrew-Viega GCM ESP test cases, RFC 4868 / RFC 2202. */
class KnownAnswerTest {

    // RFC 7634 Appendix A: tunnel-mode ESP, ChaCha20-Poly1305, ICMP echo 198.51.100.5 -> 192.0.2.5.
    static final byte[] RFC7634_KEYMAT = hex("""
            80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f
            90 91 92 93 94 95 96 97 98 99 9a 9b 9c 9d 9e 9f a0 a1 a2 a3""");
    static final byte[] RFC7634_INNER = hex("""
            45 00 00 54 a6 f2 00 00 40 01 e7 78 c6 33 64 05 c0 00 02 05 08 00 5b 7a
            3a 08 00 00 55 3b ec 10 00 07 36 27 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13
            14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27 28 29 2a 2b
            2c 2d 2e 2f 30 31 32 33 34 35 36 37""");
    static final byte[] RFC7634_ESP = hex("""
            01 02 03 04 00 00 00 05 10 11 12 13 14 15 16 17
            24 03 94 28 b9 7f 41 7e 3c 13 75 3a 4f 05 08 7b
            67 c3 52 e6 a7 fa b1 b9 82 d4 66 ef 40 7a e5 c6
            14 ee 80 99 d5 28 44 eb 61 aa 95 df ab 4c 02 f7
            2a a7 1e 7c 4c 4f 64 c9 be fe 2f ac c6 38 e8 f3
            cb ec 16 3f ac 46 9b 50 27 73 f6 fb 94 e6 64 da
            91 65 b8 28 29 f6 41 e0
            76 aa a8 26 6b 7f b0 f7 b1 1b 36 99 07 e1 ad 43""");

    private static SaParameters rfc7634(SaDirection direction) {
        EspKeys keys = EspKeys.fromKeyMaterial(EspTransform.CHACHA20_POLY1305, RFC7634_KEYMAT, 0);
        return SaParameters.of(0x01020304, direction, EspTransform.CHACHA20_POLY1305, keys);
    }

    @Test
    void rfc7634AppendixAEncapsulatesToTheExactBytes() throws Exception {
        OutboundSa sa = OutboundSa.startingAt(rfc7634(SaDirection.OUTBOUND), 5);
        byte[] out = new byte[200];
        EspStatus status = sa.encapsulate(RFC7634_INNER, 0, RFC7634_INNER.length, out, 10, true, 0x1011121314151617L);
        assertThat(status).isEqualTo(EspStatus.OK);
        assertThat(sa.length()).isEqualTo(RFC7634_ESP.length);
        assertThat(Arrays.copyOfRange(out, 10, 10 + sa.length())).isEqualTo(RFC7634_ESP);
    }

    @Test
    void rfc7634AppendixADecapsulatesToThePing() throws Exception {
        InboundSa sa = InboundSa.create(rfc7634(SaDirection.INBOUND));
        byte[] dst = new byte[200];
        assertThat(sa.decapsulate(RFC7634_ESP, 0, RFC7634_ESP.length, dst, 3)).isEqualTo(EspStatus.OK);
        assertThat(sa.nextHeader()).isEqualTo(4);
        assertThat(sa.sequence()).isEqualTo(5);
        assertThat(Arrays.copyOfRange(dst, 3, 3 + sa.innerLength())).isEqualTo(RFC7634_INNER);
    }

    /**
     * McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)" ESP test vectors
     * (draft-mcgrew-gcm-test-01): key, salt (nonce = salt || IV), SPI, sequence number (64-bit
     * means ESN), IV, plaintext with ESP trailer, whole ESP packet.
     */
    @ParameterizedTest(name = "GCM ESP test case {index}")
    @CsvSource(delimiter = '|', textBlock = """
            feffe9928665731c6d6a8f9467308308 | cafebabe | 0000a5f8 | 000000000000000a | false | facedbaddecaf888 \
            | 4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b00000100010001 \
            | 0000a5f80000000afacedbaddecaf888deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd183b70d3aa8bc6ee4c309e9d85a41ad4a
            abbccddef00112233445566778899aababbccddef00112233445566778899aab | 11223344 | 4a2cbfe3 | 0000000000000002 | false | 0102030405060708 \
            | 4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b40101040201020201 \
            | 4a2cbfe3000000020102030405060708ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831824b4c4915956c96
            abbccddef00112233445566778899aab | decaf888 | 00000100 | 0000000000000001 | true | cafedebaceface74 \
            | 746f016265016f72016e6f7401746f0162650001 \
            | 0000010000000001cafedebaceface7429c9fc69a197d038ccdd14e2ddfcaa0543332164412503524303ed3c6c5f283843af8c3e
            6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961 | 7475726e | 796b6963 | ffffffffffffffff | true | 333021696765746d \
            | 45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f707172737401020201 \
            | 796b6963ffffffff333021696765746df97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a864cd3d78ca4ae68a32b42458fb57dbe821dcc63b9d0937ba2945f669368661a329fb4c053
            """)
    void gcmEspVectors(String key, String salt, String spi, String seq, boolean esn, String iv, String plain,
                       String packet) throws Exception {
        byte[] k = hex(key);
        EspTransform t = k.length == 16 ? EspTransform.AES_GCM_128 : EspTransform.AES_GCM_256;
        EspKeys keys = EspKeys.aead(k, hex(salt));
        long sequence = Long.parseUnsignedLong(seq, 16);
        long ivValue = Long.parseUnsignedLong(iv, 16);
        byte[] pt = hex(plain);
        byte[] expected = hex(packet);

        byte[] buf = new byte[expected.length];
        EspPacket.putInt(buf, 0, (int) Long.parseLong(spi, 16));
        EspPacket.putInt(buf, 4, (int) sequence);
        System.arraycopy(pt, 0, buf, 16, pt.length);
        new AeadProtection(t, keys, SaDirection.OUTBOUND).seal(buf, 0, pt.length, sequence, esn, ivValue);
        assertThat(hex(buf, 0, buf.length)).isEqualTo(packet);

        byte[] dst = new byte[pt.length];
        EspStatus opened = new AeadProtection(t, keys, SaDirection.INBOUND)
                .open(expected, 0, pt.length, sequence, esn, dst, 0);
        assertThat(opened).isEqualTo(EspStatus.OK);
        assertThat(dst).isEqualTo(pt);

        expected[20] ^= 1;
        assertThat(new AeadProtection(t, keys, SaDirection.INBOUND).open(expected, 0, pt.length, sequence, esn, dst, 0))
                .isEqualTo(EspStatus.AUTH_FAILED);
    }

    /**
     * RFC 4868 section 2.7.2 test case 1 (AUTH256-1, AUTH384-1, AUTH512-1: key 0x0b repeated to the
     * key size, data "Hi There") and RFC 2202 test case 1 for HMAC-SHA1: the ICV is the leading
     * {@code icvSize} bytes of the full HMAC.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            HMAC_SHA1_96      | b617318655057264e28bc0b6fb378c8ef146be00
            HMAC_SHA2_256_128 | 198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7
            HMAC_SHA2_384_192 | b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee9737a959796489bddbc4c5df61d5b3297b4fb68dab9f1b582c2
            HMAC_SHA2_512_256 | 637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8ac2878ebd5803f6f0b61dbce5e251ff8789a4722c1be65aea45fd464e89f8f5b
            """)
    void hmacTruncationVectors(EspIntegrity integrity, String fullMac) throws Exception {
        byte[] key = new byte[integrity.keySize()];
        Arrays.fill(key, (byte) 0x0b);
        Mac mac = Mac.getInstance(integrity.macAlgorithm());
        mac.init(new SecretKeySpec(key, integrity.macAlgorithm()));
        byte[] full = mac.doFinal("Hi There".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(Fixtures.hex(full, 0, full.length)).isEqualTo(fullMac);
        assertThat(integrity.icvSize()).isEqualTo(switch (integrity) {
            case HMAC_SHA1_96 -> 12;
            case HMAC_SHA2_256_128 -> 16;
            case HMAC_SHA2_384_192 -> 24;
            case HMAC_SHA2_512_256 -> 32;
            case NONE -> 0;
        });
    }
}
