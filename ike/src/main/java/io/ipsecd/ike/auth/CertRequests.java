package io.ipsecd.ike.auth;

import io.ipsecd.ike.message.Bytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * CERTREQ data for X.509 signature encoding (RFC 7296 §3.7): the concatenated SHA-1 hashes of the
 * SubjectPublicKeyInfo of each CA we trust, and the reverse check of whether a peer's request
 * names one of our CAs.
 */
public final class CertRequests {
    private static final int SHA1_LENGTH = 20;

    private CertRequests() {
    }

    public static Bytes authorityHashes(List<X509Certificate> cas) {
        byte[] out = new byte[cas.size() * SHA1_LENGTH];
        for (int i = 0; i < cas.size(); i++) {
            System.arraycopy(keyHash(cas.get(i)), 0, out, i * SHA1_LENGTH, SHA1_LENGTH);
        }
        return Bytes.of(out);
    }

    /** Whether {@code certReqData} lists {@code ca}'s key hash; a trailing partial hash is ignored. */
    public static boolean requests(Bytes certReqData, X509Certificate ca) {
        byte[] wanted = keyHash(ca);
        byte[] data = certReqData.toArray();
        for (int offset = 0; offset + SHA1_LENGTH <= data.length; offset += SHA1_LENGTH) {
            if (Arrays.equals(data, offset, offset + SHA1_LENGTH, wanted, 0, SHA1_LENGTH)) return true;
        }
        return false;
    }

    private static byte[] keyHash(X509Certificate ca) {
        try {
            // getEncoded() of an X.509 public key is its DER SubjectPublicKeyInfo
            return MessageDigest.getInstance("SHA-1").digest(ca.getPublicKey().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a mandatory JDK algorithm", e);
        }
    }
}
