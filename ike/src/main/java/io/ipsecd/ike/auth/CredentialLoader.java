package io.ipsecd.ike.auth;

import java.io.ByteArrayInputStream;
import java.io.CharArrayReader;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * Loads the files a certificate connection names: certificates (PEM, several blocks allowed, or
 * DER), the private key (PKCS#8 plain or encrypted, or a legacy OpenSSL "RSA/EC PRIVATE KEY"),
 * and CRLs. Every failure is a {@link CredentialException} whose message names the file and says
 * what to check; key bytes and passphrases never appear in one, and the copies of key bytes made
 * here are zeroed once the key object exists (best effort: the PEM parser keeps Base64 text in
 * strings we cannot clear).
 */
public final class CredentialLoader {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private CredentialLoader() {
    }

    /** Certificates in file order: PEM with one or more CERTIFICATE blocks, or one DER certificate. */
    public static List<X509Certificate> certificates(Path file) throws CredentialException {
        byte[] content = read(file, "certificate");
        List<X509Certificate> certs = new ArrayList<>();
        if (isPem(content)) {
            for (Object block : pemObjects(file, content, "certificate")) {
                if (block instanceof X509CertificateHolder holder) certs.add(x509(file, encoded(holder)));
            }
            if (certs.isEmpty()) {
                throw new CredentialException("certificate file " + file + " holds no \"BEGIN CERTIFICATE\" block;"
                        + " check it is an X.509 certificate in PEM (openssl x509 -in " + file + " -noout -text)");
            }
        } else {
            certs.add(x509(file, content));
        }
        return List.copyOf(certs);
    }

    /**
     * The private key: PKCS#8 ("PRIVATE KEY" PEM or DER), encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY",
     * needs {@code passphrase}), or legacy "RSA PRIVATE KEY" / "EC PRIVATE KEY" PEM (also encrypted).
     * Refuses a file that group or others may access, as ssh does.
     */
    public static PrivateKey privateKey(Path file, Optional<char[]> passphrase) throws CredentialException {
        checkPrivate(file);
        byte[] content = read(file, "private key");
        try {
            PrivateKeyInfo info = isPem(content)
                    ? PrivateKeys.fromPem(file, pemObjects(file, content, "private key"), passphrase)
                    : PrivateKeys.fromDer(file, content, passphrase);
            return PrivateKeys.toJca(file, info);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** A CRL in PEM ("X509 CRL") or DER. */
    public static X509CRL crl(Path file) throws CredentialException {
        return crl("CRL file " + file, "openssl crl -in " + file + " -noout -text", read(file, "CRL"));
    }

    /** A CRL in PEM or DER fetched from {@code uri} (a CRL distribution point). */
    public static X509CRL crl(URI uri, byte[] content) throws CredentialException {
        return crl("the CRL from " + uri, "curl -s " + uri + " | openssl crl -noout -text", content);
    }

    /** {@code source} names where the content came from in the messages, {@code check} how the admin can look at it. */
    private static X509CRL crl(String source, String check, byte[] content) throws CredentialException {
        byte[] der = content;
        if (isPem(content)) {
            der = pemObjects(source, content).stream().filter(X509CRLHolder.class::isInstance)
                    .map(X509CRLHolder.class::cast).findFirst().map(CredentialLoader::encoded)
                    .orElseThrow(() -> new CredentialException(source + " holds no \"BEGIN X509 CRL\" block;"
                            + " check it is a CRL (" + check + ")"));
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CredentialException(source + " is neither a PEM nor a DER X.509 CRL ("
                    + brief(e) + "); check it with " + check);
        }
    }

    /** Pairs a key with its chain after checking the key belongs to the first certificate (a signed probe). */
    public static LocalCredential credential(PrivateKey key, List<X509Certificate> chain) throws CredentialException {
        if (chain.isEmpty()) throw new CredentialException("no certificate given for the private key");
        X509Certificate cert = chain.getFirst();
        byte[] probe = "ipsecd key/certificate pairing probe".getBytes(StandardCharsets.US_ASCII);
        SignatureVerdict verdict;
        try {
            AuthValue signed = SignatureAuth.sign(key, probe, Set.of(), SignatureOptions.DEFAULT);
            verdict = SignatureAuth.verify(cert.getPublicKey(), signed.method(), signed.data(), probe);
        } catch (SignatureException e) {
            throw new CredentialException("the private key cannot be used for certificate " + CertText.subject(cert)
                    + ": " + e.getMessage());
        }
        if (verdict instanceof SignatureVerdict.Invalid) {
            throw new CredentialException("the private key (" + SignaturePrimitives.describe(key)
                    + ") does not belong to certificate " + CertText.subject(cert) + " ("
                    + SignaturePrimitives.describe(cert.getPublicKey()) + "); check the key and cert files are a pair"
                    + " (their public keys must be equal: openssl pkey -pubout / openssl x509 -pubkey)");
        }
        return new LocalCredential(key, chain);
    }

    /** Loads and pairs a connection's {@code cert} and {@code key} files, naming both on a mismatch. */
    public static LocalCredential load(Path certFile, Path keyFile, Optional<char[]> passphrase)
            throws CredentialException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile, passphrase);
        try {
            return credential(key, chain);
        } catch (CredentialException e) {
            throw new CredentialException("key file " + keyFile + " and certificate file " + certFile + ": "
                    + e.getMessage());
        }
    }

    private static void checkPrivate(Path file) throws CredentialException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        } catch (NoSuchFileException e) {
            throw new CredentialException("private key file " + file + " does not exist; check the path");
        } catch (IOException e) {
            throw new CredentialException("cannot read the permissions of private key file " + file + " ("
                    + brief(e) + "); check the path and that ipsecd may read it");
        }
        if (!java.util.Collections.disjoint(perms, GROUP_OR_OTHERS)) {
            throw new CredentialException("private key file " + file + " is accessible to group or others (mode "
                    + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); run chmod 600 " + file);
        }
    }

    private static byte[] read(Path file, String what) throws CredentialException {
        try {
            byte[] content = Files.readAllBytes(file);
            if (content.length == 0) throw new CredentialException(what + " file " + file + " is empty");
            return content;
        } catch (NoSuchFileException e) {
            throw new CredentialException(what + " file " + file + " does not exist; check the path");
        } catch (AccessDeniedException e) {
            throw new CredentialException(what + " file " + file + " is not readable by ipsecd; check its owner and mode");
        } catch (IOException e) {
            throw new CredentialException("cannot read " + what + " file " + file + " (" + brief(e) + ")");
        }
    }

    private static boolean isPem(byte[] content) {
        // PEM may carry explanatory text before the block (openssl adds "Bag Attributes", "subject=")
        return indexOf(content, "-----BEGIN ") >= 0;
    }

    private static int indexOf(byte[] content, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= content.length; i++) {
            for (int j = 0; j < needle.length; j++) if (content[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Every PEM object in the file. */
    static List<Object> pemObjects(Path file, byte[] content, String what) throws CredentialException {
        return pemObjects(what + " file " + file, content);
    }

    /** Every PEM object in {@code content}, named {@code source} in the message; chars are decoded into an array we zero afterwards. */
    private static List<Object> pemObjects(String source, byte[] content) throws CredentialException {
        CharBuffer chars = StandardCharsets.ISO_8859_1.decode(ByteBuffer.wrap(content));
        char[] text = new char[chars.remaining()];
        chars.get(text);
        Arrays.fill(chars.array(), '\0');
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new CharArrayReader(text))) {
            for (int i = 0; i < 1000; i++) {
                Object next = parser.readObject();
                if (next == null) break;
                objects.add(next);
            }
        } catch (IOException | RuntimeException e) {
            throw new CredentialException(source + " is not valid PEM (" + brief(e)
                    + "); check the BEGIN/END lines and that the Base64 text is complete");
        } finally {
            Arrays.fill(text, '\0');
        }
        return objects;
    }

    private static X509Certificate x509(Path file, byte[] der) throws CredentialException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new CredentialException("certificate file " + file + " is neither a PEM nor a DER X.509 certificate ("
                    + brief(e) + "); check it with openssl x509 -in " + file + " -noout -text");
        }
    }

    private static byte[] encoded(X509CRLHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed CRL failed", e);
        }
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed certificate failed", e);
        }
    }

    /** A cause in a few words, without a stack trace. */
    static String brief(Throwable e) {
        Throwable root = e;
        for (int depth = 0; depth < 10 && root.getCause() != null; depth++) root = root.getCause();
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
        // "java.io.IOException: Too short" -> "Too short": the admin needs the reason, not our class names
        message = message.replaceAll("\\b[\\w.$]+(Exception|Error):\\s*", "").strip();
        return message.isEmpty() ? "unreadable content" : message;
    }
}
