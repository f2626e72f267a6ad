package io.ipsecd.conf;

import java.util.Optional;

/** Extended sequence numbers (IKEv2 transform type 5), ESP only. */
public enum Esn {
    NO_ESN("noesn", 0),
    ESN("esn", 1);

    private final String keyword;
    private final int transformId;

    Esn(String keyword, int transformId) {
        this.keyword = keyword;
        this.transformId = transformId;
    }

    public String keyword() {
        return keyword;
    }

    public int transformId() {
        return transformId;
    }

    public static Optional<Esn> byKeyword(String word) {
        for (Esn e : values()) {
            if (e.keyword.equals(word)) return Optional.of(e);
        }
        return Optional.empty();
    }
}
