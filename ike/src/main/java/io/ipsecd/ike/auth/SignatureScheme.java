package io.ipsecd.ike.auth;

import java.io.IOException;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * One signature scheme an AUTH payload can carry, and its RFC 7427 AlgorithmIdentifier
 * (RFC 7427 Appendix A; Ed25519 from RFC 8420). The DER is built and parsed with Bouncy Castle's
 * ASN.1 classes; {@code SignatureSchemeTest} checks the bytes against the RFC's examples.
 */
sealed interface SignatureScheme {

    /** e.g. "RSA-PSS-SHA256", "ECDSA-SHA384", "Ed25519". */
    String name();

    AlgorithmIdentifier algorithmIdentifier();

    /** The RFC 7427 hash id this scheme uses, or {@link SignatureHash#IDENTITY} for Ed25519. */
    int ikeHashId();

    record RsaPkcs1(SignatureHash hash) implements SignatureScheme {
        @Override
        public String name() {
            return "RSA-PKCS1-" + hash.jcaPrefix;
        }

        @Override
        public AlgorithmIdentifier algorithmIdentifier() {
            ASN1ObjectIdentifier oid = switch (hash) {
                case SHA1 -> PKCSObjectIdentifiers.sha1WithRSAEncryption;
                case SHA256 -> PKCSObjectIdentifiers.sha256WithRSAEncryption;
                case SHA384 -> PKCSObjectIdentifiers.sha384WithRSAEncryption;
                case SHA512 -> PKCSObjectIdentifiers.sha512WithRSAEncryption;
            };
            // RFC 7427 A.1: the parameters are an explicit NULL
            return new AlgorithmIdentifier(oid, DERNull.INSTANCE);
        }

        @Override
        public int ikeHashId() {
            return hash.ikeId;
        }
    }

    /** RSASSA-PSS with MGF1 over {@code mgfHash}; we sign with mgfHash == hash and salt = hash length. */
    record RsaPss(SignatureHash hash, SignatureHash mgfHash, int saltLength) implements SignatureScheme {
        static RsaPss of(SignatureHash hash) {
            return new RsaPss(hash, hash, hash.length);
        }

        @Override
        public String name() {
            String mgf = mgfHash == hash ? "" : "-MGF1-" + mgfHash.jcaPrefix;
            String salt = saltLength == hash.length ? "" : "-salt" + saltLength;
            return "RSA-PSS-" + hash.jcaPrefix + mgf + salt;
        }

