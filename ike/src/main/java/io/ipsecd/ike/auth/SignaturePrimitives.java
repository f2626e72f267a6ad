package io.ipsecd.ike.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;

/**
 * The signing and verifying itself. RSA and Ed25519 go through the JDK providers (PKCS#1 v1.5
 * and Ed25519 are deterministic anyway). ECDSA signs with Bouncy Castle's deterministic nonce
 * (RFC 6979), so a bad random source cannot leak the key and the RFC's vectors test this code
 * directly; ECDSA verification uses the JDK.
 */
final class SignaturePrimitives {
    private SignaturePrimitives() {
    }

    /** What kind of key this is, for choosing a scheme and for messages. */
    sealed interface KeyKind {
        String describe();
    }

    record RsaKind(int bits) implements KeyKind {
        public String describe() {
            return "RSA " + bits + "-bit";
        }
    }

    /** A NIST prime curve by its field size: 256, 384 or 521. */
    record EcKind(int fieldBits) implements KeyKind {
        public String describe() {
            return "ECDSA P-" + fieldBits;
        }

        int scalarLength() {
            return (fieldBits + 7) / 8;
        }

        SignatureHash fittingHash() {
            return fieldBits <= 256 ? SignatureHash.SHA256 : fieldBits <= 384 ? SignatureHash.SHA384 : SignatureHash.SHA512;
        }
    }

    record Ed25519Kind() implements KeyKind {
        public String describe() {
            return "Ed25519";
        }
    }

    static Optional<KeyKind> kind(Key key) {
        if (key instanceof RSAKey rsa) return Optional.of(new RsaKind(rsa.getModulus().bitLength()));
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            // Brainpool and other curves of the same size have no classic method and no fitting RFC 4754 hash
            return isNistCurve(ec.getParams(), bits) ? Optional.of(new EcKind(bits)) : Optional.empty();
        }
        if (key instanceof EdECKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
            return Optional.of(new Ed25519Kind());
        }
        return Optional.empty();
    }

    private static final java.util.Map<Integer, ECParameterSpec> NIST = nistCurves();

    private static java.util.Map<Integer, ECParameterSpec> nistCurves() {
        java.util.Map<Integer, ECParameterSpec> curves = new java.util.HashMap<>();
        try {
            for (String name : java.util.List.of("secp256r1", "secp384r1", "secp521r1")) {
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec(name));
                ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
                curves.put(spec.getCurve().getField().getFieldSize(), spec);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks a NIST prime curve", e);
        }
        return java.util.Map.copyOf(curves);
    }

    private static boolean isNistCurve(ECParameterSpec params, int fieldBits) {
        ECParameterSpec nist = NIST.get(fieldBits);
        return nist != null && nist.getCurve().equals(params.getCurve()) && nist.getOrder().equals(params.getOrder())
                && nist.getGenerator().equals(params.getGenerator());
    }

    static String describe(Key key) {
        return kind(key).map(KeyKind::describe).orElse(key.getAlgorithm() + " (unsupported)");
    }

    /** Whether {@code scheme} can be made with a key of this kind. */
    static boolean fits(SignatureScheme scheme, KeyKind kind) {
        return switch (scheme) {
            case SignatureScheme.RsaPkcs1 _, SignatureScheme.RsaPss _ -> kind instanceof RsaKind;
            case SignatureScheme.Ecdsa _ -> kind instanceof EcKind;
            case SignatureScheme.Ed25519 _ -> kind instanceof Ed25519Kind;
        };
    }

    /** The signature value; ECDSA as a DER ECDSA-Sig-Value. */
    static byte[] sign(SignatureScheme scheme, PrivateKey key, byte[] octets) throws GeneralSecurityException {
        return switch (scheme) {
            case SignatureScheme.Ecdsa ecdsa -> derEcdsa(ecdsaSign(ecdsa.hash(), (ECPrivateKey) key, octets));
            default -> {
                Signature signer = jca(scheme);
                signer.initSign(key);
                signer.update(octets);
                yield signer.sign();
            }
        };
    }

    /** RFC 6979 deterministic ECDSA: (r, s). */
    static BigInteger[] ecdsaSign(SignatureHash hash, ECPrivateKey key, byte[] octets) throws InvalidKeyException {
        ECPrivateKeyParameters params = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(key);
        var digest = hash.newDigest();
        byte[] hashed = new byte[digest.getDigestSize()];
        digest.update(octets, 0, octets.length);
        digest.doFinal(hashed, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(hash.newDigest()));
        signer.init(true, params);
        return signer.generateSignature(hashed);
    }

    static byte[] derEcdsa(BigInteger[] rs) {
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of two integers failed", e);
        }
    }

    /** r|s, each left-padded to the curve's scalar length (RFC 4754 §7). */
    static byte[] fixedEcdsa(BigInteger[] rs, int scalarLength) {
        byte[] out = new byte[2 * scalarLength];
        for (int i = 0; i < 2; i++) {
            byte[] value = rs[i].toByteArray();
            int skip = value.length > scalarLength ? value.length - scalarLength : 0; // a sign byte
            int len = value.length - skip;
            System.arraycopy(value, skip, out, i * scalarLength + scalarLength - len, len);
        }
        return out;
    }

    /** Verifies with the JDK; ECDSA signatures as DER unless {@code fixedLengthEcdsa}. */
    static boolean verify(SignatureScheme scheme, PublicKey key, byte[] octets, byte[] signature, boolean fixedLengthEcdsa)
            throws GeneralSecurityException {
        Signature verifier = scheme instanceof SignatureScheme.Ecdsa(SignatureHash hash) && fixedLengthEcdsa
                ? Signature.getInstance(hash.jcaPrefix + "withECDSAinP1363Format")
                : jca(scheme);
        verifier.initVerify(key);
        verifier.update(octets);
        return verifier.verify(signature);
    }

    private static Signature jca(SignatureScheme scheme) throws GeneralSecurityException {
        return switch (scheme) {
            case SignatureScheme.RsaPkcs1(SignatureHash hash) -> Signature.getInstance(hash.jcaPrefix + "withRSA");
            case SignatureScheme.RsaPss(SignatureHash hash, SignatureHash mgfHash, int salt) -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec(hash.digestName, "MGF1", new MGF1ParameterSpec(mgfHash.digestName),
                        salt, PSSParameterSpec.TRAILER_FIELD_BC));
                yield pss;
            }
            case SignatureScheme.Ecdsa(SignatureHash hash) -> Signature.getInstance(hash.jcaPrefix + "withECDSA");
            case SignatureScheme.Ed25519 _ -> Signature.getInstance("Ed25519");
        };
    }
}
