package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.transform.KeyExchangeMethod;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Key exchange known answers (RFC 5903 §8, RFC 7748 §5.2/§6), MODP round trips, and peer-value validation. */
class KeyExchangeTest {
    static final HexFormat HEX = HexFormat.of();
    static final KeyExchanges.WeakGroups REFUSE = KeyExchanges.WeakGroups.REFUSE;

    static KeyExchange fixed(KeyExchangeMethod m, String privateHex) {
        return KeyExchanges.withPrivateKey(m, HEX.parseHex(privateHex), REFUSE);
    }

    @ParameterizedTest(name = "RFC 5903 §8 {0}")
    @CsvSource({
            "ECP_256, c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433,"
                    + "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180,"
                    + "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3,"
                    + "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53,"
                    + "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63,"
                    + "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab,"
                    + "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de",
            "ECP_384, 099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655e35b538041e649ee3faef896783ab194,"
                    + "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6de3ac808acb4bdb4c88732aee95f41aa,"
                    + "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c,"
                    + "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942e0308312916b8ed2960e4bd55a7448fc,"
                    + "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d0d1ac43a0336def96fda41d0774a3571,"
                    + "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c,"
                    + "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4d603135569b9e9d09cf5d4a270f59746",
            "ECP_521, 0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce47608172a095aa85a30fe1c2952c6771d937ba9777f5957b2639bab072462f68c27a57382d4a52,"
                    + "0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9ecbee1e3bf42e00b8e380aeae57c2d107564941885942af5a7f4601723c4195d176ced3e,"
                    + "017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4a10ad8a788015ac405d7799dc75e7b7d5b6cf2261a6a7f1507438bf01beb6ca3926f9582,"
                    + "0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380201e9c677d600b343757a3bdbf2a3163e4c2f869cca7458aa4a4effc311f5cb151685eb9,"
                    + "00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e5739735a219b97c356436adc6e95bb0352f6be64a6c2912d4ef2d0433ced2b6171640012d9460f,"
                    + "015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d9852077b87220b6536c5c408a1d2aebb8e86d678ae49cb57091f4732296579ab44fcd17f0fc56a,"
                    + "01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d79b04d1427e73ca4baa240a34786859810c06b3c715a3a8cc3151f2bee417996d19f3ddea"})
    void ecpKnownAnswers(KeyExchangeMethod m, String i, String gix, String giy, String r, String grx, String gry,
                         String girx) throws Exception {
        KeyExchange initiator = fixed(m, i);
        KeyExchange responder = fixed(m, r);
        assertThat(initiator.initiatorShare().toHex()).isEqualTo(gix + giy);
        KeyExchange.Response response = responder.respond(initiator.initiatorShare());
        assertThat(response.responderShare().toHex()).isEqualTo(grx + gry);
        assertThat(HEX.formatHex(response.sharedSecret().copy())).isEqualTo(girx);
        assertThat(HEX.formatHex(initiator.complete(response.responderShare()).copy())).isEqualTo(girx);
        assertThat(initiator.initiatorShare().length()).isEqualTo(m.initiatorShareBytes());
    }

