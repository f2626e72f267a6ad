package io.ipsecd.testbed;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA for certificate interop, written as PEM files both ipsecd and strongSwan read: a root,
 * an intermediate, and gateway certificates with an FQDN subjectAltName (the IKE identity) and a
 * subject DN in strongSwan's order ("C=CH, O=ipsecd testbed, CN=fqdn"), valid from a day ago for
 * a year; keys are unencrypted PKCS#8; a CRL from the intermediate revokes chosen gateways. RSA
 * chains are signed with RSASSA-PSS throughout.
 */
public final class TestCa {
    /** The key types of the interop matrix; each chain uses one type throughout. */
    public enum KeyType {
        /** RSA 2048: certificates signed with RSASSA-PSS (SHA-256, MGF1), and so are the IKE signatures. */
        RSA("SHA256WITHRSAANDMGF1"),
        ECDSA_P384("SHA384withECDSA"),
        /** P-256: what the setup-rate benchmark signs with. */
        ECDSA_P256("SHA256withECDSA"),
        ED25519("Ed25519");

        private final String certificateSignature;

        KeyType(String certificateSignature) {
            this.certificateSignature = certificateSignature;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A gateway's files: its certificate (alone), its key (0600) and its subject. */
    public record Gateway(String fqdn, Path certificate, Path privateKey, X509Certificate cert) {}

    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis() / 1000 * 1000);

    private final Path dir;
    private final KeyType type;
    private final Instant from = Instant.now().minus(Duration.ofDays(1));
    private final Instant until = Instant.now().plus(Duration.ofDays(365));
    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final KeyPair intermediateKeys;
    private final X509Certificate intermediate;

    /** Builds root and intermediate of {@code type} and writes {@code root.pem}, {@code intermediate.pem} into {@code dir}. */
    public TestCa(Path dir, KeyType type) {
        this.dir = dir;
        this.type = type;
        String label = type.label();
        rootKeys = keys(type);
        root = issue(new X500Name("C=CH, O=ipsecd testbed, CN=Test Root " + label), rootKeys,
                new X500Name("C=CH, O=ipsecd testbed, CN=Test Root " + label), rootKeys, true, null);
        intermediateKeys = keys(type);
        intermediate = issue(new X500Name("C=CH, O=ipsecd testbed, CN=Test Intermediate " + label), intermediateKeys,
                x500(root), rootKeys, true, null);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(rootPem(), root);
        write(intermediatePem(), intermediate);
    }

    public Path rootPem() { return dir.resolve("root-" + type.label() + ".pem"); }

    public Path intermediatePem() { return dir.resolve("intermediate-" + type.label() + ".pem"); }

    public X509Certificate root() { return root; }

    /** A gateway certificate for {@code fqdn} from the intermediate, with its key, written as FQDN.pem and FQDN.key. */
    public Gateway gateway(String fqdn) {
        KeyPair keys = keys(type);
        X509Certificate cert = issue(new X500Name("C=CH, O=ipsecd testbed, CN=" + fqdn), keys, x500(intermediate),
                intermediateKeys, false, fqdn);
        Path certFile = dir.resolve(fqdn + "-" + type.label() + ".pem");
        Path keyFile = dir.resolve(fqdn + "-" + type.label() + ".key");
        write(certFile, cert);
        try {
            write(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Gateway(fqdn, certFile, keyFile, cert);
    }

    /** A CRL from the intermediate revoking {@code gateways} (key compromise, an hour ago); returns its file. */
    public Path revoke(Gateway... gateways) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(x500(intermediate), Date.from(from));
            builder.setNextUpdate(Date.from(until));
            for (Gateway g : gateways) {
                builder.addCRLEntry(g.cert().getSerialNumber(), Date.from(Instant.now().minus(Duration.ofHours(1))),
                        CRLReason.keyCompromise);
            }
            Path file = dir.resolve("intermediate-" + type.label() + ".crl");
            write(file, new JcaX509CRLConverter().getCRL(builder.build(signer(intermediateKeys))));
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate issue(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys, boolean ca,
                                  String fqdn) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(from), Date.from(until), subject, subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature));
            if (fqdn != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, fqdn)));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(issuerKeys)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ContentSigner signer(KeyPair keys) {
        try {
            // Bouncy Castle's provider knows every signature name used here, RSASSA-PSS with its parameters too
            return new JcaContentSignerBuilder(type.certificateSignature).setProvider(BC).build(keys.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name x500(X509Certificate cert) {
        return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    }

    private static KeyPair keys(KeyType type) {
        try {
            return switch (type) {
                case RSA -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    yield g.generateKeyPair();
                }
                case ECDSA_P384, ECDSA_P256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec(type == KeyType.ECDSA_P384 ? "secp384r1" : "secp256r1"));
                    yield g.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM, mode 0600 (keys must be; the rest does not mind). */
    private static void write(Path file, Object pemObject) {
        try {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                w.writeObject(pemObject);
            }
            Files.writeString(file, out.toString());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of a gateway for {@link TunnelConfig.Certificates}: trusting this CA's root, no CRL. */
    public TunnelConfig.Certificates credentials(Gateway own, List<Path> crls) {
        return new TunnelConfig.Certificates(own.certificate(), own.privateKey(), List.of(intermediatePem()),
                List.of(rootPem()), crls);
    }
}
