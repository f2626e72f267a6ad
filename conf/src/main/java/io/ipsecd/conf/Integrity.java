package io.ipsecd.conf;

import java.util.Optional;

/** Integrity transforms (IKEv2 transform type 3), strongSwan names. */
public enum Integrity {
    /** AUTH_HMAC_SHA1_96. */
    SHA1("sha1", 2, Prf.PRFSHA1),
    /** AUTH_HMAC_SHA2_256_128. */
    SHA256("sha256", 12, Prf.PRFSHA256),
    /** AUTH_HMAC_SHA2_384_192. */
    SHA384("sha384", 13, Prf.PRFSHA384),
    /** AUTH_HMAC_SHA2_512_256. */
    SHA512("sha512", 14, Prf.PRFSHA512);

    private final String keyword;
    private final int transformId;
    private final Prf matchingPrf;

    Integrity(String keyword, int transformId, Prf matchingPrf) {
        this.keyword = keyword;
        this.transformId = transformId;
        this.matchingPrf = matchingPrf;
    }

    public String keyword() {
        return keyword;
    }

    public int transformId() {
        return transformId;
    }

    /** The PRF an IKE proposal gets when it names this integrity algorithm but no PRF. */
    public Prf matchingPrf() {
        return matchingPrf;
    }

    public static Optional<Integrity> byKeyword(String word) {
        for (Integrity i : values()) {
            if (i.keyword.equals(word)) return Optional.of(i);
        }
        return Optional.empty();
    }
}