    @Test
    void x25519Rfc7748DiffieHellman() throws Exception {
        KeyExchange alice = fixed(KeyExchangeMethod.CURVE25519, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        KeyExchange bob = fixed(KeyExchangeMethod.CURVE25519, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        assertThat(alice.initiatorShare().toHex()).isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        KeyExchange.Response r = bob.respond(alice.initiatorShare());
        assertThat(r.responderShare().toHex()).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertThat(HEX.formatHex(r.sharedSecret().copy())).isEqualTo(shared);
        assertThat(HEX.formatHex(alice.complete(r.responderShare()).copy())).isEqualTo(shared);
    }

    @Test
    void x25519Rfc7748Section52() throws Exception {
        KeyExchange k = fixed(KeyExchangeMethod.CURVE25519, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        assertThat(HEX.formatHex(k.complete(Bytes.fromHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")).copy()))
                .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    }

    @Test
    void x448Rfc7748DiffieHellman() throws Exception {
        KeyExchange alice = fixed(KeyExchangeMethod.CURVE448, "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
                + "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b");
        KeyExchange bob = fixed(KeyExchangeMethod.CURVE448, "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
                + "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d");
        assertThat(alice.initiatorShare().toHex()).isEqualTo("9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c"
                + "22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0");
        KeyExchange.Response r = bob.respond(alice.initiatorShare());
        assertThat(r.responderShare().toHex()).isEqualTo("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
                + "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609");
        String shared = "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d";
        assertThat(HEX.formatHex(r.sharedSecret().copy())).isEqualTo(shared);
        assertThat(HEX.formatHex(alice.complete(r.responderShare()).copy())).isEqualTo(shared);
    }

    @ParameterizedTest
    @CsvSource({"CURVE25519, 32", "CURVE448, 56"})
    void smallOrderMontgomeryPointsAreRefused(KeyExchangeMethod m, int size) {
        KeyExchange k = KeyExchanges.create(m, RandomSource.deterministic(1));
        assertThatThrownBy(() -> k.complete(Bytes.of(new byte[size])))
                .isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessage(m + " shared secret is all zeros (small-order public value)");
        byte[] one = new byte[size];
        one[0] = 1;
        assertThatThrownBy(() -> k.complete(Bytes.of(one))).isInstanceOf(InvalidKeyExchangeException.class);
        assertThatThrownBy(() -> k.complete(Bytes.of(new byte[size - 1])))
                .isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessage(m + " public value is " + (size - 1) + " bytes, must be " + size);
    }

    @Test
    void ecpPointsOffTheCurveOrOutsideTheFieldAreRefused() {
        KeyExchange k = KeyExchanges.create(KeyExchangeMethod.ECP_256, RandomSource.deterministic(2));
        byte[] share = KeyExchanges.create(KeyExchangeMethod.ECP_256, RandomSource.deterministic(3)).initiatorShare().toArray();
        share[63] ^= 1;
        assertThatThrownBy(() -> k.complete(Bytes.of(share))).isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessage("ECP_256 public value is not a point on the curve");
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThatThrownBy(() -> k.complete(Bytes.of(ones))).isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessage("ECP_256 public value has a coordinate outside the field");
        assertThatThrownBy(() -> k.complete(Bytes.of(new byte[64]))).isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessage("ECP_256 public value is not a point on the curve");
        byte[] prefixed = new byte[65];
        prefixed[0] = 4;
        assertThatThrownBy(() -> k.complete(Bytes.of(prefixed))).isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessage("ECP_256 public value is 65 bytes, must be 64");
    }

    @ParameterizedTest
    @EnumSource(value = KeyExchangeMethod.class, names = {"MODP_2048", "MODP_3072", "MODP_4096", "ECP_256", "ECP_384",
            "ECP_521", "CURVE25519", "CURVE448"})
    void bothSidesAgreeWithFreshKeys(KeyExchangeMethod m) throws Exception {
        KeyExchange initiator = KeyExchanges.create(m, RandomSource.deterministic(10));
        KeyExchange responder = KeyExchanges.create(m, RandomSource.deterministic(11));
        assertThat(initiator.initiatorShare().length()).isEqualTo(m.initiatorShareBytes());
        KeyExchange.Response r = responder.respond(initiator.initiatorShare());
        assertThat(initiator.complete(r.responderShare()).copy()).isEqualTo(r.sharedSecret().copy());
        assertThat(initiator.initiatorShare()).isNotEqualTo(r.responderShare());
    }

    /** RFC 3526: each prime is 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k): FF.. then pi's digits, FF.. last. */
    @ParameterizedTest
    @CsvSource({"MODP_2048, 256, 15728e5a8aacaa68ffffffffffffffff", "MODP_3072, 384, a93ad2caffffffffffffffff",
            "MODP_4096, 512, 4df435c934063199ffffffffffffffff"})
    void modpPrimesAreTheRfc3526Ones(KeyExchangeMethod m, int bytes, String tail) {
        byte[] p = ModpKeyExchange.group(m).getP().toByteArray();
        String hex = HEX.formatHex(p).replaceFirst("^00", "");
        assertThat(hex).hasSize(2 * bytes).startsWith("ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd1").endsWith(tail);
        assertThat(ModpKeyExchange.group(m).getG()).isEqualTo(BigInteger.TWO);
    }

    @Test
    void modpPublicValuesOutOfRangeAreRefused() {
        KeyExchange k = KeyExchanges.create(KeyExchangeMethod.MODP_2048, RandomSource.deterministic(4));
        BigInteger p = ModpKeyExchange.group(KeyExchangeMethod.MODP_2048).getP();
        for (BigInteger y : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p}) {
            byte[] padded = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(256, y);
            assertThatThrownBy(() -> k.complete(Bytes.of(padded))).isInstanceOf(InvalidKeyExchangeException.class)
                    .hasMessage("MODP_2048 public value is out of range (must be 1 < y < p-1)");
        }
        assertThatThrownBy(() -> k.complete(Bytes.of(new byte[255]))).isInstanceOf(InvalidKeyExchangeException.class)
                .hasMessage("MODP_2048 public value is 255 bytes, must be 256");
    }

    @Test
    void weakGroupsNeedAnExplicitOptIn() throws Exception {
        assertThat(KeyExchangeMethod.MODP_1024.isWeak()).isTrue();
        assertThat(KeyExchangeMethod.MODP_1536.isWeak()).isTrue();
        assertThat(KeyExchangeMethod.MODP_2048.isWeak()).isFalse();
        assertThatThrownBy(() -> KeyExchanges.create(KeyExchangeMethod.MODP_1024, RandomSource.deterministic(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("MODP_1024 is weak and was not explicitly allowed");
        KeyExchange a = KeyExchanges.create(KeyExchangeMethod.MODP_1536, RandomSource.deterministic(5), KeyExchanges.WeakGroups.ALLOW);
        KeyExchange b = KeyExchanges.create(KeyExchangeMethod.MODP_1536, RandomSource.deterministic(6), KeyExchanges.WeakGroups.ALLOW);
        assertThat(a.complete(b.initiatorShare()).copy()).isEqualTo(b.complete(a.initiatorShare()).copy()).hasSize(192);
    }

    @Test
    void destroyedExchangesRefuseToAgree() {
        KeyExchange k = KeyExchanges.create(KeyExchangeMethod.CURVE25519, RandomSource.deterministic(8));
        Bytes peer = KeyExchanges.create(KeyExchangeMethod.CURVE25519, RandomSource.deterministic(9)).initiatorShare();
        k.destroy();
        assertThat(k.isDestroyed()).isTrue();
        assertThatThrownBy(() -> k.complete(peer)).isInstanceOf(IllegalStateException.class);
    }
}
