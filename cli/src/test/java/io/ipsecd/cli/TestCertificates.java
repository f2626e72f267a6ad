package io.ipsecd.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Real ECDSA P-256 certificates for cli tests: a CA and the gateways it issues, written as PEM files. */
public final class TestCertificates {
  private static final AtomicLong SERIALS = new AtomicLong(0x1000);

  /** A certificate, its key pair, and the subject that issued it (itself for a root). */
  public record Issued(X509Certificate cert, KeyPair keys) {
    /** Writes the certificate as PEM. */
    public Path writeCert(Path file) throws IOException, GeneralSecurityException {
      return Files.writeString(file, pem("CERTIFICATE", cert.getEncoded()));
    }

    /** Writes the PKCS#8 private key as PEM, mode 0600. */
    public Path writeKey(Path file) throws IOException {
      Files.writeString(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    }
  }

  private TestCertificates() {}

  public static Issued ca(String subject, Instant notBefore, Instant notAfter) throws Exception {
    KeyPair keys = keys();
    return new Issued(build(subject, subject, notBefore, notAfter, true, keys, keys), keys);
  }

  public static Issued gateway(Issued ca, String subject, Instant notBefore, Instant notAfter) throws Exception {
    KeyPair keys = keys();
    String issuer = ca.cert().getSubjectX500Principal().getName();
    return new Issued(build(issuer, subject, notBefore, notAfter, false, keys, ca.keys()), keys);
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return gen.generateKeyPair();
  }

  private static X509Certificate build(String issuer, String subject, Instant notBefore, Instant notAfter, boolean ca,
      KeyPair subjectKeys, KeyPair issuerKeys) throws Exception {
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), new X500Name(subject),
        subjectKeys.getPublic());
    if (ca) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }
}
