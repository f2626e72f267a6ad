package io.ipsecd.ike.auth;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/** Key objects from fixture values, and fresh key pairs of every type we sign with. */
final class SignatureKeys {
    static final HexFormat HEX = HexFormat.of();

    enum Type { RSA, P256, P384, P521, ED25519 }

    private SignatureKeys() {
    }

    static byte[] hex(String text) {
        return HEX.parseHex(text.replaceAll("\\s+", "").toLowerCase());
    }

    static KeyPair generate(Type type) {
        try {
            return switch (type) {
                case RSA -> {
                    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
                    gen.initialize(2048);
                    yield gen.generateKeyPair();
                }
                case P256, P384, P521 -> {
                    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
                    gen.initialize(new ECGenParameterSpec(curveName(type)));
                    yield gen.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String curveName(Type type) {
        return switch (type) {
            case P256 -> "secp256r1";
            case P384 -> "secp384r1";
            case P521 -> "secp521r1";
            default -> throw new IllegalArgumentException(type.name());
        };
    }

    static ECParameterSpec curve(String name) throws GeneralSecurityException {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(name));
        return params.getParameterSpec(ECParameterSpec.class);
    }

    static PrivateKey ecPrivate(String curveName, String scalarHex) throws GeneralSecurityException {
        return KeyFactory.getInstance("EC").generatePrivate(
                new ECPrivateKeySpec(new BigInteger(scalarHex, 16), curve(curveName)));
    }

    static PublicKey ecPublic(String curveName, String xHex, String yHex) throws GeneralSecurityException {
        ECPoint point = new ECPoint(new BigInteger(xHex, 16), new BigInteger(yHex, 16));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve(curveName)));
    }

    static PrivateKey ed25519Private(String seedHex) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, hex(seedHex)));
    }

    /** From the 32-byte RFC 8032 encoding, wrapped in an X.509 SubjectPublicKeyInfo (RFC 8410). */
    static PublicKey ed25519Public(String publicHex) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(
                new X509EncodedKeySpec(hex("302a300506032b6570032100" + publicHex)));
    }

    static PrivateKey rsaPrivate() throws GeneralSecurityException {
        byte[] der = Base64.getMimeDecoder().decode(SignatureVectors.RSA_PKCS8_BASE64);
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    static PublicKey rsaPublic() throws GeneralSecurityException {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsaPrivate();
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    }
}