        @Override
        public AlgorithmIdentifier algorithmIdentifier() {
            AlgorithmIdentifier hashId = new AlgorithmIdentifier(hash.oid, DERNull.INSTANCE);
            AlgorithmIdentifier mgf = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1,
                    new AlgorithmIdentifier(mgfHash.oid, DERNull.INSTANCE));
            // trailerField 1 is the DEFAULT and so is left out of the DER (RFC 7427 A.4.3)
            return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(hashId, mgf,
                    new ASN1Integer(saltLength), RSASSAPSSparams.DEFAULT_TRAILER_FIELD));
        }

        @Override
        public int ikeHashId() {
            return hash.ikeId;
        }
    }

    /** ECDSA with a DER ECDSA-Sig-Value (RFC 7427) or r|s (classic, RFC 4754). */
    record Ecdsa(SignatureHash hash) implements SignatureScheme {
        @Override
        public String name() {
            return "ECDSA-" + hash.jcaPrefix;
        }

        @Override
        public AlgorithmIdentifier algorithmIdentifier() {
            ASN1ObjectIdentifier oid = switch (hash) {
                case SHA1 -> X9ObjectIdentifiers.ecdsa_with_SHA1;
                case SHA256 -> X9ObjectIdentifiers.ecdsa_with_SHA256;
                case SHA384 -> X9ObjectIdentifiers.ecdsa_with_SHA384;
                case SHA512 -> X9ObjectIdentifiers.ecdsa_with_SHA512;
            };
            return new AlgorithmIdentifier(oid); // RFC 7427 A.3: parameters absent
        }

        @Override
        public int ikeHashId() {
            return hash.ikeId;
        }
    }

    record Ed25519() implements SignatureScheme {
        @Override
        public String name() {
            return "Ed25519";
        }

        @Override
        public AlgorithmIdentifier algorithmIdentifier() {
            return new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519); // RFC 8420: parameters absent
        }

        @Override
        public int ikeHashId() {
            return SignatureHash.IDENTITY;
        }
    }

    /** The DER AlgorithmIdentifier that precedes the signature in RFC 7427 AUTH data. */
    static byte[] encode(SignatureScheme scheme) {
        try {
            return scheme.algorithmIdentifier().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of a fixed AlgorithmIdentifier failed", e);
        }
    }

    static String encodeHex(SignatureScheme scheme) {
        return java.util.HexFormat.of().formatHex(encode(scheme));
    }

    /**
     * Reads an AlgorithmIdentifier from RFC 7427 AUTH data. Throws with an admin-facing reason for
     * anything malformed or unsupported, including SHA-1, which RFC 7427 lets us refuse and which
     * we only accept through the classic method 1.
     */
    static SignatureScheme decode(byte[] der) throws UnsupportedScheme {
        AlgorithmIdentifier id;
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            id = AlgorithmIdentifier.getInstance(primitive);
            if (!java.util.Arrays.equals(primitive.getEncoded(ASN1Encoding.DER), der)) {
                throw new UnsupportedScheme("its AlgorithmIdentifier is not in DER form");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new UnsupportedScheme("its AlgorithmIdentifier is not valid ASN.1");
        }
        ASN1ObjectIdentifier oid = id.getAlgorithm();
        SignatureScheme scheme;
        if (oid.equals(PKCSObjectIdentifiers.sha256WithRSAEncryption)) scheme = new RsaPkcs1(SignatureHash.SHA256);
        else if (oid.equals(PKCSObjectIdentifiers.sha384WithRSAEncryption)) scheme = new RsaPkcs1(SignatureHash.SHA384);
        else if (oid.equals(PKCSObjectIdentifiers.sha512WithRSAEncryption)) scheme = new RsaPkcs1(SignatureHash.SHA512);
        else if (oid.equals(PKCSObjectIdentifiers.sha1WithRSAEncryption)) scheme = new RsaPkcs1(SignatureHash.SHA1);
        else if (oid.equals(X9ObjectIdentifiers.ecdsa_with_SHA256)) scheme = new Ecdsa(SignatureHash.SHA256);
        else if (oid.equals(X9ObjectIdentifiers.ecdsa_with_SHA384)) scheme = new Ecdsa(SignatureHash.SHA384);
        else if (oid.equals(X9ObjectIdentifiers.ecdsa_with_SHA512)) scheme = new Ecdsa(SignatureHash.SHA512);
        else if (oid.equals(X9ObjectIdentifiers.ecdsa_with_SHA1)) scheme = new Ecdsa(SignatureHash.SHA1);
        else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) scheme = new Ed25519();
        else if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) scheme = pss(id);
        else throw new UnsupportedScheme("its signature algorithm " + oid.getId()
                    + " is not one we support (RSA PKCS#1 v1.5 or PSS with SHA-2, ECDSA with SHA-2, Ed25519)");
        if (scheme instanceof RsaPss pss && (pss.hash() == SignatureHash.SHA1 || pss.mgfHash() == SignatureHash.SHA1)
                || scheme instanceof RsaPkcs1(SignatureHash h) && h == SignatureHash.SHA1
                || scheme instanceof Ecdsa(SignatureHash h2) && h2 == SignatureHash.SHA1) {
            throw new UnsupportedScheme("it uses " + scheme.name() + "; SHA-1 is refused inside RFC 7427 signatures"
                    + " (configure the peer for SHA-256 or stronger)");
        }
        return scheme;
    }

    private static RsaPss pss(AlgorithmIdentifier id) throws UnsupportedScheme {
        RSASSAPSSparams params = pssParams(id);
        SignatureHash hash = SignatureHash.byOid(params.getHashAlgorithm().getAlgorithm()).orElseThrow(
                () -> new UnsupportedScheme("its RSASSA-PSS hash " + params.getHashAlgorithm().getAlgorithm().getId()
                        + " is not SHA-1/SHA-256/SHA-384/SHA-512"));
        AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
        if (!mgf.getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)) {
            throw new UnsupportedScheme("its RSASSA-PSS mask generation function " + mgf.getAlgorithm().getId()
                    + " is not MGF1");
        }
        SignatureHash mgfHash;
        try {
            ASN1ObjectIdentifier mgfHashOid = AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm();
            mgfHash = SignatureHash.byOid(mgfHashOid).orElseThrow(() -> new UnsupportedScheme(
                    "its RSASSA-PSS MGF1 hash " + mgfHashOid.getId() + " is not supported"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnsupportedScheme("its RSASSA-PSS MGF1 parameters are malformed");
        }
        if (!params.getTrailerField().equals(java.math.BigInteger.ONE)) {
            throw new UnsupportedScheme("its RSASSA-PSS trailer field is not 1 (0xbc)");
        }
        java.math.BigInteger salt = params.getSaltLength();
        if (salt.signum() < 0 || salt.compareTo(java.math.BigInteger.valueOf(512)) > 0) {
            throw new UnsupportedScheme("its RSASSA-PSS salt length " + salt + " is out of range");
        }
        return new RsaPss(hash, mgfHash, salt.intValue());
    }

    private static RSASSAPSSparams pssParams(AlgorithmIdentifier id) throws UnsupportedScheme {
        try {
            // absent parameters mean the RSASSA-PSS defaults (SHA-1), refused by the caller
            RSASSAPSSparams params = RSASSAPSSparams.getInstance(id.getParameters());
            return params == null ? new RSASSAPSSparams() : params;
        } catch (IllegalArgumentException e) {
            throw new UnsupportedScheme("its RSASSA-PSS parameters are malformed");
        }
    }

    /** An AlgorithmIdentifier we cannot or will not verify; the message completes "the peer's AUTH is refused: ...". */
    final class UnsupportedScheme extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        UnsupportedScheme(String reason) {
            super(Objects.requireNonNull(reason));
        }
    }
}
