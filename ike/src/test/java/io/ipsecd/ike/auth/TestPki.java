package io.ipsecd.ike.auth;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test CA built with Bouncy Castle: roots, intermediates, gateways and CRLs, RSA, ECDSA P-384 or Ed25519. */
public final class TestPki {
    public static final int CA_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign;
    public static final int GATEWAY_USAGE = KeyUsage.digitalSignature;
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    public enum KeyType { RSA, ECDSA_P384, ED25519 }

    /** A certificate and the key pair it certifies. */
    public record Issued(X509Certificate cert, KeyPair keys) {
    }

    /** What a new certificate should say; {@code ca} sets basicConstraints cA, {@code keyUsage} 0 means no extension. */
    public record Spec(String subject, Instant notBefore, Instant notAfter, boolean ca, int keyUsage, GeneralName... sans) {
    }

    private TestPki() {
    }

    public static KeyPair keys(KeyType type) {
        try {
            return switch (type) {
                case RSA -> {
                    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
                    gen.initialize(2048);
                    yield gen.generateKeyPair();
                }
                case ECDSA_P384 -> {
                    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
                    gen.initialize(new ECGenParameterSpec("secp384r1"));
                    yield gen.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued selfSigned(Spec spec, KeyPair keys) {
        return new Issued(issue(spec, keys, new X500Name(spec.subject()), keys, null), keys);
    }

    public static Issued issuedBy(Issued issuer, Spec spec, KeyPair keys) {
        return issuedBy(issuer, spec, keys, null);
    }

    /** As {@link #issuedBy(Issued, Spec, KeyPair)}, naming {@code crlUri} in a CRLDistributionPoints extension (null: none). */
    public static Issued issuedBy(Issued issuer, Spec spec, KeyPair keys, String crlUri) {
        return issuedWithCrlDistributionPoints(issuer, spec, keys, crlUri == null ? null : distributionPoint(crlUri));
    }

    /** As above with the CRLDistributionPoints extension value given as encoded (possibly malformed) bytes. */
    public static Issued issuedWithCrlDistributionPoints(Issued issuer, Spec spec, KeyPair keys, byte[] extensionValue) {
        return new Issued(issue(spec, keys, X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()),
                issuer.keys(), extensionValue), keys);
    }

    private static byte[] distributionPoint(String uri) {
        GeneralNames where = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
        try {
            return new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(new DistributionPointName(where), null, null)})
                    .getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    public static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    public static GeneralName email(String address) {
        return new GeneralName(GeneralName.rfc822Name, address);
    }

    /** A CRL from {@code issuer} listing {@code revoked}, revoked at {@code when} for key compromise. */
    public static X509CRL crl(Issued issuer, Instant thisUpdate, Instant when, X509Certificate... revoked) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(thisUpdate.plusSeconds(30L * 86400)));
            for (X509Certificate cert : revoked) {
                builder.addCRLEntry(cert.getSerialNumber(), Date.from(when),
                        org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(signer(issuer.keys())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate issue(Spec spec, KeyPair subjectKeys, X500Name issuerName, KeyPair issuerKeys,
                                         byte[] crlDistributionPoints) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(spec.notBefore()), Date.from(spec.notAfter()),
                    new X500Name(spec.subject()), subjectKeys.getPublic());
            if (spec.ca()) builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            if (spec.keyUsage() != 0) builder.addExtension(Extension.keyUsage, true, new KeyUsage(spec.keyUsage()));
            if (spec.sans().length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(spec.sans()));
            }
            if (crlDistributionPoints != null) {
                builder.addExtension(Extension.cRLDistributionPoints, false, crlDistributionPoints);
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKeys)));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(KeyPair keys) {
        String algorithm = switch (keys.getPrivate().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "SHA384withECDSA";
        };
        try {
            return new JcaContentSignerBuilder(algorithm).build(keys.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
