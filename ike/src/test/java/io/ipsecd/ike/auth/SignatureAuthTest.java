package io.ipsecd.ike.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipsecd.ike.auth.SignatureKeys.Type;
import io.ipsecd.ike.message.AuthPayload;
import io.ipsecd.ike.message.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Sign/verify round trips through AuthValue/AuthPayload, scheme choice, and every refusal. */
class SignatureAuthTest {
    private static final byte[] OCTETS = "RealMessage | Nr | prf(SK_pi, IDi')".getBytes(StandardCharsets.US_ASCII);
    private static final SignatureOptions CLASSIC = new SignatureOptions(true, false);
    private static final SignatureOptions PKCS1 = new SignatureOptions(false, true);
    private static final Map<Type, KeyPair> KEYS = new EnumMap<>(Type.class);

    @BeforeAll
    static void keys() {
        for (Type type : Type.values()) KEYS.put(type, SignatureKeys.generate(type));
    }

    private static SignatureVerdict roundTrip(Type type, SignatureOptions options, Set<Integer> peerHashes)
            throws Exception {
        AuthValue auth = SignatureAuth.sign(KEYS.get(type).getPrivate(), OCTETS, peerHashes, options);
        AuthPayload payload = auth.toPayload(); // what goes on the wire
        return SignatureAuth.verify(KEYS.get(type).getPublic(), payload.method(), payload.data().toArray(), OCTETS);
    }

