package io.ipsecd.ike.auth;

import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * Hash algorithms used inside AUTH signatures, with their RFC 7427 hash algorithm ids
 * (IANA "IKEv2 Hash Algorithms": 1 SHA1, 2 SHA2-256, 3 SHA2-384, 4 SHA2-512; 5 Identity is
 * Ed25519's pure signing, RFC 8420, and has no digest here).
 */
enum SignatureHash {
    SHA1(1, "SHA1", "SHA-1", OIWObjectIdentifiers.idSHA1, 20),
    SHA256(2, "SHA256", "SHA-256", NISTObjectIdentifiers.id_sha256, 32),
    SHA384(3, "SHA384", "SHA-384", NISTObjectIdentifiers.id_sha384, 48),
    SHA512(4, "SHA512", "SHA-512", NISTObjectIdentifiers.id_sha512, 64);

    /** RFC 8420: Ed25519 signs the message itself, announced as hash "Identity". */
    static final int IDENTITY = 5;

    final int ikeId;
    /** As in JCA names like "SHA256withRSA". */
    final String jcaPrefix;
    /** As in MessageDigest / PSSParameterSpec names. */
    final String digestName;
    final ASN1ObjectIdentifier oid;
    final int length;

    SignatureHash(int ikeId, String jcaPrefix, String digestName, ASN1ObjectIdentifier oid, int length) {
        this.ikeId = ikeId;
        this.jcaPrefix = jcaPrefix;
        this.digestName = digestName;
        this.oid = oid;
        this.length = length;
    }

    Digest newDigest() {
        return switch (this) {
            case SHA1 -> new SHA1Digest();
            case SHA256 -> new SHA256Digest();
            case SHA384 -> new SHA384Digest();
            case SHA512 -> new SHA512Digest();
        };
    }

    static Optional<SignatureHash> byOid(ASN1ObjectIdentifier oid) {
        for (SignatureHash hash : values()) {
            if (hash.oid.equals(oid)) return Optional.of(hash);
        }
        return Optional.empty();
    }
}
