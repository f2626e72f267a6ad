package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.IntegrityAlgorithm;
import io.ipsecd.ike.transform.PrfAlgorithm;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * SKEYSEED, the seven IKE SA keys, child KEYMAT and rekeying, each checked against the RFC 7296
 * formula recomputed here with javax.crypto.Mac and a hand-written prf+.
 */
class KeyDerivationTest {
    static final HexFormat HEX = HexFormat.of();
    final byte[] ni = HEX.parseHex("c1" + "00".repeat(31));
    final byte[] nr = HEX.parseHex("d2" + "11".repeat(31));
    final byte[] gir = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    final long spiI = 0x0011223344556677L;
    final long spiR = 0x8899aabbccddeeffL;

    static byte[] hmac(String alg, byte[] key, byte[]... data) throws Exception {
        Mac mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(key, alg));
        for (byte[] d : data) {
            mac.update(d);
        }
        return mac.doFinal();
    }

    static byte[] prfPlus(String alg, byte[] key, byte[] seed, int length) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(length + 64);
        byte[] t = new byte[0];
        for (int n = 1; out.position() < length; n++) {
            t = hmac(alg, key, t, seed, new byte[] {(byte) n});
            out.put(t);
        }
        return Arrays.copyOf(out.array(), length);
    }

    static byte[] cat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    @Test
    void ikeSaKeysForAesGcm256WithSha384() throws Exception {
        Prf prf = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_384);
        CipherSuite suite = CipherSuite.aead(EncryptionAlgorithm.AES_GCM_16, 256);
        SecretBytes skeyseed = KeyDerivation.skeyseed(prf, ni, nr, SecretBytes.copyOf(gir));
        byte[] expectedSeed = hmac("HmacSHA384", cat(ni, nr), gir);
        assertThat(skeyseed.copy()).isEqualTo(expectedSeed);

        IkeSaKeys keys = KeyDerivation.ikeSaKeys(prf, skeyseed, ni, nr, spiI, spiR, suite);
        byte[] spis = ByteBuffer.allocate(16).putLong(spiI).putLong(spiR).array();
        // SK_d 48, SK_ai/ar 0 (AEAD), SK_ei/er 32 + 4 salt, SK_pi/pr 48.
        byte[] stream = prfPlus("HmacSHA384", expectedSeed, cat(ni, nr, spis), 48 + 0 + 0 + 36 + 36 + 48 + 48);
        assertThat(keys.skD().copy()).isEqualTo(Arrays.copyOfRange(stream, 0, 48));
        assertThat(keys.initiator().integrity().length()).isZero();
        assertThat(keys.initiator().encryption().copy()).isEqualTo(Arrays.copyOfRange(stream, 48, 84));
        assertThat(keys.responder().encryption().copy()).isEqualTo(Arrays.copyOfRange(stream, 84, 120));
        assertThat(keys.skPi().copy()).isEqualTo(Arrays.copyOfRange(stream, 120, 168));
        assertThat(keys.skPr().copy()).isEqualTo(Arrays.copyOfRange(stream, 168, 216));
    }

    @Test
    void ikeSaKeysForAesCbc128WithSha256Integrity() throws Exception {
        Prf prf = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);
        CipherSuite suite = new CipherSuite(EncryptionAlgorithm.AES_CBC, 128, IntegrityAlgorithm.HMAC_SHA2_256_128);
        IkeSaKeys keys = KeyDerivation.ikeSaKeys(prf, KeyDerivation.skeyseed(prf, ni, nr, SecretBytes.copyOf(gir)), ni,
                nr, spiI, spiR, suite);
        byte[] seed = hmac("HmacSHA256", cat(ni, nr), gir);
        byte[] stream = prfPlus("HmacSHA256", seed, cat(ni, nr, ByteBuffer.allocate(16).putLong(spiI).putLong(spiR)
                .array()), 32 + 32 + 32 + 16 + 16 + 32 + 32);
        assertThat(keys.skD().copy()).isEqualTo(Arrays.copyOfRange(stream, 0, 32));
        assertThat(keys.initiator().integrity().copy()).isEqualTo(Arrays.copyOfRange(stream, 32, 64));
        assertThat(keys.responder().integrity().copy()).isEqualTo(Arrays.copyOfRange(stream, 64, 96));
        assertThat(keys.initiator().encryption().copy()).isEqualTo(Arrays.copyOfRange(stream, 96, 112));
        assertThat(keys.responder().encryption().copy()).isEqualTo(Arrays.copyOfRange(stream, 112, 128));
        assertThat(keys.skPr().copy()).isEqualTo(Arrays.copyOfRange(stream, 160, 192));
    }

    @Test
    void childKeymatWithoutAndWithPfs() throws Exception {
        Prf prf = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);
        byte[] skD = HEX.parseHex("5d".repeat(32));
        CipherSuite esp = CipherSuite.aead(EncryptionAlgorithm.AES_GCM_16, 128);  // 16 + 4 salt per direction

        ChildSaKeys plain = KeyDerivation.childSaKeys(prf, SecretBytes.copyOf(skD), null, ni, nr, esp);
        byte[] keymat = prfPlus("HmacSHA256", skD, cat(ni, nr), 40);
        assertThat(plain.initiatorToResponder().encryption().copy()).isEqualTo(Arrays.copyOfRange(keymat, 0, 20));
        assertThat(plain.responderToInitiator().encryption().copy()).isEqualTo(Arrays.copyOfRange(keymat, 20, 40));

        CipherSuite cbc = new CipherSuite(EncryptionAlgorithm.AES_CBC, 256, IntegrityAlgorithm.HMAC_SHA2_512_256);
        ChildSaKeys pfs = KeyDerivation.childSaKeys(prf, SecretBytes.copyOf(skD), SecretBytes.copyOf(gir), ni, nr, cbc);
        byte[] keymatPfs = prfPlus("HmacSHA256", skD, cat(gir, ni, nr), 2 * (32 + 64));
        assertThat(pfs.initiatorToResponder().encryption().copy()).isEqualTo(Arrays.copyOfRange(keymatPfs, 0, 32));
        assertThat(pfs.initiatorToResponder().integrity().copy()).isEqualTo(Arrays.copyOfRange(keymatPfs, 32, 96));
        assertThat(pfs.responderToInitiator().encryption().copy()).isEqualTo(Arrays.copyOfRange(keymatPfs, 96, 128));
        assertThat(pfs.responderToInitiator().integrity().copy()).isEqualTo(Arrays.copyOfRange(keymatPfs, 128, 192));
    }

    @Test
    void rekeySkeyseedUsesOldSkDAndNewSharedSecret() throws Exception {
        byte[] oldSkD = HEX.parseHex("0d".repeat(48));
        SecretBytes s = KeyDerivation.rekeySkeyseed(Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_384), SecretBytes.copyOf(oldSkD),
                SecretBytes.copyOf(gir), ni, nr);
        assertThat(s.copy()).isEqualTo(hmac("HmacSHA384", oldSkD, gir, ni, nr));
    }

    @Test
    void chachaKeyMaterialIncludesTheSalt() {
        assertThat(CipherSuite.aead(EncryptionAlgorithm.CHACHA20_POLY1305, 256).encryptionKeyBytes()).isEqualTo(36);
        assertThat(CipherSuite.aead(EncryptionAlgorithm.AES_GCM_16, 128).encryptionKeyBytes()).isEqualTo(20);
        assertThat(new CipherSuite(EncryptionAlgorithm.AES_CBC, 256, IntegrityAlgorithm.HMAC_SHA1_96).directionKeyBytes())
                .isEqualTo(32 + 20);
    }

    @Test
    void suitesRefuseMismatchedIntegrity() {
        assertThatThrownBy(() -> new CipherSuite(EncryptionAlgorithm.AES_GCM_16, 256, IntegrityAlgorithm.HMAC_SHA1_96))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CipherSuite(EncryptionAlgorithm.AES_CBC, 128, IntegrityAlgorithm.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CipherSuite.aead(EncryptionAlgorithm.AES_GCM_16, 100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void destroyingTheKeysZeroesThem() {
        Prf prf = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);
        IkeSaKeys keys = KeyDerivation.ikeSaKeys(prf, SecretBytes.copyOf(gir), ni, nr, spiI, spiR,
                CipherSuite.aead(EncryptionAlgorithm.AES_GCM_16, 256));
        SecretBytes skD = keys.skD();
        keys.destroy();
        assertThat(keys.isDestroyed()).isTrue();
        assertThatThrownBy(skD::copy).isInstanceOf(IllegalStateException.class);
        assertThat(skD.toString()).isEqualTo("SecretBytes[32 bytes, destroyed]");
    }
}
