package io.ipsecd.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.crypto.CipherSuite;
import io.ipsecd.ike.crypto.IkeSaKeys;
import io.ipsecd.ike.crypto.KeyDerivation;
import io.ipsecd.ike.crypto.Prf;
import io.ipsecd.ike.crypto.SecretBytes;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.IntegrityAlgorithm;
import io.ipsecd.ike.transform.PrfAlgorithm;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the IKE_INTERMEDIATE key schedule (RFC 9370 §2.2.2) and IntAuth (RFC 9242
 * §3.3), computed independently with Python's hmac/hashlib (HMAC-SHA2-256, prf+ as RFC 7296 §2.13;
 * the script is {@code src/test/resources/io/ipsecd/ike/exchange/intermediate-kat.py}).
 */
class IntermediateKeyScheduleTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] NI = fill(0x11, 32);
    private static final byte[] NR = fill(0x22, 32);
    private static final long SPI_I = 0x0102030405060708L;
    private static final long SPI_R = 0x1112131415161718L;
    private static final Prf PRF = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);

    private static byte[] fill(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static String hex(SecretBytes s) {
        return HEX.formatHex(s.copy());
    }

    @Test
    void skeyseedAndKeysAfterAnAdditionalKeyExchange() {
        SecretBytes skd0 = SecretBytes.wrap(fill(0x33, 32));
        SecretBytes sk1 = SecretBytes.wrap(fill(0x44, 32));
        SecretBytes skeyseed = KeyDerivation.rekeySkeyseed(PRF, skd0, sk1, NI, NR);
        assertThat(hex(skeyseed)).isEqualTo("3b3602822472785d4e9b07d7e664231b8afe00301fb4e26e005968ec269c7988");
        IkeSaKeys keys = KeyDerivation.ikeSaKeys(PRF, skeyseed, NI, NR, SPI_I, SPI_R,
                new CipherSuite(EncryptionAlgorithm.AES_GCM_16, 256, IntegrityAlgorithm.NONE));
        assertThat(hex(keys.skD())).isEqualTo("a7a59b39fa8ef139f2d00a42b5b91de29bac1820cc2c391b832a22a4a4441f95");
        assertThat(hex(keys.initiator().encryption()))
                .isEqualTo("7f30218844aa4ecac6f0583d2557afbcf2e306bd3ad17a50987f55dd2cfd8e0985065191");
        assertThat(hex(keys.responder().encryption()))
                .isEqualTo("854095d5f0caa4cfb080767e11f7b881ba97b77d4c6b1d42b9c9a98923d4496d4912a5a1");
        assertThat(hex(keys.skPi())).isEqualTo("3debde65eadb448044c5d55932bc2fd6c1d12a1167da1a0b014736f45b634478");
        assertThat(hex(keys.skPr())).isEqualTo("eaa211af7250679902160fe40b0175f9b997420e836712dd1cd1d6416cbd39a0");
    }

    private static IkeHeader header(boolean response, long messageId) {
        return new IkeHeader(SPI_I, SPI_R, ExchangeType.IKE_INTERMEDIATE, true, response, messageId);
    }

    @Test
    void intAuthChainsEachDirectionAndEndsTheSignedOctets() {
        assertThat(HEX.formatHex(IntermediateAuth.authenticatedPart(header(false, 1), 34, 16)))
                .isEqualTo("010203040506070811121314151617182e202b08000000010000003022000014");
        IntermediateAuth auth = new IntermediateAuth();
        assertThat(auth.appendTo(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        auth.add(PRF, SecretBytes.wrap(fill(0x55, 32)), header(false, 1),
                List.of(new KePayload(36, Bytes.of(fill(0xaa, 8)))));
        // The response: I flag clear (sent by the original responder).
        auth.add(PRF, SecretBytes.wrap(fill(0x66, 32)), new IkeHeader(SPI_I, SPI_R, ExchangeType.IKE_INTERMEDIATE,
                false, true, 1), List.of(new KePayload(36, Bytes.of(fill(0xbb, 4)))));
        // Round 2 with the keys of round 1 (SK_pi above).
        auth.add(PRF, SecretBytes.wrap(HEX.parseHex("3debde65eadb448044c5d55932bc2fd6c1d12a1167da1a0b014736f45b634478")),
                header(false, 2), List.of(new KePayload(37, Bytes.of(fill(0xcc, 3)))));
        assertThat(HEX.formatHex(auth.appendTo(new byte[] {1, 2, 3}))).isEqualTo("010203"
                + "acf4ecbc5b303823f235f2bc97b43a63eb7b8eeae1d3abb359db1d67189e9660"     // IntAuth_i2
                + "5a420656b7d029d7cbf7e054f6accf013fddbbb6175777509009a3fe881f6d03"     // IntAuth_r1
                + "00000003");                                                          // IKE_AUTH message ID
    }
}