    @ParameterizedTest(name = "{0} {1} rsaPkcs1={2}")
    @CsvSource({
        "RSA, false, false, RSA-PSS-SHA256 (RFC 7427)",
        "RSA, false, true, RSA-PKCS1-SHA256 (RFC 7427)",
        "RSA, true, false, RSA-PKCS1-SHA1 (classic method 1)",
        "P256, false, false, ECDSA-SHA256 (RFC 7427)",
        "P256, true, false, ECDSA-SHA256 (classic method 9 (ECDSA P-256))",
        "P384, false, false, ECDSA-SHA384 (RFC 7427)",
        "P384, true, false, ECDSA-SHA384 (classic method 10 (ECDSA P-384))",
        "P521, false, false, ECDSA-SHA512 (RFC 7427)",
        "P521, true, false, ECDSA-SHA512 (classic method 11 (ECDSA P-521))",
        "ED25519, false, false, Ed25519 (RFC 7427)",
        // Ed25519 has no classic method: it stays on RFC 7427
        "ED25519, true, false, Ed25519 (RFC 7427)",
    })
    void everyKeyTypeAndMethodFamilyRoundTrips(Type type, boolean classic, boolean rsaPkcs1, String scheme)
            throws Exception {
        assertThat(roundTrip(type, new SignatureOptions(classic, rsaPkcs1), Set.of()))
                .isEqualTo(new SignatureVerdict.Valid(scheme));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void tamperedOctetsAreRefused(Type type) throws Exception {
        for (SignatureOptions options : new SignatureOptions[] {SignatureOptions.DEFAULT, CLASSIC}) {
            AuthValue auth = SignatureAuth.sign(KEYS.get(type).getPrivate(), OCTETS, Set.of(), options);
            byte[] tampered = OCTETS.clone();
            tampered[3] ^= 1;
            SignatureVerdict verdict = SignatureAuth.verify(KEYS.get(type).getPublic(), auth.method(), auth.data(), tampered);
            assertThat(verdict).isInstanceOf(SignatureVerdict.Invalid.class);
            assertThat(((SignatureVerdict.Invalid) verdict).reason()).contains("does not verify")
                    .contains("check the peer's key and certificate are a pair");
        }
    }

    @Test
    void wrongKeyOfTheSameTypeIsRefusedWithTheScheme() throws Exception {
        AuthValue auth = SignatureAuth.sign(KEYS.get(Type.P384).getPrivate(), OCTETS, Set.of(), SignatureOptions.DEFAULT);
        KeyPair other = SignatureKeys.generate(Type.P384);
        assertThat(SignatureAuth.verify(other.getPublic(), auth.method(), auth.data(), OCTETS))
                .isEqualTo(new SignatureVerdict.Invalid("the peer's ECDSA-SHA384 (RFC 7427) signature does not verify"
                        + " with its ECDSA P-384 certificate key: the peer signs with a key that is not its certificate's,"
                        + " or the signed data differ (ID payload, nonces); check the peer's key and certificate are a pair"));
    }

    @Test
    void keyOfAnotherTypeIsRefusedNamingBoth() throws Exception {
        AuthValue auth = SignatureAuth.sign(KEYS.get(Type.ED25519).getPrivate(), OCTETS, Set.of(), SignatureOptions.DEFAULT);
        SignatureVerdict verdict = SignatureAuth.verify(KEYS.get(Type.RSA).getPublic(), auth.method(), auth.data(), OCTETS);
        assertThat(verdict).isEqualTo(new SignatureVerdict.Invalid("the peer signed with Ed25519 (RFC 7427) but its"
                + " certificate holds an RSA 2048-bit key; check the peer uses the key of the certificate it sends"));
    }

    @Test
    void rfc7427BlobWithAnUnsupportedHashIsRefused() throws Exception {
        AuthValue auth = SignatureAuth.sign(KEYS.get(Type.RSA).getPrivate(), OCTETS, Set.of(), PKCS1);
        byte[] data = auth.data();
        // sha256WithRSAEncryption (…01 0b) -> sha1WithRSAEncryption (…01 05), same length
        int oidEnd = 1 + data[0] - 2;
        assertThat(data[oidEnd - 1]).isEqualTo((byte) 0x0b);
        data[oidEnd - 1] = 0x05;
        SignatureVerdict verdict = SignatureAuth.verify(KEYS.get(Type.RSA).getPublic(), 14, data, OCTETS);
        assertThat(((SignatureVerdict.Invalid) verdict).reason()).startsWith("the peer's RFC 7427 AUTH is refused:")
                .contains("SHA-1 is refused");
    }

    @Test
    void malformedRfc7427LengthIsRefused() {
        byte[] data = {(byte) 200, 0x30, 0x00};
        SignatureVerdict verdict = SignatureAuth.verify(KEYS.get(Type.RSA).getPublic(), 14, data, OCTETS);
        assertThat(((SignatureVerdict.Invalid) verdict).reason()).contains("malformed").contains("3-byte payload");
    }

    @Test
    void classicEcdsaChecksTheRsLengthAndTheCurve() throws Exception {
        AuthValue auth = SignatureAuth.sign(KEYS.get(Type.P256).getPrivate(), OCTETS, Set.of(), CLASSIC);
        assertThat(auth.data()).hasSize(64);
        byte[] shortened = java.util.Arrays.copyOf(auth.data(), 63);
        assertThat(SignatureAuth.verify(KEYS.get(Type.P256).getPublic(), 9, shortened, OCTETS)).isEqualTo(
                new SignatureVerdict.Invalid("the peer's classic method 9 (ECDSA P-256) signature is 63 bytes,"
                        + " expected r|s of 64 bytes (RFC 4754)"));
        SignatureVerdict wrongCurve = SignatureAuth.verify(KEYS.get(Type.P256).getPublic(), 10, auth.data(), OCTETS);
        assertThat(((SignatureVerdict.Invalid) wrongCurve).reason())
                .contains("classic method 10 (ECDSA P-384)").contains("ECDSA P-256 key");
    }

    @Test
    void keysOfOtherCurvesAreRefusedNotMisused() throws Exception {
        java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("EC",
                new org.bouncycastle.jce.provider.BouncyCastleProvider());
        gen.initialize(new java.security.spec.ECGenParameterSpec("brainpoolP256r1"));
        KeyPair brainpool = gen.generateKeyPair();

        assertThatThrownBy(() -> SignatureAuth.sign(brainpool.getPrivate(), OCTETS, Set.of(), CLASSIC))
                .isInstanceOf(SignatureException.class).hasMessageContaining("use an RSA, ECDSA P-256/384/521 or Ed25519 key");
        AuthValue p256 = SignatureAuth.sign(KEYS.get(Type.P256).getPrivate(), OCTETS, Set.of(), CLASSIC);
        assertThat(((SignatureVerdict.Invalid) SignatureAuth.verify(brainpool.getPublic(), 9, p256.data(), OCTETS))
                .reason()).contains("which we cannot verify");
    }

    @Test
    void nonSignatureMethodIsRefused() {
        SignatureVerdict verdict = SignatureAuth.verify(KEYS.get(Type.RSA).getPublic(), 2, new byte[] {1}, OCTETS);
        assertThat(((SignatureVerdict.Invalid) verdict).reason()).contains("AUTH method 2");
    }

    @Test
    void hashIsChosenAmongThePeersHashes() throws Exception {
        assertThat(roundTrip(Type.RSA, SignatureOptions.DEFAULT, Set.of(4, 3)))
                .isEqualTo(new SignatureVerdict.Valid("RSA-PSS-SHA384 (RFC 7427)"));
        assertThat(roundTrip(Type.P256, SignatureOptions.DEFAULT, Set.of(4)))
                .isEqualTo(new SignatureVerdict.Valid("ECDSA-SHA512 (RFC 7427)"));
        assertThat(roundTrip(Type.P384, SignatureOptions.DEFAULT, Set.of(2, 3, 4, 5)))
                .isEqualTo(new SignatureVerdict.Valid("ECDSA-SHA384 (RFC 7427)"));
        assertThatThrownBy(() -> SignatureAuth.sign(KEYS.get(Type.ED25519).getPrivate(), OCTETS, Set.of(2, 3),
                SignatureOptions.DEFAULT)).isInstanceOf(SignatureException.class)
                .hasMessageContaining("Identity (5, RFC 8420)");
        assertThatThrownBy(() -> SignatureAuth.sign(KEYS.get(Type.RSA).getPrivate(), OCTETS, Set.of(1),
                SignatureOptions.DEFAULT)).isInstanceOf(SignatureException.class).hasMessageContaining("[1]");
    }

    @Test
    void hashAlgorithmsNotify() {
        Bytes ours = SignatureAuth.hashAlgorithmsData();
        assertThat(ours).isEqualTo(Bytes.fromHex("0002 0003 0004 0005"));
        assertThat(SignatureAuth.parseHashAlgorithms(ours)).containsExactlyInAnyOrder(2, 3, 4, 5);
        assertThat(SignatureAuth.parseHashAlgorithms(Bytes.fromHex("0001 0002 00"))).containsExactlyInAnyOrder(1, 2);
        assertThat(SignatureAuth.parseHashAlgorithms(Bytes.EMPTY)).isEmpty();
    }
}
