package io.ipsecd.conf;

import java.util.Optional;

/** Pseudo-random functions (IKEv2 transform type 2), strongSwan names. */
public enum Prf {
    PRFSHA1("prfsha1", 2),
    PRFSHA256("prfsha256", 5),
    PRFSHA384("prfsha384", 6),
    PRFSHA512("prfsha512", 7);

    private final String keyword;
    private final int transformId;

    Prf(String keyword, int transformId) {
        this.keyword = keyword;
        this.transformId = transformId;
    }

    public String keyword() {
        return keyword;
    }

    public int transformId() {
        return transformId;
    }

    public static Optional<Prf> byKeyword(String word) {
        for (Prf p : values()) {
            if (p.keyword.equals(word)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
