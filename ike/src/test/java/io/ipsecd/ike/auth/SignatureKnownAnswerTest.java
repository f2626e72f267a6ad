package io.ipsecd.ike.auth;

import static io.ipsecd.ike.auth.SignatureKeys.hex;
import static io.ipsecd.ike.auth.SignatureVectors.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.message.AuthPayload;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers for every signature algorithm, through {@link SignatureAuth}: the AUTH data we
 * produce must equal the published (or OpenSSL-made) signature byte for byte where the scheme is
 * deterministic, and published signatures must verify.
 */
class SignatureKnownAnswerTest {
    private static final SignatureOptions CLASSIC = new SignatureOptions(true, false);
    private static final SignatureOptions PKCS1 = new SignatureOptions(false, true);
    private static final byte[] SAMPLE = "sample".getBytes(StandardCharsets.US_ASCII);

    /** RFC 7427 AUTH data: length octet, AlgorithmIdentifier, signature. */
    private static byte[] rfc7427(String algorithmIdHex, byte[] signature) {
        byte[] id = hex(algorithmIdHex);
        byte[] out = new byte[1 + id.length + signature.length];
        out[0] = (byte) id.length;
        System.arraycopy(id, 0, out, 1, id.length);
        System.arraycopy(signature, 0, out, 1 + id.length, signature.length);
        return out;
    }

    @Test
    void rsaPkcs1Sha1ClassicMethod1MatchesOpenssl() throws Exception {
        AuthValue auth = SignatureAuth.sign(SignatureKeys.rsaPrivate(), hex(RSA_MESSAGE_HEX), Set.of(), CLASSIC);

        assertThat(auth.method()).isEqualTo(AuthPayload.RSA_SIGNATURE);
        assertThat(auth.data()).isEqualTo(hex(RSA_SHA1_SIG));
        assertThat(SignatureAuth.verify(SignatureKeys.rsaPublic(), 1, hex(RSA_SHA1_SIG), hex(RSA_MESSAGE_HEX)))
                .isEqualTo(new SignatureVerdict.Valid("RSA-PKCS1-SHA1 (classic method 1)"));
    }

    @Test
    void rsaPkcs1Sha256Rfc7427MatchesOpenssl() throws Exception {
        AuthValue auth = SignatureAuth.sign(SignatureKeys.rsaPrivate(), hex(RSA_MESSAGE_HEX), Set.of(2, 3, 4, 5), PKCS1);

        assertThat(auth.method()).isEqualTo(AuthPayload.DIGITAL_SIGNATURE);
        assertThat(auth.data()).isEqualTo(rfc7427(ALG_SHA256_RSA, hex(RSA_SHA256_SIG)));
        assertThat(SignatureAuth.verify(SignatureKeys.rsaPublic(), 14, auth.data(), hex(RSA_MESSAGE_HEX)))
                .isEqualTo(new SignatureVerdict.Valid("RSA-PKCS1-SHA256 (RFC 7427)"));
    }

