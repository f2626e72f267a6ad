package io.ipsecd.ike.auth;

import static io.ipsecd.ike.auth.SignatureKeys.hex;
import static io.ipsecd.ike.auth.SignatureVectors.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.ike.auth.SignatureScheme.Ecdsa;
import io.ipsecd.ike.auth.SignatureScheme.Ed25519;
import io.ipsecd.ike.auth.SignatureScheme.RsaPkcs1;
import io.ipsecd.ike.auth.SignatureScheme.RsaPss;
import io.ipsecd.ike.auth.SignatureScheme.UnsupportedScheme;
import org.junit.jupiter.api.Test;

/** RFC 7427 AlgorithmIdentifiers: our DER equals RFC 7427 Appendix A / RFC 8420, and decoding refuses what we must. */
class SignatureSchemeTest {

    @Test
    void encodingsMatchTheRfcExamples() {
        assertThat(SignatureScheme.encodeHex(new RsaPkcs1(SignatureHash.SHA256))).isEqualTo(ALG_SHA256_RSA);
        assertThat(SignatureScheme.encodeHex(new RsaPkcs1(SignatureHash.SHA384))).isEqualTo(ALG_SHA384_RSA);
        assertThat(SignatureScheme.encodeHex(new RsaPkcs1(SignatureHash.SHA512))).isEqualTo(ALG_SHA512_RSA);
        assertThat(SignatureScheme.encodeHex(new Ecdsa(SignatureHash.SHA256))).isEqualTo(ALG_ECDSA_SHA256);
        assertThat(SignatureScheme.encodeHex(new Ecdsa(SignatureHash.SHA384))).isEqualTo(ALG_ECDSA_SHA384);
        assertThat(SignatureScheme.encodeHex(new Ecdsa(SignatureHash.SHA512))).isEqualTo(ALG_ECDSA_SHA512);
        assertThat(SignatureScheme.encodeHex(RsaPss.of(SignatureHash.SHA256))).isEqualTo(ALG_PSS_SHA256);
        assertThat(SignatureScheme.encodeHex(new Ed25519())).isEqualTo(ALG_ED25519);
    }

    @Test
    void decodingReturnsTheScheme() throws Exception {
        assertThat(SignatureScheme.decode(hex(ALG_SHA384_RSA))).isEqualTo(new RsaPkcs1(SignatureHash.SHA384));
        assertThat(SignatureScheme.decode(hex(ALG_ECDSA_SHA512))).isEqualTo(new Ecdsa(SignatureHash.SHA512));
        assertThat(SignatureScheme.decode(hex(ALG_PSS_SHA256))).isEqualTo(RsaPss.of(SignatureHash.SHA256));
        assertThat(SignatureScheme.decode(hex(ALG_ED25519))).isEqualTo(new Ed25519());
        for (SignatureHash hash : new SignatureHash[] {SignatureHash.SHA256, SignatureHash.SHA384, SignatureHash.SHA512}) {
            assertThat(SignatureScheme.decode(SignatureScheme.encode(RsaPss.of(hash)))).isEqualTo(RsaPss.of(hash));
        }
    }

    @Test
    void pssWithAnotherSaltIsReadFromTheParameters() throws Exception {
        // salt 0x21 instead of 0x20: the verifier must use what the peer says
        String salt33 = ALG_PSS_SHA256.substring(0, ALG_PSS_SHA256.length() - 2) + "21";
        assertThat(SignatureScheme.decode(hex(salt33))).isEqualTo(new RsaPss(SignatureHash.SHA256, SignatureHash.SHA256, 33));
    }

    @Test
    void sha1InsideRfc7427IsRefused() {
        assertThatThrownBy(() -> SignatureScheme.decode(hex(ALG_SHA1_RSA))).isInstanceOf(UnsupportedScheme.class)
                .hasMessageContaining("RSA-PKCS1-SHA1").hasMessageContaining("SHA-1 is refused");
        assertThatThrownBy(() -> SignatureScheme.decode(hex(ALG_ECDSA_SHA1))).hasMessageContaining("SHA-1 is refused");
        // RSASSA-PSS without parameters means the SHA-1 defaults
        assertThatThrownBy(() -> SignatureScheme.decode(hex("300b06092a864886f70d01010a")))
                .hasMessageContaining("RSA-PSS-SHA1").hasMessageContaining("SHA-1 is refused");
    }

    @Test
    void unsupportedAlgorithmsAreRefusedByName() {
        // md5WithRSAEncryption
        assertThatThrownBy(() -> SignatureScheme.decode(hex("300d06092a864886f70d0101040500")))
                .hasMessageContaining("1.2.840.113549.1.1.4").hasMessageContaining("not one we support");
        // RSASSA-PSS with SHA-224 (2.16.840.1.101.3.4.2.4)
        String pss224 = ALG_PSS_SHA256.replace("608648016503040201", "608648016503040204");
        assertThatThrownBy(() -> SignatureScheme.decode(hex(pss224))).hasMessageContaining("2.16.840.1.101.3.4.2.4");
        assertThatThrownBy(() -> SignatureScheme.decode(hex("3003020101"))).hasMessageContaining("not valid ASN.1");
        assertThatThrownBy(() -> SignatureScheme.decode(hex("ff00"))).hasMessageContaining("not valid ASN.1");
    }
}
