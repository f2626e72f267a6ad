package io.ipsecd.ike.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The private-key half of {@link CredentialLoader}: finds the key in the PEM objects or DER,
 * decrypts it, and turns it into a JDK key object. Decryption uses a private Bouncy Castle
 * provider instance (OpenSSL's PBES2/scrypt choices), never registered globally.
 */
final class PrivateKeys {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private PrivateKeys() {
    }

    static PrivateKeyInfo fromPem(Path file, List<Object> objects, Optional<char[]> passphrase)
            throws CredentialException {
        for (Object object : objects) {
            switch (object) {
                case PrivateKeyInfo info -> {
                    return info;
                }
                case PKCS8EncryptedPrivateKeyInfo encrypted -> {
                    return decrypt(file, encrypted, passphrase);
                }
                case PEMKeyPair legacy -> {
                    return legacy.getPrivateKeyInfo();
                }
                case PEMEncryptedKeyPair legacyEncrypted -> {
                    char[] secret = need(file, passphrase);
                    try {
                        return legacyEncrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC)
                                .build(secret)).getPrivateKeyInfo();
                    } catch (IOException | RuntimeException e) {
                        throw wrongPassphrase(file);
                    }
                }
                default -> {
                    // EC PARAMETERS, certificates and other blocks next to the key: skip
                }
            }
        }
        throw new CredentialException("private key file " + file + " holds no private key block (\"BEGIN PRIVATE KEY\","
                + " \"BEGIN ENCRYPTED PRIVATE KEY\", \"BEGIN RSA/EC PRIVATE KEY\"); check it is the key, not the certificate");
    }

    static PrivateKeyInfo fromDer(Path file, byte[] der, Optional<char[]> passphrase) throws CredentialException {
        try {
            return PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException notPlain) {
            try {
                return decrypt(file, new PKCS8EncryptedPrivateKeyInfo(EncryptedPrivateKeyInfo.getInstance(der)),
                        passphrase);
            } catch (RuntimeException notEncrypted) {
                Optional<PrivateKeyInfo> legacy = legacyDer(der);
                if (legacy.isPresent()) return legacy.get();
                throw new CredentialException("private key file " + file + " is neither PEM nor a DER PKCS#8 key;"
                        + " check it with openssl pkey -in " + file + " -noout (convert with openssl pkcs8 -topk8)");
            }
        }
    }

    /** OpenSSL's "traditional" DER (what {@code openssl pkey -outform DER} writes): RFC 8017 RSA or RFC 5915 EC. */
    private static Optional<PrivateKeyInfo> legacyDer(byte[] der) {
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(der);
            if (sequence.size() == 9) {
                RSAPrivateKey rsa = RSAPrivateKey.getInstance(sequence);
                return Optional.of(new PrivateKeyInfo(
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa));
            }
            ECPrivateKey ec = ECPrivateKey.getInstance(sequence);
            if (ec.getParametersObject() == null) return Optional.empty(); // the curve must be named inside
            return Optional.of(new PrivateKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static PrivateKeyInfo decrypt(Path file, PKCS8EncryptedPrivateKeyInfo encrypted, Optional<char[]> passphrase)
            throws CredentialException {
        char[] secret = need(file, passphrase);
        try {
            InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(secret);
            return encrypted.decryptPrivateKeyInfo(decryptor);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new CredentialException("private key file " + file + " is encrypted with a scheme we cannot use ("
                    + CredentialLoader.brief(e) + "); re-encrypt it with openssl pkcs8 -topk8 -v2 aes-256-cbc");
        } catch (org.bouncycastle.pkcs.PKCSException | RuntimeException e) {
            throw wrongPassphrase(file);
        }
    }

    private static char[] need(Path file, Optional<char[]> passphrase) throws CredentialException {
        return passphrase.orElseThrow(() -> new CredentialException("private key file " + file
                + " is encrypted but no passphrase is configured for it; give its passphrase file"));
    }

    private static CredentialException wrongPassphrase(Path file) {
        return new CredentialException("cannot decrypt private key file " + file
                + ": the passphrase is wrong or the file is damaged; check the passphrase file");
    }

    /** A JDK key object (so JDK Signature engines take it); the DER copy is zeroed. */
    static PrivateKey toJca(Path file, PrivateKeyInfo info) throws CredentialException {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm;
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) algorithm = "RSA";
        else if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) algorithm = "RSASSA-PSS";
        else if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) algorithm = "EC";
        else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) algorithm = "Ed25519";
        else throw new CredentialException("private key file " + file + " holds a key of type " + oid.getId()
                    + ", which ipsecd cannot sign with; use an RSA, ECDSA P-256/384/521 or Ed25519 key");
        byte[] der = null;
        try {
            der = info.getEncoded();
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException | GeneralSecurityException e) {
            throw new CredentialException("private key file " + file + " holds a damaged " + algorithm + " key ("
                    + CredentialLoader.brief(e) + "); check it with openssl pkey -in " + file + " -noout");
        } finally {
            if (der != null) Arrays.fill(der, (byte) 0);
        }
    }
}