    @Test
    void opensslRsaPssSignaturesVerify() throws Exception {
        PublicKey key = SignatureKeys.rsaPublic();
        byte[] pss256 = rfc7427(ALG_PSS_SHA256, hex(RSA_PSS256_SIG));
        byte[] pss384 = rfc7427(SignatureScheme.encodeHex(SignatureScheme.RsaPss.of(SignatureHash.SHA384)),
                hex(RSA_PSS384_SIG));

        assertThat(SignatureAuth.verify(key, 14, pss256, hex(RSA_MESSAGE_HEX)))
                .isEqualTo(new SignatureVerdict.Valid("RSA-PSS-SHA256 (RFC 7427)"));
        assertThat(SignatureAuth.verify(key, 14, pss384, hex(RSA_MESSAGE_HEX)))
                .isEqualTo(new SignatureVerdict.Valid("RSA-PSS-SHA384 (RFC 7427)"));
        // the same signature under the other hash's parameters must not verify
        assertThat(SignatureAuth.verify(key, 14, rfc7427(ALG_PSS_SHA256, hex(RSA_PSS384_SIG)), hex(RSA_MESSAGE_HEX)))
                .isInstanceOf(SignatureVerdict.Invalid.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "secp256r1, 9,  " + ALG_ECDSA_SHA256 + ", " + P256_X + ", " + P256_UX + ", " + P256_UY + ", " + P256_SHA256_R + ", "
                + P256_SHA256_S + ", 32, ECDSA-SHA256",
        "secp384r1, 10, " + ALG_ECDSA_SHA384 + ", " + P384_X + ", " + P384_UX + ", " + P384_UY + ", " + P384_SHA384_R + ", "
                + P384_SHA384_S + ", 48, ECDSA-SHA384",
        "secp521r1, 11, " + ALG_ECDSA_SHA512 + ", " + P521_X + ", " + P521_UX + ", " + P521_UY + ", " + P521_SHA512_R + ", "
                + P521_SHA512_S + ", 66, ECDSA-SHA512",
    })
    void ecdsaRfc6979(String curve, int classicMethod, String algorithmId, String x, String ux, String uy, String r,
            String s, int scalarLength, String scheme) throws Exception {
        PrivateKey key = SignatureKeys.ecPrivate(curve, x);
        PublicKey pub = SignatureKeys.ecPublic(curve, ux, uy);
        byte[] rs = new byte[2 * scalarLength];
        byte[] rBytes = new java.math.BigInteger(r, 16).toByteArray();
        byte[] sBytes = new java.math.BigInteger(s, 16).toByteArray();
        copyRight(rBytes, rs, 0, scalarLength);
        copyRight(sBytes, rs, scalarLength, scalarLength);

        AuthValue classic = SignatureAuth.sign(key, SAMPLE, Set.of(), CLASSIC);
        assertThat(classic.method()).isEqualTo(classicMethod);
        assertThat(classic.data()).isEqualTo(rs);

        AuthValue modern = SignatureAuth.sign(key, SAMPLE, Set.of(), SignatureOptions.DEFAULT);
        byte[] der = SignaturePrimitives.derEcdsa(new java.math.BigInteger[] {
            new java.math.BigInteger(r, 16), new java.math.BigInteger(s, 16)});
        assertThat(modern.data()).isEqualTo(rfc7427(algorithmId, der));

        assertThat(SignatureAuth.verify(pub, classicMethod, rs, SAMPLE))
                .isEqualTo(new SignatureVerdict.Valid(scheme + " (classic method " + classicMethod + " (ECDSA P-"
                        + (scalarLength == 66 ? 521 : scalarLength * 8) + "))"));
        assertThat(SignatureAuth.verify(pub, 14, modern.data(), SAMPLE))
                .isEqualTo(new SignatureVerdict.Valid(scheme + " (RFC 7427)"));
    }

    private static void copyRight(byte[] value, byte[] target, int offset, int length) {
        int skip = Math.max(0, value.length - length);
        System.arraycopy(value, skip, target, offset + length - (value.length - skip), value.length - skip);
    }

    @Test
    void ed25519Rfc8032() throws Exception {
        for (String[] vector : ED25519) {
            PrivateKey key = SignatureKeys.ed25519Private(vector[0]);
            PublicKey pub = SignatureKeys.ed25519Public(vector[1]);
            byte[] message = hex(vector[2]);

            AuthValue auth = SignatureAuth.sign(key, message, Set.of(5), SignatureOptions.DEFAULT);

            assertThat(auth.method()).isEqualTo(14);
            assertThat(auth.data()).isEqualTo(rfc7427(ALG_ED25519, hex(vector[3])));
            assertThat(SignatureAuth.verify(pub, 14, auth.data(), message))
                    .isEqualTo(new SignatureVerdict.Valid("Ed25519 (RFC 7427)"));
        }
    }
}
