package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.ike.transform.IntegrityAlgorithm;
import io.ipsecd.ike.transform.PrfAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** PRF known answers (RFC 4231, RFC 2202), RFC 4868 truncated integrity, and prf+ against a second implementation. */
class PrfTest {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] HI_THERE = "Hi There".getBytes(StandardCharsets.US_ASCII);
    static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
    static final byte[] WHAT = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

    static byte[] bytes(int value, int count) {
        byte[] b = new byte[count];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @ParameterizedTest(name = "RFC 4231 test case 1, {0}")
    @CsvSource({
            "PRF_HMAC_SHA2_256, b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "PRF_HMAC_SHA2_384, afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            "PRF_HMAC_SHA2_512, 87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
            "PRF_HMAC_SHA1, b617318655057264e28bc0b6fb378c8ef146be00"})
    void rfc4231TestCase1(PrfAlgorithm algorithm, String expected) {
        assertThat(HEX.formatHex(Prf.of(algorithm).apply(bytes(0x0b, 20), HI_THERE))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "RFC 4231 test case 2, {0}")
    @CsvSource({
            "PRF_HMAC_SHA2_256, 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "PRF_HMAC_SHA2_384, af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            "PRF_HMAC_SHA2_512, 164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"})
    void rfc4231TestCase2SplitAcrossDataArguments(PrfAlgorithm algorithm, String expected) {
        byte[] first = Arrays.copyOf(WHAT, 10);
        byte[] rest = Arrays.copyOfRange(WHAT, 10, WHAT.length);
        assertThat(HEX.formatHex(Prf.of(algorithm).apply(JEFE, first, rest))).isEqualTo(expected);
    }

    /** RFC 4868 §2.7.2 uses keys as long as the hash output: 0x0b repeated, data "Hi There". */
    @ParameterizedTest(name = "RFC 4868 {0}")
    @CsvSource({
            "HMAC_SHA2_256_128, 198a607eb44bfbc69903a0f1cf2bbdc5",
            "HMAC_SHA1_96, ''"})
    void truncatedIntegrityKnownAnswer(IntegrityAlgorithm algorithm, String expected) throws Exception {
        byte[] key = bytes(0x0b, algorithm.keyBytes());
        Integrity integrity = new Integrity(algorithm, SecretBytes.copyOf(key));
        byte[] icv = integrity.compute(HI_THERE, 0, HI_THERE.length);
        assertThat(icv).hasSize(algorithm.icvBytes());
        if (!expected.isEmpty()) {
            assertThat(HEX.formatHex(icv)).isEqualTo(expected);
        }
        assertThat(integrity.verify(HI_THERE, 0, HI_THERE.length, icv, 0)).isTrue();
        icv[icv.length - 1] ^= 1;
        assertThat(integrity.verify(HI_THERE, 0, HI_THERE.length, icv, 0)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = IntegrityAlgorithm.class, names = {"HMAC_SHA1_96", "HMAC_SHA2_256_128", "HMAC_SHA2_384_192",
            "HMAC_SHA2_512_256"})
    void integrityIsTheTruncatedHmacOfTheWholeInput(IntegrityAlgorithm algorithm) throws Exception {
        byte[] key = bytes(0x0b, algorithm.keyBytes());
        Mac mac = Mac.getInstance(algorithm.jceName());
        mac.init(new SecretKeySpec(key, algorithm.jceName()));
        byte[] full = mac.doFinal(HI_THERE);
        assertThat(new Integrity(algorithm, SecretBytes.copyOf(key)).compute(HI_THERE, 0, HI_THERE.length))
                .isEqualTo(Arrays.copyOf(full, algorithm.icvBytes()));
    }

    /** prf+ written a second way: T1..Tn by hand with javax.crypto.Mac, then concatenated. */
    @ParameterizedTest
    @EnumSource(value = PrfAlgorithm.class, names = {"PRF_HMAC_SHA1", "PRF_HMAC_SHA2_256", "PRF_HMAC_SHA2_384",
            "PRF_HMAC_SHA2_512"})
    void prfPlusMatchesAnIndependentComputation(PrfAlgorithm algorithm) throws Exception {
        byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] seed = "ipsecd prf+ seed".getBytes(StandardCharsets.US_ASCII);
        Mac mac = Mac.getInstance(algorithm.jceName());
        mac.init(new SecretKeySpec(key, algorithm.jceName()));
        byte[] expected = new byte[0];
        byte[] t = new byte[0];
        for (int n = 1; expected.length < 300; n++) {
            mac.update(t);
            mac.update(seed);
            mac.update((byte) n);
            t = mac.doFinal();
            byte[] grown = Arrays.copyOf(expected, expected.length + t.length);
            System.arraycopy(t, 0, grown, expected.length, t.length);
            expected = grown;
        }
        assertThat(Prf.of(algorithm).plus(key, seed, 300)).isEqualTo(Arrays.copyOf(expected, 300));
        assertThat(Prf.of(algorithm).plus(key, seed, 7)).isEqualTo(Arrays.copyOf(expected, 7));
    }

    @Test
    void prfPlusStopsAt255Blocks() {
        Prf prf = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);
        assertThat(prf.plus(new byte[] {1}, new byte[0], 255 * 32)).hasSize(255 * 32);
        assertThatThrownBy(() -> prf.plus(new byte[] {1}, new byte[0], 255 * 32 + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unimplementedPrfIsRefused() {
        assertThatThrownBy(() -> Prf.of(PrfAlgorithm.PRF_AES128_XCBC)).isInstanceOf(IllegalArgumentException.class);
    }
}
