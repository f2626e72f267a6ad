package io.ipsecd.ike.crypto;

import static io.ipsecd.ike.crypto.KeyDerivationTest.HEX;
import static io.ipsecd.ike.crypto.KeyDerivationTest.cat;
import static io.ipsecd.ike.crypto.KeyDerivationTest.hmac;
import static io.ipsecd.ike.crypto.KeyDerivationTest.prfPlus;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.transform.EncryptionAlgorithm;
import io.ipsecd.ike.transform.PrfAlgorithm;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 9370 §2.2.4 key derivation after IKE_FOLLOWUP_KE exchanges, recomputed here with
 * javax.crypto.Mac: the CREATE_CHILD_SA's secret, the nonces, then each additional secret in order.
 */
class AdditionalKeyDerivationTest {
    final byte[] ni = HEX.parseHex("c1" + "00".repeat(31));
    final byte[] nr = HEX.parseHex("d2" + "11".repeat(31));
    final byte[] sk0 = HEX.parseHex("4a".repeat(32));
    final byte[] sk1 = HEX.parseHex("5b".repeat(32));
    final byte[] sk2 = HEX.parseHex("6c".repeat(48));

    @Test
    void keymatIsPrfPlusOfSkDOverSk0NoncesThenTheAdditionalSecrets() throws Exception {
        byte[] skD = HEX.parseHex("0d".repeat(48));
        CipherSuite gcm = CipherSuite.aead(EncryptionAlgorithm.AES_GCM_16, 256);
        ChildSaKeys keys = KeyDerivation.childSaKeys(Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_384), SecretBytes.copyOf(skD),
                SecretBytes.copyOf(sk0), ni, nr, List.of(SecretBytes.copyOf(sk1), SecretBytes.copyOf(sk2)), gcm);
        byte[] keymat = prfPlus("HmacSHA384", skD, cat(sk0, ni, nr, sk1, sk2), 72);
        assertThat(keys.initiatorToResponder().encryption().copy()).isEqualTo(Arrays.copyOfRange(keymat, 0, 36));
        assertThat(keys.responderToInitiator().encryption().copy()).isEqualTo(Arrays.copyOfRange(keymat, 36, 72));
        // Not the RFC 7296 KEYMAT of SK(0) alone, nor the secrets concatenated before the nonces.
        assertThat(keymat).isNotEqualTo(prfPlus("HmacSHA384", skD, cat(sk0, ni, nr), 72))
                .isNotEqualTo(prfPlus("HmacSHA384", skD, cat(sk0, sk1, sk2, ni, nr), 72));
    }

    @Test
    void withoutAdditionalSecretsKeymatIsRfc7296s() throws Exception {
        byte[] skD = HEX.parseHex("0e".repeat(32));
        CipherSuite gcm = CipherSuite.aead(EncryptionAlgorithm.AES_GCM_16, 128);
        ChildSaKeys keys = KeyDerivation.childSaKeys(Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256), SecretBytes.copyOf(skD),
                SecretBytes.copyOf(sk0), ni, nr, List.of(), gcm);
        assertThat(keys.initiatorToResponder().encryption().copy())
                .isEqualTo(Arrays.copyOfRange(prfPlus("HmacSHA256", skD, cat(sk0, ni, nr), 40), 0, 20));
    }

    @Test
    void rekeyedIkeSaSkeyseedTakesEverySecretAfterTheNonces() throws Exception {
        byte[] oldSkD = HEX.parseHex("0f".repeat(48));
        SecretBytes s = KeyDerivation.rekeySkeyseed(Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_384), SecretBytes.copyOf(oldSkD),
                SecretBytes.copyOf(sk0), ni, nr, List.of(SecretBytes.copyOf(sk1)));
        assertThat(s.copy()).isEqualTo(hmac("HmacSHA384", oldSkD, sk0, ni, nr, sk1));
    }
}
